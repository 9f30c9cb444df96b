"""The supervisor's program report, a tab of the Reports screen: de-identified
aggregates of the team's participants (enrollment, engagement, goals met,
change in WHO-5 and BARC-10, ER visits and hospital nights before and after,
housing and work), from the records the last pull brought
(``session.review.program_report``).

No name, id or date of a person is in it; counts under the smallest group size
are shown as "<N" and means over fewer people are left out. **Export program
CSV…** writes the same lines (audited)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.program_report import DEFAULT_MIN_CELL, MIN_CELL_FLOOR, Measure
from peerdesk.errors import PeerDeskError
from peerdesk.services import Session
from ui.dialogs.export import ask_export_path
from ui.errors import message_for
from ui.i18n import tr
from ui.operations import Follower
from ui.taskman import Latest, TaskManager

__all__ = ["ProgramReportPanel"]


class ProgramReportPanel(QWidget):
    def __init__(
        self, session: Session, taskman: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session, self.taskman = session, taskman
        self.lines: list[Measure] = []
        self._latest = Latest()
        self.setAccessibleName(tr("Program report"))
        self.summary = QLabel(
            tr(
                "De-identified figures of the team's participants: no names, no ids, "
                "small groups hidden."
            )
        )
        self.summary.setWordWrap(True)
        self.min_cell = QSpinBox()
        # below the floor a group could be one or two people: the box refuses it
        self.min_cell.setRange(MIN_CELL_FLOOR, 50)
        self.min_cell.setValue(DEFAULT_MIN_CELL)
        self.min_cell.setAccessibleName(tr("Smallest group shown"))
        floor_text = tr(
            "At least {n}: a smaller group could pick out one person, so it is refused."
        ).format(n=MIN_CELL_FLOOR)
        self.min_cell.setToolTip(floor_text)
        self.min_cell.setAccessibleDescription(floor_text)
        min_label = QLabel(tr("Smallest &group shown:"))
        min_label.setBuddy(self.min_cell)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [tr("Section"), tr("Measure"), tr("Value"), tr("People")]
        )
        self.table.setAccessibleName(tr("Program figures"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.refresh_button = QPushButton(tr("Re&fresh"))
        self.refresh_button.setAccessibleName(tr("Refresh the program report"))
        self.export_button = QPushButton(tr("Export pro&gram CSV…"))
        self.export_button.setAccessibleName(tr("Export the program report as CSV"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Program report status"))
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(lambda: self.export())
        self.min_cell.valueChanged.connect(lambda _v: self.refresh())
        row = QHBoxLayout()
        row.addWidget(min_label)
        row.addWidget(self.min_cell)
        row.addStretch(1)
        row.addWidget(self.refresh_button)
        row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        Follower(self, taskman, {"review"}, self.refresh, on_first_show=True)

    def refresh(self) -> None:
        if self.taskman.closed:
            return
        only = self._latest.begin()
        self.taskman.db(self.session.review.program_report, min_cell=self.min_cell.value()).success(
            only(self.show_lines)
        ).failure(only(self._failed)).run()

    def show_lines(self, lines: list[Measure]) -> None:
        self.lines = lines
        self.table.setRowCount(0)
        self.table.setRowCount(len(lines))
        for r, m in enumerate(lines):
            for c, text in enumerate((m.section, m.measure, m.value, m.people)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.status.setText("")

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PeerDeskError):
            raise exc
        self.status.setText(message_for(exc))

    def export(self, path: Path | str | None = None) -> None:
        target = Path(path) if path else ask_export_path(self, "peerdesk-program.csv", "csv")
        if target is None:
            return
        self.taskman.db(
            self.session.review.export_program_report, target, min_cell=self.min_cell.value()
        ).success(
            lambda written: self.status.setText(tr("Written: {path}").format(path=written))
        ).failure(self._failed).run()

    def clear(self) -> None:
        self._latest.drop()
        self.lines = []
        self.table.setRowCount(0)
        self.status.clear()

"""The supervisor's Team screen (issue 23): one row per laptop of the team with
supervision hours in the requirement period against the requirement, the
certification's expiry state, CEU hours in the renewal period against the
requirement and the last supervision session; each status in words and a tint.
Below, the chosen peer's sessions, CEU entries and the check-ins they shared.
Reads the last pull (``session.workforce.team``); follows ``review`` and
``workforce``."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.workforce import WorkforceSettings
from peerdesk.errors import PeerDeskError
from peerdesk.services import Session
from peerdesk.services.workforce import TeamRow
from ui.errors import message_for
from ui.formats import short_date
from ui.i18n import tr
from ui.operations import Follower
from ui.screens.work_forms import RequirementsForm
from ui.taskman import Latest, TaskManager
from ui.widgets import fill, heading_label, table, text_label
from ui.workforce_labels import (
    expiry_text,
    follow_up_text,
    format_names,
    hours,
    last_session_text,
    progress_text,
    status_item,
)

__all__ = ["TeamScreen"]


class TeamScreen(QWidget):
    def __init__(
        self, session: Session, taskman: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session, self.taskman = session, taskman
        self.rows: list[TeamRow] = []
        self.settings = WorkforceSettings()
        self.today = date.today
        self._latest = Latest()
        self.setAccessibleName(tr("Team"))
        intro = QLabel(
            tr(
                "Each peer's supervision hours, certification and CEU hours, from the "
                "records their laptops sent (as of the last pull). Wellbeing check-ins "
                "are private: you see only those a peer chose to share."
            )
        )
        intro.setWordWrap(True)
        self.requirements = text_label(tr("Requirements"))
        self.settings_button = QPushButton(tr("Re&quirements…"))
        self.settings_button.setAccessibleName(
            tr("Change the requirements the team's hours are measured against")
        )
        self.settings_button.clicked.connect(self.edit_settings)
        self.problem = text_label(tr("Problem"))
        self.table = table(
            tr("Team status"),
            [
                tr("Peer"),
                tr("Supervision (your requirement)"),
                tr("Certification"),
                tr("CEU (your requirement)"),
                tr("Last session"),
            ],
        )
        self.table.itemSelectionChanged.connect(self.show_peer)
        self.detail_title = text_label(tr("Chosen peer"))
        self.detail = QTabWidget()
        self.detail.setAccessibleName(tr("The chosen peer's records"))
        self.sessions = table(
            tr("The peer's supervision sessions"),
            [tr("Date"), tr("Minutes"), tr("Kind"), tr("Topics"), tr("Follow-ups")],
        )
        self.ceus = table(
            tr("The peer's CEU entries"),
            [tr("Date"), tr("Title"), tr("Provider"), tr("Hours"), tr("Evidence")],
        )
        self.shared = table(
            tr("Check-ins the peer shared"),
            [tr("Date"), tr("Energy"), tr("Stress"), tr("Support"), tr("Notes")],
        )
        self.detail.addTab(self.sessions, tr("&Sessions"))
        self.detail.addTab(self.ceus, tr("C&EU"))
        self.detail.addTab(self.shared, tr("Shared &check-ins"))
        top = QHBoxLayout()
        heads = QVBoxLayout()
        heads.addWidget(heading_label(tr("Team")))
        heads.addWidget(intro)
        heads.addWidget(self.requirements)
        top.addLayout(heads, 1)
        top.addWidget(self.settings_button, 0, Qt.AlignmentFlag.AlignTop)
        lower = QWidget()
        lower_lay = QVBoxLayout(lower)
        lower_lay.setContentsMargins(0, 0, 0, 0)
        lower_lay.addWidget(self.detail_title)
        lower_lay.addWidget(self.detail, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setChildrenCollapsible(False)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.problem)
        layout.addWidget(split, 1)
        Follower(self, taskman, {"review", "workforce"}, self.refresh, on_first_show=True)

    def refresh(self) -> None:
        if self.taskman.closed:
            return
        only = self._latest.begin()
        today = self.today()

        def load() -> tuple[list[TeamRow], object]:
            return self.session.workforce.team(today), self.session.workforce.settings()

        self.taskman.db(load).success(only(self.show_rows)).failure(only(self._failed)).run()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PeerDeskError):
            raise exc
        self.problem.setText(message_for(exc))

    def show_rows(self, loaded: tuple[list[TeamRow], object]) -> None:
        rows, settings = loaded
        self.rows = rows
        assert isinstance(settings, WorkforceSettings)
        self.settings = settings
        self.problem.setText("" if rows else tr("No peers yet: pull from the agency first."))
        sup, ceu = settings.supervision, settings.ceu
        self.requirements.setText(
            tr(
                "Measured against your requirements (set in Requirements…, kept on this "
                "laptop): {sup} h of supervision in {period}; {ceu} CEU hours in {renewal}."
            ).format(
                sup=hours(sup.hours),
                period=tr("%n month(s)", None, sup.months),
                ceu=hours(ceu.hours),
                renewal=tr("a renewal period of %n month(s)", None, ceu.months),
            )
        )
        cells = []
        for row in rows:
            st = row.status
            name = row.name + (" " + tr("(laptop revoked)") if row.revoked else "")
            last = status_item(*last_session_text(st.last_session, st.supervision.period))
            cells.append(
                (
                    QTableWidgetItem(name),
                    status_item(*progress_text(st.supervision)),
                    status_item(*expiry_text(st.expiry)),
                    status_item(*progress_text(st.ceu)),
                    last,
                )
            )
        fill(self.table, cells)
        if rows:
            self.table.selectRow(0)
        else:
            self.show_peer()

    def show_peer(self) -> None:
        picked = self.table.selectionModel().selectedRows()
        if not picked or picked[0].row() >= len(self.rows):
            self.detail_title.clear()
            for t in (self.sessions, self.ceus, self.shared):
                t.setRowCount(0)
            return
        row = self.rows[picked[0].row()]
        rec = row.record
        self.detail_title.setText(
            tr("{name}: {sessions}, {open}").format(
                name=row.name,
                sessions=tr("%n supervision session(s)", None, len(rec.sessions)),
                open=tr("%n follow-up(s) open", None, row.status.open_follow_ups),
            )
        )
        names = format_names()
        fill(
            self.sessions,
            [
                (
                    short_date(s.held_on), str(s.minutes), names[s.format], "; ".join(s.topics),
                    "; ".join(follow_up_text(f.text, f.done) for f in s.follow_ups),
                )
                for s in reversed(rec.sessions)
            ],
        )  # fmt: skip
        fill(
            self.ceus,
            [
                (short_date(e.taken_on), e.title, e.provider, hours(e.hours), e.evidence)
                for e in reversed(rec.ceus)
            ],
        )
        fill(
            self.shared,
            [
                (short_date(c.taken_on), str(c.energy), str(c.stress), str(c.support), c.note)
                for c in reversed(rec.check_ins)
            ],
        )

    def edit_settings(self) -> None:
        dialog = RequirementsForm(self.session, self.taskman, self.settings, self)
        dialog.saved.connect(lambda _v: self.refresh())
        dialog.setModal(True)
        dialog.show()
        self.dialog = dialog

    def clear(self) -> None:
        self._latest.drop()
        self.rows = []
        for t in (self.table, self.sessions, self.ceus, self.shared):
            t.setRowCount(0)
        for label in (self.problem, self.detail_title, self.requirements):
            label.clear()

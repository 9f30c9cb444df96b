"""Before a report leaves PeerDesk: a warning, then where to write it.

:class:`ExportWarningDialog` says plainly what is about to happen when a report
holds identifiable data: the file is *not* encrypted, it carries the 42 CFR
Part 2 redisclosure notice, the export is recorded in the activity log, and who
may receive it. The safe choice (Cancel) is the default button, so Enter or
Escape never writes by accident; writing needs the "Write the file" button
(Alt+W).

:func:`ask_export_path` asks for the file with ``QFileDialog`` and makes sure it
ends with the format's suffix.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import tr

__all__ = ["ExportWarningDialog", "ask_export_path", "ask_provider_file", "format_names"]


def format_names() -> dict[str, str]:
    return {"csv": tr("CSV (spreadsheet)"), "pdf": tr("PDF document")}


class ExportWarningDialog(QDialog):
    """Ask before writing plaintext of identifiable data to disk."""

    def __init__(
        self,
        report_title: str,
        fmt: str,
        notice: str,
        parent: QWidget | None = None,
        *,
        identifiable: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Export a report"))
        self.setObjectName("exportWarning")
        self.setMinimumWidth(560)
        self.identifiable = identifiable

        heading = QLabel(
            tr("Write “{report}” to a file as {format}?").format(
                report=report_title, format=format_names().get(fmt, fmt)
            )
        )
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        heading.setWordWrap(True)

        if identifiable:
            warning = tr(
                "This report holds information about the people your team supports "
                "(protected by 42 CFR Part 2 and HIPAA). The file is NOT encrypted: anyone "
                "who can open it can read it. Save it only on an encrypted drive or the "
                "agency's secure share, give it only to people allowed to see it, and "
                "delete it when you are done. The notice below is printed at the top of "
                "the file. This export is recorded in the activity log."
            )
        else:
            warning = tr(
                "This report holds no information about participants. The file is not "
                "encrypted. This export is recorded in the activity log."
            )
        self.warning = QLabel(warning)
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setAccessibleName(tr("Export warning"))

        self.notice = QPlainTextEdit(notice)
        self.notice.setReadOnly(True)
        self.notice.setAccessibleName(tr("Redisclosure notice printed in the file"))
        self.notice.setTabChangesFocus(True)
        self.notice.setMaximumHeight(150)
        self.notice.setVisible(identifiable and bool(notice))
        notice_label = QLabel(tr("&Notice printed in the file:"))
        notice_label.setBuddy(self.notice)
        notice_label.setVisible(self.notice.isVisibleTo(self))

        self.buttons = QDialogButtonBox()
        self.write_button: QPushButton = self.buttons.addButton(
            tr("&Write the file"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.write_button.setAccessibleName(tr("Write the file"))
        self.write_button.setAutoDefault(False)
        self.cancel_button: QPushButton = self.buttons.addButton(
            QDialogButtonBox.StandardButton.Cancel
        )
        self.cancel_button.setText(tr("Cancel"))
        self.cancel_button.setAccessibleName(tr("Cancel the export"))
        self.cancel_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.warning)
        layout.addWidget(notice_label)
        layout.addWidget(self.notice)
        layout.addWidget(self.buttons)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The safe choice has the focus: Enter or Space cancels, never writes.
        self.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)


def ask_provider_file(parent: QWidget | None) -> Path | None:
    """Ask for the billing provider file (the agency's NPI, address, clearinghouse
    ids and each peer's NPI; None: the user cancelled)."""
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, tr("Choose the billing provider file"), "", tr("Billing provider (*.toml)")
    )
    return Path(chosen) if chosen else None


def ask_export_path(parent: QWidget | None, suggested: str, fmt: str) -> Path | None:
    """Ask where to write the file (None: the user cancelled). The suffix of the
    format is added when the name has none."""
    filters = {"csv": tr("CSV files (*.csv)"), "pdf": tr("PDF files (*.pdf)")}
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, tr("Export the report"), suggested, filters.get(fmt, "")
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != f".{fmt}":
        path = path.with_name(path.name + f".{fmt}")
    return path

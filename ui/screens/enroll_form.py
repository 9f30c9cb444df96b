"""The enrollment form: connect a profile to its agency once, with the
provisioning file IT gave and the one-time code (for a supervisor also the name
decisions are signed with). One form, shown by the Sync screen while the
profile is not enrolled and by the first-run offer right after a profile is
created (:class:`ui.dialogs.enroll.EnrollDialog`).

The provisioning file is prefilled (:func:`default_provisioning_path`); a
problem is said next to its field; the work is done by
:meth:`ui.link_controller.LinkController.enroll`.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerdesk.errors import AgencyRejected, ConfigError, ValidationError
from peerdesk.services import Session
from peerdesk.services.app import ENV_PROVISIONING, PROVISIONING_FILE, find_provisioning
from ui.errors import message_for
from ui.i18n import tr
from ui.link_controller import LinkController
from ui.screens.sync_words import SyncWords
from ui.widgets import FieldWithError, heading_label, make_error_label, text_label

__all__ = ["EnrollForm", "default_provisioning_path"]


def default_provisioning_path(session: Session, env: dict[str, str] | None = None) -> str:
    """``PEERDESK_PROVISIONING``, else a provisioning.toml next to the profile
    (in the profile folder or the folder of all profiles), else the system
    provisioning file if IT installed one (:func:`peerdesk.config.find_provisioning`),
    else ""."""
    env = dict(os.environ) if env is None else env
    wanted = env.get(ENV_PROVISIONING, "").strip()
    if wanted:
        return wanted
    for folder in (session.path, session.path.parent):
        candidate = folder / PROVISIONING_FILE
        if candidate.is_file():
            return str(candidate)
    found = find_provisioning(env=env)
    return str(found.path) if found is not None else ""


class EnrollForm(QWidget):
    """The form (see the module docstring); :attr:`enrolled` when it worked."""

    #: the profile is enrolled now (the controller reads its status again)
    enrolled = Signal()

    def __init__(
        self,
        session: Session,
        controller: LinkController,
        words: SyncWords,
        parent: QWidget | None = None,
        *,
        margins: tuple[int, int, int, int] = (32, 24, 32, 24),
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.controller = controller
        self.words = words
        self.setAccessibleName(words.enroll_title)
        column = QVBoxLayout(self)
        column.setContentsMargins(*margins)
        column.setSpacing(12)
        self.title = heading_label(words.enroll_title)
        column.addWidget(self.title)
        self.intro = QLabel(words.enroll_intro)
        self.intro.setWordWrap(True)
        column.addWidget(self.intro)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.provisioning_edit = QLineEdit(default_provisioning_path(session))
        self.provisioning_edit.setAccessibleName(tr("Provisioning file"))
        self.provisioning_edit.setPlaceholderText(tr("The provisioning file from IT"))
        self.choose_button = QPushButton(tr("C&hoose…"))
        self.choose_button.setAccessibleName(tr("Choose the provisioning file"))
        self.choose_button.clicked.connect(self.choose_file)
        self.provisioning_field = FieldWithError(self.provisioning_edit, self.choose_button)
        self._row(form, tr("&Provisioning file:"), self.provisioning_edit, self.provisioning_field)
        self.code_edit = QLineEdit()
        self.code_edit.setAccessibleName(words.code_name)
        self.code_edit.setPlaceholderText(tr("For example 7K3M-Q9XD-2B"))
        self.code_field = FieldWithError(self.code_edit)
        self._row(form, words.code_label, self.code_edit, self.code_field)
        self.code_edit.returnPressed.connect(self.enroll)
        self.name_edit: QLineEdit | None = None
        self.fields = {"provisioning": self.provisioning_field, "code": self.code_field}
        if words.asks_name:
            self.name_edit = QLineEdit(session.name)
            self.name_edit.setAccessibleName(tr("Your name as decisions are signed"))
            self.name_edit.setMaxLength(100)
            name_field = FieldWithError(self.name_edit)
            self._row(form, tr("Your &name (signs your decisions):"), self.name_edit, name_field)
            self.name_edit.returnPressed.connect(self.enroll)
            self.fields |= {"name": name_field, "label": name_field}
        column.addLayout(form)

        row = QHBoxLayout()
        self.enroll_status = make_error_label(text_label(tr("Connection status")))
        self.enroll_status.setFont(self.font())
        row.addWidget(self.enroll_status, 1)
        self.enroll_button = QPushButton(tr("C&onnect to the agency"))
        self.enroll_button.setAccessibleName(words.enroll_button_name)
        self.enroll_button.clicked.connect(self.enroll)
        row.addWidget(self.enroll_button)
        column.addLayout(row)
        column.addStretch(1)

    @staticmethod
    def _row(form: QFormLayout, text: str, editor: QWidget, field: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(editor)
        form.addRow(label, field)

    def choose_file(self) -> None:
        current = self.provisioning_edit.text()
        path, _filter = QFileDialog.getOpenFileName(
            self,
            tr("Choose the provisioning file"),
            str(Path(current).parent) if current else "",
            tr("Provisioning files (*.toml);;All files (*)"),
        )
        if path:
            self.provisioning_edit.setText(path)

    def enroll(self) -> None:
        if not self.enroll_button.isEnabled():
            return
        for field in self.fields.values():
            field.set_error("")
        self.enroll_status.setText(tr("Connecting to the agency…"))
        self.enroll_button.setEnabled(False)
        self.controller.enroll(
            self.provisioning_edit.text(),
            self.code_edit.text(),
            self._enroll_done,
            label=self.name_edit.text() if self.name_edit is not None else None,
        )

    def _enroll_done(self, exc: BaseException | None) -> None:
        self.enroll_button.setEnabled(True)
        if exc is None:
            self.enroll_status.setText(self.words.connected)
            self.code_edit.clear()
            self.enrolled.emit()
            return
        message = message_for(exc)
        field = None
        if isinstance(exc, ConfigError):
            field = self.provisioning_field
        elif isinstance(exc, ValidationError):
            field = self.fields.get(exc.field or "")
        elif isinstance(exc, AgencyRejected) and exc.code in ("bad_code", "device_exists"):
            field = self.code_field
        if field is not None:
            field.set_error(message)
            field.editor.setFocus(Qt.FocusReason.OtherFocusReason)
            self.enroll_status.setText(tr("Not connected yet: please see the problem above."))
        else:
            self.enroll_status.setText(tr("Not connected: {message}").format(message=message))

    def clear(self) -> None:
        """The one-time code does not stay in the field."""
        self.code_edit.clear()

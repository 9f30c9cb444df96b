"""The participant form (add or edit one participant) and the list of names.

:class:`ParticipantForm` holds what is typed (:meth:`~ParticipantForm.value`)
and says a problem next to its field; :class:`NamesModel` is the filterable list
of names. Names are decrypted on the DB thread and kept only here, in memory:
the participants screen (:mod:`ui.screens.participants`) clears both on lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractListModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.models import Address, Participant
from ui.i18n import tr
from ui.widgets import FormFields

__all__ = ["ID_ROLE", "NamesModel", "ParticipantForm", "ParticipantInput"]

ID_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class NamesModel(QAbstractListModel):
    """Read-only list of participant names with a case-insensitive substring
    filter. Holds ``(id, name)`` pairs in memory only."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[tuple[str, str, str]] = []  # id, name, casefolded name
        self._shown: list[tuple[str, str, str]] = []
        self._filter = ""

    # Qt API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        pid, name, _ = self._shown[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return name
        if role == ID_ROLE:
            return pid
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # ours
    def set_participants(self, people: Sequence[tuple[str, str]]) -> None:
        self.beginResetModel()
        self._all = [(pid, name, name.casefold()) for pid, name in people]
        self._apply()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self._filter = text.strip().casefold()
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        f = self._filter
        self._shown = [e for e in self._all if f in e[2]] if f else list(self._all)

    def clear(self) -> None:
        """Forget every name."""
        self.beginResetModel()
        self._all = []
        self._shown = []
        self.endResetModel()

    @property
    def total(self) -> int:
        return len(self._all)

    def names(self) -> list[str]:
        """The names shown, in order."""
        return [name for _, name, _ in self._shown]

    def id_at(self, row: int) -> str | None:
        return self._shown[row][0] if 0 <= row < len(self._shown) else None

    def row_of(self, participant_id: str) -> int:
        for row, entry in enumerate(self._shown):
            if entry[0] == participant_id:
                return row
        return -1


@dataclass(frozen=True, slots=True)
class ParticipantInput:
    """What the form holds, before the core checks it."""

    display_name: str
    date_of_birth: date | None
    phone: str | None
    medicaid_id: str | None
    details: str
    diagnosis_code: str | None = None
    address: Address | None = None


class ParticipantForm(QWidget):
    """Add or edit one participant. Emits nothing: the screen reads
    :meth:`value` and shows errors with :meth:`set_error`."""

    FIELDS = (
        "display_name",
        "date_of_birth",
        "phone",
        "medicaid_id",
        "diagnosis_code",
        "address",
        "details",
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editing: Participant | None = None
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Participant form status"))
        self.form_fields = FormFields(self.status)
        self.fields = self.form_fields.fields

        self.display_name = QLineEdit()
        self.display_name.setMaxLength(200)
        self.form_fields.add(form, tr("&Name (required):"), self.display_name, "display_name")

        self.date_of_birth = QDateEdit()
        self.date_of_birth.setDisplayFormat("yyyy-MM-dd")
        self.date_of_birth.setCalendarPopup(True)
        self.date_of_birth.setMinimumDate(QDate(1900, 1, 1))
        self.date_of_birth.setMaximumDate(QDate.currentDate())
        self.date_of_birth.setDate(QDate(1980, 1, 1))
        self.no_dob = QCheckBox(tr("N&o date of birth"))
        self.no_dob.setAccessibleName(tr("No date of birth"))
        self.no_dob.toggled.connect(lambda on: self.date_of_birth.setEnabled(not on))
        self.form_fields.add(
            form, tr("Date of &birth:"), self.date_of_birth, "date_of_birth", self.no_dob
        )

        self.phone = QLineEdit()
        self.phone.setPlaceholderText(tr("optional"))
        self.form_fields.add(form, tr("&Phone:"), self.phone, "phone")
        self.medicaid_id = QLineEdit()
        self.medicaid_id.setPlaceholderText(tr("optional"))
        self.form_fields.add(form, tr("&Medicaid id:"), self.medicaid_id, "medicaid_id")
        self.diagnosis_code = QLineEdit()
        self.diagnosis_code.setPlaceholderText(tr("optional, for claims (ICD-10-CM, e.g. F33.1)"))
        self.form_fields.add(form, tr("Dia&gnosis code:"), self.diagnosis_code, "diagnosis_code")
        self.street = QLineEdit()
        self.street.setMaxLength(55)
        self.street.setPlaceholderText(tr("street, optional (claims name it)"))
        self.city = QLineEdit()
        self.city.setMaxLength(30)
        self.city.setPlaceholderText(tr("city"))
        self.city.setAccessibleName(tr("City"))
        self.state = QLineEdit()
        self.state.setMaxLength(2)
        self.state.setPlaceholderText(tr("state"))
        self.state.setAccessibleName(tr("State"))
        self.state.setMaximumWidth(60)
        self.zip_code = QLineEdit()
        self.zip_code.setMaxLength(10)
        self.zip_code.setPlaceholderText(tr("ZIP"))
        self.zip_code.setAccessibleName(tr("ZIP code"))
        self.zip_code.setMaximumWidth(110)
        town = QWidget()
        town_row = QHBoxLayout(town)
        town_row.setContentsMargins(0, 0, 0, 0)
        for part in (self.city, self.state, self.zip_code):
            town_row.addWidget(part)
        self.form_fields.add(form, tr("Home addr&ess:"), self.street, "address", town)
        self.details = QPlainTextEdit()
        self.details.setTabChangesFocus(True)
        self.details.setMinimumHeight(80)
        self.form_fields.add(form, tr("De&tails:"), self.details, "details")

        self.save_button = QPushButton(tr("&Save"))
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(tr("Cancel"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.start_add()

    def start_add(self) -> None:
        self.editing = None
        self.title.setText(tr("Add a participant"))
        self.setAccessibleName(self.title.text())
        self._fill("", None, "", "", "")
        self.diagnosis_code.clear()
        self._fill_address(None)

    def start_edit(self, participant: Participant) -> None:
        self.editing = participant
        self.title.setText(tr("Edit participant"))
        self.setAccessibleName(self.title.text())
        self._fill(
            participant.display_name,
            participant.date_of_birth,
            participant.phone or "",
            participant.medicaid_id or "",
            participant.details,
        )
        self.diagnosis_code.setText(participant.diagnosis_code or "")
        self._fill_address(participant.address)

    def _fill_address(self, address: Address | None) -> None:
        self.street.setText(address.line if address else "")
        self.city.setText(address.city if address else "")
        self.state.setText(address.state if address else "")
        self.zip_code.setText(address.zip_code if address else "")

    def _fill(self, name: str, dob: date | None, phone: str, medicaid: str, details: str) -> None:
        self.display_name.setText(name)
        self.no_dob.setChecked(dob is None)
        self.date_of_birth.setEnabled(dob is not None)
        self.date_of_birth.setDate(
            QDate(dob.year, dob.month, dob.day) if dob else QDate(1980, 1, 1)
        )
        self.phone.setText(phone)
        self.medicaid_id.setText(medicaid)
        self.details.setPlainText(details)
        self.clear_errors()

    def value(self) -> ParticipantInput:
        d = self.date_of_birth.date()
        return ParticipantInput(
            display_name=self.display_name.text(),
            date_of_birth=None if self.no_dob.isChecked() else date(d.year(), d.month(), d.day()),
            phone=self.phone.text().strip() or None,
            medicaid_id=self.medicaid_id.text().strip() or None,
            details=self.details.toPlainText(),
            diagnosis_code=self.diagnosis_code.text().strip() or None,
            address=Address(
                self.street.text(), self.city.text(), self.state.text(), self.zip_code.text()
            ),
        )

    def set_error(self, field: str | None, message: str) -> None:
        self.form_fields.set_error(field, message)

    def error_of(self, field: str) -> str:
        return self.form_fields.error_of(field)

    def clear_errors(self) -> None:
        self.form_fields.clear()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.details.hasFocus():
            self.save_button.click()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.cancel_button.click()
            return
        super().keyPressEvent(event)

"""The forms of the peer's workforce record (issue 23), each a small dialog that
saves on the DB thread through :mod:`ui.operations` (origin: the dialog): a
supervision session, its follow-ups, the certification, a CEU entry, a private
wellbeing check-in, and the requirement settings (either role)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from peerdesk.domain.workforce import (
    MAX_MINUTES,
    Certification,
    CeuEntry,
    FollowUp,
    Requirement,
    SessionFormat,
    SupervisionSession,
    WellbeingCheckIn,
    WorkforceSettings,
)
from peerdesk.services import Session
from ui.i18n import tr
from ui.screens.record_forms import RecordForm, combo, date_edit, day_of
from ui.taskman import TaskManager
from ui.widgets import text_box
from ui.workforce_labels import format_names

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

__all__ = [
    "CertificationForm",
    "CeuForm",
    "FollowUpsForm",
    "RequirementsForm",
    "SessionForm",
    "WellbeingForm",
]


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class SessionForm(RecordForm):
    """A supervision session the peer had."""

    def __init__(self, session: Session, taskman: TaskManager, parent: QWidget | None) -> None:
        super().__init__(session, taskman, tr("Supervision session"), parent)
        self.held_on = self.row(tr("&Date:"), date_edit(tr("Session date")))
        self.minutes = self.row(tr("&Length (minutes):"), QSpinBox())
        self.minutes.setRange(1, MAX_MINUTES)
        self.minutes.setValue(60)
        self.minutes.setAccessibleName(tr("Length in minutes"))
        self.format = self.row(
            tr("&Kind:"), combo(tr("Individual or group"), format_names(), SessionFormat.INDIVIDUAL)
        )
        self.supervisor = self.row(tr("&Supervisor:"), QLineEdit())
        self.supervisor.setAccessibleName(tr("Supervisor's name"))
        self.topics = self.row(tr("&Topics (one a line):"), text_box(tr("Topics")))
        self.follow_ups = self.row(
            tr("&Follow-ups agreed (one a line):"), text_box(tr("Follow-ups agreed"))
        )
        self.finish_layout()

    def value(self) -> SupervisionSession:
        return SupervisionSession(
            "",
            day_of(self.held_on),
            self.minutes.value(),
            SessionFormat(self.format.currentData()),
            self.supervisor.text(),
            EPOCH,
            EPOCH,
            _lines(self.topics.toPlainText()),
            tuple(FollowUp(t) for t in _lines(self.follow_ups.toPlainText())),
        )

    def save(self) -> None:
        self.run(self.session.workforce.add_session, self.value())


class FollowUpsForm(RecordForm):
    """Tick the follow-ups of one session that are done."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        sup: SupervisionSession,
        parent: QWidget | None,
    ) -> None:
        super().__init__(session, taskman, tr("Follow-ups"), parent)
        self.session_id = sup.id
        self.boxes: list[tuple[QCheckBox, FollowUp]] = []
        if not sup.follow_ups:
            self.form.addRow(QLabel(tr("This session has no follow-ups.")))
        for f in sup.follow_ups:
            box = QCheckBox(f.text)
            box.setChecked(f.done)
            box.setAccessibleName(tr("Done: {what}").format(what=f.text))
            self.form.addRow(box)
            self.boxes.append((box, f))
        self.finish_layout()

    def value(self) -> tuple[FollowUp, ...]:
        return tuple(FollowUp(f.text, box.isChecked()) for box, f in self.boxes)

    def save(self) -> None:
        self.run(self.session.workforce.set_follow_ups, self.session_id, self.value())


class CertificationForm(RecordForm):
    """The peer's certification (a renewal updates it)."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        current: Certification | None,
        parent: QWidget | None,
    ) -> None:
        super().__init__(session, taskman, tr("Certification"), parent)
        today = date.today()
        self.state = self.row(tr("&State:"), QLineEdit(current.state if current else ""))
        self.state.setAccessibleName(tr("State that certified you"))
        self.number = self.row(tr("&Number:"), QLineEdit(current.number if current else ""))
        self.number.setAccessibleName(tr("Certification number"))
        self.issued = self.row(
            tr("&Issued:"), date_edit(tr("Issue date"), current.issued_on if current else today)
        )
        self.expires = self.row(
            tr("&Expires:"),
            date_edit(
                tr("Expiry date"),
                current.expires_on if current else today + timedelta(days=730),
            ),
        )
        self.finish_layout()

    def value(self) -> Certification:
        return Certification(
            "",
            self.state.text(),
            self.number.text(),
            day_of(self.issued),
            day_of(self.expires),
            EPOCH,
            EPOCH,
        )

    def save(self) -> None:
        self.run(self.session.workforce.set_certification, self.value())


def hours_box(name: str, value: Decimal, high: float = 200.0) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setDecimals(2)
    spin.setSingleStep(0.25)
    spin.setRange(0.0, high)
    spin.setValue(float(value))
    spin.setAccessibleName(name)
    return spin


def decimal_of(spin: QDoubleSpinBox) -> Decimal:
    """The box's hours to the hundredth, trailing zeros dropped but never in
    exponent form (``Decimal.normalize`` alone makes 10 into ``1E+1``)."""
    value = Decimal(str(round(spin.value(), 2))).quantize(Decimal("0.01")).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


class CeuForm(RecordForm):
    """A continuing-education entry."""

    def __init__(self, session: Session, taskman: TaskManager, parent: QWidget | None) -> None:
        super().__init__(session, taskman, tr("Continuing education (CEU)"), parent)
        self.taken_on = self.row(tr("&Date:"), date_edit(tr("Training date")))
        self.title = self.row(tr("&Title:"), QLineEdit())
        self.title.setAccessibleName(tr("Training title"))
        self.provider = self.row(tr("&Provider:"), QLineEdit())
        self.provider.setAccessibleName(tr("Training provider"))
        self.hours = self.row(tr("&Hours:"), hours_box(tr("CEU hours"), Decimal(1)))
        self.evidence = self.row(tr("&Evidence:"), QLineEdit())
        self.evidence.setAccessibleName(tr("Evidence reference"))
        self.evidence.setPlaceholderText(tr("certificate number, link, where the paper is kept"))
        self.finish_layout()

    def value(self) -> CeuEntry:
        return CeuEntry(
            "",
            day_of(self.taken_on),
            self.title.text(),
            self.provider.text(),
            decimal_of(self.hours),
            EPOCH,
            self.evidence.text(),
        )

    def save(self) -> None:
        self.run(self.session.workforce.add_ceu, self.value())


def privacy_text() -> str:
    return tr(
        "Private: this check-in stays on this laptop, encrypted. It is never sent to "
        "your agency or your supervisor unless you choose to share it (now or later, "
        "one check-in at a time)."
    )


class WellbeingForm(RecordForm):
    """The peer's own, private check-in."""

    def __init__(self, session: Session, taskman: TaskManager, parent: QWidget | None) -> None:
        super().__init__(session, taskman, tr("My wellbeing check-in (private)"), parent)
        privacy = QLabel(privacy_text())
        privacy.setWordWrap(True)
        self.form.addRow(privacy)
        self.taken_on = self.row(tr("&Date:"), date_edit(tr("Check-in date")))
        self.energy = self.row(tr("&Energy (1 low … 5 high):"), self._scale(tr("Energy")))
        self.stress = self.row(tr("&Stress (1 low … 5 high):"), self._scale(tr("Stress")))
        self.support = self.row(
            tr("S&upport I feel (1 low … 5 high):"), self._scale(tr("Support I feel"))
        )
        self.note = self.row(tr("&Notes:"), text_box(tr("Notes to myself"), height=80))
        self.share = QCheckBox(tr("Share this check-in with my supervisor"))
        self.share.setAccessibleName(tr("Share this check-in with my supervisor"))
        self.form.addRow(self.share)
        self.finish_layout()
        #: asks before sharing (a test puts its own answer here)
        self.ask: Callable[..., QMessageBox.StandardButton] = QMessageBox.question

    @staticmethod
    def _scale(name: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(1, 5)
        spin.setValue(3)
        spin.setAccessibleName(name)
        return spin

    def value(self) -> WellbeingCheckIn:
        return WellbeingCheckIn(
            "",
            day_of(self.taken_on),
            self.energy.value(),
            self.stress.value(),
            self.support.value(),
            EPOCH,
            self.note.toPlainText(),
            self.share.isChecked(),
        )

    def save(self) -> None:
        value = self.value()
        if value.shared:
            answer = self.ask(
                self,
                tr("Share a check-in"),
                tr(
                    "Share this check-in with your supervisor? It will be sent, encrypted, "
                    "at the next sync and cannot be taken back. Your other check-ins stay "
                    "private."
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.run(self.session.workforce.add_check_in, value)


class RequirementsForm(RecordForm):
    """The requirements the hours are measured against (this profile's settings)."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        current: WorkforceSettings,
        parent: QWidget | None,
    ) -> None:
        super().__init__(session, taskman, tr("Requirements"), parent)
        hint = QLabel(
            tr(
                "Set your state's requirements. PeerDesk's defaults (2 hours of "
                "supervision a month, 20 CEU hours per 24-month renewal) are placeholders."
            )
        )
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.sup_hours = self.row(
            tr("&Supervision hours:"),
            hours_box(tr("Supervision hours required"), current.supervision.hours, 1000.0),
        )
        self.sup_months = self.row(
            tr("… every (&months):"),
            self._months(tr("Supervision period in months"), current.supervision.months),
        )
        self.ceu_hours = self.row(
            tr("&CEU hours:"), hours_box(tr("CEU hours required"), current.ceu.hours, 1000.0)
        )
        self.ceu_months = self.row(
            tr("… per renewal of (m&onths):"),
            self._months(tr("Renewal period in months"), current.ceu.months),
        )
        self.finish_layout()

    @staticmethod
    def _months(name: str, value: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(1, 60)
        spin.setValue(value)
        spin.setAccessibleName(name)
        return spin

    def value(self) -> WorkforceSettings:
        return WorkforceSettings(
            Requirement(decimal_of(self.sup_hours), self.sup_months.value()),
            Requirement(decimal_of(self.ceu_hours), self.ceu_months.value()),
        )

    def save(self) -> None:
        self.run(self.session.workforce.save_settings, self.value())

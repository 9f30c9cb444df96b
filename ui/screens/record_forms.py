"""The forms of the participant's record, each a small dialog that saves on the
DB thread through :mod:`ui.operations` (origin: the dialog) and says what was
wrong next to the form when the core refuses it: a goal of the recovery plan,
the plan's agreement and reviews, intake and discharge, a consent and its
revocation, an outcome check-in."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.outcomes import (
    BARC10_ITEMS,
    WHO5_ITEMS,
    Employment,
    Housing,
    Occasion,
    OutcomeCheckIn,
)
from peerdesk.domain.record import (
    Agreement,
    AgreementKind,
    Consent,
    Episode,
    Goal,
    GoalStatus,
    InfoCategory,
    LifeDomain,
    RecoveryPlan,
    Step,
    new_goal_id,
)
from peerdesk.services import Session
from ui import record_labels as words
from ui.dialogs.saving import SavingDialog
from ui.i18n import tr
from ui.taskman import TaskManager
from ui.widgets import text_box

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
W = TypeVar("W", bound=QWidget)


def date_edit(name: str, day: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    edit.setMinimumDate(QDate(2000, 1, 1))
    day = day or date.today()
    edit.setDate(QDate(day.year, day.month, day.day))
    edit.setAccessibleName(name)
    return edit


def day_of(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def combo(name: str, choices: dict[Any, str], current: Any = None) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    for value, text in choices.items():
        box.addItem(text, value)
    if current is not None:
        box.setCurrentIndex(max(box.findData(current), 0))
    return box


class RecordForm(SavingDialog):
    """A dialog with a form, a problem line and Save / Cancel."""

    def __init__(
        self, session: Session, taskman: TaskManager, title: str, parent: QWidget | None
    ) -> None:
        super().__init__(session, taskman, title, parent)
        self.form = QFormLayout()
        self.buttons = self.save_cancel()
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.problem)
        self.layout_.addWidget(self.buttons)

    def row(self, text: str, widget: W) -> W:
        label = QLabel(text)
        label.setBuddy(widget)
        self.form.addRow(label, widget)
        return widget


def _plan_args(plan: RecoveryPlan | None) -> dict[str, Any]:
    if plan is None:
        return {}
    return {
        "agreement": plan.agreement,
        "reviewed_on": plan.reviewed_on,
        "next_review": plan.next_review,
    }


class GoalForm(RecordForm):
    """Add a goal to the plan, or change one (its words, area, status, steps)."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        participant_id: str,
        plan: RecoveryPlan | None,
        goal: Goal | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, taskman, tr("Edit goal") if goal else tr("Add a goal"), parent)
        self.participant_id, self.plan, self.goal = participant_id, plan, goal
        self.text = self.row(
            tr("&Goal, in their words:"), text_box(tr("Goal"), goal.text if goal else "")
        )
        self.domain = self.row(
            tr("&Life area:"), combo(tr("Life area"), words.domain_names(), goal and goal.domain)
        )
        self.status = self.row(
            tr("&Status:"),
            combo(tr("Goal status"), words.goal_status_names(), goal and goal.status),
        )
        self.has_target = QCheckBox(tr("&Target date"))
        self.target = date_edit(tr("Target date"), goal.target if goal else None)
        self.has_target.setChecked(bool(goal and goal.target))
        self.target.setEnabled(self.has_target.isChecked())
        self.has_target.toggled.connect(self.target.setEnabled)
        self.form.addRow(self.has_target, self.target)
        steps = "\n".join(("[x] " if s.done else "") + s.text for s in goal.steps) if goal else ""
        self.steps = self.row(
            tr("S&teps (one a line; [x] when done):"), text_box(tr("Steps"), steps, height=90)
        )
        self.finish_layout()

    def value(self) -> Goal:
        steps = []
        for line in self.steps.toPlainText().splitlines():
            done = line.strip().lower().startswith("[x]")
            text = line.strip()[3:].strip() if done else line.strip()
            if text:
                steps.append(Step(text, None, done))
        base = self.goal
        return Goal(
            base.id if base else new_goal_id(),
            self.text.toPlainText(),
            LifeDomain(self.domain.currentData()),
            GoalStatus(self.status.currentData()),
            base.created_on if base else date.today(),
            day_of(self.target) if self.has_target.isChecked() else None,
            tuple(steps),
            base.history if base else (),
        )

    def save(self) -> None:
        goal = self.value()
        goals = list(self.plan.goals) if self.plan else []
        at = next((i for i, g in enumerate(goals) if g.id == goal.id), None)
        if at is None:
            goals.append(goal)
        else:
            goals[at] = goal
        self.run(
            self.session.record.save_plan,
            self.participant_id,
            tuple(goals),
            **_plan_args(self.plan),
        )


class PlanDetailsForm(RecordForm):
    """The participant's agreement with the plan, its reviews and the next one."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        participant_id: str,
        plan: RecoveryPlan | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, taskman, tr("Agreement and reviews"), parent)
        self.participant_id, self.plan = participant_id, plan
        agreement = plan.agreement if plan else None
        choices: dict[Any, str] = {"": tr("Not agreed yet")}
        choices.update(words.agreement_names())
        self.kind = self.row(
            tr("&Agreement:"),
            combo(tr("Agreement"), choices, agreement.kind if agreement else ""),
        )
        self.agreed_on = self.row(
            tr("Agreed &on:"), date_edit(tr("Agreed on"), agreement.on if agreement else None)
        )
        self.reviewed = QCheckBox(tr("&Reviewed with the participant today"))
        self.form.addRow(self.reviewed)
        self.has_next = QCheckBox(tr("&Next review"))
        self.next_review = date_edit(tr("Next review"), plan.next_review if plan else None)
        self.has_next.setChecked(bool(plan and plan.next_review))
        self.next_review.setEnabled(self.has_next.isChecked())
        self.has_next.toggled.connect(self.next_review.setEnabled)
        self.form.addRow(self.has_next, self.next_review)
        self.finish_layout()

    def save(self) -> None:
        kind = self.kind.currentData()
        reviewed = tuple(self.plan.reviewed_on) if self.plan else ()
        if self.reviewed.isChecked():
            reviewed = (*reviewed, date.today())
        self.run(
            self.session.record.save_plan,
            self.participant_id,
            self.plan.goals if self.plan else (),
            agreement=Agreement(AgreementKind(kind), day_of(self.agreed_on)) if kind else None,
            reviewed_on=reviewed,
            next_review=day_of(self.next_review) if self.has_next.isChecked() else None,
        )


class IntakeForm(RecordForm):
    def __init__(
        self, session: Session, taskman: TaskManager, participant_id: str, parent: QWidget | None
    ) -> None:
        super().__init__(session, taskman, tr("Voluntary intake"), parent)
        self.participant_id = participant_id
        self.intake_on = self.row(tr("&Intake date:"), date_edit(tr("Intake date")))
        self.source = self.row(tr("&Referral source:"), QLineEdit())
        self.source.setAccessibleName(tr("Referral source"))
        self.source.setPlaceholderText(tr("e.g. self, hospital, court, friend"))
        self.finish_layout()

    def save(self) -> None:
        self.run(
            self.session.record.enroll,
            self.participant_id,
            day_of(self.intake_on),
            self.source.text(),
        )


class DischargeForm(RecordForm):
    def __init__(
        self, session: Session, taskman: TaskManager, episode: Episode, parent: QWidget | None
    ) -> None:
        super().__init__(session, taskman, tr("Discharge"), parent)
        self.episode = episode
        self.on = self.row(tr("&Discharge date:"), date_edit(tr("Discharge date")))
        reasons: dict[Any, str] = {"": tr("Choose a reason")}  # none until one is chosen
        reasons.update(words.discharge_names())
        self.reason = self.row(tr("&Reason:"), combo(tr("Discharge reason"), reasons))
        self.note = self.row(tr("&Note:"), text_box(tr("Discharge note")))
        self.finish_layout()

    def save(self) -> None:
        self.run(
            self.session.record.discharge,
            self.episode.id,
            day_of(self.on),
            self.reason.currentData(),
            self.note.toPlainText(),
        )


class ConsentForm(RecordForm):
    """A consent to release information with every element 42 CFR 2.31 asks for."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        participant_id: str,
        participant_name: str,
        parent: QWidget | None,
    ) -> None:
        super().__init__(session, taskman, tr("Consent to release information"), parent)
        self.participant_id = participant_id
        intro = QLabel(
            tr(
                "{name} agrees that the program may share the information below. "
                "Every field is required by 42 CFR Part 2."
            ).format(name=participant_name)
        )
        intro.setWordWrap(True)
        self.layout_.insertWidget(0, intro)
        self.discloser = self.row(tr("&From (who may share):"), QLineEdit())
        self.discloser.setAccessibleName(tr("Who may share"))
        self.recipient = self.row(tr("&To (recipient):"), QLineEdit())
        self.recipient.setAccessibleName(tr("Recipient"))
        self.recipient.setPlaceholderText(tr("a service's name as in Resources covers referrals"))
        box = QGroupBox(tr("What may be shared"))
        grid = QGridLayout(box)
        self.info: dict[InfoCategory, QCheckBox] = {}
        for n, (cat, text) in enumerate(words.info_names().items()):
            check = QCheckBox(text)
            self.info[cat] = check
            grid.addWidget(check, n // 2, n % 2)
        self.form.addRow(box)
        self.detail = self.row(
            tr("How &much and what kind:"), text_box(tr("How much and what kind"))
        )
        self.purpose = self.row(tr("&Purpose:"), QLineEdit())
        self.purpose.setAccessibleName(tr("Purpose"))
        self.expires_on = self.row(tr("&Expires on:"), date_edit(tr("Expires on")))
        self.expires_on.setDate(QDate.currentDate().addYears(1))
        self.signed_by = self.row(tr("Signed &by:"), QLineEdit(participant_name))
        self.signed_by.setAccessibleName(tr("Signed by"))
        self.signed_on = self.row(tr("&Signed on:"), date_edit(tr("Signed on")))
        self.revocation = QCheckBox(
            tr("The participant was told they may &revoke this consent, and how")
        )
        self.form.addRow(self.revocation)
        self.finish_layout()

    def value(self) -> Consent:
        return Consent(
            id="",
            participant_id=self.participant_id,
            discloser=self.discloser.text().strip(),
            recipient=self.recipient.text().strip(),
            information=frozenset(c for c, box in self.info.items() if box.isChecked()),
            information_detail=self.detail.toPlainText().strip(),
            purpose=self.purpose.text().strip(),
            signed_by=self.signed_by.text().strip(),
            signed_on=day_of(self.signed_on),
            created_at=EPOCH,
            updated_at=EPOCH,
            expires_on=day_of(self.expires_on),
            revocation_explained=self.revocation.isChecked(),
        )

    def save(self) -> None:
        self.run(self.session.record.add_consent, self.value())


class RevokeForm(RecordForm):
    def __init__(
        self, session: Session, taskman: TaskManager, consent: Consent, parent: QWidget | None
    ) -> None:
        super().__init__(session, taskman, tr("Revoke consent"), parent)
        self.consent = consent
        self.on = self.row(tr("&Revoked on:"), date_edit(tr("Revoked on")))
        self.note = self.row(tr("&Note:"), text_box(tr("Revocation note")))
        self.finish_layout()

    def save(self) -> None:
        self.run(
            self.session.record.revoke_consent,
            self.consent.id,
            day_of(self.on),
            self.note.toPlainText(),
        )


class CheckInForm(RecordForm):
    """An outcome check-in: WHO-5, BARC-10 and the last 30 days."""

    def __init__(
        self, session: Session, taskman: TaskManager, participant_id: str, parent: QWidget | None
    ) -> None:
        super().__init__(session, taskman, tr("Outcome check-in"), parent)
        self.participant_id = participant_id
        self.taken_on = self.row(tr("&Date:"), date_edit(tr("Check-in date")))
        self.occasion = self.row(
            tr("&Occasion:"), combo(tr("Occasion"), words.occasion_names(), Occasion.FOLLOW_UP)
        )
        self.who5 = self._items(
            tr("WHO-5: over the last two weeks (0 at no time … 5 all of the time)"),
            WHO5_ITEMS,
            0,
            5,
        )
        self.barc10 = self._items(
            tr("BARC-10: how much they agree (1 strongly disagree … 6 strongly agree)"),
            BARC10_ITEMS,
            1,
            6,
        )
        self.er = self.row(tr("&ER visits, last 30 days:"), self._count(tr("ER visits"), 99))
        self.nights = self.row(
            tr("&Hospital nights, last 30 days:"), self._count(tr("Hospital nights"), 31)
        )
        self.housing = self.row(
            tr("Hou&sing, last 30 days:"),
            combo(tr("Housing"), words.housing_names(), Housing.NOT_SAID),
        )
        self.employment = self.row(
            tr("&Work, last 30 days:"),
            combo(tr("Employment"), words.employment_names(), Employment.NOT_SAID),
        )
        self.finish_layout()

    @staticmethod
    def _count(name: str, high: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(-1, high)
        spin.setSpecialValueText(tr("not asked"))
        spin.setValue(-1)
        spin.setAccessibleName(name)
        return spin

    def _items(
        self, title: str, labels: tuple[str, ...], low: int, high: int
    ) -> tuple[QGroupBox, list[QSpinBox]]:
        box = QGroupBox(title)
        box.setCheckable(True)
        box.setChecked(True)
        box.setAccessibleName(title)
        grid = QGridLayout(box)
        spins = []
        for n, text in enumerate(labels):
            spin = QSpinBox()
            spin.setRange(low, high)
            spin.setValue(low)
            spin.setAccessibleName(text)
            label = QLabel(text)
            label.setBuddy(spin)
            grid.addWidget(label, n % 5, (n // 5) * 2)
            grid.addWidget(spin, n % 5, (n // 5) * 2 + 1)
            spins.append(spin)
        self.form.addRow(box)
        return box, spins

    def set_answers(self, who5: tuple[int, ...] | None, barc10: tuple[int, ...] | None) -> None:
        for (box, spins), answers in ((self.who5, who5), (self.barc10, barc10)):
            box.setChecked(answers is not None)
            for spin, a in zip(spins, answers or (), strict=False):
                spin.setValue(a)

    def value(self) -> OutcomeCheckIn:
        def answers(part: tuple[QGroupBox, list[QSpinBox]]) -> tuple[int, ...] | None:
            box, spins = part
            return tuple(s.value() for s in spins) if box.isChecked() else None

        def count(spin: QSpinBox) -> int | None:
            return None if spin.value() < 0 else spin.value()

        return OutcomeCheckIn(
            "",
            self.participant_id,
            day_of(self.taken_on),
            Occasion(self.occasion.currentData()),
            EPOCH,
            answers(self.who5),
            answers(self.barc10),
            count(self.er),
            count(self.nights),
            Housing(self.housing.currentData()),
            Employment(self.employment.currentData()),
        )

    def save(self) -> None:
        self.run(self.session.record.add_check_in, self.value())


def with_goal_status(plan: RecoveryPlan, goal_id: str, status: GoalStatus) -> tuple[Goal, ...]:
    return tuple(replace(g, status=status) if g.id == goal_id else g for g in plan.goals)


__all__ = [
    "CheckInForm",
    "ConsentForm",
    "DischargeForm",
    "GoalForm",
    "IntakeForm",
    "PlanDetailsForm",
    "RecordForm",
    "RevokeForm",
]

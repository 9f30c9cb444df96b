"""One participant's record, opened from the Participants screen: the recovery
plan (goals with their progress from notes), enrollment (intake, discharge,
re-enrollment), consents to release information, the care team
(``ui.screens.record_care_team``), and outcome check-ins with a chart of the
scores.

Everything shown is sensitive: it is read on the DB thread (one
``session.record.overview`` call), kept only while the window is open, and
dropped by :meth:`RecordWindow.clear` (on lock). The window follows the
``record`` and ``notes`` changes made elsewhere; its own forms are its origin,
so it reads itself again after each save.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.outcomes import BARC10_STRONG_AT, WHO5_POOR_BELOW
from peerdesk.domain.record import ConsentState, current_episode
from peerdesk.errors import PeerDeskError
from peerdesk.services import Session
from peerdesk.services.record import RecordOverview
from ui import record_labels as words
from ui.errors import message_for
from ui.i18n import tr
from ui.line_chart import ScoreChart
from ui.operations import Follower
from ui.screens.crisis import CrisisPanel, OneCrisisPanel, crisis_button
from ui.screens.record_care_team import CareTeamPage
from ui.screens.record_forms import (
    CheckInForm,
    ConsentForm,
    DischargeForm,
    GoalForm,
    IntakeForm,
    PlanDetailsForm,
    RecordForm,
    RevokeForm,
)
from ui.taskman import Latest, TaskManager
from ui.widgets import fill, table

__all__ = ["RecordWindow"]


def selected_row(t: QTableWidget) -> int | None:
    rows = t.selectionModel().selectedRows() if t.selectionModel() else []
    return rows[0].row() if rows else None


def button(text: str, name: str, slot: Callable[[], object]) -> QPushButton:
    b = QPushButton(text)
    b.setAccessibleName(name)
    b.clicked.connect(slot)
    return b


def page(*parts: QWidget | QHBoxLayout) -> QWidget:
    w = QWidget()
    layout = QVBoxLayout(w)
    for part in parts:
        if isinstance(part, QHBoxLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    return w


def row_of(*buttons: QPushButton) -> QHBoxLayout:
    layout = QHBoxLayout()
    for b in buttons:
        layout.addWidget(b)
    layout.addStretch(1)
    return layout


def status_label(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName(name)
    return label


class OneRecordWindow:
    """The record window a screen shows, one at a time: opening another closes the
    one open; a closed window is deleted (``on_closed`` is called after); a lock
    clears the one open."""

    def __init__(self, on_closed: Callable[[], None] | None = None) -> None:
        self.window: RecordWindow | None = None
        self._on_closed = on_closed

    def open(self, window: RecordWindow) -> RecordWindow:
        if self.window is not None:
            self.window.reject()
        window.finished.connect(lambda _r: self._closed(window))
        self.window = window
        window.open()
        return window

    def clear(self) -> None:
        if self.window is not None:
            self.window.clear()

    def _closed(self, window: RecordWindow) -> None:
        if self.window is window:
            self.window = None
        window.deleteLater()
        if self._on_closed is not None:
            self._on_closed()


class RecordWindow(QDialog):
    """Plan, Enrollment, Consents, Care team and Outcomes of one participant."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        participant_id: str,
        name: str,
        parent: QWidget | None = None,
        *,
        load: Callable[[], RecordOverview] | None = None,
        read_only: bool = False,
    ) -> None:
        """``load`` reads the overview on the DB thread (a peer's own record by
        default); ``read_only`` hides every form (a supervisor's view of a pull)."""
        super().__init__(parent)
        self.session, self.taskman = session, taskman
        self._load = load or partial(session.record.overview, participant_id)
        self.read_only = read_only
        self.participant_id, self.name = participant_id, name
        self.overview: RecordOverview | None = None
        self.form: RecordForm | None = None
        self._latest = Latest()
        self.setWindowTitle(tr("Record of {name}").format(name=name))
        self.setAccessibleName(tr("Participant's record"))
        self.resize(820, 600)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(tr("Parts of the record"))
        self.tabs.addTab(self._plan_page(), tr("Recovery &plan"))
        self.tabs.addTab(self._enrollment_page(), tr("&Enrollment"))
        self.tabs.addTab(self._consent_page(), tr("&Consents"))
        self.care_team = CareTeamPage(self._open)
        self.care_team.bind(session, taskman, participant_id)
        self.tabs.addTab(self.care_team, tr("Care &team"))
        self.tabs.addTab(self._outcomes_page(), tr("&Outcomes"))
        self.problem = status_label(tr("Record status"))
        close = button(tr("Close"), tr("Close the record"), self.accept)
        self.crisis = OneCrisisPanel()
        self.crisis_button = crisis_button()
        self.crisis_button.clicked.connect(self.open_crisis)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problem)
        layout.addLayout(row_of(self.crisis_button, close))
        if read_only:
            for b in (self.add_goal, self.edit_goal, self.details, self.intake, self.discharge,
                      self.add_consent, self.revoke, self.add_check_in):  # fmt: skip
                b.hide()
            self.care_team.set_read_only()
            self.crisis_button.hide()
        Follower(self, taskman, {"review"} if read_only else {"record", "notes"}, self.reload)
        self.reload()

    def open_crisis(self) -> CrisisPanel:
        """The crisis panel (flag, safety plan, crisis lines) of this participant."""
        return self.crisis.open(self.session, self.taskman, self.participant_id, self.name, self)

    def crisis_participant(self) -> tuple[str, str] | None:
        return None if self.read_only else (self.participant_id, self.name)

    # --- pages ------------------------------------------------------------------------

    def _plan_page(self) -> QWidget:
        self.plan_status = status_label(tr("Plan agreement and reviews"))
        self.goals = table(
            tr("Goals"),
            [tr("Goal"), tr("Life area"), tr("Status"), tr("Target"), tr("Steps done"),
             tr("Notes on it"), tr("Progress")],
        )  # fmt: skip
        header = self.goals.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.goals.setWordWrap(True)
        goals_label = QLabel(tr("&Goals:"))
        goals_label.setBuddy(self.goals)
        self.add_goal = button(tr("&Add goal…"), tr("Add a goal"), self.start_goal)
        self.edit_goal = button(tr("E&dit goal…"), tr("Edit the chosen goal"), self.start_edit_goal)
        self.details = button(
            tr("Agreement and re&views…"), tr("Record agreement and reviews"), self.start_details
        )
        return page(
            self.plan_status,
            goals_label,
            self.goals,
            row_of(self.add_goal, self.edit_goal, self.details),
        )

    def _enrollment_page(self) -> QWidget:
        self.enrollment_status = status_label(tr("Enrollment status"))
        self.episodes = table(
            tr("Enrollments"),
            [tr("Intake"), tr("Referral source"), tr("Discharge"), tr("Reason")],
        )
        self.intake = button(tr("&Intake…"), tr("Record a voluntary intake"), self.start_intake)
        self.discharge = button(tr("Disc&harge…"), tr("Record a discharge"), self.start_discharge)
        return page(self.enrollment_status, self.episodes, row_of(self.intake, self.discharge))

    def _consent_page(self) -> QWidget:
        self.consent_status = status_label(tr("Consents status"))
        self.consents = table(
            tr("Consents"),
            [tr("Recipient"), tr("Purpose"), tr("Shares"), tr("Signed"), tr("Expires"),
             tr("State")],
        )  # fmt: skip
        self.add_consent = button(tr("Add co&nsent…"), tr("Record a consent"), self.start_consent)
        self.revoke = button(tr("&Revoke…"), tr("Revoke the chosen consent"), self.start_revoke)
        return page(self.consent_status, self.consents, row_of(self.add_consent, self.revoke))

    def _outcomes_page(self) -> QWidget:
        self.due = status_label(tr("Next check-in"))
        self.check_ins = table(
            tr("Check-ins"),
            [tr("Date"), tr("Occasion"), tr("WHO-5 %"), tr("BARC-10"), tr("ER visits"),
             tr("Hospital nights"), tr("Housing"), tr("Work")],
        )  # fmt: skip
        self.who5_chart = ScoreChart(
            tr("WHO-5 wellbeing (percent)"), 0, 100,
            marker=WHO5_POOR_BELOW * 4, marker_label=tr("below: poor wellbeing"),
        )  # fmt: skip
        self.barc_chart = ScoreChart(
            tr("BARC-10 recovery capital (total)"), 10, 60,
            marker=BARC10_STRONG_AT, marker_label=tr("strong recovery capital"),
        )  # fmt: skip
        charts = QHBoxLayout()
        charts.addWidget(self.who5_chart)
        charts.addWidget(self.barc_chart)
        self.add_check_in = button(
            tr("Add chec&k-in…"), tr("Record an outcome check-in"), self.start_check_in
        )
        w = page(self.due, self.check_ins, row_of(self.add_check_in))
        layout = w.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addLayout(charts, 1)
        return w

    # --- loading ----------------------------------------------------------------------

    def reload(self) -> None:
        if self.taskman.closed:
            return
        only = self._latest.begin()

        @only
        def show(overview: RecordOverview) -> None:
            self.show_overview(overview)

        self.taskman.db(self._load).success(show).failure(self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PeerDeskError):
            raise exc
        self.problem.setText(message_for(exc))

    def show_overview(self, o: RecordOverview) -> None:
        self.overview = o
        self._show_plan(o)
        self._show_enrollment(o)
        self._show_consents(o)
        self.care_team.show_overview(o)
        self._show_outcomes(o)
        self.problem.setText(
            tr("%n record(s) could not be read.", None, o.damaged) if o.damaged else ""
        )

    def _show_plan(self, o: RecordOverview) -> None:
        plan = o.plan
        parts = []
        if plan is None or plan.agreement is None:
            parts.append(tr("The participant has not agreed to a plan yet."))
        else:
            parts.append(
                tr("Agreed ({how}) on {day}.").format(
                    how=words.agreement_names()[plan.agreement.kind].lower(),
                    day=plan.agreement.on.isoformat(),
                )
            )
        if plan and plan.reviewed_on:
            parts.append(tr("Last reviewed {day}.").format(day=plan.reviewed_on[-1].isoformat()))
        if plan and plan.next_review:
            parts.append(tr("Next review {day}.").format(day=plan.next_review.isoformat()))
        self.plan_status.setText(" ".join(parts))
        statuses, domains = words.goal_status_names(), words.domain_names()
        rows = []
        for p in o.progress:
            g = p.goal
            done = sum(1 for s in g.steps if s.done)
            history = "\n".join(f"{h.on.isoformat()} {statuses[h.status]}" for h in g.history)
            rows.append(
                (
                    g.text,
                    domains[g.domain],
                    statuses[g.status],
                    g.target.isoformat() if g.target else "",
                    f"{done}/{len(g.steps)}",
                    str(p.contacts) + (f" ({p.worked_on[-1].isoformat()})" if p.worked_on else ""),
                    history,
                )
            )
        fill(self.goals, rows)
        self.goals.resizeRowsToContents()
        self.edit_goal.setEnabled(bool(rows))

    def _show_enrollment(self, o: RecordOverview) -> None:
        reasons = words.discharge_names()
        fill(
            self.episodes,
            [
                (
                    e.intake_on.isoformat(),
                    e.referral_source,
                    e.discharge_on.isoformat() if e.discharge_on else "",
                    reasons[e.discharge_reason] if e.discharge_reason else "",
                )
                for e in o.episodes
            ],
        )
        current = current_episode(o.episodes)
        self.enrollment_status.setText(
            tr("Enrolled since {day}.").format(day=current.intake_on.isoformat())
            if current
            else tr("Not enrolled now.")
        )
        self.intake.setEnabled(current is None)
        self.discharge.setEnabled(current is not None)

    def _show_consents(self, o: RecordOverview) -> None:
        states, info = words.consent_state_names(), words.info_names()
        fill(
            self.consents,
            [
                (
                    c.recipient,
                    c.purpose,
                    ", ".join(sorted(info[i] for i in c.information)),
                    c.signed_on.isoformat() if c.signed_on else "",
                    c.expires_on.isoformat() if c.expires_on else c.expires_event,
                    states[state],
                )
                for c, state in o.consents
            ],
        )
        current = sum(1 for _c, s in o.consents if s is ConsentState.CURRENT)
        self.consent_status.setText(
            tr("%n current consent(s).", None, current)
            if current
            else tr("No current consent: referrals cannot share this person's information.")
        )
        self.revoke.setEnabled(current > 0)

    def _show_outcomes(self, o: RecordOverview) -> None:
        occasions, housing, work = (
            words.occasion_names(),
            words.housing_names(),
            words.employment_names(),
        )

        def opt(value: int | None) -> str:
            return "" if value is None else str(value)

        fill(
            self.check_ins,
            [
                (
                    c.taken_on.isoformat(),
                    occasions[c.occasion],
                    opt(c.who5_percent),
                    opt(c.barc10_total),
                    opt(c.er_visits_30d),
                    opt(c.hospital_nights_30d),
                    housing[c.housing],
                    work[c.employment],
                )
                for c in reversed(o.check_ins)
            ],
        )
        scores = o.scores
        self.who5_chart.set_points([(p.on, p.value) for p in scores["who5"]])
        self.barc_chart.set_points([(p.on, p.value) for p in scores["barc10"]])
        if o.next_check_in is None:
            text = tr("Check-ins are due while the person is enrolled.")
        elif o.check_in_due:
            text = tr("A check-in is due (since {day}).").format(day=o.next_check_in.isoformat())
        else:
            text = tr("Next check-in due {day}.").format(day=o.next_check_in.isoformat())
        self.due.setText(text)

    # --- forms ------------------------------------------------------------------------

    def _open(self, form: RecordForm) -> RecordForm:
        self.form = form
        form.saved.connect(lambda _value: self.reload())
        form.finished.connect(lambda _r: self._forget(form))
        form.open()
        return form

    def _forget(self, form: RecordForm) -> None:
        if self.form is form:
            self.form = None
        form.deleteLater()

    def _plan(self):  # type: ignore[no-untyped-def]
        return self.overview.plan if self.overview else None

    def start_goal(self) -> RecordForm:
        return self._open(
            GoalForm(self.session, self.taskman, self.participant_id, self._plan(), parent=self)
        )

    def start_edit_goal(self) -> RecordForm | None:
        row, plan = selected_row(self.goals), self._plan()
        if plan is None or not plan.goals:
            return None
        goal = plan.goals[row if row is not None and row < len(plan.goals) else 0]
        return self._open(
            GoalForm(self.session, self.taskman, self.participant_id, plan, goal, parent=self)
        )

    def start_details(self) -> RecordForm:
        return self._open(
            PlanDetailsForm(self.session, self.taskman, self.participant_id, self._plan(), self)
        )

    def start_intake(self) -> RecordForm:
        return self._open(IntakeForm(self.session, self.taskman, self.participant_id, self))

    def start_discharge(self) -> RecordForm | None:
        current = current_episode(self.overview.episodes) if self.overview else None
        if current is None:
            return None
        return self._open(DischargeForm(self.session, self.taskman, current, self))

    def start_consent(self) -> RecordForm:
        return self._open(
            ConsentForm(self.session, self.taskman, self.participant_id, self.name, self)
        )

    def start_revoke(self) -> RecordForm | None:
        if self.overview is None:
            return None
        current = [c for c, s in self.overview.consents if s is ConsentState.CURRENT]
        row = selected_row(self.consents)
        chosen = [self.overview.consents[row][0]] if row is not None else current[:1]
        if not chosen or chosen[0] not in current:
            return None
        return self._open(RevokeForm(self.session, self.taskman, chosen[0], self))

    def start_check_in(self) -> RecordForm:
        return self._open(CheckInForm(self.session, self.taskman, self.participant_id, self))

    # --- lock -------------------------------------------------------------------------

    def clear(self) -> None:
        """Drop what is shown (on lock) and close."""
        self._latest.drop()
        if self.form is not None:
            self.form.reject()
        self.overview = None
        for t in (self.goals, self.episodes, self.consents, self.check_ins):
            t.setRowCount(0)
        self.care_team.clear()
        self.crisis.clear()
        self.who5_chart.clear()
        self.barc_chart.clear()
        self.reject()

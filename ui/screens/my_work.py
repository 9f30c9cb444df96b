"""The peer's My work screen (issue 23): supervision sessions and their hours in
a chosen period against the requirement, the certification with its reminder
and CEU hours in the renewal period, and, marked private, wellbeing check-ins
and the self-care plan (kept encrypted on this laptop, never sent unless the
peer shares one check-in). Reads ``session.workforce.mine``; every form saves
through :mod:`ui.operations`; follows ``workforce``."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.workforce import (
    Period,
    SelfCarePlan,
    WorkforceSettings,
    month_of,
    quarter_of,
    requirement_window,
    supervision_hours,
)
from peerdesk.errors import PeerDeskError
from peerdesk.services import Session
from peerdesk.services.workforce import MyWork
from ui.errors import message_for
from ui.formats import short_date
from ui.i18n import tr
from ui.operations import Follower, change
from ui.screens.record_forms import date_edit, day_of
from ui.screens.work_forms import (
    CertificationForm,
    CeuForm,
    FollowUpsForm,
    RequirementsForm,
    SessionForm,
    WellbeingForm,
    privacy_text,
)
from ui.taskman import Latest, TaskManager
from ui.widgets import fill, heading_label, table, text_box, text_label
from ui.workforce_labels import (
    expiry_text,
    format_names,
    hours,
    level_word,
    period_text,
    progress_text,
)

__all__ = ["MyWorkScreen", "table"]


def button(text: str, name: str) -> QPushButton:
    b = QPushButton(text)
    b.setAccessibleName(name)
    return b


class MyWorkScreen(QWidget):
    def __init__(
        self, session: Session, taskman: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session, self.taskman = session, taskman
        self.data: MyWork | None = None
        #: the self-care plan as last put in its boxes: a box whose text differs has
        #: unsaved typing, which a refresh (after any form's save) must not wipe
        self._plan_shown: tuple[str, str, str] = ("", "", "")
        self._latest = Latest()
        self.today = date.today
        self.setAccessibleName(tr("My work"))
        self.summary = text_label(tr("My work at a glance"))
        self.settings_button = button(tr("Re&quirements…"), tr("Change the requirements"))
        self.settings_button.clicked.connect(self.edit_settings)
        self.problem = text_label(tr("Problem"))
        top = QHBoxLayout()
        heads = QVBoxLayout()
        heads.addWidget(heading_label(tr("My work")))
        heads.addWidget(self.summary)
        top.addLayout(heads, 1)
        top.addWidget(self.settings_button)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(tr("My work sections"))
        self.tabs.addTab(self._supervision_tab(), tr("&Supervision"))
        self.tabs.addTab(self._certification_tab(), tr("&Certification and CEU"))
        self.tabs.addTab(self._wellbeing_tab(), tr("&Wellbeing (private)"))
        self.tabs.addTab(self._self_care_tab(), tr("Self-care &plan (private)"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.problem)
        layout.addWidget(self.tabs, 1)
        Follower(self, taskman, {"workforce"}, self.refresh, on_first_show=True)

    # --- building ---------------------------------------------------------------------

    def _supervision_tab(self) -> QWidget:
        page = QWidget()
        self.period = QComboBox()
        self.period.setAccessibleName(tr("Period"))
        for key, text in (
            ("requirement", tr("Requirement period")),
            ("month", tr("This month")),
            ("quarter", tr("This quarter")),
            ("range", tr("Dates from … to")),
        ):
            self.period.addItem(text, key)
        self.date_from = date_edit(tr("From"), date.today().replace(day=1))
        self.date_to = date_edit(tr("To"))
        period_label = QLabel(tr("Hours in peri&od:"))
        period_label.setBuddy(self.period)
        self.period_hours = text_label(tr("Supervision hours in the period"))
        for w in (self.date_from, self.date_to):
            w.dateChanged.connect(lambda _d: self.show_hours())
        self.period.currentIndexChanged.connect(lambda _i: self.show_hours())
        self.sessions = table(
            tr("Supervision sessions"),
            [
                tr("Date"),
                tr("Minutes"),
                tr("Kind"),
                tr("Supervisor"),
                tr("Topics"),
                tr("Follow-ups"),
            ],
        )
        self.add_session_button = button(tr("&Add session…"), tr("Add a supervision session"))
        self.follow_button = button(tr("&Follow-ups…"), tr("Tick follow-ups done"))
        self.add_session_button.clicked.connect(self.add_session)
        self.follow_button.clicked.connect(self.edit_follow_ups)
        row = QHBoxLayout()
        for widget in (period_label, self.period, self.date_from, self.date_to):
            row.addWidget(widget)
        row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_session_button)
        buttons.addWidget(self.follow_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(page)
        lay.addLayout(row)
        lay.addWidget(self.period_hours)
        lay.addWidget(self.sessions, 1)
        lay.addLayout(buttons)
        return page

    def _certification_tab(self) -> QWidget:
        page = QWidget()
        self.cert_line = text_label(tr("Certification"))
        self.ceu_line = text_label(tr("CEU hours in the renewal period"))
        self.cert_button = button(
            tr("Set cer&tification…"), tr("Record or renew the certification")
        )
        self.add_ceu_button = button(tr("Add C&EU…"), tr("Add a continuing-education entry"))
        self.cert_button.clicked.connect(self.edit_certification)
        self.add_ceu_button.clicked.connect(self.add_ceu)
        self.ceus = table(
            tr("Continuing education"),
            [tr("Date"), tr("Title"), tr("Provider"), tr("Hours"), tr("Evidence")],
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.cert_button)
        buttons.addWidget(self.add_ceu_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(page)
        lay.addWidget(self.cert_line)
        lay.addWidget(self.ceu_line)
        lay.addWidget(self.ceus, 1)
        lay.addLayout(buttons)
        return page

    def _wellbeing_tab(self) -> QWidget:
        page = QWidget()
        note = QLabel(privacy_text())
        note.setWordWrap(True)
        self.check_ins = table(
            tr("My wellbeing check-ins"),
            [tr("Date"), tr("Energy"), tr("Stress"), tr("Support"), tr("Shared"), tr("Notes")],
        )
        self.add_check_in_button = button(tr("Add chec&k-in…"), tr("Add a private check-in"))
        self.share_button = button(
            tr("S&hare with my supervisor…"), tr("Share the chosen check-in with my supervisor")
        )
        self.add_check_in_button.clicked.connect(self.add_check_in)
        self.share_button.clicked.connect(lambda: self.share_selected())
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_check_in_button)
        buttons.addWidget(self.share_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(page)
        lay.addWidget(note)
        lay.addWidget(self.check_ins, 1)
        lay.addLayout(buttons)
        return page

    def _self_care_tab(self) -> QWidget:
        page = QWidget()
        note = QLabel(
            tr(
                "Private: your self-care plan stays on this laptop, encrypted, and is "
                "never sent to anyone."
            )
        )
        note.setWordWrap(True)
        self.warning_signs = text_box(tr("My warning signs"), height=70)
        self.what_helps = text_box(tr("What helps me"), height=70)
        self.who_to_call = text_box(tr("Who I call"), height=70)
        self.save_plan_button = button(tr("Sa&ve plan"), tr("Save my self-care plan"))
        self.save_plan_button.clicked.connect(self.save_self_care)
        self.plan_status = text_label(tr("Self-care plan status"))
        lay = QVBoxLayout(page)
        lay.addWidget(note)
        for text, box in (
            (tr("My warnin&g signs:"), self.warning_signs),
            (tr("What &helps me:"), self.what_helps),
            (tr("Who I ca&ll:"), self.who_to_call),
        ):
            label = QLabel(text)
            label.setBuddy(box)
            lay.addWidget(label)
            lay.addWidget(box)
        row = QHBoxLayout()
        row.addWidget(self.save_plan_button)
        row.addWidget(self.plan_status, 1)
        lay.addLayout(row)
        lay.addStretch(1)
        return page

    # --- reading ----------------------------------------------------------------------

    def refresh(self) -> None:
        if self.taskman.closed:
            return
        only = self._latest.begin()
        self.taskman.db(self.session.workforce.mine, self.today()).success(
            only(self.show_data)
        ).failure(only(self._failed)).run()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PeerDeskError):
            raise exc
        self.problem.setText(message_for(exc))

    def show_data(self, data: MyWork) -> None:
        self.data = data
        self.problem.setText(
            tr("%n record(s) could not be read.", None, data.damaged) if data.damaged else ""
        )
        st = data.status
        sup_text, sup_level = progress_text(st.supervision)
        cert_text, cert_level = expiry_text(st.expiry)
        ceu_text, ceu_level = progress_text(st.ceu)
        self.summary.setText(
            tr("Supervision: {sup}. Certification: {cert}. CEU: {ceu}.").format(
                sup=f"{level_word(sup_level)}, {sup_text}",
                cert=f"{level_word(cert_level)}, {cert_text}",
                ceu=f"{level_word(ceu_level)}, {ceu_text}",
            )
        )
        names = format_names()
        rec = data.record
        fill(
            self.sessions,
            [
                (
                    short_date(s.held_on),
                    str(s.minutes),
                    names[s.format],
                    s.supervisor,
                    "; ".join(s.topics),
                    (
                        tr("{open} open of {all}").format(
                            open=s.open_follow_ups, all=len(s.follow_ups)
                        )
                        if s.follow_ups
                        else tr("none agreed")
                    ),
                )
                for s in reversed(rec.sessions)
            ],
        )
        self.show_hours()
        self.cert_line.setText(
            tr("No certification recorded.")
            if rec.certification is None
            else tr("{state} certification {number}, issued {issued}. {reminder}").format(
                state=rec.certification.state,
                number=rec.certification.number,
                issued=short_date(rec.certification.issued_on),
                reminder=f"{level_word(cert_level)}: {cert_text}",
            )
        )
        self.ceu_line.setText(
            tr("CEU hours from {period}: {progress}").format(
                period=period_text(st.ceu), progress=f"{level_word(ceu_level)}, {ceu_text}"
            )
        )
        fill(
            self.ceus,
            [
                (short_date(e.taken_on), e.title, e.provider, hours(e.hours), e.evidence)
                for e in reversed(rec.ceus)
            ],
        )
        fill(
            self.check_ins,
            [
                (
                    short_date(c.taken_on),
                    str(c.energy),
                    str(c.stress),
                    str(c.support),
                    tr("Shared") if c.shared else tr("Private"),
                    c.note,
                )
                for c in reversed(rec.check_ins)
            ],
        )
        self._show_plan(data.self_care)

    def _plan_boxes(self) -> tuple[QPlainTextEdit, QPlainTextEdit, QPlainTextEdit]:
        return (self.warning_signs, self.what_helps, self.who_to_call)

    def _show_plan(self, plan: SelfCarePlan) -> None:
        """Put the saved plan in its boxes, except a box with unsaved typing."""
        texts = (plan.warning_signs, plan.what_helps, plan.who_to_call)
        shown = list(self._plan_shown)
        for i, (box, text) in enumerate(zip(self._plan_boxes(), texts, strict=True)):
            if box.toPlainText() == shown[i]:
                if text != shown[i]:
                    box.setPlainText(text)
                shown[i] = text
        self._plan_shown = (shown[0], shown[1], shown[2])

    def chosen_period(self) -> Period:
        today = self.today()
        key = self.period.currentData()
        if key == "month":
            return month_of(today)
        if key == "quarter":
            return quarter_of(today)
        if key == "range":
            return Period(day_of(self.date_from), day_of(self.date_to))
        settings = self.data.settings.supervision if self.data else None
        return requirement_window(settings, today) if settings else month_of(today)

    def show_hours(self) -> None:
        ranged = self.period.currentData() == "range"
        self.date_from.setEnabled(ranged)
        self.date_to.setEnabled(ranged)
        if self.data is None:
            return
        period = self.chosen_period()
        done = supervision_hours(self.data.record.sessions, period)
        text = tr("{hours} h of supervision from {start} to {end}").format(
            hours=hours(done), start=short_date(period.start), end=short_date(period.end)
        )
        if self.period.currentData() == "requirement":
            req = self.data.settings.supervision
            text += " " + tr("(required: {hours} h in {months})").format(
                hours=hours(req.hours), months=tr("%n month(s)", None, req.months)
            )
        self.period_hours.setText(text)

    # --- forms --------------------------------------------------------------------------

    def _open(self, dialog: QWidget) -> None:
        dialog.saved.connect(lambda _v: self.refresh())  # type: ignore[attr-defined]
        dialog.setModal(True)  # type: ignore[attr-defined]
        dialog.show()
        self.dialog = dialog

    def add_session(self) -> None:
        self._open(SessionForm(self.session, self.taskman, self))

    def selected_row(self, t: QTableWidget) -> int:
        rows = t.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def edit_follow_ups(self) -> None:
        if self.data is None or not self.data.record.sessions:
            self.problem.setText(tr("Add a supervision session first."))
            return
        row = self.selected_row(self.sessions)
        if row < 0:
            self.problem.setText(tr("Choose a session first, then Follow-ups…"))
            return
        sup = list(reversed(self.data.record.sessions))[row]
        self._open(FollowUpsForm(self.session, self.taskman, sup, self))

    def edit_certification(self) -> None:
        current = self.data.record.certification if self.data else None
        self._open(CertificationForm(self.session, self.taskman, current, self))

    def add_ceu(self) -> None:
        self._open(CeuForm(self.session, self.taskman, self))

    def add_check_in(self) -> None:
        self._open(WellbeingForm(self.session, self.taskman, self))

    def edit_settings(self) -> None:
        current = self.data.settings if self.data else WorkforceSettings()
        self._open(RequirementsForm(self.session, self.taskman, current, self))

    def share_selected(self, *, confirm: bool = True) -> None:
        """Share the chosen check-in with the supervisor, after asking."""
        row = self.selected_row(self.check_ins)
        if self.data is None or row < 0:
            self.problem.setText(tr("Choose a check-in to share first."))
            return
        chosen = list(reversed(self.data.record.check_ins))[row]
        if chosen.shared:
            self.problem.setText(tr("That check-in is shared already."))
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                tr("Share a check-in"),
                tr(
                    "Share your check-in of {date} with your supervisor? It will be "
                    "sent, encrypted, at the next sync and cannot be taken back. Your "
                    "other check-ins stay private."
                ).format(date=short_date(chosen.taken_on)),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        change(self.taskman, self.session.workforce.share_check_in, chosen.id).origin(self).success(
            lambda _r: self.refresh()
        ).failure(self._failed).run()

    def save_self_care(self) -> None:
        plan = SelfCarePlan(
            self.warning_signs.toPlainText(),
            self.what_helps.toPlainText(),
            self.who_to_call.toPlainText(),
        )

        def saved(_r: object) -> None:
            self._plan_shown = (plan.warning_signs, plan.what_helps, plan.who_to_call)
            self.plan_status.setText(tr("Saved on this laptop only."))

        change(self.taskman, self.session.workforce.save_self_care, plan).origin(self).success(
            saved
        ).failure(self._failed).run()

    # --- lock -------------------------------------------------------------------------

    def clear(self) -> None:
        self._latest.drop()
        self.data = None
        for t in (self.sessions, self.ceus, self.check_ins):
            t.setRowCount(0)
        for label in (
            self.summary, self.problem, self.period_hours, self.cert_line, self.ceu_line,
            self.plan_status,
        ):  # fmt: skip
            label.clear()
        for box in self._plan_boxes():
            box.clear()
        self._plan_shown = ("", "", "")

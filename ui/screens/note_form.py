"""The note form: the fields of a contact note, what they add up to, and their problems.

:class:`NoteForm` builds the fields (participant, template, contact type, place,
date and times, goals, the template's sections), the billable units the times
come to, the addenda of a signed note, the supervisor's feedback
(:class:`ui.screens.note_feedback.FeedbackPanel`) and the buttons. It reads the
form back as a :class:`~peerdesk.domain.models.NoteDraft`, shows a note in it
(a signed one read-only) and says a problem next to its field. It saves nothing:
:class:`ui.screens.note_editor.NoteEditor` is the form with autosave, signing
and addenda. Times are entered in local time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from PySide6.QtCore import QDate, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.billing import PayerProfile, contact_minutes, units_for_minutes
from peerdesk.domain.models import (
    TEMPLATE_SECTIONS,
    Addendum,
    ContactType,
    LocationType,
    Note,
    NoteDraft,
    NoteState,
    NoteTemplate,
    Participant,
)
from peerdesk.domain.notes import contact_span
from peerdesk.errors import ValidationError
from peerdesk.services import ReadResult, Session
from ui import labels
from ui.errors import message_for
from ui.i18n import tr
from ui.screens.crisis import crisis_button
from ui.screens.note_billing import DayFigure, codes_of, describe, overnight
from ui.screens.note_coordination import CoordinationPicker
from ui.screens.note_feedback import FeedbackPanel
from ui.screens.note_goals import PlanGoalPicker
from ui.taskman import TaskManager
from ui.widgets import make_error_label

__all__ = ["NoteForm"]


def _error_label(name: str) -> QLabel:
    """A label for an error in words next to a field (hidden while empty)."""
    label = make_error_label()  # bold, in the palette's colours; the words say it
    label.setObjectName(name)
    label.setAccessibleName(tr("Problem"))
    label.hide()
    return label


def _with_error(field: QWidget, error: QLabel) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    layout.addWidget(error)
    return box


#: the length of a new note's contact until the peer says otherwise
DEFAULT_MINUTES = 30


class NoteForm(QWidget):
    """The fields of one note (see the module docstring)."""

    #: the person changed something (not emitted while a note is filled in, nor
    #: for a read-only note)
    edited = Signal()

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        payer_profile: PayerProfile,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self.payer_profile = payer_profile
        self._now = now
        self.note: Note | None = None
        self._saved: NoteDraft | None = None  # what the database holds
        self._loading = False
        self._pending_participant: str | None = None
        self._section_text: dict[str, str] = {}
        self.section_edits: dict[str, QPlainTextEdit] = {}
        self.section_errors: dict[str, QLabel] = {}
        self._template = NoteTemplate.GIRP
        self.day_figure = DayFigure(session, taskman, self._update_units)
        self._build()
        self._set_defaults()
        self._saved = self.current_draft()  # a fresh form is not an unsaved change

    def _edited(self, *_args: object) -> None:
        if not self._loading and not self._read_only:
            self.edited.emit()

    # --- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        self.setAccessibleName(tr("Note editor"))
        outer = QVBoxLayout(self)

        self.state_label = QLabel()
        self.state_label.setObjectName("state_label")
        self.state_label.setAccessibleName(tr("Note state"))
        outer.addWidget(self.state_label)

        scroll = QScrollArea()
        scroll.setAccessibleName(tr("Note form"))  # a Tab stop: Page Up/Down scroll it
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        column = QVBoxLayout(body)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        column.addLayout(form)
        self.form = form

        self.participant_combo = QComboBox()
        self.participant_combo.setAccessibleName(tr("Participant"))
        self.participant_error = _error_label("participant_error")
        self._add_row(form, tr("P&articipant:"), self.participant_combo, self.participant_error)

        self.template_combo = QComboBox()
        self.template_combo.setAccessibleName(tr("Note template"))
        for template, name in labels.template_names().items():
            self.template_combo.addItem(name, template.value)
        self.template_error = _error_label("template_error")
        self._add_row(form, tr("&Template:"), self.template_combo, self.template_error)

        self.contact_combo = QComboBox()
        self.contact_combo.setAccessibleName(tr("Contact type"))
        for contact, name in labels.contact_names().items():
            self.contact_combo.addItem(name, contact.value)
        self._add_row(form, tr("&Contact type:"), self.contact_combo, None)

        self.location_combo = QComboBox()
        self.location_combo.setAccessibleName(tr("Location type"))
        for location, name in labels.location_names().items():
            self.location_combo.addItem(name, location.value)
        self._add_row(form, tr("&Location:"), self.location_combo, None)

        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setAccessibleName(tr("Date of contact"))
        self._add_row(form, tr("Dat&e:"), self.date_edit, None)

        self.start_edit = QTimeEdit()
        self.start_edit.setDisplayFormat("HH:mm")
        self.start_edit.setAccessibleName(tr("Start time"))
        self.start_error = _error_label("start_error")
        self._add_row(form, tr("&Start time:"), self.start_edit, self.start_error)

        self.end_edit = QTimeEdit()
        self.end_edit.setDisplayFormat("HH:mm")
        self.end_edit.setAccessibleName(tr("End time"))
        self.end_error = _error_label("end_error")
        self._add_row(form, tr("E&nd time:"), self.end_edit, self.end_error)

        self.units_label = QLabel()
        self.units_label.setObjectName("units_label")
        self.units_label.setWordWrap(True)
        self.units_label.setAccessibleName(tr("Billable units"))
        form.addRow(tr("Billing:"), self.units_label)

        self.goals_edit = QPlainTextEdit()
        self.goals_edit.setAccessibleName(tr("Goals, one per line"))
        self.goals_edit.setPlaceholderText(tr("One goal per line"))
        self.goals_edit.setTabChangesFocus(True)
        self.goals_edit.setFixedHeight(64)
        self.goals_error = _error_label("goals_error")
        self._add_row(form, tr("G&oals:"), self.goals_edit, self.goals_error)
        self.goal_picker = PlanGoalPicker(self.session, self.taskman, self.goals_edit, self._relink)
        form.addRow("", self.goal_picker)
        self.coordination = CoordinationPicker(self.session, self.taskman)
        self._add_row(form, tr("Coordinated wit&h:"), self.coordination, None)

        self.sections_box = QGroupBox(tr("Note"))
        self.sections_form = QFormLayout(self.sections_box)
        self.sections_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        column.addWidget(self.sections_box)
        self.body_error = _error_label("body_error")
        column.addWidget(self.body_error)

        self.addenda_box = QGroupBox(tr("Addenda"))
        addenda = QVBoxLayout(self.addenda_box)
        existing_label = QLabel(tr("Addenda alread&y added:"))
        self.addenda_list = QListWidget()
        self.addenda_list.setAccessibleName(tr("Addenda already added"))
        self.addenda_list.setWordWrap(True)
        self.addenda_list.setMaximumHeight(72)
        existing_label.setBuddy(self.addenda_list)
        addenda.addWidget(existing_label)
        addenda.addWidget(self.addenda_list)
        new_label = QLabel(tr("Ne&w addendum:"))
        self.addendum_edit = QPlainTextEdit()
        self.addendum_edit.setAccessibleName(tr("New addendum text"))
        self.addendum_edit.setTabChangesFocus(True)
        self.addendum_edit.setFixedHeight(70)
        new_label.setBuddy(self.addendum_edit)
        addenda.addWidget(new_label)
        addenda.addWidget(self.addendum_edit)
        self.addendum_error = _error_label("addendum_error")
        addenda.addWidget(self.addendum_error)
        self.addendum_button = QPushButton(tr("&Add addendum"))
        self.addendum_button.setAccessibleName(tr("Add addendum"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.addendum_button)
        addenda.addLayout(row)
        column.addWidget(self.addenda_box)
        column.addStretch(1)
        self.addenda_box.hide()

        bottom = QHBoxLayout()
        self.status_label = QLabel()
        self.status_label.setObjectName("status_label")
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(tr("Save status"))
        bottom.addWidget(self.status_label, 1)
        self.refer_button = QPushButton(tr("Refer to a reso&urce…"))
        self.refer_button.setAccessibleName(tr("Refer the participant to a resource"))
        bottom.addWidget(self.refer_button)
        self.crisis_button = crisis_button()  # issue 21: flag, safety plan, crisis lines
        bottom.addWidget(self.crisis_button)
        self.sign_button = QPushButton(tr("Sign && loc&k…"))
        self.sign_button.setAccessibleName(tr("Sign and lock the note"))
        bottom.addWidget(self.sign_button)
        outer.addLayout(bottom)

        # the supervisor's decisions on a signed note, above the form
        self.feedback_panel = FeedbackPanel(self.session, self.taskman)
        outer.insertWidget(1, self.feedback_panel)

        self.template_combo.currentIndexChanged.connect(self._on_template_changed)
        for combo in (self.participant_combo, self.contact_combo, self.location_combo):
            combo.currentIndexChanged.connect(self._edited)
        for combo in (self.participant_combo, self.contact_combo, self.location_combo):
            combo.currentIndexChanged.connect(self._update_units)
        for edit in (self.date_edit, self.start_edit, self.end_edit):
            edit.dateTimeChanged.connect(self._edited)
            edit.dateTimeChanged.connect(self._update_units)
        self.goals_edit.textChanged.connect(self._edited)
        self.participant_combo.currentIndexChanged.connect(
            lambda _i: self.goal_picker.set_participant(self.participant_combo.currentData())
        )
        self.participant_combo.currentIndexChanged.connect(
            lambda _i: self.coordination.set_participant(self.participant_combo.currentData())
        )
        self.coordination.currentIndexChanged.connect(self._edited)

        self.setTabOrder(self.participant_combo, self.template_combo)

    def _add_row(
        self, form: QFormLayout, text: str, field: QWidget, error: QLabel | None
    ) -> QLabel:
        label = QLabel(text)
        label.setBuddy(field)
        form.addRow(label, _with_error(field, error) if error is not None else field)
        return label

    def _rebuild_sections(self, template: NoteTemplate) -> None:
        for name, edit in self.section_edits.items():
            self._section_text[name] = edit.toPlainText()
        while self.sections_form.rowCount():
            self.sections_form.removeRow(0)
        self.section_edits.clear()
        self.section_errors.clear()
        names = labels.section_names()
        previous: QWidget = self.goals_edit
        for section in TEMPLATE_SECTIONS[template]:
            edit = QPlainTextEdit()
            edit.setObjectName(f"section_{section}")
            plain = names[section].replace("&", "")
            edit.setAccessibleName(plain)
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(70)
            edit.setMaximumHeight(100)
            edit.setPlainText(self._section_text.get(section, ""))
            edit.setReadOnly(self._read_only)
            edit.textChanged.connect(self._edited)
            error = _error_label(f"section_{section}_error")
            self._add_row(self.sections_form, names[section] + ":", edit, error)
            self.section_edits[section] = edit
            self.section_errors[section] = error
            self.setTabOrder(previous, edit)
            previous = edit
        self.sections_box.setTitle(labels.template_names()[template])

    # --- state ------------------------------------------------------------------------

    @property
    def _read_only(self) -> bool:
        return self.note is not None and self.note.state is not NoteState.DRAFT

    @property
    def template(self) -> NoteTemplate:
        return self._template

    def _set_defaults(self) -> None:
        self._loading = True
        try:
            now = self._now()
            self.note = None
            self._saved = None
            self._section_text = {}
            self.section_edits.clear()  # a new note never starts with the last one's text
            self.template_combo.setCurrentIndex(self.template_combo.findData(NoteTemplate.GIRP))
            self._template = NoteTemplate.GIRP
            self._rebuild_sections(NoteTemplate.GIRP)
            self.contact_combo.setCurrentIndex(0)
            self.location_combo.setCurrentIndex(0)
            self.date_edit.setDate(QDate(now.year, now.month, now.day))
            start = QTime(now.hour, now.minute)
            end = start.addSecs(DEFAULT_MINUTES * 60)
            if end <= start:
                # half an hour from now is tomorrow: the day's last half hour instead,
                # so a note begun late in the evening is not refused for its times
                start, end = QTime(23, 59).addSecs(-DEFAULT_MINUTES * 60), QTime(23, 59)
            self.start_edit.setTime(start)
            self.end_edit.setTime(end)
            self.goals_edit.clear()
            self.coordination.set_participant(self.participant_combo.currentData())
            self.addendum_edit.clear()
            self.addenda_list.clear()
            self.feedback_panel.show_for(None)
            self._clear_errors()
            self.status_label.clear()
        finally:
            self._loading = False
        self._apply_state()
        self._update_units()

    def _apply_state(self) -> None:
        ro = self._read_only
        for combo in (
            self.participant_combo,
            self.template_combo,
            self.contact_combo,
            self.location_combo,
        ):
            combo.setEnabled(not ro)
        for edit in (self.date_edit, self.start_edit, self.end_edit):
            edit.setReadOnly(ro)
        self.goals_edit.setReadOnly(ro)
        self.coordination.set_read_only(ro)
        self.date_edit.setCalendarPopup(not ro)
        for section in self.section_edits.values():
            section.setReadOnly(ro)
        self.sign_button.setVisible(not ro)
        self.sign_button.setEnabled(not ro)
        self.addenda_box.setVisible(ro)
        state = self.note.state if self.note is not None else NoteState.DRAFT
        text = tr("State: {state}").format(state=labels.state_names()[state])
        if ro:
            assert self.note is not None
            signed = self.note.signed_at
            when = signed.astimezone().strftime("%Y-%m-%d %H:%M") if signed else ""
            text = tr("State: {state} on {when}; read-only, corrections go in an addendum.").format(
                state=labels.state_names()[state], when=when
            )
        elif self.note is None:
            text = tr("State: new draft (not saved yet)")
        self.state_label.setText(text)

    # --- filling in -------------------------------------------------------------------

    def _fill_participants(self, result: ReadResult[Participant]) -> None:
        wanted = self._pending_participant or self.participant_combo.currentData()
        # Filling the chooser is not an edit: an untouched form stays untouched,
        # so no empty draft is ever saved just because the list arrived.
        pristine = not self.has_unsaved_changes
        self._loading = True
        try:
            self.participant_combo.clear()
            for p in result.items:
                self.participant_combo.addItem(p.display_name, p.id)
            self._select_participant(wanted)
        finally:
            self._loading = False
        if pristine and self.note is None:
            self._saved = self.current_draft()

    def _select_participant(self, participant_id: str | None) -> None:
        if participant_id is None:
            return
        index = self.participant_combo.findData(participant_id)
        if index >= 0:
            self.participant_combo.setCurrentIndex(index)
            self._pending_participant = None
        else:
            self._pending_participant = participant_id

    def _fill_form(self, note: Note) -> None:
        """Show ``note`` in the form (a signed one read-only, with its addenda)."""
        self._loading = True
        try:
            self.note = note
            self._section_text = dict(note.body)
            self.section_edits.clear()  # do not carry the old texts over
            self._template = note.template
            self.template_combo.setCurrentIndex(self.template_combo.findData(note.template.value))
            self._rebuild_sections(note.template)
            self._select_participant(note.participant_id)
            self.contact_combo.setCurrentIndex(self.contact_combo.findData(note.contact_type.value))
            self.location_combo.setCurrentIndex(
                self.location_combo.findData(note.location_type.value)
            )
            start = note.start_at.astimezone()
            end = note.end_at.astimezone()
            self.date_edit.setDate(QDate(start.year, start.month, start.day))
            self.start_edit.setTime(QTime(start.hour, start.minute))
            self.end_edit.setTime(QTime(end.hour, end.minute))
            self.goal_picker.set_participant(note.participant_id)
            self.coordination.set_participant(note.participant_id, note.coordinated_with)
            self.goals_edit.setPlainText("\n".join(self.goal_picker.to_lines(note.goals)))
            self._show_addenda(note.addenda)
            self.feedback_panel.show_for(note)
            self._clear_errors()
        finally:
            self._loading = False
        self._saved = self.current_draft() if note.state is NoteState.DRAFT else None
        self._apply_state()
        self._update_units()

    def _relink(self) -> None:
        """The plan arrived: show linked goals by their words (not an edit)."""
        lines = self.goals_edit.toPlainText().splitlines()
        shown = self.goal_picker.to_lines(lines)
        if shown == lines:
            return
        was, self._loading = self._loading, True
        try:
            self.goals_edit.setPlainText("\n".join(shown))
        finally:
            self._loading = was

    def _show_addenda(self, addenda: tuple[Addendum, ...]) -> None:
        self.addenda_list.clear()
        for add in addenda:
            when = add.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
            self.addenda_list.addItem(tr("{when}: {text}").format(when=when, text=add.text))

    # --- reading the form ---------------------------------------------------------------

    def _times(self) -> tuple[datetime, datetime]:
        """Start and end as aware local datetimes (an end before the start: next day)."""
        qday, qstart, qend = self.date_edit.date(), self.start_edit.time(), self.end_edit.time()
        day = date(qday.year(), qday.month(), qday.day())
        return contact_span(
            day, time(qstart.hour(), qstart.minute()), time(qend.hour(), qend.minute())
        )

    def current_draft(self) -> NoteDraft | None:
        """What the form holds, or None while no participant is chosen."""
        participant = self.participant_combo.currentData()
        if participant is None:
            return None
        for name, edit in self.section_edits.items():
            self._section_text[name] = edit.toPlainText()
        start_at, end_at = self._times()
        goals = self.goal_picker.to_entries(
            [line.strip() for line in self.goals_edit.toPlainText().splitlines() if line.strip()]
        )
        return NoteDraft(
            participant_id=participant,
            template=self._template,
            contact_type=ContactType(self.contact_combo.currentData()),
            location_type=LocationType(self.location_combo.currentData()),
            start_at=start_at,
            end_at=end_at,
            body={s: self._section_text.get(s, "") for s in TEMPLATE_SECTIONS[self._template]},
            goals=goals,
            coordinated_with=self.coordination.value(),
        )

    @property
    def has_unsaved_changes(self) -> bool:
        if self._read_only:
            return False
        draft = self.current_draft()
        return draft is not None and draft != self._saved

    # --- changes ----------------------------------------------------------------------

    def _on_template_changed(self, _index: int) -> None:
        if self._loading:
            return
        template = NoteTemplate(self.template_combo.currentData())
        if template is self._template:
            return
        self._template = template
        self._rebuild_sections(template)
        self._edited()

    def _update_units(self, *_args: object) -> None:
        self.end_error.hide()
        start_at, end_at = self._times()
        profile = self.payer_profile
        try:
            minutes = contact_minutes(start_at, end_at)
            units_for_minutes(minutes, profile)
        except ValidationError as exc:
            self.units_label.setText(
                tr("Billable: cannot count units. {reason}").format(reason=message_for(exc))
            )
            self._show_field_error(exc)
            return
        contact = ContactType(self.contact_combo.currentData())
        if not profile.is_billable(contact):
            text = tr(
                "Not billable: {payer} does not pay for this contact type ({minutes} minutes)."
            )
            night = overnight(start_at, end_at)
            self.units_label.setText(text.format(payer=profile.name, minutes=minutes) + night)
            return
        billed = self.day_figure.figure(
            profile,
            note_id=self.note.id if self.note is not None else "",
            state=self.note.state.value if self.note is not None else NoteState.DRAFT.value,
            participant_id=self.participant_combo.currentData(),
            contact=contact,
            location=self.location_combo.currentData() or LocationType.OTHER,
            start_at=start_at,
            end_at=end_at,
        )
        self.units_label.setText(describe(billed, profile) + overnight(start_at, end_at))
        self.units_label.setToolTip(codes_of(billed))

    # --- errors -----------------------------------------------------------------------

    def _clear_errors(self) -> None:
        labels = [
            self.participant_error,
            self.template_error,
            self.start_error,
            self.end_error,
            self.goals_error,
            self.body_error,
            self.addendum_error,
            *self.section_errors.values(),
        ]
        for label in labels:
            label.clear()
            label.hide()

    def _error_label_for(self, field: str | None) -> QLabel | None:
        if field in self.section_errors:
            return self.section_errors[field]
        return {
            "participant_id": self.participant_error,
            "template": self.template_error,
            "start_at": self.start_error,
            "end_at": self.end_error,
            "goals": self.goals_error,
            "body": self.body_error,
            "text": self.addendum_error,
        }.get(field or "")

    def _show_field_error(self, exc: BaseException) -> bool:
        """Show a validation error next to its field; False if it has no field here."""
        field = exc.field if isinstance(exc, ValidationError) else None
        label = self._error_label_for(field)
        if label is None:
            return False
        label.setText(tr("Problem: {message}").format(message=message_for(exc)))
        label.show()
        return True

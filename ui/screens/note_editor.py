"""The note editor: write a contact note, autosave it as an encrypted draft, sign
and lock it, then add addenda.

Every call to the :class:`~peerdesk.services.Session` goes through
``TaskManager.db`` so it runs on the one DB thread; callbacks update the widgets
on the GUI thread.

Autosave: a change (re)starts a single-shot timer (``autosave_ms``, 5 s by
default); when it fires, when the editor loses focus, and when the window calls
:meth:`NoteEditor.flush` on close, the draft is saved if it differs from what
was last saved. Times are entered in local time; an end time at or before the
start time is an error shown next to the end time, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from PySide6.QtCore import QDate, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.billing import PayerProfile, contact_minutes, units_for_contact
from peerdesk.domain.models import (
    TEMPLATE_SECTIONS,
    Addendum,
    ContactType,
    LocationType,
    Note,
    NoteDraft,
    NoteState,
    NoteTemplate,
)
from peerdesk.errors import ValidationError
from peerdesk.services import Session
from ui import labels
from ui.dialogs.refer import DirectoryPickerDialog, open_directory_picker
from ui.errors import message_for
from ui.i18n import tr
from ui.screens.note_feedback import FeedbackPanel
from ui.taskman import TaskManager
from ui.widgets import make_error_label

__all__ = ["NoteEditor"]

DEFAULT_AUTOSAVE_MS = 5000


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


def _default_confirm(parent: QWidget) -> Callable[[], bool]:
    def confirm() -> bool:
        answer = QMessageBox.question(
            parent,
            tr("Sign and lock this note?"),
            tr(
                "A signed note can no longer be changed; corrections are added as "
                "addenda. Sign and lock this note now?"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    return confirm


class NoteEditor(QWidget):
    """Edit one note. ``open_new(participant_id)`` starts a draft,
    ``open_note(note_id)`` loads one; ``flush()`` saves pending changes."""

    #: the note as last saved, signed or loaded
    note_changed = Signal(object)

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        payer_profile: PayerProfile,
        parent: QWidget | None = None,
        *,
        autosave_ms: int = DEFAULT_AUTOSAVE_MS,
        confirm: Callable[[], bool] | None = None,
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self.payer_profile = payer_profile
        self.confirm = confirm or _default_confirm(self)
        self._now = now
        self.note: Note | None = None
        self._saved: NoteDraft | None = None  # what the database holds
        self._saving = False
        #: what runs once the save in flight is done (a return value is ignored)
        self._after_save: list[Callable[[], object]] = []
        self._loading = False
        self._pending_participant: str | None = None
        self._section_text: dict[str, str] = {}
        self.section_edits: dict[str, QPlainTextEdit] = {}
        self.section_errors: dict[str, QLabel] = {}
        self._template = NoteTemplate.GIRP
        self.refer_dialog: DirectoryPickerDialog | None = None

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(autosave_ms)
        self.autosave_timer.timeout.connect(self.flush)

        self._build()
        self._set_defaults()
        self._saved = self.current_draft()  # a fresh form is not an unsaved change
        app = QApplication.instance()  # always a QApplication: this is a widget
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self._load_participants()

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
        self.addendum_button.clicked.connect(self.add_addendum)
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
        self.refer_button.clicked.connect(self.refer)
        bottom.addWidget(self.refer_button)
        self.sign_button = QPushButton(tr("Sign && loc&k…"))
        self.sign_button.setAccessibleName(tr("Sign and lock the note"))
        self.sign_button.clicked.connect(self.sign)
        bottom.addWidget(self.sign_button)
        outer.addLayout(bottom)

        # the supervisor's decisions on a signed note, above the form
        self.feedback_panel = FeedbackPanel(self.session, self.taskman)
        self.feedback_panel.resubmitted.connect(lambda note: self.open_note(note.id))
        outer.insertWidget(1, self.feedback_panel)

        self.template_combo.currentIndexChanged.connect(self._on_template_changed)
        for combo in (self.participant_combo, self.contact_combo, self.location_combo):
            combo.currentIndexChanged.connect(self._changed)
        self.contact_combo.currentIndexChanged.connect(self._update_units)
        for edit in (self.date_edit, self.start_edit, self.end_edit):
            edit.dateTimeChanged.connect(self._changed)
            edit.dateTimeChanged.connect(self._update_units)
        self.goals_edit.textChanged.connect(self._changed)

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
            edit.textChanged.connect(self._changed)
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
            self.start_edit.setTime(start)
            self.end_edit.setTime(start.addSecs(30 * 60))
            self.goals_edit.clear()
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

    # --- opening ----------------------------------------------------------------------

    def _load_participants(self) -> None:
        self.taskman.db(self.session.participants.list).success(self._fill_participants).failure(
            self._show_failure
        ).run()

    def _fill_participants(self, result: object) -> None:
        wanted = self._pending_participant or self.participant_combo.currentData()
        # Filling the chooser is not an edit: an untouched form stays untouched,
        # so no empty draft is ever saved just because the list arrived.
        pristine = not self.has_unsaved_changes
        self._loading = True
        try:
            self.participant_combo.clear()
            for p in result.items:  # type: ignore[attr-defined]
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

    def open_new(self, participant_id: str | None = None) -> None:
        """Start a new, unsaved note (saved once something changes)."""
        self.autosave_timer.stop()
        self._set_defaults()
        self._loading = True
        try:
            self._select_participant(participant_id)
        finally:
            self._loading = False
        self._saved = self.current_draft()

    def open_note(self, note_id: str) -> None:
        """Load a note; signed notes are shown read-only with their addenda."""
        self.autosave_timer.stop()
        self.status_label.clear()
        self.taskman.db(self.session.notes.get, note_id).success(self._show_note).failure(
            self._show_failure
        ).run()

    def _show_note(self, note: Note) -> None:
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
            self.goals_edit.setPlainText("\n".join(note.goals))
            self._show_addenda(note.addenda)
            self.feedback_panel.show_for(note)
            self._clear_errors()
        finally:
            self._loading = False
        self._saved = self.current_draft() if note.state is NoteState.DRAFT else None
        self._apply_state()
        self._update_units()
        self.note_changed.emit(note)

    def _show_addenda(self, addenda: tuple[Addendum, ...]) -> None:
        self.addenda_list.clear()
        for add in addenda:
            when = add.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
            self.addenda_list.addItem(tr("{when}: {text}").format(when=when, text=add.text))

    # --- reading the form ---------------------------------------------------------------

    def _times(self) -> tuple[datetime, datetime]:
        """Start and end as aware datetimes in local time (same calendar date)."""
        qday, qstart, qend = self.date_edit.date(), self.start_edit.time(), self.end_edit.time()
        day = date(qday.year(), qday.month(), qday.day())
        start_at = datetime.combine(day, time(qstart.hour(), qstart.minute())).astimezone()
        end_at = datetime.combine(day, time(qend.hour(), qend.minute())).astimezone()
        return start_at, end_at

    def current_draft(self) -> NoteDraft | None:
        """What the form holds, or None while no participant is chosen."""
        participant = self.participant_combo.currentData()
        if participant is None:
            return None
        for name, edit in self.section_edits.items():
            self._section_text[name] = edit.toPlainText()
        start_at, end_at = self._times()
        goals = tuple(
            line.strip() for line in self.goals_edit.toPlainText().splitlines() if line.strip()
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
        )

    @property
    def has_unsaved_changes(self) -> bool:
        if self._read_only:
            return False
        draft = self.current_draft()
        return draft is not None and draft != self._saved

    # --- changes ----------------------------------------------------------------------

    def _changed(self, *_args: object) -> None:
        if self._loading or self._read_only:
            return
        # Not restarted on every keystroke: continuous typing is still saved every
        # interval, so a crash loses at most the last few seconds.
        if not self.autosave_timer.isActive():
            self.autosave_timer.start()

    def _on_template_changed(self, _index: int) -> None:
        if self._loading:
            return
        template = NoteTemplate(self.template_combo.currentData())
        if template is self._template:
            return
        self._template = template
        self._rebuild_sections(template)
        self._changed()

    def _update_units(self, *_args: object) -> None:
        self.end_error.hide()
        start_at, end_at = self._times()
        profile = self.payer_profile
        try:
            minutes = contact_minutes(start_at, end_at)
            units = units_for_contact(start_at, end_at, profile)
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
            self.units_label.setText(text.format(payer=profile.name, minutes=minutes))
            return
        if units == 1:
            text = tr("Billable: 1 unit ({minutes} minutes, {code})")
        else:
            text = tr("Billable: {units} units ({minutes} minutes, {code})")
        self.units_label.setText(text.format(units=units, minutes=minutes, code=profile.code))

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

    def _show_failure(self, exc: BaseException) -> None:
        self._show_field_error(exc)
        self.status_label.setText(tr("Not saved: {message}").format(message=message_for(exc)))

    # --- saving -----------------------------------------------------------------------

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if (
            old is not None
            and self.isAncestorOf(old)
            and (new is None or not self.isAncestorOf(new))
        ):
            self.flush()

    def flush(self, then: Callable[[], None] | None = None) -> bool:
        """Save the draft now if it changed; ``then()`` runs once it is saved (or
        right away when there is nothing to save). Returns False if the form has
        a problem that stops the save (shown next to the field)."""
        self.autosave_timer.stop()
        if self._saving:
            # Saves run one after another so a new note is never created twice.
            self._after_save.append(lambda: self.flush(then))
            return True
        if self._read_only or not self.has_unsaved_changes:
            if then is not None:
                then()
            return True
        draft = self.current_draft()
        assert draft is not None
        if draft.end_at <= draft.start_at:
            self._update_units()
            self.status_label.setText(tr("Not saved: the end time must be after the start time."))
            return False
        self._clear_errors()
        self._saving = True
        if self.note is None:
            op = self.taskman.db(self.session.notes.create_draft, draft)
        else:
            op = self.taskman.db(self.session.notes.save_draft, self.note.id, draft)
        op.success(lambda done: self._saved_ok(done.value, draft, then)).failure(
            self._save_failed
        ).run()
        return True

    def _saved_ok(self, note: Note, draft: NoteDraft, then: Callable[[], None] | None) -> None:
        self._saving = False
        self.note = note
        self._saved = draft
        self.status_label.setText(
            tr("Draft saved at {time}").format(time=self._now().strftime("%H:%M"))
        )
        self._apply_state()
        self.note_changed.emit(note)
        pending, self._after_save = self._after_save, []
        for fn in pending:
            fn()
        if then is not None:
            then()

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self._after_save.clear()
        self._show_failure(exc)

    @property
    def is_busy(self) -> bool:
        """True while a save is under way (tests and the window wait on it)."""
        return self._saving

    # --- signing ----------------------------------------------------------------------

    def sign(self) -> None:
        """Ask, save what is pending, then sign and lock the note."""
        if self._read_only or self.participant_combo.currentData() is None:
            if self.participant_combo.currentData() is None:
                self.participant_error.setText(tr("Problem: choose a participant first."))
                self.participant_error.show()
            return
        if not self.confirm():
            return
        self.flush(then=self._sign_saved)

    def _sign_saved(self) -> None:
        if self.note is None:
            self.body_error.setText(tr("Problem: write something in the note before signing it."))
            self.body_error.show()
            return
        self.taskman.db(self.session.notes.sign, self.note.id).success(
            lambda done: self._signed(done.value)
        ).failure(self._sign_failed).run()

    def _signed(self, note: Note) -> None:
        self._show_note(note)
        self.status_label.setText(tr("Signed and locked."))

    def _sign_failed(self, exc: BaseException) -> None:
        self._show_field_error(exc)
        self.status_label.setText(tr("Not signed: {message}").format(message=message_for(exc)))

    # --- referral ---------------------------------------------------------------------

    def refer(self) -> None:
        """Refer the note's participant to a resource, linked to this note (which
        is saved first)."""
        if self.participant_combo.currentData() is None:
            self.participant_error.setText(tr("Problem: choose a participant first."))
            self.participant_error.show()
            return
        self.flush(then=self._refer_saved)

    def _refer_saved(self) -> None:
        if self.note is None:
            self.status_label.setText(
                tr("Write something in the note first: the referral is linked to it.")
            )
            return
        name = self.participant_combo.itemText(
            self.participant_combo.findData(self.note.participant_id)
        )
        dialog = open_directory_picker(
            self.session, self.taskman, self.note.participant_id, name, self, note_id=self.note.id
        )
        dialog.referred.connect(
            lambda ref: self.status_label.setText(
                tr("Referral to {service} recorded.").format(service=ref.service_name)
            )
        )
        dialog.finished.connect(lambda _result: setattr(self, "refer_dialog", None))
        self.refer_dialog = dialog

    # --- addenda ----------------------------------------------------------------------

    def add_addendum(self) -> None:
        if self.note is None or not self._read_only:
            return
        text = self.addendum_edit.toPlainText()
        self.addendum_error.hide()
        self.addendum_button.setEnabled(False)
        self.taskman.db(self.session.notes.add_addendum, self.note.id, text).success(
            lambda done: self._addendum_added(done.value)
        ).failure(self._addendum_failed).run()

    def _addendum_added(self, _addendum: Addendum) -> None:
        assert self.note is not None
        self.addendum_edit.clear()
        self.addendum_button.setEnabled(True)
        self.open_note(self.note.id)
        self.status_label.setText(tr("Addendum added."))

    def _addendum_failed(self, exc: BaseException) -> None:
        self.addendum_button.setEnabled(True)
        if not self._show_field_error(exc):
            self.status_label.setText(message_for(exc))

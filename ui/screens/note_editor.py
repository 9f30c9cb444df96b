"""The note editor: write a contact note, autosave it as an encrypted draft, sign
and lock it, then add addenda.

:class:`NoteEditor` is the note form (:class:`ui.screens.note_form.NoteForm`)
with what is done with it. Every call to the :class:`~peerdesk.services.Session`
runs on the one DB thread (:mod:`ui.operations` for what changes data);
callbacks update the widgets on the GUI thread.

Autosave: a change (re)starts a single-shot timer (``autosave_ms``, 5 s by
default); when it fires, when the editor loses focus, and when the window calls
:meth:`NoteEditor.flush` on close, the draft is saved if it differs from what
was last saved. An end time at or before the start time is an error shown next
to the end time, and nothing is saved. When a sync changes the open note (its
state, the supervisor's feedback) and nothing is being typed, the note is shown
again as it is now.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from peerdesk.domain.billing import PayerProfile
from peerdesk.domain.models import Addendum, Note, NoteDraft, NoteState
from peerdesk.services import Session
from ui.dialogs.refer import DirectoryPickerDialog, open_directory_picker
from ui.errors import message_for
from ui.i18n import tr
from ui.operations import Follower, change
from ui.screens.crisis import CrisisPanel, OneCrisisPanel
from ui.screens.note_form import NoteForm
from ui.taskman import TaskManager

__all__ = ["NoteEditor"]

DEFAULT_AUTOSAVE_MS = 5000


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


class NoteEditor(NoteForm):
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
        super().__init__(session, taskman, payer_profile, parent, now=now)
        self.confirm = confirm or _default_confirm(self)
        self._saving = False
        #: what runs once the save in flight is done (a return value is ignored)
        self._after_save: list[Callable[[], object]] = []
        self.refer_dialog: DirectoryPickerDialog | None = None

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(autosave_ms)
        self.autosave_timer.timeout.connect(self.flush)
        self.edited.connect(self._changed)
        self.addendum_button.clicked.connect(self.add_addendum)
        self.refer_button.clicked.connect(self.refer)
        self.crisis = OneCrisisPanel()
        self.crisis_button.clicked.connect(self.open_crisis)
        self.sign_button.clicked.connect(self.sign)
        self.feedback_panel.resubmitted.connect(lambda note: self.open_note(note.id))
        app = QApplication.instance()  # always a QApplication: this is a widget
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        Follower(self, taskman, {"notes", "feedback"}, self._notes_changed)
        Follower(self, taskman, {"participants"}, self._participants_changed)
        self._load_participants()

    # --- opening ----------------------------------------------------------------------

    def _load_participants(self) -> None:
        self.taskman.db(self.session.participants.list).success(self._fill_participants).failure(
            self._show_failure
        ).run()

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
        self._fill_form(note)
        self.note_changed.emit(note)

    def _notes_changed(self) -> None:
        """Notes changed elsewhere (a sync: a state, the supervisor's feedback): show
        the open note as it is now, unless a draft is being written."""
        self.day_figure.forget()
        note = self.note
        if note is None or note.state is NoteState.DRAFT:
            return
        if not self.has_unsaved_changes and not self.is_busy:
            self.open_note(note.id)

    def _participants_changed(self) -> None:
        """Someone added or renamed must be in the chooser. Not while a change is
        unsaved or a save is running: the chooser keeps its choice anyway."""
        if not self.is_busy and not self.has_unsaved_changes:
            self._load_participants()

    def _changed(self) -> None:
        # Not restarted on every keystroke: continuous typing is still saved every
        # interval, so a crash loses at most the last few seconds.
        if not self.autosave_timer.isActive():
            self.autosave_timer.start()

    # --- saving -----------------------------------------------------------------------

    def _show_failure(self, exc: BaseException) -> None:
        self._show_field_error(exc)
        self.status_label.setText(tr("Not saved: {message}").format(message=message_for(exc)))

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
            op = change(self.taskman, self.session.notes.create_draft, draft)
        else:
            op = change(self.taskman, self.session.notes.save_draft, self.note.id, draft)
        op.origin(self).success(lambda done: self._saved_ok(done.value, draft, then)).failure(
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
        change(self.taskman, self.session.notes.sign, self.note.id).origin(self).success(
            lambda done: self._signed(done.value)
        ).failure(self._sign_failed).run()

    def _signed(self, note: Note) -> None:
        self._show_note(note)
        self.status_label.setText(tr("Signed and locked."))

    def _sign_failed(self, exc: BaseException) -> None:
        self._show_field_error(exc)
        self.status_label.setText(tr("Not signed: {message}").format(message=message_for(exc)))

    # --- crisis (issue 21) -------------------------------------------------------------

    def crisis_participant(self) -> tuple[str, str] | None:
        pid = self.participant_combo.currentData()
        return None if pid is None else (str(pid), self.participant_combo.currentText())

    def open_crisis(self) -> CrisisPanel | None:
        """The crisis panel of the note's participant: a note signed while they are
        flagged is a crisis note (it syncs first, the supervisor sees it first)."""
        who = self.crisis_participant()
        if who is None:
            self.participant_error.setText(tr("Problem: choose a participant first."))
            self.participant_error.show()
            return None
        return self.crisis.open(self.session, self.taskman, who[0], who[1], self)

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
        change(self.taskman, self.session.notes.add_addendum, self.note.id, text).origin(
            self
        ).success(lambda done: self._addendum_added(done.value)).failure(
            self._addendum_failed
        ).run()

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

"""The reader pane of the review queue: one note, and the supervisor's decision.

:class:`ReviewReader` reads a note with ``session.review.note`` on the DB
thread and shows, in one read-only text view (so a screen reader reads it top to
bottom): who and when (participant, peer, contact time, type, place, length),
the note's sections and goals, who of the care team it was coordinated with,
its addenda (oldest first; one that could not be
opened says so), the trips of that contact (same peer, participant and day) and
the review history (state, when, by whom).

Below it the decision: a comment for the peer, **Approve** (co-sign: the agency
records the supervisor's name and the time; Ctrl+Shift+A) and **Return**
(comment required; Ctrl+Shift+R). A decision goes to the agency through
``session.review.decide_steps`` with the ``seen_seq`` of what is on screen; if the
note changed meanwhile (:class:`~peerdesk.errors.NoteChanged`) the reason is
said above the buttons, the comment is kept, :attr:`ReviewReader.changed_remotely`
asks the window to pull what arrived (the new addendum or resubmission) and the
note is read again, so the supervisor decides on what is there now.

Everything decrypted is dropped by :meth:`ReviewReader.clear` (lock).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.models import (
    TEMPLATE_SECTIONS,
    ContactType,
    DestinationType,
    LocationType,
    NoteTemplate,
    TripPurpose,
)
from peerdesk.domain.review import WAITING_STATES, ReviewedNote, ReviewEvent
from peerdesk.domain.times import from_iso
from peerdesk.errors import NoteChanged, PeerDeskError
from peerdesk.services import Session
from ui import labels
from ui.errors import message_for
from ui.i18n import tr
from ui.models.review import broken_text, review_state_names
from ui.operations import change_steps
from ui.screens.record import OneRecordWindow, RecordWindow
from ui.taskman import Latest, TaskManager
from ui.widgets import make_error_label

__all__ = ["APPROVE_KEY", "RETURN_KEY", "ReviewReader", "note_html"]

APPROVE_KEY = QKeySequence("Ctrl+Shift+A")
RETURN_KEY = QKeySequence("Ctrl+Shift+R")
#: the longest comment the agency takes (peerdesk.agency.review.MAX_COMMENT)
MAX_COMMENT = 4000


def _when(value: Any) -> str:
    """An ISO time (or a datetime) as local "2026-11-23 14:02"; "" if unusable."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value:
        try:
            moment = from_iso(value.replace("Z", "+00:00"))
        except ValueError:
            return ""
    else:
        return ""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _word(names: Mapping[Any, str], kind: Any, value: Any) -> str:
    try:
        return names[kind(value)]
    except (ValueError, KeyError):
        return str(value or "")


def _plain_section(name: str) -> str:
    return name.replace("&", "")


def _miles(trip: Mapping[str, Any]) -> str:
    try:
        if trip.get("miles") is not None:
            miles = Decimal(str(trip["miles"]))
        else:
            miles = Decimal(str(trip["odometer_end"])) - Decimal(str(trip["odometer_start"]))
    except (InvalidOperation, KeyError, TypeError):
        return tr("miles unclear")
    text = format(miles.normalize(), "f")
    return tr("{miles} miles").format(miles=text)


def _minutes(note: Mapping[str, Any]) -> int | None:
    try:
        start = from_iso(str(note["start_at"]).replace("Z", "+00:00"))
        end = from_iso(str(note["end_at"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return None
    return max(0, int((end - start).total_seconds() // 60))


def _esc(text: Any) -> str:
    return html.escape(str(text)).replace("\n", "<br/>")


def history_text(event: ReviewEvent) -> str:
    state = review_state_names().get(event.state, event.state)
    return tr("{state} · {when} · {actor}").format(
        state=state, when=_when(event.at), actor=event.actor or tr("(unknown)")
    )


def note_html(reviewed: ReviewedNote) -> str:
    """The note, its addenda, trips and history as HTML (every value escaped)."""
    item = reviewed.item
    parts: list[str] = []
    if item.broken:
        parts.append(f"<p><b>{_esc(broken_text(item))}</b></p>")
    note = reviewed.note
    person = reviewed.participant or {}
    name = item.participant_name or person.get("display_name") or tr("(unknown)")
    parts.append(f"<h2>{_esc(name)}</h2>")
    facts = [
        (tr("Peer"), item.peer or item.device_id),
        (tr("Contact"), _when(note.get("start_at")) or _when(item.contact_start)),
        (
            tr("Contact type"),
            _word(labels.contact_names(), ContactType, note.get("contact_type")),
        ),
        (
            tr("Location"),
            _word(labels.location_names(), LocationType, note.get("location_type")),
        ),
        (
            tr("Template"),
            _word(labels.template_short_names(), NoteTemplate, note.get("template")),
        ),
        (tr("Signed by the peer"), _when(note.get("signed_at")) or tr("not signed")),
        (tr("Received by the agency"), _when(item.received_at)),
        (tr("Review state"), review_state_names().get(item.state, item.state)),
    ]
    minutes = _minutes(note)
    if minutes is not None:
        facts.insert(2, (tr("Length"), tr("%n minute(s)", None, minutes)))
    if person.get("medicaid_id"):
        facts.append((tr("Medicaid ID"), person["medicaid_id"]))
    parts.append("<table cellpadding='2'>")
    for label, value in facts:
        parts.append(f"<tr><td><b>{_esc(label)}:</b></td><td>{_esc(value)}</td></tr>")
    parts.append("</table>")

    body = note.get("body") or {}
    if isinstance(body, Mapping) and body:
        try:
            order = TEMPLATE_SECTIONS[NoteTemplate(str(note.get("template")))]
        except ValueError:
            order = tuple(body)
        names = labels.section_names()
        parts.append(f"<h3>{_esc(tr('Note'))}</h3>")
        for section in (*order, *(s for s in body if s not in order)):
            if section in body:
                title = _plain_section(names.get(section, section))
                parts.append(f"<p><b>{_esc(title)}</b><br/>{_esc(body[section])}</p>")
    goals = note.get("goals") or []
    if goals:
        parts.append(f"<p><b>{_esc(tr('Goals'))}</b></p><ul>")
        parts.extend(f"<li>{_esc(goal)}</li>" for goal in goals)
        parts.append("</ul>")
    coordinated = note.get("coordinated_with")
    if isinstance(coordinated, str) and coordinated:
        # someone of the care team (issue 23), named by session.review.note
        parts.append(f"<p><b>{_esc(tr('Coordinated with'))}:</b> {_esc(coordinated)}</p>")

    parts.append(f"<h3>{_esc(tr('Addenda'))}</h3>")
    if not reviewed.addenda:
        parts.append(f"<p>{_esc(tr('No addenda.'))}</p>")
    for addendum in reviewed.addenda:
        if addendum.get("broken"):
            text = tr("Cannot be read: {reason} (record {seq})").format(
                reason=addendum["broken"], seq=addendum.get("seq", "")
            )
            parts.append(f"<p><b>{_esc(text)}</b></p>")
        else:
            when = _when(addendum.get("created_at"))
            parts.append(f"<p><b>{_esc(when)}</b><br/>{_esc(addendum.get('text', ''))}</p>")

    parts.append(f"<h3>{_esc(tr('Trips of this contact'))}</h3>")
    if not reviewed.trips:
        parts.append(f"<p>{_esc(tr('No trips with this participant on that day.'))}</p>")
    else:
        parts.append("<ul>")
        for trip in reviewed.trips:
            words = [
                _word(labels.purpose_names(), TripPurpose, trip.get("purpose")),
                _word(
                    labels.destination_type_names(), DestinationType, trip.get("destination_type")
                ),
                _miles(trip),
            ]
            if trip.get("destination"):
                words.append(str(trip["destination"]))
            parts.append(f"<li>{_esc(' · '.join(words))}</li>")
        parts.append("</ul>")

    parts.append(f"<h3>{_esc(tr('Review history'))}</h3>")
    if not reviewed.history:
        parts.append(f"<p>{_esc(tr('No review events yet.'))}</p>")
    else:
        parts.append("<ul>")
        parts.extend(f"<li>{_esc(history_text(event))}</li>" for event in reviewed.history)
        parts.append("</ul>")
    return "".join(parts)


class ReviewReader(QWidget):
    """Shows one note and takes the decision on it (see the module docstring)."""

    #: the note on screen was read (again): its :class:`ReviewedNote`
    note_loaded = Signal(object)
    #: a decision was recorded: the note as read again afterwards
    decided = Signal(object)
    #: the agency refused a decision because the note changed there: pull, then
    #: :meth:`reload` (the ``(device_id, note_id)`` of the note)
    changed_remotely = Signal(object)

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        reviewer: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self._reviewer = reviewer
        self._latest = Latest()
        self.reviewed: ReviewedNote | None = None
        self._key: tuple[str, str] | None = None
        self._deciding = False
        self.setObjectName("reviewReader")
        self.setAccessibleName(tr("Note under review"))

        self.view = QTextBrowser()
        self.view.setObjectName("reviewNoteView")
        self.view.setAccessibleName(tr("Note text, addenda, trips and history"))
        self.view.setOpenLinks(False)
        self.view.setTabChangesFocus(True)
        self.view.setPlaceholderText(tr("Choose a note in the queue to read it here."))

        decision = QGroupBox(tr("Decision"))
        self.decision_box = decision
        column = QVBoxLayout(decision)
        comment_label = QLabel(tr("Co&mment for the peer (required to return the note):"))
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("reviewComment")
        self.comment.setAccessibleName(tr("Comment for the peer"))
        self.comment.setTabChangesFocus(True)
        self.comment.setFixedHeight(80)
        comment_label.setBuddy(self.comment)
        self.message = make_error_label()
        self.message.setObjectName("reviewMessage")
        self.message.setAccessibleName(tr("Decision message"))
        self.message.hide()
        buttons = QHBoxLayout()
        self.record_button = QPushButton(tr("Participant's recor&d…"))
        self.record_button.setAccessibleName(
            tr("Open the participant's recovery plan, consents and outcomes")
        )
        self.record_button.clicked.connect(self.open_record)
        self.records = OneRecordWindow()
        buttons.addWidget(self.record_button)
        self.approve_button = QPushButton(tr("&Approve (co-sign)"))
        self.approve_button.setObjectName("approveButton")
        self.approve_button.setAccessibleName(tr("Approve and co-sign the note"))
        self.approve_button.setToolTip(
            tr("Approve and co-sign; your name and the time are recorded (Ctrl+Shift+A)")
        )
        self.return_button = QPushButton(tr("&Return to the peer"))
        self.return_button.setObjectName("returnButton")
        self.return_button.setAccessibleName(tr("Return the note to the peer with the comment"))
        self.return_button.setToolTip(
            tr("Send the note back with your comment; a comment is required (Ctrl+Shift+R)")
        )
        self.approve_button.clicked.connect(self.approve)
        self.return_button.clicked.connect(self.return_note)
        buttons.addStretch(1)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.return_button)
        column.addWidget(comment_label)
        column.addWidget(self.comment)
        column.addWidget(self.message)
        column.addLayout(buttons)

        for key, slot in ((APPROVE_KEY, self.approve), (RETURN_KEY, self.return_note)):
            shortcut = QShortcut(key, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.shortcuts = self.findChildren(QShortcut)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(decision)
        self.setTabOrder(self.view, self.comment)
        self.setTabOrder(self.comment, self.approve_button)
        self.setTabOrder(self.approve_button, self.return_button)
        self._update_buttons()

    # --- reading ----------------------------------------------------------------------

    @property
    def key(self) -> tuple[str, str] | None:
        """``(device_id, note_id)`` of the note shown (or being read)."""
        return self._key

    def open_note(self, device_id: str, note_id: str, *, keep_message: bool = False) -> None:
        """Read a note (on the DB thread) and show it."""
        if self.taskman.closed:
            return
        if (device_id, note_id) != self._key:
            self.comment.clear()
        self._key = (device_id, note_id)
        if not keep_message:
            self._say("")
        only = self._latest.begin()
        self.taskman.db(self.session.review.note, device_id, note_id).success(
            only(self._show)
        ).failure(only(self._read_failed)).run()

    def reload(self, *, keep_message: bool = True) -> None:
        if self._key is not None:
            self.open_note(*self._key, keep_message=keep_message)

    def open_record(self) -> RecordWindow | None:
        """The participant's record as pulled (read-only: plan, consents, outcomes)."""
        reviewed = self.reviewed
        if reviewed is None or self._key is None:
            return None
        device_id, pid = self._key[0], str(reviewed.note.get("participant_id", ""))
        name = reviewed.item.participant_name or tr("(unknown)")
        return self.records.open(
            RecordWindow(
                self.session, self.taskman, pid, name, self, read_only=True,
                load=partial(self.session.review.person_overview, device_id, pid),
            )
        )  # fmt: skip

    @property
    def record_window(self) -> RecordWindow | None:
        """The record window open from this reader, if any."""
        return self.records.window

    def _show(self, reviewed: ReviewedNote) -> None:
        self.reviewed = reviewed
        self.view.setHtml(note_html(reviewed))
        self._update_buttons()
        self.note_loaded.emit(reviewed)

    def _read_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PeerDeskError):
            raise exc
        self.reviewed = None
        self.view.clear()
        self._say(message_for(exc))
        self._update_buttons()

    # --- deciding ---------------------------------------------------------------------

    def can_decide(self) -> bool:
        reviewed = self.reviewed
        return (
            reviewed is not None
            and not self._deciding
            and reviewed.item.broken is None
            and reviewed.item.state in WAITING_STATES
        )

    def _update_buttons(self) -> None:
        ok = self.can_decide()
        self.approve_button.setEnabled(ok)
        self.return_button.setEnabled(ok)
        self.record_button.setEnabled(
            self.reviewed is not None and bool(self.reviewed.note.get("participant_id"))
        )
        self.comment.setReadOnly(not ok and not self._deciding)
        reviewed = self.reviewed
        if reviewed is None:
            title = tr("Decision")
        elif reviewed.item.broken is not None:
            title = tr("Decision: this record cannot be read, so it cannot be decided")
        elif reviewed.item.state not in WAITING_STATES:
            state = review_state_names().get(reviewed.item.state, reviewed.item.state)
            title = tr("Decision: nothing to decide ({state})").format(state=state)
        else:
            title = tr("Decision")
        self.decision_box.setTitle(title)

    def approve(self) -> None:
        self._decide("approved")

    def return_note(self) -> None:
        self._decide("returned")

    def _decide(self, decision: str) -> None:
        reviewed = self.reviewed
        if reviewed is None or not self.can_decide():
            return
        comment = self.comment.toPlainText().strip()
        if decision == "returned" and not comment:
            self._say(tr("Write what the peer should change before you return the note."))
            self.comment.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if len(comment) > MAX_COMMENT:
            self._say(
                tr("The comment is too long: at most {limit} characters.").format(limit=MAX_COMMENT)
            )
            return
        reviewer = self._reviewer()
        item = reviewed.item
        key = (item.device_id, item.note_id)
        self._deciding = True
        self._update_buttons()
        self._say(tr("Sending your decision to the agency…"), problem=False)
        # Not tied to Latest: whatever is on screen by then, the answer must end
        # the "deciding" state and update the queue line.
        change_steps(
            self.taskman,
            self.session.review.decide_steps,
            item.device_id,
            item.note_id,
            decision,
            comment,
            reviewed.seen_seq,
            reviewer,
        ).origin(self).success(lambda done: self._decided(key, decision, done.value)).failure(
            lambda exc: self._decide_failed(key, exc)
        ).run()

    def _decided(self, key: tuple[str, str], decision: str, event: ReviewEvent) -> None:
        self._deciding = False
        here = key == self._key
        if here:
            self.comment.clear()
            if decision == "approved":
                text = tr("Approved and co-signed by {name} at {when}.")
            else:
                text = tr("Returned to the peer by {name} at {when}.")
            self._say(text.format(name=event.actor, when=_when(event.at)), problem=False)
        if self.taskman.closed:
            return
        # Read the note again: the reader shows its new state and history (if it
        # is still the note on screen), the queue updates its line either way.
        only = self._latest.begin() if here else None

        def read(reviewed: ReviewedNote) -> None:
            if only is not None:
                only(self._show)(reviewed)
            self.decided.emit(reviewed)

        def failed(exc: BaseException) -> None:
            if only is not None:
                only(self._read_failed)(exc)

        self.taskman.db(self.session.review.note, *key).success(read).failure(failed).run()
        self._update_buttons()

    def _decide_failed(self, key: tuple[str, str], exc: BaseException) -> None:
        self._deciding = False
        if not isinstance(exc, PeerDeskError):
            self._update_buttons()
            raise exc
        if key != self._key:
            self._update_buttons()
            return  # another note is on screen; nothing was recorded for that one
        self._say(message_for(exc))
        if isinstance(exc, NoteChanged):
            self.reload(keep_message=True)  # the comment stays in its field
            self.changed_remotely.emit(key)
        else:
            self._update_buttons()

    # --- words ------------------------------------------------------------------------

    def _say(self, text: str, *, problem: bool = True) -> None:
        shown = tr("Problem: {message}").format(message=text) if text and problem else text
        self.message.setText(shown)
        self.message.setAccessibleDescription(shown)
        font = self.message.font()
        font.setBold(problem)
        self.message.setFont(font)
        self.message.setVisible(bool(text))

    @property
    def message_text(self) -> str:
        return self.message.text()

    def clear(self) -> None:
        """Drop the note and the comment (lock); answers still on their way are ignored."""
        self._latest.drop()
        self.records.clear()
        self.reviewed = None
        self._key = None
        self._deciding = False
        self.view.clear()
        self.comment.clear()
        self._say("")
        self._update_buttons()

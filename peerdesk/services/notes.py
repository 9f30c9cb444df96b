"""``session.notes``: drafts and autosave, signing, addenda, resubmitting a
returned note, the notes a day is about, and the supervisor's feedback."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from peerdesk.domain.models import Addendum, Note, NoteDraft, NoteState
from peerdesk.domain.review import PEER
from peerdesk.errors import CorruptData, ValidationError
from peerdesk.ids import to_iso
from peerdesk.services.changes import Changes, OpResult
from peerdesk.services.stores import Stores
from peerdesk.store.base import ReadResult
from peerdesk.store.notes import NotePage
from peerdesk.store.sync_state import Feedback

#: a draft saved or discarded (drafts never sync)
DRAFT = Changes(notes=True)
#: a note signed, amended or resubmitted (journaled for sync)
JOURNALED = Changes(notes=True, outbox=True)


class NotesService:
    def __init__(self, stores: Stores) -> None:
        self._s = stores
        self._repo = stores.notes

    # -- writing -----------------------------------------------------------------------

    def create_draft(self, draft: NoteDraft) -> OpResult[Note]:
        return OpResult(self._repo.create_draft(draft), DRAFT)

    def save_draft(self, note_id: str, draft: NoteDraft) -> OpResult[Note]:
        """Autosave: replace a draft's content."""
        return OpResult(self._repo.save_draft(note_id, draft), DRAFT)

    def discard_draft(self, note_id: str) -> Changes:
        self._repo.discard_draft(note_id)
        return DRAFT

    def sign(self, note_id: str) -> OpResult[Note]:
        return OpResult(self._repo.sign(note_id), JOURNALED)

    def add_addendum(self, note_id: str, text: str) -> OpResult[Addendum]:
        return OpResult(self._repo.add_addendum(note_id, text), JOURNALED)

    def resubmit(self, note_id: str) -> OpResult[Note]:
        """Send a returned note back for review once an addendum answers the
        supervisor's comment (see :meth:`NoteRepo.resubmit`)."""
        self._s.require(PEER, "resubmitting a note")
        return OpResult(self._repo.resubmit(note_id), JOURNALED)

    def import_signed(self, drafts: Iterable[NoteDraft]) -> OpResult[int]:
        """Bulk path (import, benchmarks): many notes stored as signed, journaled."""
        return OpResult(self._repo.import_signed(drafts), JOURNALED)

    # -- reading -----------------------------------------------------------------------

    def get(self, note_id: str) -> Note:
        return self._repo.get(note_id)

    def page(
        self,
        *,
        after: str | None = None,
        limit: int = 200,
        states: Iterable[NoteState | str] | None = None,
        participant_id: str | None = None,
    ) -> NotePage:
        """Up to ``limit`` notes with an id below ``after``, newest first (see
        :meth:`NoteRepo.page`)."""
        return self._repo.page(
            after=after, limit=limit, states=states, participant_id=participant_id
        )

    def count(
        self,
        *,
        states: Iterable[NoteState | str] | None = None,
        participant_id: str | None = None,
    ) -> int:
        return self._repo.count(states=states, participant_id=participant_id)

    def addenda_answering_return(self, note_id: str, until: str) -> list[str]:
        """Ids of the addenda that answer the latest return of a note (see
        :meth:`NoteRepo.addenda_answering_return`)."""
        return self._repo.addenda_answering_return(note_id, until)

    def for_day(self, start: datetime, end: datetime) -> ReadResult[Note]:
        """The notes a peer's day is about: every draft, whatever its date (drafts are
        the to-do list), and every note signed in ``[start, end)`` (aware datetimes,
        usually local midnight to midnight). Newest contact first, with addenda.

        Reads only the rows it returns, never all signed notes. A record that does
        not decrypt is listed in ``damaged``; a failure of the query itself raises.
        """
        if start.tzinfo is None or end.tzinfo is None:
            raise ValidationError("the day's start and end need a time zone", field="time")
        result: ReadResult[Note] = ReadResult()
        for note_id in self._repo.ids_for_day(to_iso(start), to_iso(end)):
            try:
                result.items.append(self._repo.get(note_id))
            except CorruptData as exc:
                result.damaged.append(exc)
        return result

    def feedback_for(self, note_id: str) -> ReadResult[Feedback]:
        """The supervisor's decisions on a note, oldest first (vault unlocked)."""
        return self._s.feedback.for_note(note_id)

    def list(
        self,
        *,
        state: NoteState | None = None,
        participant_id: str | None = None,
        with_addenda: bool = False,
    ) -> ReadResult[Note]:
        return self._repo.list(
            state=state, participant_id=participant_id, with_addenda=with_addenda
        )

"""``session.notes``: drafts and autosave, signing, addenda, resubmitting a
returned note, the notes a day is about, and the supervisor's feedback."""

from __future__ import annotations

from datetime import datetime

from peerdesk.domain.models import Note
from peerdesk.domain.review import PEER
from peerdesk.errors import CorruptData, Msg, ValidationError
from peerdesk.ids import to_iso
from peerdesk.services.changes import Changes, OpResult, changing
from peerdesk.services.stores import Stores
from peerdesk.store.base import ReadResult
from peerdesk.store.sync_state import Feedback

#: a draft saved or discarded (drafts never sync)
DRAFT = Changes(notes=True)
#: a note signed, amended or resubmitted (journaled for sync)
JOURNALED = Changes(notes=True, outbox=True)


class NotesService:
    """The note repository's own methods where the service adds nothing: the
    writes ``create_draft``, ``save_draft`` (autosave; each returns an
    :class:`OpResult` with :data:`DRAFT`), ``sign``, ``add_addendum`` and
    ``import_signed`` (with :data:`JOURNALED`), and the reads ``get``, ``page``,
    ``count``, ``addenda_answering_return`` and ``list``."""

    def __init__(self, stores: Stores) -> None:
        self._s = stores
        repo = self._repo = stores.notes
        self.create_draft = changing(repo.create_draft, DRAFT)
        self.save_draft = changing(repo.save_draft, DRAFT)
        self.sign = changing(repo.sign, JOURNALED)
        self.add_addendum = changing(repo.add_addendum, JOURNALED)
        self.import_signed = changing(repo.import_signed, JOURNALED)
        self.get = repo.get
        self.page = repo.page
        self.count = repo.count
        self.addenda_answering_return = repo.addenda_answering_return
        self.list = repo.list

    # -- writing -----------------------------------------------------------------------

    def discard_draft(self, note_id: str) -> Changes:
        self._repo.discard_draft(note_id)
        return DRAFT

    def resubmit(self, note_id: str) -> OpResult[Note]:
        """Send a returned note back for review once an addendum answers the
        supervisor's comment (see :meth:`NoteRepo.resubmit`)."""
        self._s.require(PEER, "resubmitting a note")
        return OpResult(self._repo.resubmit(note_id), JOURNALED)

    # -- reading -----------------------------------------------------------------------

    def for_day(self, start: datetime, end: datetime) -> ReadResult[Note]:
        """The notes a peer's day is about: every draft, whatever its date (drafts are
        the to-do list), and every note signed in ``[start, end)`` (aware datetimes,
        usually local midnight to midnight). Newest contact first, with addenda.

        Reads only the rows it returns, never all signed notes. A record that does
        not decrypt is listed in ``damaged``; a failure of the query itself raises.
        """
        if start.tzinfo is None or end.tzinfo is None:
            raise ValidationError(Msg("the day's start and end need a time zone"), field="time")
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

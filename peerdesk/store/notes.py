"""Notes and addenda. Bodies, goals, the coordination contact (migration 0012)
and addendum text only as envelopes.

Drafts are saved (encrypted) as often as the editor likes and never journaled:
drafts do not sync. Signing journals the note in the outbox and writes an audit
row in the same transaction; from then on the row is immutable (a trigger
enforces it too) and corrections are addenda.

A note the supervisor returned is answered with an addendum and then
resubmitted (:meth:`NoteRepo.resubmit`): the note goes back to ``submitted`` and
a "resubmit" record is journaled, in one transaction.

Long lists are read a page at a time with :meth:`NoteRepo.page`: newest first by
id (UUIDv7, so by creation), keyset-paged (``after`` = the last id of the
previous page), each page one indexed range scan, and only that page decrypted.
"""

from __future__ import annotations

import enum
import heapq
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, TypeVar

from peerdesk.domain import notes as rules
from peerdesk.domain.models import (
    Addendum,
    ContactType,
    LocationType,
    Note,
    NoteDraft,
    NoteState,
    NoteTemplate,
)
from peerdesk.errors import CorruptData, InvalidTransition, Msg, NotFound, ValidationError
from peerdesk.ids import from_iso, new_id, now_utc, to_iso
from peerdesk.store.audit import AuditLog
from peerdesk.store.base import OutboxRepository, ReadResult, rows, stamp
from peerdesk.store.db import translate_errors
from peerdesk.store.outbox import Outbox

E = TypeVar("E", bound=enum.Enum)

MAX_ADDENDUM = 20_000
_Rows = list[dict[str, Any]]  # (the class has a method named ``list``)
#: the largest page :meth:`NoteRepo.page` hands out
MAX_PAGE = 5_000


@dataclass(slots=True)
class NotePage:
    """One page of notes, newest first. Damaged rows are listed in ``damaged``
    (and skipped), never raised, and still move the cursor on."""

    items: list[Note] = field(default_factory=list)
    damaged: list[CorruptData] = field(default_factory=list)
    #: pass as ``after`` for the next page; ``None`` when this is the last page
    next_after: str | None = None

    @property
    def has_more(self) -> bool:
        return self.next_after is not None


def _state_values(states: Iterable[NoteState | str] | None) -> list[str] | None:
    """The distinct state values asked for, in a stable order; ``None`` = any."""
    if states is None:
        return None
    if isinstance(states, str):  # one state (NoteState is a str)
        states = (states,)
    return sorted({_member(NoteState, s, "state").value for s in states})


def _member(kind: type[E], value: object, field: str) -> E:
    """``kind(value)``, or a ValidationError in the enum's own words."""
    try:
        return kind(value)
    except ValueError:
        raise ValidationError(
            Msg("{value} is not a valid {kind}", value=repr(value), kind=kind.__name__),
            field=field,
        ) from None


class NoteRepo(OutboxRepository):
    table = "notes"
    kind = "note"

    def __init__(self, db: Any, vault: Any, outbox: Outbox, audit: AuditLog) -> None:
        super().__init__(db, vault, outbox)
        self.audit = audit

    # -- writing -----------------------------------------------------------------------

    def _checked(self, draft: NoteDraft) -> NoteDraft:
        # field "template" for all three, as before (the UI offers only valid values)
        template = _member(NoteTemplate, draft.template, "template")
        contact = _member(ContactType, draft.contact_type, "template")
        location = _member(LocationType, draft.location_type, "template")
        rules.check_times(draft.start_at, draft.end_at)
        return replace(
            draft,
            template=template,
            contact_type=contact,
            location_type=location,
            body=rules.normalize_body(template, draft.body),
            goals=rules.normalize_goals(draft.goals),
            coordinated_with=draft.coordinated_with or None,
        )

    def _row(
        self, note_id: str, d: NoteDraft, state: NoteState, now: str, signed: str | None
    ) -> tuple[Any, ...]:
        return (
            note_id,
            d.participant_id,
            d.template.value,
            d.contact_type.value,
            d.location_type.value,
            to_iso(d.start_at),
            to_iso(d.end_at),
            state.value,
            now,
            now,
            signed,
            self.seal(note_id, "body", dict(d.body)),
            self.seal(note_id, "goals", list(d.goals)),
            self.seal(note_id, "coordination", d.coordinated_with),
        )

    _INSERT = (
        "INSERT INTO notes (id, participant_id, template, contact_type, location_type, start_at,"
        " end_at, state, created_at, updated_at, signed_at, body, goals, coordination)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )

    def create_draft(self, draft: NoteDraft) -> Note:
        d = self._checked(draft)
        note_id = new_id()
        with translate_errors(Msg("save the draft")), self.db.atomic():
            self._require_participant(d.participant_id)
            self._require_member(d)
            self.db.conn.execute(
                self._INSERT, self._row(note_id, d, NoteState.DRAFT, to_iso(now_utc()), None)
            )
        return self.get(note_id)

    def save_draft(self, note_id: str, draft: NoteDraft) -> Note:
        """Replace the content of a draft (autosave). Refused once signed."""
        d = self._checked(draft)
        with translate_errors(Msg("save the draft")), self.db.atomic():
            state = self._state(note_id)
            if not rules.can_edit(state):
                raise InvalidTransition(state.value, "edit")
            self._require_participant(d.participant_id)
            self._require_member(d)
            row = self._row(note_id, d, NoteState.DRAFT, to_iso(now_utc()), None)
            self.db.conn.execute(
                "UPDATE notes SET participant_id=?, template=?, contact_type=?, location_type=?,"
                " start_at=?, end_at=?, updated_at=?, body=?, goals=?, coordination=? WHERE id=?",
                (*row[1:7], row[9], row[11], row[12], row[13], note_id),
            )
        return self.get(note_id)

    def discard_draft(self, note_id: str) -> None:
        with translate_errors(Msg("discard the draft")), self.db.atomic():
            state = self._state(note_id)
            if not rules.can_edit(state):
                raise InvalidTransition(state.value, "discard")
            self.db.conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))

    def sign(self, note_id: str) -> Note:
        note = self.get(note_id)
        new_state = rules.next_state(note.state, "sign")
        rules.check_ready_to_sign(note.body, note.start_at, note.end_at)
        now = to_iso(now_utc())
        with translate_errors(Msg("sign the note")), self.db.atomic():
            cur = self.db.conn.execute(
                "UPDATE notes SET state=?, signed_at=?, updated_at=? WHERE id=? AND state='draft'",
                (new_state.value, now, now, note_id),
            )
            if cur.rowcount != 1:
                raise InvalidTransition(self._state(note_id).value, "sign")
            self.outbox.record("note", note_id, "sign")
            self.audit.append("note_signed", at=now, note_id=note_id)
        return self.get(note_id)

    def add_addendum(self, note_id: str, text: str) -> Addendum:
        text = text.strip()
        if not text:
            raise ValidationError(Msg("write the addendum text"), field="text")
        if len(text) > MAX_ADDENDUM:
            raise ValidationError(
                Msg("an addendum is at most {limit} characters", limit=MAX_ADDENDUM), field="text"
            )
        add = Addendum(new_id(), note_id, text, stamp())
        with translate_errors(Msg("save the addendum")), self.db.atomic():
            state = self._state(note_id)
            if not rules.can_add_addendum(state):
                raise InvalidTransition(state.value, "add an addendum to")
            self.db.conn.execute(
                "INSERT INTO addenda (id, note_id, created_at, text) VALUES (?, ?, ?, ?)",
                (
                    add.id,
                    note_id,
                    to_iso(add.created_at),
                    self.seal(add.id, "text", text, "addenda"),
                ),
            )
            self.outbox.record("addendum", add.id, "add")
            self.audit.append("addendum_added", note_id=note_id, addendum_id=add.id)
        return add

    def resubmit(self, note_id: str) -> Note:
        """Send a returned note back for review. Allowed only for a ``returned``
        note with an addendum written after the return reached this laptop (the
        answer to the supervisor's comment). Moves it to ``submitted`` and
        journals a "resubmit" record in the same transaction, with an audit row.

        :class:`InvalidTransition` if the note is not returned,
        :class:`ValidationError` (``field="addendum"``) if no addendum answers
        the return yet, :class:`NotFound` for an unknown note."""
        now = to_iso(now_utc())
        with translate_errors(Msg("resubmit the note")), self.db.atomic():
            state = self._state(note_id)
            if state is not NoteState.RETURNED:
                raise InvalidTransition(state.value, "resubmit")
            new_state = rules.next_state(state, "resubmit")
            answers = self.addenda_answering_return(note_id, now)
            if not answers:
                raise ValidationError(
                    Msg("add an addendum that answers the supervisor's comment, then resubmit"),
                    field="addendum",
                )
            cur = self.db.conn.execute(
                "UPDATE notes SET state = ?, updated_at = ? WHERE id = ? AND state = ?",
                (new_state.value, now, note_id, state.value),
            )
            if cur.rowcount != 1:
                raise InvalidTransition(self._state(note_id).value, "resubmit")
            self.outbox.record("resubmit", note_id, "resubmit")
            self.audit.append("note_resubmitted", at=now, note_id=note_id, addenda=len(answers))
        return self.get(note_id)

    def addenda_answering_return(self, note_id: str, until: str) -> list[str]:
        """Ids of the addenda written after the latest return of ``note_id`` that
        reached this laptop at or before ``until`` (ISO time), up to ``until``;
        empty when there is no such return. The "resubmit" record lists them."""
        with translate_errors(Msg("read the note's review history"), writing=False):
            found = self.db.conn.execute(
                "SELECT max(received_at) FROM feedback"
                " WHERE note_id = ? AND decision = 'returned' AND received_at <= ?",
                (note_id, until),
            ).fetchone()
            returned_at = found[0] if found else None
            if returned_at is None:
                return []
            return [
                str(row[0])
                for row in self.db.conn.execute(
                    "SELECT id FROM addenda WHERE note_id = ? AND created_at > ?"
                    " AND created_at <= ? ORDER BY created_at, id",
                    (note_id, returned_at, until),
                )
            ]

    def import_signed(self, drafts: Iterable[NoteDraft]) -> int:
        """Bulk path (import, benchmarks): store many notes as signed, journaled,
        in one transaction. Returns the count."""
        now = to_iso(now_utc())
        note_rows: list[tuple[Any, ...]] = []
        outbox_rows: list[tuple[str, str, str, str, str]] = []
        for draft in drafts:
            d = self._checked(draft)
            rules.check_ready_to_sign(d.body, d.start_at, d.end_at)
            note_id = new_id()
            note_rows.append(self._row(note_id, d, NoteState.SIGNED, now, now))
            outbox_rows.append((new_id(), "note", note_id, "sign", now))
        with translate_errors(Msg("import the notes")), self.db.atomic():
            self.db.conn.executemany(self._INSERT, note_rows)
            self.db.conn.executemany(
                "INSERT INTO outbox (op_id, entity, entity_id, op, created_at) VALUES (?, ?, ?, ?, ?)",
                outbox_rows,
            )
            self.audit.append("note_signed", at=now, count=len(note_rows))
        return len(note_rows)

    # -- reading -----------------------------------------------------------------------

    def _state(self, note_id: str) -> NoteState:
        with translate_errors(Msg("read the note"), writing=False):
            found = self.db.conn.execute(
                "SELECT state FROM notes WHERE id = ?", (note_id,)
            ).fetchone()
        if not found:
            raise NotFound("note", note_id)
        return NoteState(found[0])

    def _require_participant(self, participant_id: str) -> None:
        with translate_errors(Msg("read the participant"), writing=False):
            found = self.db.conn.execute(
                "SELECT 1 FROM participants WHERE id = ?", (participant_id,)
            ).fetchone()
        if not found:
            raise ValidationError(Msg("choose a participant for this note"), field="participant_id")

    def _require_member(self, d: NoteDraft) -> None:
        """The coordination contact is on this participant's care team."""
        if d.coordinated_with is None:
            return
        with translate_errors(Msg("read the care team"), writing=False):
            found = self.db.conn.execute(
                "SELECT 1 FROM participant_records WHERE id = ? AND kind = 'care_member'"
                " AND participant_id = ?",
                (d.coordinated_with, d.participant_id),
            ).fetchone()
        if not found:
            raise ValidationError(
                Msg("the coordination contact is not on this person's care team"),
                field="coordinated_with",
            )

    def _addenda(self, note_id: str) -> tuple[Addendum, ...]:
        return tuple(
            self._addendum(row)
            for row in rows(
                self.db,
                "SELECT * FROM addenda WHERE note_id = ? ORDER BY created_at, id",
                [note_id],
                what=Msg("read the addenda"),
            )
        )

    def _addendum(self, row: dict[str, Any]) -> Addendum:
        text = self.unseal(row["id"], "text", row["text"], "addenda")
        return Addendum(row["id"], row["note_id"], str(text), from_iso(row["created_at"]))

    def get_addendum(self, addendum_id: str) -> Addendum:
        for row in rows(
            self.db,
            "SELECT * FROM addenda WHERE id = ?",
            [addendum_id],
            what=Msg("read the addendum"),
        ):
            return self._addendum(row)
        raise NotFound("addendum", addendum_id)

    def ids_for_day(self, start: str, end: str) -> list[str]:
        """Ids of every draft, whatever its date, and of every note signed in
        ``[start, end)`` (stored ISO times); newest contact first. Reads only those
        rows (an indexed look-up by state plus a range on ``signed_at``)."""
        with translate_errors(Msg("read the notes of the day"), writing=False):
            return [
                str(row[0])
                for row in self.db.execute(
                    "SELECT id FROM notes WHERE state = ? OR (signed_at >= ? AND signed_at < ?)"
                    " ORDER BY start_at DESC, id",
                    (NoteState.DRAFT.value, start, end),
                ).fetchall()
            ]

    def _build(self, row: dict[str, Any], with_addenda: bool = True) -> Note:
        nid = row["id"]
        body = self.unseal(nid, "body", row["body"])
        goals = self.unseal(nid, "goals", row["goals"])
        # NULL: written before migration 0012, no coordination contact
        blob = row.get("coordination")
        coordinated = None if blob is None else self.unseal(nid, "coordination", blob)
        try:
            return Note(
                id=nid,
                participant_id=row["participant_id"],
                template=NoteTemplate(row["template"]),
                contact_type=ContactType(row["contact_type"]),
                location_type=LocationType(row["location_type"]),
                start_at=from_iso(row["start_at"]),
                end_at=from_iso(row["end_at"]),
                body={str(k): str(v) for k, v in body.items()},
                goals=tuple(str(g) for g in goals),
                state=NoteState(row["state"]),
                created_at=from_iso(row["created_at"]),
                updated_at=from_iso(row["updated_at"]),
                signed_at=from_iso(row["signed_at"]) if row["signed_at"] else None,
                addenda=self._addenda(nid) if with_addenda else (),
                coordinated_with=None if coordinated is None else str(coordinated),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise self.malformed(nid) from exc

    def get(self, note_id: str) -> Note:
        return self._build(self.row_by_id(note_id))

    def list(
        self,
        *,
        state: NoteState | None = None,
        participant_id: str | None = None,
        with_addenda: bool = False,
    ) -> ReadResult[Note]:
        where, params = [], []
        if state is not None:
            where.append("state = ?")
            params.append(NoteState(state).value)
        if participant_id is not None:
            where.append("participant_id = ?")
            params.append(participant_id)
        sql = "SELECT * FROM notes" + (" WHERE " + " AND ".join(where) if where else "")
        return self.read_many(
            rows(self.db, sql + " ORDER BY start_at DESC, id", params, what=Msg("read the notes")),
            lambda row: self._build(row, with_addenda),
        )

    def page(
        self,
        *,
        after: str | None = None,
        limit: int = 200,
        states: Iterable[NoteState | str] | None = None,
        participant_id: str | Iterable[str] | None = None,
    ) -> NotePage:
        """Up to ``limit`` notes with an id below ``after`` (all when ``None``),
        newest first, without addenda.

        ``states`` keeps notes in any of those states (``None``: every state, an
        empty collection: none); ``participant_id`` keeps one person's notes (or, a
        collection of ids, those people's: the list's name search).
        Each query is a range scan of an index ending in ``id`` (migration 0005),
        so a page costs the same at the end of 100,000 notes as at the start.
        Several states are read one indexed scan per state and merged.
        """
        if not 1 <= limit <= MAX_PAGE:
            raise ValidationError(
                Msg("a page has 1 to {limit} notes", limit=MAX_PAGE), field="limit"
            )
        wanted = _state_values(states)
        if wanted == []:
            return NotePage()
        scans = [None] if wanted is None else wanted
        if participant_id is not None and not isinstance(participant_id, str):
            participant_id = tuple(participant_id)
            if not participant_id:
                return NotePage()
        streams = [self._page_rows(after, limit + 1, state, participant_id) for state in scans]
        merged = (
            streams[0] if len(streams) == 1 else heapq.merge(*streams, key=_row_id, reverse=True)
        )
        rows_read = list(itertools.islice(merged, limit + 1))
        more = len(rows_read) > limit
        del rows_read[limit:]
        built = self.read_many(rows_read, lambda row: self._build(row, with_addenda=False))
        return NotePage(
            items=built.items,
            damaged=built.damaged,
            next_after=rows_read[-1]["id"] if more else None,
        )

    def _page_rows(
        self,
        after: str | None,
        limit: int,
        state: str | None,
        participant_id: str | tuple[str, ...] | None,
    ) -> _Rows:
        where: list[str] = []
        params: list[Any] = []
        _where_participants(participant_id, where, params)
        if state is not None:
            where.append("state = ?")
            params.append(state)
        if after is not None:
            where.append("id < ?")
            params.append(after)
        sql = "SELECT * FROM notes" + (" WHERE " + " AND ".join(where) if where else "")
        # Fetched in full here so that no cursor stays open between two merges.
        return list(
            rows(
                self.db,
                sql + " ORDER BY id DESC LIMIT ?",
                [*params, limit],
                what=Msg("read the notes"),
            )
        )

    def count(
        self,
        *,
        states: Iterable[NoteState | str] | None = None,
        participant_id: str | Iterable[str] | None = None,
    ) -> int:
        """How many notes there are (in ``states``, of ``participant_id``)."""
        wanted = _state_values(states)
        where: list[str] = []
        params: list[Any] = []
        if wanted is not None:
            if not wanted:
                return 0
            where.append(f"state IN ({', '.join('?' * len(wanted))})")
            params.extend(wanted)
        if participant_id is not None and not isinstance(participant_id, str):
            participant_id = tuple(participant_id)
            if not participant_id:
                return 0
        _where_participants(participant_id, where, params)
        sql = "SELECT count(*) FROM notes" + (" WHERE " + " AND ".join(where) if where else "")
        with translate_errors(Msg("count the notes"), writing=False):
            return int(self.db.conn.execute(sql, params).fetchone()[0])


def _where_participants(
    participant_id: str | tuple[str, ...] | None, where: list[str], params: list[Any]
) -> None:
    """Keep one person's notes (an id) or several people's (a tuple of ids)."""
    if participant_id is None:
        return
    ids = (participant_id,) if isinstance(participant_id, str) else participant_id
    where.append(f"participant_id IN ({', '.join('?' * len(ids))})")
    params.extend(ids)


@dataclass(frozen=True, slots=True)
class ContactTimes:
    """The plain columns of a note that billing and the overdue report need
    (nothing here is an envelope, so nothing is decrypted to read them)."""

    id: str
    participant_id: str
    contact_type: ContactType
    start_at: datetime
    end_at: datetime
    state: NoteState
    signed_at: datetime | None
    location_type: LocationType = LocationType.OTHER


def contact_times(
    db: Any,
    *,
    start: str | None = None,
    end: str | None = None,
    states: Iterable[NoteState | str] | None = None,
    participant_id: str | None = None,
) -> list[ContactTimes]:
    """Notes with a contact start in ``[start, end)`` (stored ISO times; ``None``:
    open), in ``states`` (``None``: any), of one participant (``None``: any),
    oldest contact first."""
    where: list[str] = []
    params: list[Any] = []
    if participant_id is not None:
        where.append("participant_id = ?")
        params.append(participant_id)
    if start is not None:
        where.append("start_at >= ?")
        params.append(start)
    if end is not None:
        where.append("start_at < ?")
        params.append(end)
    wanted = _state_values(states)
    if wanted is not None:
        if not wanted:
            return []
        where.append(f"state IN ({', '.join('?' * len(wanted))})")
        params.extend(wanted)
    sql = (
        "SELECT id, participant_id, contact_type, start_at, end_at, state, signed_at,"
        " location_type FROM notes"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY start_at, id"
    )
    out = []
    for row in rows(db, sql, params, what=Msg("read the notes")):
        try:
            out.append(
                ContactTimes(
                    row["id"],
                    row["participant_id"],
                    ContactType(row["contact_type"]),
                    from_iso(row["start_at"]),
                    from_iso(row["end_at"]),
                    NoteState(row["state"]),
                    from_iso(row["signed_at"]) if row["signed_at"] else None,
                    LocationType(row["location_type"]),
                )
            )
        except ValueError as exc:
            raise CorruptData(
                "note record is malformed", table="notes", record_id=row["id"]
            ) from exc
    return out


def _row_id(row: dict[str, Any]) -> str:
    return str(row["id"])

"""Groups and their sessions on the laptop (issue 21, migration 0019).

A group is no one participant's record, so it has tables of its own
(``groups``, ``group_sessions``); what they say is one ``doc`` envelope per row
(the name, roster and end date; the topic, shared part, attendance and the
notes made). Plain columns: ids, the group of a session and the times. Groups
do not sync; a session's notes are ordinary notes (drafts, or signed and
journaled), written in the same transaction as the session row.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from peerdesk.domain.groups import (
    Group,
    GroupSession,
    SessionRecord,
    check_group,
    check_session,
    session_drafts,
)
from peerdesk.errors import CorruptData, Msg, ValidationError
from peerdesk.ids import from_iso, new_id, to_iso
from peerdesk.store.base import ReadResult, Repository, rows, stamp
from peerdesk.store.db import translate_errors
from peerdesk.store.notes import NoteRepo

SESSIONS = "group_sessions"


class GroupRepo(Repository):
    table = "groups"
    kind = "group"

    def __init__(self, db: Any, vault: Any, notes: NoteRepo) -> None:
        super().__init__(db, vault)
        self.notes = notes

    # -- groups --------------------------------------------------------------------------

    def _build(self, row: dict[str, Any]) -> Group:
        doc = self.unseal(row["id"], "doc", row["doc"])
        try:
            ended = doc.get("ended_on")
            return Group(
                id=row["id"],
                name=str(doc["name"]),
                members=tuple(str(m) for m in doc["members"]),
                created_at=from_iso(row["created_at"]),
                updated_at=from_iso(row["updated_at"]),
                ended_on=date.fromisoformat(ended) if ended else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise self.malformed(row["id"]) from exc

    def _save(self, group: Group, *, new: bool) -> None:
        doc = {
            "name": group.name,
            "members": list(group.members),
            "ended_on": group.ended_on.isoformat() if group.ended_on else None,
        }
        sealed = self.seal(group.id, "doc", doc)
        if new:
            self.db.conn.execute(
                "INSERT INTO groups (id, created_at, updated_at, doc) VALUES (?, ?, ?, ?)",
                (group.id, to_iso(group.created_at), to_iso(group.updated_at), sealed),
            )
        else:
            self.db.conn.execute(
                "UPDATE groups SET updated_at = ?, doc = ? WHERE id = ?",
                (to_iso(group.updated_at), sealed, group.id),
            )

    def _require_people(self, members: tuple[str, ...]) -> None:
        for pid in members:
            if not self.db.conn.execute(
                "SELECT 1 FROM participants WHERE id = ?", (pid,)
            ).fetchone():
                raise ValidationError(Msg("that participant does not exist"), field="members")

    def groups(self) -> ReadResult[Group]:
        """Every group: the active ones first, then by name."""
        result = self.read_many(
            rows(
                self.db,
                "SELECT * FROM groups ORDER BY created_at, id",
                [],
                what=Msg("read the groups"),
            ),
            lambda row: self._build(dict(row)),
        )
        result.items.sort(key=lambda g: (not g.active, g.name.casefold(), g.id))
        return result

    def group(self, group_id: str) -> Group:
        return self._build(self.row_by_id(group_id))

    def create(self, name: str, members: tuple[str, ...] | list[str]) -> Group:
        now = stamp()
        group = check_group(Group(new_id(), name, tuple(members), now, now))
        with translate_errors(Msg("save the group")), self.db.atomic():
            self._require_people(group.members)
            self._save(group, new=True)
        return group

    def update(self, group_id: str, name: str, members: tuple[str, ...] | list[str]) -> Group:
        """A new name or roster. An ended group stays as it was."""
        with translate_errors(Msg("save the group")), self.db.atomic():
            old = self.group(group_id)
            if not old.active:
                raise ValidationError(Msg("this group has ended"), field="group")
            group = check_group(replace(old, name=name, members=tuple(members), updated_at=stamp()))
            self._require_people(group.members)
            self._save(group, new=False)
        return group

    def end(self, group_id: str, on: date) -> Group:
        """The group has ended (it is kept, with its sessions)."""
        with translate_errors(Msg("end the group")), self.db.atomic():
            old = self.group(group_id)
            if not old.active:
                raise ValidationError(Msg("this group has already ended"), field="group")
            group = check_group(replace(old, ended_on=on, updated_at=stamp()))
            self._save(group, new=False)
        return group

    # -- sessions ------------------------------------------------------------------------

    def record_session(self, session: GroupSession) -> SessionRecord:
        """Save a session and each attendee's note (signed if asked), all or
        nothing; returns the session with its note ids."""
        with translate_errors(Msg("save the group session")), self.db.atomic():
            group = self.group(session.group_id)
            came, absent = check_session(group, session)
            note_ids = []
            for draft in session_drafts(group, session):
                note = self.notes.create_draft(draft)
                if session.sign:
                    note = self.notes.sign(note.id)
                note_ids.append(note.id)
            now = stamp()
            rec = SessionRecord(
                new_id(), group.id, session.start_at, session.minutes,
                session.topic.strip(), session.shared.strip(), came, absent, tuple(note_ids), now,
            )  # fmt: skip
            doc = {
                "minutes": rec.minutes, "topic": rec.topic, "shared": rec.shared,
                "attended": list(came), "absent": list(absent), "notes": list(note_ids),
            }  # fmt: skip
            self.db.conn.execute(
                "INSERT INTO group_sessions (id, group_id, start_at, created_at, doc)"
                " VALUES (?, ?, ?, ?, ?)",
                (rec.id, group.id, to_iso(rec.start_at), to_iso(now),
                 self.seal(rec.id, "doc", doc, table=SESSIONS)),
            )  # fmt: skip
        return rec

    def sessions(self, group_id: str) -> ReadResult[SessionRecord]:
        """A group's sessions, newest first."""
        found = rows(
            self.db,
            "SELECT * FROM group_sessions WHERE group_id = ? ORDER BY start_at DESC, id",
            [group_id],
            what=Msg("read the group sessions"),
        )
        return self.read_many(found, lambda row: self._session(dict(row)))

    def _session(self, row: dict[str, Any]) -> SessionRecord:
        doc = self.unseal(row["id"], "doc", row["doc"], table=SESSIONS)
        try:
            return SessionRecord(
                id=row["id"],
                group_id=row["group_id"],
                start_at=from_iso(row["start_at"]),
                minutes=int(doc["minutes"]),
                topic=str(doc["topic"]),
                shared=str(doc["shared"]),
                attended=tuple(str(p) for p in doc["attended"]),
                absent=tuple(str(p) for p in doc["absent"]),
                note_ids=tuple(str(n) for n in doc["notes"]),
                created_at=from_iso(row["created_at"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CorruptData(
                "group session record is malformed", table=SESSIONS, record_id=row["id"]
            ) from exc


__all__ = ["GroupRepo"]

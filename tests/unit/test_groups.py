"""Group sessions (issue 21): the roster rules, a session's attendance rules,
the notes a session makes (one per attendee, group contact, shared part and own
part, none for the absent), all or nothing, and the group, roster and shared
text encrypted at rest."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from peerdesk.crypto.envelope import looks_like_envelope
from peerdesk.domain.groups import (
    Group,
    GroupSession,
    check_group,
    check_session,
    session_drafts,
)
from peerdesk.domain.models import ContactType, NoteState
from peerdesk.errors import ValidationError

T0 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


def group(members=("a", "b", "c"), **kw) -> Group:
    base = {"id": "g1", "name": "Tuesday circle", "members": tuple(members),
            "created_at": T0, "updated_at": T0}  # fmt: skip
    base.update(kw)
    return Group(**base)


def meeting(attended=None, **kw) -> GroupSession:
    base = {"group_id": "g1", "start_at": T0, "minutes": 60, "topic": "Coping with holidays",
            "shared": "We named triggers and planned a sober outing.",
            "attended": attended if attended is not None else {"a": "Shared a plan.", "b": "Quiet."}}  # fmt: skip
    base.update(kw)
    return GroupSession(**base)


# -- the roster ---------------------------------------------------------------------------


def test_a_group_is_tidied_and_its_roster_has_no_repeats():
    g = check_group(group(("a", "b", "a", "", "c"), name="  Tuesday   circle "))
    assert g.name == "Tuesday circle" and g.members == ("a", "b", "c") and g.active


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"members": ("a",)}, "members"),
        ({"members": ("a", "a")}, "members"),
        ({"members": tuple(str(i) for i in range(41))}, "members"),
        ({"ended_on": date(2026, 12, 6)}, "ended_on"),
    ],
)
def test_a_group_is_refused_with_the_field(kw, field):
    with pytest.raises(ValidationError) as err:
        check_group(group(**kw))
    assert err.value.field == field


def test_attendance_comes_from_the_roster_and_the_rest_are_absent():
    came, absent = check_session(group(), meeting())
    assert came == ("a", "b") and absent == ("c",)


@pytest.mark.parametrize(
    ("g", "kw", "field"),
    [
        (group(ended_on=date(2026, 12, 8)), {}, "group"),
        (group(), {"attended": {}}, "attended"),
        (group(), {"attended": {"a": "ok", "zz": "not in the group"}}, "attended"),
        (group(), {"attended": {"a": "ok", "b": "  "}}, "individual"),
        (group(), {"topic": " "}, "topic"),
        (group(), {"shared": ""}, "shared"),
        (group(), {"minutes": 2}, "minutes"),
        (group(), {"minutes": 9 * 60}, "minutes"),
        (group(), {"start_at": datetime(2026, 12, 7, 10)}, "start_at"),
        (group(), {"group_id": "g2"}, "group"),
    ],
)
def test_a_session_is_refused_with_the_field(g, kw, field):
    with pytest.raises(ValidationError) as err:
        check_session(g, meeting(**kw))
    assert err.value.field == field


def test_each_attendee_gets_a_group_note_with_the_shared_part_and_only_their_own():
    drafts = session_drafts(group(), meeting())
    assert [d.participant_id for d in drafts] == ["a", "b"]
    assert {d.contact_type for d in drafts} == {ContactType.GROUP}
    assert drafts[0].end_at - drafts[0].start_at == timedelta(minutes=60)
    a, b = (d.body["text"] for d in drafts)
    for text in (a, b):
        assert (
            "Tuesday circle" in text and "sober outing" in text and "Coping with holidays" in text
        )
    assert "Shared a plan." in a and "Quiet." not in a
    assert "Quiet." in b and "Shared a plan." not in b


# -- the store ----------------------------------------------------------------------------


def people(session, n=3):
    return [session.participants.add(f"Person {i}").value.id for i in range(n)]


def test_groups_are_saved_renamed_and_ended(session):
    a, b, c = people(session)
    g = session.groups.create("Circle", [a, b]).value
    assert session.groups.get(g.id) == g
    g2 = session.groups.update(g.id, "Circle two", [a, b, c]).value
    assert session.groups.get(g.id).members == (a, b, c) and g2.name == "Circle two"
    with pytest.raises(ValidationError):
        session.groups.create("Ghosts", [a, "no-such-person"])
    ended = session.groups.end(g.id, date.today()).value
    assert not ended.active
    with pytest.raises(ValidationError):
        session.groups.update(g.id, "again", [a, b])
    with pytest.raises(ValidationError):
        session.groups.record_session(meeting({a: "x"}, group_id=g.id))
    assert [x.id for x in session.groups.groups().items] == [g.id]


def test_a_session_writes_one_note_per_attendee_all_or_nothing(session):
    a, b, c = people(session)
    g = session.groups.create("Circle", [a, b, c]).value
    before = session.notes.count()
    with pytest.raises(ValidationError):  # c's part missing: nothing is written
        session.groups.record_session(meeting({a: "x", c: " "}, group_id=g.id))
    assert session.notes.count() == before and session.groups.sessions(g.id).items == []
    rec = session.groups.record_session(
        meeting({a: "A's part", c: "C's part"}, group_id=g.id, sign=True)
    ).value
    assert rec.attended == (a, c) and rec.absent == (b,)
    notes = [session.notes.get(n) for n in rec.note_ids]
    assert [n.participant_id for n in notes] == [a, c]
    assert {n.state for n in notes} == {NoteState.SIGNED}
    assert session.groups.sessions(g.id).items == [rec]


def test_groups_and_sessions_are_encrypted_at_rest_canary(session, data_dir: Path, reopen):
    canary = f"cnry{secrets.token_hex(8)}"
    a, b, c = people(session)
    g = session.groups.create(f"Circle {canary}", [a, b, c]).value
    session.groups.record_session(
        meeting(
            {a: f"own {canary}"}, group_id=g.id, topic=f"topic {canary}", shared=f"did {canary}"
        )
    )
    docs = [
        r[0]
        for r in session._db.conn.execute(
            "SELECT doc FROM groups UNION ALL SELECT doc FROM group_sessions"
        )
    ]
    assert len(docs) == 2 and all(looks_like_envelope(d) for d in docs)
    cols = " ".join(
        str(r)
        for r in session._db.conn.execute("SELECT id, group_id, start_at FROM group_sessions")
    )
    for pid in (a, b, c):  # the roster and attendance are not in plain columns
        assert pid not in cols
    session._db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for p in data_dir.rglob("*"):
        if p.is_file():
            assert canary.encode() not in p.read_bytes(), p
    again = reopen(session)
    assert again.groups.get(g.id).name == f"Circle {canary}"
    assert again.groups.get(g.id).members == (a, b, c)
    assert again.groups.sessions(g.id).items[0].shared == f"did {canary}"

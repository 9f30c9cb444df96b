"""Crisis support (issue 21): the flag's and the safety plan's checks, the
payload readers (bad payloads refused with BadPayload), the outbox's ordering
rule (crisis records and a flagged person's notes first), the supervisor's queue
order, and the safety plan encrypted at rest (canary in the file and its WAL)."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from peerdesk.crypto.envelope import looks_like_envelope
from peerdesk.domain.crisis import (
    SAFETY_STEPS,
    URGENT,
    CrisisFlag,
    SafetyPlan,
    check_flag,
    check_plan,
    current_flag,
    sync_priority,
)
from peerdesk.domain.models import NoteTemplate
from peerdesk.errors import ValidationError
from peerdesk.services import DB_FILE
from peerdesk.wire.payloads import BadPayload, check_note, note_payload
from peerdesk.wire.record_payloads import (
    check_record,
    crisis_payload,
    payload_of,
    record_from,
    safety_plan_payload,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def flag(**kw) -> CrisisFlag:
    base = CrisisFlag("f-1", "p-1", "says they are not safe", T0, "ana", T0, T0)
    return replace(base, **kw)


def plan(**kw) -> SafetyPlan:
    base = SafetyPlan("s-1", "p-1", T0, T0, warning_signs=("not sleeping",), professionals=("988",))
    return replace(base, **kw)


# -- rules -------------------------------------------------------------------------------


def test_the_ordering_rule():
    assert sync_priority("crisis", participant_in_crisis=False) == URGENT
    assert sync_priority("safety_plan", participant_in_crisis=False) == URGENT
    for kind in ("note", "addendum", "resubmit"):
        assert sync_priority(kind, participant_in_crisis=True) == URGENT
        assert sync_priority(kind, participant_in_crisis=False) == 0
    for kind in ("trip", "participant", "plan", "care_member"):
        assert sync_priority(kind, participant_in_crisis=True) == 0


def test_flag_checks_and_the_flag_in_force():
    assert check_flag(flag(reason="  tidy  ")).reason == "tidy"
    with pytest.raises(ValidationError) as e:
        check_flag(flag(reason="   "))
    assert e.value.field == "reason"
    with pytest.raises(ValidationError):
        check_flag(flag(reason="x" * 501))
    with pytest.raises(ValidationError):
        check_flag(flag(cleared_at=T0 - timedelta(minutes=1), cleared_by="ana"))
    with pytest.raises(ValidationError):
        check_flag(flag(cleared_at=T0 + timedelta(hours=1), cleared_by=" "))
    old = flag(id="a", cleared_at=T0 + timedelta(hours=1), cleared_by="ana")
    new = flag(id="b", flagged_at=T0 + timedelta(days=1))
    assert current_flag([old, new]) == new
    assert current_flag([old]) is None and not old.active


def test_plan_checks_drop_empty_lines_and_cap_them():
    p = check_plan(plan(coping=(" walk the dog ", "", "  ")))
    assert p.coping == ("walk the dog",) and not p.empty
    assert SafetyPlan("x", "p", T0, T0).empty
    with pytest.raises(ValidationError) as e:
        check_plan(plan(environment=tuple(f"l{i}" for i in range(31))))
    assert e.value.field == "environment"
    with pytest.raises(ValidationError):
        check_plan(plan(help_people=("x" * 501,)))


# -- payloads ----------------------------------------------------------------------------


def test_payloads_round_trip_and_ignore_unknown_keys():
    f = flag(cleared_at=T0 + timedelta(hours=2), cleared_by="sam", outcome="safe at home")
    kind, doc = payload_of(f)
    assert kind == "crisis"
    assert record_from("crisis", f.id, {**doc, "later_key": 1}) == f
    p = plan()
    kind, doc = payload_of(p)
    assert kind == "safety_plan" and set(SAFETY_STEPS) <= set(doc)
    assert record_from("safety_plan", p.id, doc) == p
    # a later step key missing (an older laptop): an empty step
    older = {k: v for k, v in doc.items() if k != "environment"}
    assert record_from("safety_plan", p.id, older).environment == ()


def _without(key):
    return lambda d: {k: v for k, v in d.items() if k != key}


def _with(**kw):
    return lambda d: {**d, **kw}


@pytest.mark.parametrize(
    "spoil",
    [
        lambda d: "not a map",
        _without("participant_id"),
        _without("reason"),
        _without("flagged_at"),
        _with(reason=""),
        _with(reason=["x"]),
        _with(flagged_by=None),
        _with(flagged_at="noon"),
        _with(cleared_at="2025-12-31T00:00:00+00:00", cleared_by="sam"),  # before flagged
        _with(flagged_at="9999-12-31T00:00:00+00:00", created_at="9999-12-31T00:00:00+00:00"),
        _with(outcome=5),
    ],
)
def test_bad_crisis_payloads_are_refused(spoil):
    with pytest.raises(BadPayload):
        check_record("crisis", spoil(crisis_payload(flag())), "f-1")


@pytest.mark.parametrize(
    "spoil",
    [
        lambda d: ["a list"],
        _without("participant_id"),
        _without("updated_at"),
        _with(warning_signs="one line"),
        _with(coping=[1, 2]),
        _with(professionals=["x" * 1001]),
        _with(environment=[f"l{i}" for i in range(31)]),
        _with(created_at="1066-10-14T00:00:00+00:00"),
    ],
)
def test_bad_safety_plan_payloads_are_refused(spoil):
    with pytest.raises(BadPayload):
        check_record("safety_plan", spoil(safety_plan_payload(plan())), "s-1")


def test_a_crisis_mark_on_a_note_must_be_true_or_false(session, make_draft):
    person = session.participants.add("Mark Note").value
    note = session.notes.sign(session.notes.create_draft(make_draft(person.id)).value.id).value
    doc = note_payload(note)
    assert check_note({**doc, "crisis": True})["crisis"] is True
    with pytest.raises(BadPayload):
        check_note({**doc, "crisis": "yes"})


# -- the store: the outbox's order -------------------------------------------------------


def sign(session, make_draft, person_id: str, day: int) -> str:
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC) + timedelta(days=day)
    draft = make_draft(person_id, NoteTemplate.FREE, body={"text": f"day {day}"}, start=start)
    return session.notes.sign(session.notes.create_draft(draft).value.id).value.id


def test_the_outbox_sends_crisis_records_and_a_flagged_persons_notes_first(session, make_draft):
    calm = session.participants.add("Calm Person").value
    storm = session.participants.add("Storm Person").value
    older = [sign(session, make_draft, p.id, i) for i, p in enumerate([calm, storm] * 3)]
    flagged = session.record.flag_crisis(storm.id, "panic, talking about ending it").value
    assert flagged.flagged_by == session.name and flagged.active
    crisis_note = sign(session, make_draft, storm.id, 20)
    calm_note = sign(session, make_draft, calm.id, 21)
    addendum = session.notes.add_addendum(older[1], "called back after the crisis").value
    s_plan = session.record.save_safety_plan(
        replace(session.record.empty_safety_plan(storm.id), coping=("breathing",))
    ).value
    queue = session._stores.outbox.pending()
    first = [(e.entity, e.entity_id) for e in queue[:4]]
    assert first == [
        ("crisis", flagged.id),
        ("note", crisis_note),
        ("addendum", addendum.id),
        ("safety_plan", s_plan.id),
    ]
    rest = [e.entity_id for e in queue[4:] if e.entity == "note"]
    assert rest == [*older, calm_note]  # the others keep journal order
    # a cursor walk (the sync run's) sees each entry once, urgent first
    seen, cursor = [], 0
    while batch := session._stores.outbox.pending_after(cursor, 3):
        seen += [e.op_id for e in batch]
        cursor = batch[-1].position
    assert seen == [e.op_id for e in queue]
    # cleared: a new note of that person is ordinary again
    cleared = session.record.clear_crisis(storm.id, "with family").value
    assert (cleared.cleared_by, cleared.outcome, cleared.active) == (
        session.name,
        "with family",
        False,
    )
    after = sign(session, make_draft, storm.id, 30)
    assert session._stores.outbox.pending()[-1].entity_id == after
    assert session.record.in_crisis() == set()
    with pytest.raises(ValidationError):
        session.record.clear_crisis(storm.id)


def test_flagging_twice_is_refused_and_the_view_lists_history(session):
    person = session.participants.add("Twice Flagged").value
    session.record.flag_crisis(person.id, "first")
    with pytest.raises(ValidationError):
        session.record.flag_crisis(person.id, "again")
    session.record.clear_crisis(person.id)
    session.record.flag_crisis(person.id, "second time")
    view = session.record.crisis(person.id)
    assert view.in_crisis and view.flag is not None and view.flag.reason == "second time"
    assert [f.reason for f in view.history] == ["second time", "first"]
    assert view.plan is None


# -- encrypted at rest -------------------------------------------------------------------


def _file_bytes(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_safety_plan_and_flag_are_encrypted_at_rest_canary(session, data_dir: Path, reopen):
    canary = f"cnry{secrets.token_hex(8)}"
    person = session.participants.add("Robin Canary").value
    steps = {key: (f"{key} {canary}",) for key in SAFETY_STEPS}
    session.record.save_safety_plan(replace(session.record.empty_safety_plan(person.id), **steps))
    session.record.flag_crisis(person.id, f"reason {canary}")
    rows = list(session._db.conn.execute("SELECT kind, doc FROM participant_records"))
    assert sorted(r[0] for r in rows) == ["crisis", "safety_plan"]
    assert all(looks_like_envelope(r[1]) for r in rows)
    assert session.maintenance.doctor().plaintext_columns == []
    files = _file_bytes(data_dir)
    wal = [data for p, data in files.items() if p.name == DB_FILE + "-wal"]
    assert wal and len(wal[0]) > 0, "the writes are still in the WAL"
    needles = [canary.encode(), canary.encode("utf-16-le")]
    for path, data in files.items():
        for needle in needles:
            assert needle not in data, path
    again = reopen(session)
    saved = again.record.crisis(person.id).plan
    assert saved is not None and saved.environment == (f"environment {canary}",)
    again.close()
    for path, data in _file_bytes(data_dir).items():
        for needle in needles:
            assert needle not in data, path


def test_the_demo_profile_has_a_participant_with_a_safety_plan_in_crisis(manager):
    from peerdesk.demo.profiles import ensure_demo_profile

    demo = ensure_demo_profile(manager)
    try:
        flagged = demo.record.in_crisis()
        assert len(flagged) == 1
        view = demo.record.crisis(next(iter(flagged)))
        assert view.in_crisis and view.plan is not None
        assert all(view.plan.step(k) for k in SAFETY_STEPS)
        assert any("988" in line for line in view.plan.professionals)
        assert any(any(p.strip() == "988" for p in s.phones) for s in view.lines) or not view.lines
    finally:
        demo.close()


def test_the_decrypted_export_holds_flags_and_safety_plans(session, tmp_path: Path):
    import json

    person = session.participants.add("Export Person").value
    session.record.flag_crisis(person.id, "export reason")
    session.record.save_safety_plan(
        replace(session.record.empty_safety_plan(person.id), coping=("call Dee",))
    )
    target = tmp_path / "export.json"
    session.maintenance.export_json(target)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [f["reason"] for f in data["crisis_flags"]] == ["export reason"]
    assert [p["coping"] for p in data["safety_plans"]] == [["call Dee"]]


def test_migration_0014_keeps_the_journal_and_journals_crisis_records_first(session, reopen):
    import sqlite3

    from tests.unit.test_migrations import roll_back_schema

    old, remaining = roll_back_schema(session, "0016_note_coordination_frozen")
    assert remaining[0] == "0017_crisis"
    before = len(old.outbox)
    s2 = reopen(session)
    assert s2._applied_now == remaining
    queue = s2._stores.outbox.pending(10_000)
    assert all(e.position > e.seq for e in queue)  # every older entry: priority 0
    person = next(iter(old.participants))
    flag = s2.record.flag_crisis(person, "after the upgrade").value
    first = s2._stores.outbox.pending(1)
    assert [(e.entity, e.entity_id) for e in first] == [("crisis", flag.id)]
    assert len(s2._stores.outbox.pending(10_000)) == len(queue) + 1 >= before
    with pytest.raises(sqlite3.IntegrityError):
        s2._db.execute("UPDATE outbox SET priority = 2 WHERE seq = ?", [first[0].seq])
    s2._db.conn.rollback()
    assert s2.maintenance.doctor().ok

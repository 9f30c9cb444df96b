"""Referrals and suggested corrections: encrypted at rest (a canary never reaches
a file), journaled in the outbox in the same transaction, and the follow-up rule."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from peerdesk.crypto.envelope import looks_like_envelope
from peerdesk.domain.referrals import ReferralStatus, check_status_change
from peerdesk.errors import NotFound, ValidationError, VaultLocked
from peerdesk.store.health import DIRECTORY_SENSITIVE_COLUMNS
from peerdesk.store.outbox import ENTITIES


@pytest.fixture
def seeded(session):
    session.directory.seed_if_empty()
    return session


@pytest.fixture
def person(seeded):
    return seeded.participants.add("Robin Referral").value


def service_id(session, name: str) -> str:
    return next(h.id for h in session.directory.search(name).hits if h.name == name)


def outbox_rows(session) -> list[tuple[str, str, str]]:
    return [(e.entity, e.entity_id, e.op) for e in session._outbox.pending()]


def test_referral_and_follow_up_round_trip(seeded, person, reopen):
    sid = service_id(seeded, "Opioid Treatment Program")
    made = seeded.directory.refer(person.id, sid, follow_up="Call Tuesday to check in.").value
    assert made.status is ReferralStatus.MADE
    assert made.service_name == "Opioid Treatment Program"

    done = seeded.directory.set_referral_status(
        made.id, "connected", follow_up="First visit went well."
    ).value

    again = reopen(seeded)
    stored = again.directory.referral(made.id)
    assert stored == done
    assert stored.status is ReferralStatus.CONNECTED
    assert stored.follow_up == "First visit went well."
    # the same millisecond is possible on a fast machine: not earlier, never before
    assert stored.created_at == made.created_at <= stored.updated_at
    assert again.directory.referrals(participant_id=person.id).items == [stored]


def test_each_change_is_journaled_in_the_outbox(seeded, person):
    assert {"referral", "correction"} <= ENTITIES
    sid = service_id(seeded, "Dial-a-Ride")
    before = outbox_rows(seeded)
    ref = seeded.directory.refer(person.id, sid).value
    seeded.directory.set_referral_status(ref.id, ReferralStatus.NOT_CONNECTED)
    fix = seeded.directory.suggest_correction(sid, "The fare went up to $3.").value
    assert outbox_rows(seeded)[len(before) :] == [
        ("referral", ref.id, "add"),
        ("referral", ref.id, "status"),
        ("correction", fix.id, "add"),
    ]


def test_a_failed_outbox_write_leaves_no_referral_behind(seeded, person, monkeypatch):
    sid = service_id(seeded, "Dial-a-Ride")
    journal_before = outbox_rows(seeded)

    def broken(*args, **kwargs):
        raise RuntimeError("journal unavailable")

    monkeypatch.setattr(seeded._outbox, "record", broken)
    with pytest.raises(RuntimeError):
        seeded.directory.refer(person.id, sid)
    with pytest.raises(RuntimeError):
        seeded.directory.suggest_correction(sid, "Closed on Fridays now.")
    monkeypatch.undo()

    assert seeded._db.conn.execute("SELECT count(*) FROM referrals").fetchone()[0] == 0
    assert seeded._db.conn.execute("SELECT count(*) FROM corrections").fetchone()[0] == 0
    assert outbox_rows(seeded) == journal_before


def test_a_failed_status_journal_keeps_the_old_status(seeded, person, monkeypatch):
    ref = seeded.directory.refer(
        person.id, service_id(seeded, "Dial-a-Ride"), follow_up="before"
    ).value
    monkeypatch.setattr(
        seeded._outbox, "record", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("x"))
    )
    with pytest.raises(RuntimeError):
        seeded.directory.set_referral_status(ref.id, "connected", follow_up="after")
    monkeypatch.undo()
    assert seeded.directory.referral(ref.id) == ref


def test_canary_in_follow_up_and_correction_never_reaches_a_file(
    seeded, person, reopen, data_dir: Path
):
    canary = f"canary-{secrets.token_hex(8)}"
    sid = service_id(seeded, "Outpatient Counseling")
    ref = seeded.directory.refer(person.id, sid, follow_up=f"follow-up {canary}").value
    seeded.directory.set_referral_status(ref.id, "connected", follow_up=f"update {canary}")
    seeded.directory.suggest_correction(sid, f"new hours {canary}")
    again = reopen(seeded)  # closes (checkpoints the WAL) and reopens
    assert canary in again.directory.referral(ref.id).follow_up
    again.close()

    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert any(p.name.endswith(".db") for p in files)
    for path in files:
        assert canary.encode() not in path.read_bytes(), path


def test_where_someone_was_referred_is_not_stored_in_plaintext(seeded, person):
    sid = service_id(seeded, "Opioid Treatment Program")
    seeded.directory.refer(person.id, sid)
    seeded.directory.suggest_correction(sid, "text")
    rows = seeded._db.conn.execute("SELECT * FROM referrals").fetchall()
    assert rows and not any(sid in str(v) for row in rows for v in row)
    for table, columns in DIRECTORY_SENSITIVE_COLUMNS.items():
        for column in columns:
            values = [r[0] for r in seeded._db.conn.execute(f"SELECT {column} FROM {table}")]
            assert values and all(looks_like_envelope(v) for v in values), f"{table}.{column}"
    assert seeded.maintenance.doctor().plaintext_columns == []


def test_doctor_reports_plaintext_in_the_referral_tables(seeded, person):
    sid = service_id(seeded, "Dial-a-Ride")
    seeded.directory.refer(person.id, sid)
    seeded.directory.suggest_correction(sid, "text")
    seeded._db.conn.execute("UPDATE referrals SET details = ?", (b"Opioid Treatment Program",))
    seeded._db.conn.execute("UPDATE corrections SET suggestion = ?", (b"plain",))
    seeded._db.conn.commit()
    assert seeded.maintenance.doctor().plaintext_columns == [
        "referrals.details: 1 row(s)",
        "corrections.suggestion: 1 row(s)",
    ]


def test_a_locked_vault_refuses_and_writes_nothing(seeded, person):
    sid = service_id(seeded, "Dial-a-Ride")
    seeded.lock()
    with pytest.raises(VaultLocked):
        seeded.directory.refer(person.id, sid)
    with pytest.raises(VaultLocked):
        seeded.directory.suggest_correction(sid, "text")
    assert seeded._db.conn.execute("SELECT count(*) FROM referrals").fetchone()[0] == 0
    assert seeded._db.conn.execute("SELECT count(*) FROM corrections").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("field", "make"),
    [
        ("participant_id", lambda s, p, sid, note: s.directory.refer("no-such-person", sid).value),
        ("service_id", lambda s, p, sid, note: s.directory.refer(p.id, "no-such-service").value),
        (
            "note_id",
            lambda s, p, sid, note: s.directory.refer(p.id, sid, note_id="no-such-note").value,
        ),
        (
            "follow_up",
            lambda s, p, sid, note: s.directory.refer(p.id, sid, follow_up="x" * 4001).value,
        ),
        (
            "service_id",
            lambda s, p, sid, note: s.directory.suggest_correction("no-such-service", "text").value,
        ),
        ("suggestion", lambda s, p, sid, note: s.directory.suggest_correction(sid, "   ").value),
    ],
)
def test_bad_references_and_text_are_refused(seeded, person, make_draft, field, make):
    other = seeded.participants.add("Someone Else").value
    note = seeded.notes.create_draft(make_draft(other.id)).value
    sid = service_id(seeded, "Dial-a-Ride")
    before = outbox_rows(seeded)
    with pytest.raises(ValidationError) as err:
        make(seeded, person, sid, note)
    assert err.value.field == field
    assert outbox_rows(seeded) == before


def test_a_note_about_another_participant_cannot_carry_the_referral(seeded, person, make_draft):
    other = seeded.participants.add("Someone Else").value
    note = seeded.notes.create_draft(make_draft(other.id)).value
    with pytest.raises(ValidationError, match="another participant"):
        seeded.directory.refer(person.id, service_id(seeded, "Dial-a-Ride"), note_id=note.id)


def test_referral_from_a_note_and_listing_by_note(seeded, person, make_draft):
    note = seeded.notes.create_draft(make_draft(person.id)).value
    ref = seeded.directory.refer(
        person.id, service_id(seeded, "Dial-a-Ride"), note_id=note.id
    ).value
    assert seeded.directory.referrals(note_id=note.id).items == [ref]
    assert seeded.directory.referrals(note_id="other").items == []


def test_discarding_the_draft_keeps_the_referral(seeded, person, make_draft):
    note = seeded.notes.create_draft(make_draft(person.id)).value
    ref = seeded.directory.refer(
        person.id, service_id(seeded, "Dial-a-Ride"), note_id=note.id
    ).value
    seeded.notes.discard_draft(note.id)
    assert seeded.directory.referral(ref.id).note_id is None


def test_referral_keeps_the_service_name_after_the_directory_drops_it(seeded, person):
    sid = service_id(seeded, "Dial-a-Ride")
    ref = seeded.directory.refer(person.id, sid).value
    seeded._db.conn.execute("DELETE FROM directory_services WHERE id = ?", (sid,))
    seeded._db.conn.commit()
    assert seeded.directory.referral(ref.id).service_name == "Dial-a-Ride"


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        ("made", "connected", True),
        ("made", "not_connected", True),
        ("not_connected", "connected", True),
        ("connected", "not_connected", True),
        ("connected", "connected", True),
        ("connected", "made", False),
        ("not_connected", "made", False),
    ],
)
def test_follow_up_rule(current, new, allowed):
    if allowed:
        check_status_change(ReferralStatus(current), ReferralStatus(new))
    else:
        with pytest.raises(ValidationError, match="cannot go back"):
            check_status_change(ReferralStatus(current), ReferralStatus(new))


def test_status_changes_go_through_the_rule(seeded, person):
    ref = seeded.directory.refer(person.id, service_id(seeded, "Dial-a-Ride")).value
    seeded.directory.set_referral_status(ref.id, "connected")
    with pytest.raises(ValidationError, match="cannot go back"):
        seeded.directory.set_referral_status(ref.id, "made")
    with pytest.raises(ValidationError, match="unknown referral status"):
        seeded.directory.set_referral_status(ref.id, "lost")
    with pytest.raises(NotFound):
        seeded.directory.set_referral_status("no-such-referral", "connected")


def test_corrections_are_listed_per_service_newest_first(seeded):
    a, b = service_id(seeded, "Dial-a-Ride"), service_id(seeded, "Peer Warmline")
    first = seeded.directory.suggest_correction(a, "Phone changed.").value
    second = seeded.directory.suggest_correction(a, "Saturday hours too.").value
    seeded.directory.suggest_correction(b, "Other.")
    assert seeded.directory.corrections(service_id=a).items == [second, first]
    assert seeded.directory.correction(first.id).suggestion == "Phone changed."

"""The workforce record through ``session.workforce`` (issue 23): what is
journaled for sync (sessions, certification, CEU; a wellbeing check-in only when
shared; the self-care plan never), the settings, and everything encrypted at
rest (canary on every file of the profile)."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from peerdesk.crypto.envelope import looks_like_envelope
from peerdesk.domain.workforce import (
    DEFAULT_CEU,
    DEFAULT_SUPERVISION,
    Certification,
    CeuEntry,
    Expiry,
    FollowUp,
    Requirement,
    SelfCarePlan,
    SessionFormat,
    SupervisionSession,
    WellbeingCheckIn,
    WorkforceSettings,
)
from peerdesk.errors import NotFound, ValidationError
from peerdesk.services.changes import Changes

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TODAY = date.today()


def outbox(session) -> list[tuple[str, str]]:
    return [
        (r[0], r[1])
        for r in session._db.conn.execute("SELECT entity, entity_id FROM outbox ORDER BY seq")
    ]


def session_of(
    day: date, minutes: int, topic: str = "boundaries", follow: str = "read"
) -> SupervisionSession:
    return SupervisionSession(
        "", day, minutes, SessionFormat.INDIVIDUAL, "Sam Lee", T0, T0, (topic,), (FollowUp(follow),)
    )


def test_synced_parts_are_journaled_private_parts_are_not(session):
    work = session.workforce
    s = work.add_session(session_of(TODAY, 60)).value
    cert = work.set_certification(
        Certification(
            "", "PA", "CPS-77", TODAY - timedelta(days=700), TODAY + timedelta(days=40), T0, T0
        )
    )
    assert cert.changes == Changes(workforce=True, outbox=True)
    entry = work.add_ceu(
        CeuEntry("", TODAY, "Ethics", "Board", Decimal("1.5"), T0, "cert #9")
    ).value
    private = work.add_check_in(WellbeingCheckIn("", TODAY, 2, 4, 3, T0, "tired"))
    assert private.changes == Changes(workforce=True)  # nothing journaled
    plan = work.save_self_care(SelfCarePlan("no sleep", "walks", "Jo"))
    assert plan.changes == Changes(workforce=True)
    journal = outbox(session)
    assert journal == [("supervision", s.id), ("certification", cert.value.id), ("ceu", entry.id)]
    # the sync engine's read refuses what is private
    with pytest.raises(NotFound):
        session._stores.workforce.synced("wellbeing", private.value.id)
    with pytest.raises(NotFound):
        session._stores.workforce.synced("selfcare", "selfcare")
    shared = work.share_check_in(private.value.id)
    assert shared.value.shared and shared.changes.outbox
    assert outbox(session)[-1] == ("wellbeing", private.value.id)
    assert session._stores.workforce.synced("wellbeing", private.value.id).shared
    with pytest.raises(ValidationError):
        work.share_check_in(private.value.id)
    # a renewal updates the one certification; a follow-up ticked journals the session
    work.set_certification(
        Certification("", "PA", "CPS-77", TODAY, TODAY + timedelta(days=730), T0, T0)
    )
    done = work.set_follow_ups(s.id, (FollowUp("read", True),)).value
    assert done.follow_ups == (FollowUp("read", True),)
    mine = work.mine(TODAY)
    assert mine.record.certification is not None
    assert mine.record.certification.id == cert.value.id
    assert mine.status.expiry.state is Expiry.CURRENT
    assert mine.status.supervision.done == Decimal("1.00")
    assert mine.self_care.what_helps == "walks"
    assert [c.note for c in mine.record.check_ins] == ["tired"]
    assert outbox(session)[-2:] == [("certification", cert.value.id), ("supervision", s.id)]


def test_settings_default_and_change(session):
    work = session.workforce
    assert work.settings() == WorkforceSettings(DEFAULT_SUPERVISION, DEFAULT_CEU)
    new = WorkforceSettings(Requirement(Decimal("4.5"), 2), Requirement(Decimal(18), 12))
    assert work.save_settings(new).changes.settings
    assert work.settings() == new
    with pytest.raises(ValidationError) as err:
        work.save_settings(WorkforceSettings(Requirement(Decimal(1), 0)))
    assert err.value.field == "supervision_months"
    work.add_session(session_of(TODAY.replace(day=1), 120))
    status = work.status(TODAY)
    assert status.supervision.required == Decimal("4.5")
    assert status.supervision.done >= Decimal("2.00")


def test_the_workforce_record_is_encrypted_at_rest_canary(session, reopen, data_dir: Path):
    canary = f"cnry-{secrets.token_hex(8)}"
    work = session.workforce
    work.add_session(session_of(TODAY, 45, f"topic {canary}", f"follow {canary}"))
    work.set_certification(
        Certification("", "VT", f"N-{canary}"[:60], TODAY, TODAY + timedelta(days=90), T0, T0)
    )
    work.add_ceu(CeuEntry("", TODAY, f"course {canary}", f"prov {canary}", Decimal(3), T0, canary))
    work.add_check_in(WellbeingCheckIn("", TODAY, 1, 5, 1, T0, f"private {canary}"))
    work.save_self_care(SelfCarePlan(f"signs {canary}", f"helps {canary}", f"call {canary}"))
    cols = [c[1] for c in session._db.conn.execute("PRAGMA table_info(workforce_records)")]
    assert cols == ["id", "kind", "created_at", "updated_at", "shared", "doc"]
    docs = [r[0] for r in session._db.conn.execute("SELECT doc FROM workforce_records")]
    assert len(docs) == 5 and all(looks_like_envelope(d) for d in docs)
    assert session.maintenance.doctor().plaintext_columns == []
    again = reopen(session)
    mine = again.workforce.mine(TODAY)
    assert mine.record.check_ins[0].note == f"private {canary}"
    assert mine.self_care.who_to_call == f"call {canary}"
    again.close()
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert any(p.name.endswith(".db") for p in files)
    for path in files:
        data = path.read_bytes()
        assert canary.encode() not in data, path
        assert canary.encode("utf-16-le") not in data, path


def test_the_decrypted_export_holds_the_peers_own_workforce_record(session, tmp_path: Path):
    import json

    work = session.workforce
    work.add_session(session_of(TODAY, 30))
    work.add_check_in(WellbeingCheckIn("", TODAY, 2, 2, 2, T0, "mine"))
    work.save_self_care(SelfCarePlan("a", "b", "c"))
    session.maintenance.export_json(tmp_path / "out.json")
    data = json.loads((tmp_path / "out.json").read_text("utf-8"))
    assert [s["minutes"] for s in data["supervision_sessions"]] == [30]
    assert [c["note"] for c in data["wellbeing_check_ins"]] == ["mine"]
    assert data["self_care_plan"]["who_to_call"] == "c"
    assert data["certification"] is None


def test_a_received_payload_is_checked():
    from peerdesk.wire.payloads import BadPayload
    from peerdesk.wire.workforce_payloads import check_workforce, payload_of

    check_in = WellbeingCheckIn("w", TODAY, 2, 3, 4, T0, "x", shared=False)
    kind, doc = payload_of(check_in)
    with pytest.raises(BadPayload):  # an unshared check-in is never accepted
        check_workforce(kind, doc, "w")
    assert check_workforce(kind, {**doc, "shared": True}, "w")["energy"] == 2
    with pytest.raises(BadPayload):
        check_workforce("selfcare", payload_of(SelfCarePlan("a"))[1], "selfcare")
    kind, doc = payload_of(CeuEntry("e", TODAY, "t", "p", Decimal("2.5"), T0))
    for bad in ("NaN", "-1", "x", "1000"):
        with pytest.raises(BadPayload):
            check_workforce(kind, {**doc, "hours": bad}, "e")
    kind, doc = payload_of(session_of(TODAY, 60))
    with pytest.raises(BadPayload):
        check_workforce(kind, {**doc, "minutes": 0}, "s")
    with pytest.raises(BadPayload):
        check_workforce(kind, {**doc, "held_on": "9999-01-01"}, "s")


# -- one damaged record is reported, never fatal (review item 2) ---------------------------


def _flip_doc_byte(session, kind: str) -> str:
    row = session._db.conn.execute(
        "SELECT id, doc FROM workforce_records WHERE kind = ?", (kind,)
    ).fetchone()
    doc = bytearray(row[1])
    doc[len(doc) // 2] ^= 0x01
    session._db.conn.execute(
        "UPDATE workforce_records SET doc = ? WHERE id = ?", (bytes(doc), row[0])
    )
    session._db.conn.commit()
    return row[0]


def _cert(number: str) -> Certification:
    return Certification(
        "", "PA", number, TODAY - timedelta(days=700), TODAY + timedelta(days=400), T0, T0
    )


def test_a_damaged_certification_is_reported_and_entering_it_again_mends_it(
    session, tmp_path: Path
):
    import json

    work = session.workforce
    work.add_session(session_of(TODAY, 60))
    first = work.set_certification(_cert("CPS-1")).value
    damaged_id = _flip_doc_byte(session, "certification")
    assert damaged_id == first.id

    mine = work.mine(TODAY)  # My work opens, and says one record did not open
    assert mine.record.certification is None and mine.damaged == 1
    assert mine.status.expiry.state is Expiry.NONE
    assert work.status(TODAY).supervision is not None  # Today's line still works
    session.maintenance.export_json(tmp_path / "out.json")
    data = json.loads((tmp_path / "out.json").read_text("utf-8"))
    assert data["certification"] is None
    assert any(damaged_id in e for e in data["damaged"])

    again = work.set_certification(_cert("CPS-2")).value  # overwrites the damaged row
    assert again.id == first.id and again.created_at == first.created_at
    assert work.mine(TODAY).damaged == 0
    assert work.mine(TODAY).record.certification.number == "CPS-2"
    rows = session._db.conn.execute(
        "SELECT count(*) FROM workforce_records WHERE kind = 'certification'"
    ).fetchone()[0]
    assert rows == 1
    assert outbox(session)[-1] == ("certification", first.id)


def test_a_damaged_self_care_plan_reads_as_empty_and_saving_again_mends_it(session):
    work = session.workforce
    work.save_self_care(SelfCarePlan("no sleep", "walks", "Jo"))
    _flip_doc_byte(session, "selfcare")
    mine = work.mine(TODAY)
    assert mine.self_care == SelfCarePlan() and mine.damaged == 1
    work.save_self_care(SelfCarePlan("late nights", "music", "Ana"))
    mine = work.mine(TODAY)
    assert mine.self_care.who_to_call == "Ana" and mine.damaged == 0


@pytest.mark.parametrize(
    ("kind", "record", "spoil"),
    [
        ("certification", "cert", {"state": ""}),
        ("certification", "cert", {"number": "  "}),
        ("certification", "cert", {"expires_on": "2020-01-01"}),  # == issued
        ("certification", "cert", {"expires_on": "2019-06-01"}),  # before issued
        ("ceu", "ceu", {"hours": "0.001"}),
        ("ceu", "ceu", {"hours": "1E+2"}),
        ("ceu", "ceu", {"hours": "1_0"}),
        ("ceu", "ceu", {"hours": "+5"}),
        ("ceu", "ceu", {"title": ""}),
        ("wellbeing", "check_in", {"note": "x" * 5_000}),
    ],
)
def test_payload_readers_refuse_what_the_input_checks_refuse(kind, record, spoil):
    from peerdesk.wire.payloads import BadPayload
    from peerdesk.wire.workforce_payloads import payload_of, workforce_from

    records = {
        "cert": Certification("c", "PA", "CPS-1", date(2020, 1, 1), date(2022, 1, 1), T0, T0),
        "ceu": CeuEntry("e", TODAY, "Ethics", "Board", Decimal("2.5"), T0),
        "check_in": WellbeingCheckIn("w", TODAY, 2, 3, 4, T0, "ok", shared=True),
    }
    got, doc = payload_of(records[record])
    assert got == kind and workforce_from(kind, "x", doc)  # the unspoilt one reads
    with pytest.raises(BadPayload):
        workforce_from(kind, "x", {**doc, **spoil})


def test_payload_readers_take_a_future_date_and_whole_hours():
    from peerdesk.wire.workforce_payloads import payload_of, workforce_from

    later = TODAY + timedelta(days=3)  # judged at entry, not when read back
    kind, doc = payload_of(CeuEntry("e", later, "Ethics", "Board", Decimal(10), T0))
    assert workforce_from(kind, "e", doc).hours == Decimal(10)
    assert workforce_from(kind, "e", {**doc, "hours": "10.00"}).hours == Decimal("10.00")

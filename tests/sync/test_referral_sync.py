"""Referrals and suggested directory corrections travel to the agency like every
other record: sealed to the review key, acknowledged, and readable by the
reviewer only; a follow-up status change syncs the referral again, whole."""

from __future__ import annotations

from peerdesk.domain.referrals import ReferralStatus
from peerdesk.wire.protocol import RECORD_KINDS

FOOD_PANTRY = "121b37c1-8ee"  # prefix of "Alder Falls Food Pantry" in the seed


def _device_id(session) -> str:
    return session._device.get().device_id


def _pantry(session) -> str:
    hit = session.directory.search("Alder Falls Food Pantry").hits[0]
    assert hit.id.startswith(FOOD_PANTRY)
    return hit.id


def test_referral_and_correction_are_record_kinds_of_the_protocol():
    assert {"referral", "correction"} <= RECORD_KINDS


def test_a_referral_and_a_correction_sync_and_open_on_the_agency_side(
    enrolled, agency, run_sync, make_draft
):
    s = enrolled
    s.directory.seed_if_empty()
    person = s.participants.add("Jordan Fieldcase").value
    note = s.notes.sign(s.notes.create_draft(make_draft(person.id)).value.id).value
    service = _pantry(s)
    referral = s.directory.refer(
        person.id, service, note_id=note.id, follow_up="call Tuesday"
    ).value
    correction = s.directory.suggest_correction(service, "Open Saturdays now, 9 to noon.").value

    result = run_sync(s)

    assert result.summary.quarantined_here == 0 and s.link.quarantine() == []
    assert s._outbox.counts().pending == 0
    opened = {(kind, eid): payload for kind, eid, payload in agency.opened(_device_id(s))}
    sent = opened[("referral", referral.id)]
    assert sent == {
        "participant_id": person.id,
        "service_id": service,
        "service_name": "Alder Falls Food Pantry",
        "note_id": note.id,
        "status": "made",
        "follow_up": "call Tuesday",
        "consent_id": None,  # shares nothing, so no consent was needed (issue 20)
        "created_at": sent["created_at"],
        "updated_at": sent["updated_at"],
    }
    assert sent["created_at"].startswith(referral.created_at.date().isoformat())
    fix = opened[("correction", correction.id)]
    assert fix["service_id"] == service
    assert fix["suggestion"] == "Open Saturdays now, 9 to noon."
    # sealed: the text is nowhere in what the agency stores
    stored = b"".join(
        st.segment.sealed if st.segment else st.record.sealed for st in agency.records.values()
    )
    assert b"Saturdays" not in stored and b"call Tuesday" not in stored


def test_a_follow_up_status_change_syncs_the_referral_again(enrolled, agency, run_sync):
    s = enrolled
    s.directory.seed_if_empty()
    person = s.participants.add("Sam Sample").value
    referral = s.directory.refer(person.id, _pantry(s)).value
    run_sync(s)

    s.directory.set_referral_status(
        referral.id, ReferralStatus.CONNECTED, follow_up="got a box Friday"
    )
    result = run_sync(s)

    assert result.summary.acked == 1
    versions = [p for kind, eid, p in agency.opened(_device_id(s)) if eid == referral.id]
    assert [v["status"] for v in versions] == ["made", "connected"]
    assert versions[-1]["follow_up"] == "got a box Friday"


def test_a_referral_record_that_no_longer_reads_is_set_aside_not_sent(enrolled, agency, run_sync):
    s = enrolled
    s.directory.seed_if_empty()
    person = s.participants.add("Robin Example").value
    referral = s.directory.refer(person.id, _pantry(s)).value
    # move another row's envelope into this row: it must not open here
    other = s.directory.refer(person.id, _pantry(s)).value
    s._db.conn.execute(
        "UPDATE referrals SET details = (SELECT details FROM referrals WHERE id = ?) WHERE id = ?",
        (other.id, referral.id),
    )
    s._db.conn.commit()

    result = run_sync(s)

    assert result.summary.quarantined_here == 1
    [item] = s.link.quarantine()
    assert (item.entity, item.entity_id, item.code) == ("referral", referral.id, "unreadable")
    assert ("referral", other.id) in {(k, e) for k, e, _ in agency.opened(_device_id(s))}

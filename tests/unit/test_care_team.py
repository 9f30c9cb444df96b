"""The participant's care team (issue 23): the entry's checks (name, role, phone,
email), the consent link (current, revoked, expired, none), the payload readers,
the store (encrypted at rest: canary in the database file and its WAL; journaled
for sync; ended, not deleted), a note's coordination contact, and migration 0012."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from peerdesk.crypto.envelope import looks_like_envelope
from peerdesk.domain.care_team import (
    CareRole,
    CareTeamMember,
    check_email,
    check_member,
    check_phone,
    consent_link,
    member_words,
)
from peerdesk.domain.record import ConsentState
from peerdesk.errors import ValidationError
from peerdesk.services import DB_FILE
from peerdesk.services.changes import Changes
from peerdesk.wire.payloads import BadPayload, check_note, note_payload
from peerdesk.wire.record_payloads import (
    check_record,
    member_payload,
    payload_of,
    record_from,
)
from tests.unit.test_record_store import consent

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TODAY = date.today()


def member(name: str = "Dana Ruiz", role: CareRole | str = CareRole.CLINICIAN, **kw):
    base = CareTeamMember(
        id="m-1",
        participant_id="p-1",
        name=name,
        role=role,  # type: ignore[arg-type]
        created_at=T0,
        updated_at=T0,
    )
    return replace(base, **kw)


# -- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    ["555-0134", "(555) 201-0134", "+1 555 201 0134", "555.201.0134 x12", "555 201 0134 ext. 7"],
)
def test_usual_phone_numbers_are_accepted(phone):
    assert check_phone(f"  {phone} ") == phone


@pytest.mark.parametrize(
    ("phone", "words"),
    [
        ("call me", "only digits"),
        ("555-01a4", "only digits"),
        ("12345", "too short"),
        ("+1 555 201 0134 9999 99", "too long"),
        ("555#0134000", "only digits"),
    ],
)
def test_bad_phone_numbers_are_refused_with_what_is_wrong(phone, words):
    with pytest.raises(ValidationError) as err:
        check_phone(phone)
    assert err.value.field == "phone" and words in str(err.value)


@pytest.mark.parametrize("email", ["dana@clinic.org", "d.ruiz+care@mail.example.com"])
def test_usual_emails_are_accepted(email):
    assert check_email(f" {email} ") == email


@pytest.mark.parametrize(
    "email", ["dana", "dana@clinic", "dana@@clinic.org", "da na@clinic.org", "@clinic.org"]
)
def test_bad_emails_are_refused(email):
    with pytest.raises(ValidationError) as err:
        check_email(email)
    assert err.value.field == "email" and "name@example.org" in str(err.value)


def test_empty_phone_and_email_are_allowed_and_texts_are_tidied():
    m = check_member(
        member("  Dana   Ruiz ", organisation=" Harbor  Clinic ", phone="", email=""),
        today=TODAY,
    )
    assert (m.name, m.organisation, m.phone, m.email) == ("Dana Ruiz", "Harbor Clinic", "", "")


@pytest.mark.parametrize("name", ["", "   ", "\n\t"])
def test_an_entry_needs_a_name(name):
    with pytest.raises(ValidationError) as err:
        check_member(member(name), today=TODAY)
    assert err.value.field == "name"


def test_an_unknown_role_is_refused_and_other_needs_words():
    with pytest.raises(ValidationError) as err:
        check_member(member(role="wizard"), today=TODAY)
    assert err.value.field == "role"
    with pytest.raises(ValidationError) as err:
        check_member(member(role=CareRole.OTHER), today=TODAY)
    assert err.value.field == "role_other"
    ok = check_member(member(role="other", role_other=" pastor "), today=TODAY)
    assert ok.role is CareRole.OTHER and ok.role_other == "pastor"
    # words for "other" are dropped for a listed role
    assert check_member(member(role_other="x"), today=TODAY).role_other == ""


def test_an_end_date_cannot_be_in_the_future():
    with pytest.raises(ValidationError) as err:
        check_member(member(ended_on=TODAY + timedelta(days=1)), today=TODAY)
    assert err.value.field == "ended_on"
    # someone who left before the entry was written down (an old caseworker) is fine
    assert check_member(member(ended_on=date(2025, 12, 31)), today=TODAY).ended_on


def test_natural_supports():
    assert member(role=CareRole.SPONSOR).natural_support
    assert not member(role=CareRole.CASE_MANAGER).natural_support


# -- consent link ------------------------------------------------------------------------


def test_consent_link_current_revoked_expired_and_none():
    dana = member("Dana Ruiz", organisation="Harbor Clinic")
    current = replace(consent("p-1", "Harbor Clinic", None), id="c-cur")
    assert consent_link(dana, [current], today=TODAY).consent == current
    # by the member's own name too, whatever the case and spacing
    by_name = replace(consent("p-1", "dana  ruiz", None), id="c-name")
    assert consent_link(dana, [by_name], today=TODAY).ok

    revoked = replace(current, id="c-rev", revoked_on=TODAY - timedelta(days=1))
    found = consent_link(dana, [revoked], today=TODAY)
    assert not found.ok and found.closest is ConsentState.REVOKED
    assert found.closest_consent == revoked

    expired = replace(current, id="c-exp", expires_on=TODAY - timedelta(days=1))
    found = consent_link(dana, [expired, revoked], today=TODAY)
    assert not found.ok and found.closest is ConsentState.EXPIRED

    other = replace(consent("p-1", "Someone Else", None), id="c-other")
    found = consent_link(dana, [other], today=TODAY)
    assert not found.ok and found.closest is None and found.closest_consent is None
    assert not consent_link(dana, [], today=TODAY).ok


def test_a_consent_the_entry_links_to_decides_and_a_service_consent_counts_by_name():
    dana = member("Dana Ruiz", organisation="Harbor Clinic")
    unnamed = replace(consent("p-1", "County Services", None), id="c-linked")
    assert consent_link(replace(dana, consent_id="c-linked"), [unnamed], today=TODAY).ok
    revoked = replace(unnamed, revoked_on=TODAY)
    current_by_name = replace(consent("p-1", "Harbor Clinic", None), id="c-2")
    found = consent_link(
        replace(dana, consent_id="c-linked"), [revoked, current_by_name], today=TODAY
    )
    assert not found.ok and found.closest is ConsentState.REVOKED  # the linked one decides
    # a consent naming a directory service covers the organisation of that name
    service = replace(consent("p-1", "Harbor Clinic", "svc-9"), id="c-svc")
    assert consent_link(dana, [service], today=TODAY).consent == service


# -- payloads ----------------------------------------------------------------------------


def test_payload_round_trip_ignores_unknown_keys_and_defaults_later_ones():
    m = check_member(
        member(
            organisation="Harbor Clinic", phone="555-201-0134", email="d@harbor.org",
            contact_notes="mornings", consent_id="c-1", role=CareRole.OTHER, role_other="pastor",
        ),
        today=TODAY,
    )  # fmt: skip
    kind, doc = payload_of(m)
    assert kind == "care_member" and doc == member_payload(m)
    assert record_from(kind, m.id, {**doc, "future_key": [1, 2]}) == m
    slim = {k: doc[k] for k in ("participant_id", "name", "role", "created_at", "updated_at")}
    old = record_from("care_member", m.id, slim)
    assert isinstance(old, CareTeamMember)
    assert (old.organisation, old.phone, old.consent_id, old.ended_on) == ("", "", None, None)
    assert check_record("care_member", doc, m.id) == doc


def _without(key):
    return lambda d: {k: v for k, v in d.items() if k != key}


def _with(**kw):
    return lambda d: {**d, **kw}


@pytest.mark.parametrize(
    "spoil",
    [
        lambda d: "not a map",
        _without("participant_id"),
        _without("name"),
        _without("created_at"),
        _with(role="wizard"),
        _with(name=""),
        _with(name=7),
        _with(phone=["555"]),
        _with(ended_on="yesterday"),
        _with(ended_on="9999-12-31"),
        _with(created_at="noon"),
        _with(consent_id=12),
    ],
)
def test_bad_payloads_are_refused(spoil):
    doc = spoil(member_payload(member()))
    with pytest.raises(BadPayload):
        check_record("care_member", doc, "m-1")


def test_note_payload_carries_the_coordination_contact_and_older_ones_read(session, make_draft):
    person = session.participants.add("Robin Team").value
    m = session.record.add_member(member(participant_id=person.id)).value
    note = session.notes.create_draft(replace(make_draft(person.id), coordinated_with=m.id)).value
    doc = note_payload(note)
    assert doc["coordinated_with"] == m.id
    assert check_note(doc)["coordinated_with"] == m.id
    older = {k: v for k, v in doc.items() if k != "coordinated_with"}
    assert "coordinated_with" not in check_note(older)
    with pytest.raises(BadPayload):
        check_note({**doc, "coordinated_with": {"id": m.id}})


# -- the store ---------------------------------------------------------------------------


def test_add_edit_end_journal_and_overview_with_consent(session):
    person = session.participants.add("Robin Team").value
    added = session.record.add_member(
        member(participant_id=person.id, organisation="Harbor Clinic", phone="555 201 0134")
    )
    assert added.changes == Changes(record=True, outbox=True)
    m = added.value
    sponsor = session.record.add_member(
        member("Alex Pike", CareRole.SPONSOR, participant_id=person.id)
    ).value
    with pytest.raises(ValidationError) as err:
        session.record.add_member(member(participant_id=person.id, email="nope"))
    assert err.value.field == "email"
    edited = session.record.update_member(replace(m, phone="555 201 9999")).value
    assert edited.phone == "555 201 9999" and edited.created_at == m.created_at
    c = session.record.add_consent(consent(person.id, "Harbor Clinic", None)).value
    view = session.record.overview(person.id)
    assert [(x.name, link.ok) for x, link in view.care_team] == [
        ("Alex Pike", False),
        ("Dana Ruiz", True),
    ]
    session.record.revoke_consent(c.id, TODAY)
    view = session.record.overview(person.id)
    assert [link.closest for _, link in view.care_team] == [None, ConsentState.REVOKED]

    ended = session.record.end_member(sponsor.id, TODAY).value
    assert not ended.active
    with pytest.raises(ValidationError):
        session.record.end_member(sponsor.id, TODAY)
    assert [x.name for x in session.record.care_team(person.id).items] == [
        "Dana Ruiz",
        "Alex Pike",
    ]
    # a consent link must be this person's own consent
    other = session.participants.add("Other Person").value
    theirs = session.record.add_consent(consent(other.id, "Harbor Clinic", None)).value
    with pytest.raises(ValidationError) as err:
        session.record.update_member(replace(edited, consent_id=theirs.id))
    assert err.value.field == "consent_id"
    assert session.record.update_member(replace(edited, consent_id=c.id)).value.consent_id == c.id
    entries = [e.entity for e in session._outbox.pending() if e.entity == "care_member"]
    assert len(entries) == 5  # two adds, an edit, an end, the consent link


def test_a_note_records_a_coordination_contact_of_its_own_participant(session, make_draft):
    person = session.participants.add("Robin Team").value
    other = session.participants.add("Other Person").value
    m = session.record.add_member(member(participant_id=person.id)).value
    theirs = session.record.add_member(member(participant_id=other.id)).value
    note = session.notes.create_draft(replace(make_draft(person.id), coordinated_with=m.id)).value
    assert session.notes.get(note.id).coordinated_with == m.id
    with pytest.raises(ValidationError) as err:
        session.notes.save_draft(
            note.id, replace(make_draft(person.id), coordinated_with=theirs.id)
        )
    assert err.value.field == "coordinated_with"
    cleared = session.notes.save_draft(note.id, replace(make_draft(person.id), coordinated_with=""))
    assert cleared.value.coordinated_with is None
    assert session.notes.get(note.id).coordinated_with is None
    plain = session.notes.create_draft(make_draft(person.id)).value
    assert plain.coordinated_with is None
    blobs = [r[0] for r in session._db.conn.execute("SELECT coordination FROM notes")]
    assert len(blobs) == 2 and all(looks_like_envelope(b) for b in blobs)
    assert session.maintenance.doctor().plaintext_columns == []


def _file_bytes(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_care_team_is_encrypted_at_rest_canary(session, make_draft, data_dir: Path, reopen):
    canary = f"cnry{secrets.token_hex(8)}"
    phone_digits = "".join(str(secrets.randbelow(10)) for _ in range(10))
    phone = f"{phone_digits[:3]}-{phone_digits[3:6]}-{phone_digits[6:]}"
    person = session.participants.add("Robin Canary").value
    m = session.record.add_member(
        member(
            f"Name {canary}", CareRole.OTHER, participant_id=person.id,
            role_other=f"role {canary}", organisation=f"Org {canary}", phone=phone,
            email=f"{canary}@example.org", contact_notes=f"notes {canary}",
        )
    ).value  # fmt: skip
    session.record.update_member(replace(m, contact_notes=f"evenings {canary}"))
    session.notes.create_draft(replace(make_draft(person.id), coordinated_with=m.id))
    rows = list(session._db.conn.execute("SELECT * FROM participant_records"))
    assert len(rows) == 1 and looks_like_envelope(rows[0][-1])
    assert session.maintenance.doctor().plaintext_columns == []
    # while the profile is open: the database file and its WAL hold none of it
    files = _file_bytes(data_dir)
    wal = [data for p, data in files.items() if p.name == DB_FILE + "-wal"]
    assert wal and len(wal[0]) > 0, "the writes are still in the WAL"
    assert any(p.name == DB_FILE for p in files)
    needles = [canary.encode(), canary.encode("utf-16-le"), phone.encode(), phone_digits.encode()]
    for path, data in files.items():
        for needle in needles:
            assert needle not in data, path
    again = reopen(session)
    assert again.record.care_team(person.id).items[0].contact_notes == f"evenings {canary}"
    again.close()
    for path, data in _file_bytes(data_dir).items():
        for needle in needles:
            assert needle not in data, path


# -- migration 0012 ----------------------------------------------------------------------


def test_migration_0012_keeps_records_and_notes_and_journals_care_members(session, reopen):
    from tests.unit.test_migrations import roll_back_schema

    old, remaining = roll_back_schema(session, "0011_refetch_record_kinds")
    assert remaining[0] == "0012_care_team"
    s2 = reopen(session)
    assert s2._applied_now == remaining
    for nid in old.notes:
        assert s2.notes.get(nid).coordinated_with is None  # NULL before 0012: none
    person = next(iter(old.participants))
    m = s2.record.add_member(member(participant_id=person)).value
    tail = s2._db.execute(
        "SELECT entity, entity_id FROM outbox ORDER BY seq DESC LIMIT 1"
    ).fetchall()
    assert tail == [("care_member", m.id)]
    with pytest.raises(sqlite3.IntegrityError):
        s2._db.execute(
            "INSERT INTO participant_records (id, participant_id, kind, created_at, updated_at,"
            " doc) VALUES ('x', ?, 'photo', 'now', 'now', x'00')",
            [person],
        )
    s2._db.conn.rollback()
    assert s2.maintenance.doctor().ok


def test_member_words_name_the_organisation_when_there_is_one():
    assert member_words(member("Dana Ruiz", organisation="Harbor Clinic")) == (
        "Dana Ruiz (Harbor Clinic)"
    )
    assert member_words(member("Alex Pike", CareRole.SPONSOR)) == "Alex Pike"


def test_the_decrypted_json_export_holds_the_care_team(session, tmp_path):
    import json

    person = session.participants.add("Robin Team").value
    session.record.add_member(member(participant_id=person.id, phone="555-201-0134"))
    count = session.maintenance.export_json(tmp_path / "out.json").value
    data = json.loads((tmp_path / "out.json").read_text())
    assert [(m["name"], m["role"], m["phone"]) for m in data["care_team"]] == [
        ("Dana Ruiz", "clinician", "555-201-0134")
    ]
    assert count == 1 + 1

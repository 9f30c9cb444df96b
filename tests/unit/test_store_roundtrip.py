"""Every aggregate survives encrypt -> store -> close -> reopen -> unlock -> load
unchanged; drafts autosave without journaling; signed notes are immutable; bad
input is refused with ValidationError / InvalidTransition / NotFound."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from peerdesk.domain.models import (
    TEMPLATE_SECTIONS,
    ContactType,
    DestinationType,
    LocationType,
    NoteState,
    NoteTemplate,
    TripPurpose,
)
from peerdesk.errors import (
    InvalidTransition,
    NotFound,
    StorageUnavailable,
    ValidationError,
)
from peerdesk.ids import new_id
from peerdesk.store.outbox import Outbox


def outbox_ops(session):
    return [(e.entity, e.entity_id, e.op) for e in session._outbox.pending()]


def body_for(template: NoteTemplate, text: str) -> dict[str, str]:
    return {s: f"{s} -- {text}" for s in TEMPLATE_SECTIONS[template]}


@pytest.fixture
def participant(session):
    return session.participants.add("Robin Example", date_of_birth=date(1980, 2, 29)).value


# -- round trips -------------------------------------------------------------------------


def test_participant_with_every_field_survives_reopen(session, reopen):
    added = session.participants.add(
        "Jordan Q. Sample-Ortiz",
        date_of_birth=date(1975, 11, 3),
        phone="+1 (555) 010-4477",
        medicaid_id="MD-99887766",
        details="Prefers afternoon calls.\nDog named Biscuit; ünïcödé ok ✓",
    ).value
    updated = session.participants.update(
        replace(added, details=added.details + " Moved in May.", active=False)
    ).value

    s2 = reopen(session)
    loaded = s2.participants.get(added.id)

    assert loaded == updated
    assert loaded.date_of_birth == date(1975, 11, 3)
    assert loaded.phone == "+1 (555) 010-4477"
    assert loaded.medicaid_id == "MD-99887766"
    assert loaded.active is False
    assert s2.participants.list().items == []  # inactive hidden by default
    assert s2.participants.list(include_inactive=True).items == [updated]


def test_participant_returned_by_add_equals_the_one_loaded(session):
    added = session.participants.add("Sam Minimal").value
    assert session.participants.get(added.id) == added


@pytest.mark.parametrize("template", list(NoteTemplate))
def test_draft_note_in_each_template_survives_reopen(
    session, reopen, participant, make_draft, template
):
    draft = make_draft(
        participant.id,
        template,
        body=body_for(template, "walked to the food bank; talked about the job fair"),
        goals=("apply for two jobs", "call sister on Sunday"),
        contact_type=ContactType.PHONE,
        location_type=LocationType.VEHICLE,
    )
    created = session.notes.create_draft(draft).value

    s2 = reopen(session)
    loaded = s2.notes.get(created.id)

    assert loaded == created
    assert loaded.state is NoteState.DRAFT
    assert loaded.template is template
    assert list(loaded.body) == list(TEMPLATE_SECTIONS[template])
    assert loaded.body == body_for(template, "walked to the food bank; talked about the job fair")
    assert loaded.goals == ("apply for two jobs", "call sister on Sunday")
    assert loaded.duration_minutes == 50
    assert loaded.signed_at is None


def test_partial_body_is_stored_with_every_template_section(session, participant, make_draft):
    note = session.notes.create_draft(
        make_draft(participant.id, NoteTemplate.SOAP, body={"plan": "follow up Friday"})
    ).value
    assert note.body == {
        "subjective": "",
        "objective": "",
        "assessment": "",
        "plan": "follow up Friday",
    }


def test_signed_note_and_addendum_survive_reopen(session, reopen, participant, make_draft):
    draft = session.notes.create_draft(make_draft(participant.id, NoteTemplate.DAP)).value
    signed = session.notes.sign(draft.id).value
    add = session.notes.add_addendum(signed.id, "  Correction: the meeting was at 2 pm.  ").value

    s2 = reopen(session)
    loaded = s2.notes.get(signed.id)

    assert loaded.state is NoteState.SIGNED
    assert loaded.signed_at is not None
    assert loaded.signed_at == signed.signed_at
    assert loaded.body == signed.body
    assert loaded.goals == signed.goals
    assert loaded.addenda == (add,)
    assert add.text == "Correction: the meeting was at 2 pm."
    assert s2.notes.list(state=NoteState.SIGNED, with_addenda=True).items == [loaded]


def test_trip_with_odometer_readings_survives_reopen(session, reopen, participant):
    trip = session.trips.add(
        date(2024, 5, 6),
        TripPurpose.MEDICAL,
        DestinationType.CLINIC,
        with_participant=True,
        participant_id=participant.id,
        odometer_start=Decimal("48211.4"),
        odometer_end=Decimal("48236.9"),
        destination="Valley Health Clinic, 12 Mill Rd",
        notes="waited 40 minutes",
    ).value

    loaded = reopen(session).trips.get(trip.id)

    assert loaded == trip
    assert loaded.odometer_start == Decimal("48211.4")
    assert loaded.odometer_end == Decimal("48236.9")
    assert loaded.miles is None
    assert loaded.destination == "Valley Health Clinic, 12 Mill Rd"


def test_trip_with_miles_only_survives_reopen(session, reopen):
    trip = session.trips.add(
        date(2024, 4, 30),
        "grocery",
        "store",
        miles=Decimal("17.25"),
        destination="Main St market",
    ).value

    s2 = reopen(session)
    loaded = s2.trips.get(trip.id)

    assert loaded == trip
    assert loaded.miles == Decimal("17.25")
    assert loaded.with_participant is False
    assert loaded.participant_id is None
    assert loaded.notes == ""
    assert s2.trips.list(year=2024, month=4).items == [trip]
    assert s2.trips.list(year=2024, month=5).items == []


# -- drafts and the outbox -----------------------------------------------------------------


def test_draft_autosave_replaces_content_and_is_never_journaled(
    session, reopen, participant, make_draft
):
    before = outbox_ops(session)
    note = session.notes.create_draft(
        make_draft(participant.id, NoteTemplate.FREE, body={"text": "v1"})
    ).value
    for version in ("v2", "v3", "v4 final words"):
        saved = session.notes.save_draft(
            note.id, make_draft(participant.id, NoteTemplate.FREE, body={"text": version})
        ).value
    assert saved.body == {"text": "v4 final words"}
    assert saved.updated_at >= note.updated_at
    assert outbox_ops(session) == before
    assert all(e.entity_id != note.id for e in session._outbox.pending())

    loaded = reopen(session).notes.get(note.id)
    assert loaded.body == {"text": "v4 final words"}
    assert loaded.state is NoteState.DRAFT


def test_save_draft_can_switch_template(session, participant, make_draft):
    note = session.notes.create_draft(make_draft(participant.id, NoteTemplate.FREE)).value
    saved = session.notes.save_draft(note.id, make_draft(participant.id, NoteTemplate.GIRP)).value
    assert saved.template is NoteTemplate.GIRP
    assert list(saved.body) == ["goal", "intervention", "response", "plan"]


def test_discarded_draft_is_gone(session, participant, make_draft):
    note = session.notes.create_draft(make_draft(participant.id)).value
    session.notes.discard_draft(note.id)
    with pytest.raises(NotFound):
        session.notes.get(note.id)
    assert session.notes.count() == 0


def test_adding_a_participant_journals_it(session):
    p = session.participants.add("Lee Journal").value
    assert ("participant", p.id, "upsert") in outbox_ops(session)
    session.participants.update(replace(p, phone="555 0100"))
    assert outbox_ops(session).count(("participant", p.id, "upsert")) == 2


def test_signing_journals_the_note_and_audits_it(session, participant, make_draft):
    note = session.notes.create_draft(make_draft(participant.id)).value
    session.notes.sign(note.id)
    assert outbox_ops(session)[-1] == ("note", note.id, "sign")
    last = session._audit.entries(limit=1)[0]
    assert last.event == "note_signed"
    assert last.detail == {"note_id": note.id}


def test_addendum_is_journaled(session, participant, make_draft):
    note = session.notes.sign(session.notes.create_draft(make_draft(participant.id)).value.id).value
    add = session.notes.add_addendum(note.id, "Participant called back.").value
    assert outbox_ops(session)[-1] == ("addendum", add.id, "add")
    assert session._audit.entries(limit=1)[0].event == "addendum_added"


def test_trip_is_journaled(session):
    trip = session.trips.add(
        date(2024, 5, 1), "benefits", "social_services", miles=Decimal(4)
    ).value
    assert outbox_ops(session)[-1] == ("trip", trip.id, "add")


def _failing_outbox(monkeypatch):
    def fail(self, entity, entity_id, op):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Outbox, "record", fail)


def test_sign_is_rolled_back_when_the_journal_write_fails(
    session, participant, make_draft, monkeypatch
):
    note = session.notes.create_draft(make_draft(participant.id)).value
    audit_rows = len(session._audit.entries())
    _failing_outbox(monkeypatch)

    with pytest.raises(StorageUnavailable):
        session.notes.sign(note.id)

    assert session.notes.get(note.id).state is NoteState.DRAFT
    assert session.notes.get(note.id).signed_at is None
    assert len(session._audit.entries()) == audit_rows


def test_participant_and_trip_are_not_saved_when_the_journal_write_fails(session, monkeypatch):
    _failing_outbox(monkeypatch)
    with pytest.raises(StorageUnavailable):
        session.participants.add("Nobody Saved")
    with pytest.raises(StorageUnavailable):
        session.trips.add(date(2024, 5, 1), "housing", "agency_office", miles=Decimal(3))
    assert session.participants.list(include_inactive=True).items == []
    assert session.trips.list().items == []


def test_addendum_is_not_saved_when_the_journal_write_fails(
    session, participant, make_draft, monkeypatch
):
    note = session.notes.sign(session.notes.create_draft(make_draft(participant.id)).value.id).value
    _failing_outbox(monkeypatch)
    with pytest.raises(StorageUnavailable):
        session.notes.add_addendum(note.id, "never stored")
    assert session.notes.get(note.id).addenda == ()


# -- signed notes are immutable ------------------------------------------------------------


@pytest.fixture
def signed(session, participant, make_draft):
    return session.notes.sign(session.notes.create_draft(make_draft(participant.id)).value.id).value


def test_signed_note_cannot_be_edited(session, signed, participant, make_draft):
    with pytest.raises(InvalidTransition) as err:
        session.notes.save_draft(
            signed.id, make_draft(participant.id, body=body_for(NoteTemplate.GIRP, "changed"))
        )
    assert err.value.state == "signed"
    assert session.notes.get(signed.id) == signed


def test_signed_note_cannot_be_discarded(session, signed):
    with pytest.raises(InvalidTransition):
        session.notes.discard_draft(signed.id)
    assert session.notes.get(signed.id) == signed


def test_signed_note_cannot_be_signed_twice(session, signed):
    journal = outbox_ops(session)
    with pytest.raises(InvalidTransition):
        session.notes.sign(signed.id)
    assert outbox_ops(session) == journal


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE notes SET body = X'00' WHERE id = ?",
        "UPDATE notes SET goals = goals WHERE id = ?",
        "UPDATE notes SET start_at = '2020-01-01T00:00:00.000+00:00' WHERE id = ?",
        "UPDATE notes SET participant_id = participant_id WHERE id = ?",
        "UPDATE notes SET signed_at = NULL WHERE id = ?",
        "DELETE FROM notes WHERE id = ?",
        "UPDATE notes SET id = 'forged' WHERE id = ?",
        "UPDATE notes SET created_at = '2020-01-01T00:00:00.000+00:00' WHERE id = ?",
        "UPDATE notes SET coordination = X'00' WHERE id = ?",
        "UPDATE notes SET coordination = NULL WHERE id = ?",
    ],
    ids=[
        "body",
        "goals",
        "start_at",
        "participant",
        "signed_at",
        "delete",
        "id",
        "created_at",
        "coordination",
        "coordination_null",
    ],  # fmt: skip
)
def test_database_trigger_refuses_changing_a_signed_note(session, signed, sql):
    with pytest.raises(sqlite3.IntegrityError, match="signed notes"):
        session._db.conn.execute(sql, (signed.id,))
    session._db.conn.rollback()
    assert session.notes.get(signed.id) == signed


@pytest.mark.parametrize(
    "sql",
    ["UPDATE addenda SET text = X'00' WHERE note_id = ?", "DELETE FROM addenda WHERE note_id = ?"],
    ids=["update", "delete"],
)
def test_database_trigger_refuses_changing_an_addendum(session, signed, sql):
    added = session.notes.add_addendum(signed.id, "called back the next day").value
    with pytest.raises(sqlite3.IntegrityError, match="addenda"):
        session._db.conn.execute(sql, (signed.id,))
    session._db.conn.rollback()
    assert session.notes.get(signed.id).addenda == (added,)


def test_review_state_of_a_signed_note_may_still_move_on(session, signed):
    session._db.conn.execute("UPDATE notes SET state = 'submitted' WHERE id = ?", (signed.id,))
    session._db.conn.commit()
    assert session.notes.get(signed.id).state is NoteState.SUBMITTED


def test_addendum_on_a_draft_is_refused(session, participant, make_draft):
    note = session.notes.create_draft(make_draft(participant.id)).value
    journal = outbox_ops(session)
    with pytest.raises(InvalidTransition) as err:
        session.notes.add_addendum(note.id, "too early")
    assert err.value.state == "draft"
    assert session.notes.get(note.id).addenda == ()
    assert outbox_ops(session) == journal


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_addendum_is_refused(session, signed, text):
    with pytest.raises(ValidationError) as err:
        session.notes.add_addendum(signed.id, text)
    assert err.value.field == "text"


def test_empty_draft_cannot_be_signed(session, participant, make_draft):
    note = session.notes.create_draft(make_draft(participant.id, body={"goal": "  "})).value
    with pytest.raises(ValidationError):
        session.notes.sign(note.id)
    assert session.notes.get(note.id).state is NoteState.DRAFT


# -- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "   ", "\n\t"])
def test_participant_without_a_name_is_refused(session, name):
    with pytest.raises(ValidationError) as err:
        session.participants.add(name)
    assert err.value.field == "display_name"
    assert session.participants.list(include_inactive=True).items == []
    assert outbox_ops(session) == []


def test_participant_born_in_the_future_is_refused(session):
    with pytest.raises(ValidationError) as err:
        session.participants.add("Future Person", date_of_birth=date.today() + timedelta(days=1))
    assert err.value.field == "date_of_birth"
    assert session.participants.list(include_inactive=True).items == []


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("phone", {"phone": "call me maybe"}),
        ("medicaid_id", {"medicaid_id": "MD 12/34"}),
        ("date_of_birth", {"date_of_birth": date(1850, 1, 1)}),
    ],
)
def test_participant_with_malformed_details_is_refused(session, field, kwargs):
    with pytest.raises(ValidationError) as err:
        session.participants.add("Pat Example", **kwargs)
    assert err.value.field == field


@pytest.mark.parametrize("minutes", [0, -30])
def test_note_ending_before_it_starts_is_refused(session, participant, make_draft, minutes):
    with pytest.raises(ValidationError) as err:
        session.notes.create_draft(make_draft(participant.id, minutes=minutes))
    assert err.value.field == "end_at"
    assert session.notes.count() == 0


def test_note_with_an_unknown_template_section_is_refused(session, participant, make_draft):
    with pytest.raises(ValidationError, match="no section 'feelings'"):
        session.notes.create_draft(
            make_draft(participant.id, NoteTemplate.DAP, body={"data": "x", "feelings": "y"})
        )
    assert session.notes.count() == 0


def test_autosave_with_an_unknown_section_leaves_the_draft_unchanged(
    session, participant, make_draft
):
    note = session.notes.create_draft(
        make_draft(participant.id, NoteTemplate.FREE, body={"text": "kept"})
    ).value
    with pytest.raises(ValidationError):
        session.notes.save_draft(
            note.id, make_draft(participant.id, NoteTemplate.FREE, body={"goal": "x"})
        )
    assert session.notes.get(note.id) == note


def test_note_with_an_unknown_template_is_refused(session, participant, make_draft):
    with pytest.raises(ValidationError):
        session.notes.create_draft(
            make_draft(participant.id, "narrative", body={"text": "x"})  # type: ignore[arg-type]
        )
    assert session.notes.count() == 0


def test_note_for_an_unknown_participant_is_refused(session, make_draft):
    with pytest.raises(ValidationError) as err:
        session.notes.create_draft(make_draft(new_id()))
    assert err.value.field == "participant_id"
    assert session.notes.count() == 0


def test_trip_with_odometer_going_backwards_is_refused(session):
    with pytest.raises(ValidationError) as err:
        session.trips.add(
            date(2024, 5, 1),
            "medical",
            "clinic",
            odometer_start=Decimal(500),
            odometer_end=Decimal(400),
        )
    assert err.value.field == "odometer_end"
    assert session.trips.list().items == []


def test_trip_with_an_unknown_participant_is_refused(session):
    with pytest.raises(ValidationError) as err:
        session.trips.add(
            date(2024, 5, 1),
            "medical",
            "clinic",
            with_participant=True,
            participant_id=new_id(),
            miles=Decimal(5),
        )
    assert err.value.field == "participant_id"
    assert session.trips.list().items == []


# -- unknown ids ---------------------------------------------------------------------------


def test_unknown_ids_raise_not_found(session, participant, make_draft):
    missing = new_id()
    with pytest.raises(NotFound) as err:
        session.participants.get(missing)
    assert (err.value.kind, err.value.record_id) == ("participant", missing)
    with pytest.raises(NotFound) as err:
        session.notes.get(missing)
    assert (err.value.kind, err.value.record_id) == ("note", missing)
    with pytest.raises(NotFound) as err:
        session.trips.get(missing)
    assert (err.value.kind, err.value.record_id) == ("trip", missing)


def test_actions_on_an_unknown_note_raise_not_found(session, participant, make_draft):
    missing = new_id()
    with pytest.raises(NotFound):
        session.notes.save_draft(missing, make_draft(participant.id))
    with pytest.raises(NotFound):
        session.notes.discard_draft(missing)
    with pytest.raises(NotFound):
        session.notes.sign(missing)
    with pytest.raises(NotFound):
        session.notes.add_addendum(missing, "about nothing")
    assert session.notes.count() == 0


def test_updating_an_unknown_participant_raises_not_found(session, participant):
    ghost = replace(participant, id=new_id())
    with pytest.raises(NotFound):
        session.participants.update(ghost)
    assert outbox_ops(session) == [("participant", participant.id, "upsert")]

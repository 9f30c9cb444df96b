"""The participant's record through ``session.record``: plan, enrollment,
consent, outcome check-ins; encrypted at rest (canary), journaled for sync,
consent gating of referrals (none, expired, revoked), reminders, the
de-identified program report."""

from __future__ import annotations

import csv
import secrets
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from peerdesk.crypto.envelope import looks_like_envelope
from peerdesk.domain.outcomes import Employment, Housing, Occasion, OutcomeCheckIn
from peerdesk.domain.record import (
    Agreement,
    AgreementKind,
    Consent,
    ConsentState,
    Goal,
    GoalStatus,
    InfoCategory,
    LifeDomain,
    new_goal_id,
)
from peerdesk.errors import ConsentRequired, ValidationError
from peerdesk.services.changes import Changes

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TODAY = date.today()


@pytest.fixture
def seeded(session):
    session.directory.seed_if_empty()
    return session


@pytest.fixture
def person(seeded):
    return seeded.participants.add("Robin Record").value


def service(session, name: str):
    return next(h for h in session.directory.search(name).hits if h.name == name)


def consent(person_id: str, recipient: str, service_id: str | None, **kw) -> Consent:
    base = Consent(
        id="",
        participant_id=person_id,
        discloser="River Peer Center",
        recipient=recipient,
        information=frozenset({InfoCategory.ATTENDANCE, InfoCategory.CONTACT}),
        information_detail="",
        purpose="warm hand-off for counseling",
        signed_by="Robin Record",
        signed_on=TODAY - timedelta(days=30),
        created_at=T0,
        updated_at=T0,
        recipient_service_id=service_id,
        expires_on=TODAY + timedelta(days=300),
        revocation_explained=True,
    )
    return replace(base, **kw)


def goal(text: str, domain=LifeDomain.HOUSING, status=GoalStatus.NOT_STARTED) -> Goal:
    return Goal(new_goal_id(), text, domain, status, TODAY - timedelta(days=40))


def check_in(pid: str, day: date, who5=None, barc10=None, **kw) -> OutcomeCheckIn:
    return OutcomeCheckIn("", pid, day, Occasion.FOLLOW_UP, T0, who5, barc10, **kw)


def test_plan_saves_goals_keeps_status_history_and_journals_for_sync(seeded, person, make_draft):
    g1, g2 = goal("Get my own apartment"), goal("Call my sister weekly", LifeDomain.SOCIAL)
    first = seeded.record.save_plan(
        person.id, (g1, g2), agreement=Agreement(AgreementKind.SIGNED, TODAY)
    )
    assert first.changes == Changes(record=True, outbox=True)
    plan = first.value
    assert [g.text for g in plan.goals] == ["Get my own apartment", "Call my sister weekly"]
    moved = seeded.record.save_plan(
        person.id,
        (replace(plan.goals[0], status=GoalStatus.MET), plan.goals[1]),
        agreement=plan.agreement,
        reviewed_on=(TODAY,),
    ).value
    assert moved.id == plan.id
    assert [(h.on, h.status) for h in moved.goals[0].history] == [
        (g1.created_on, GoalStatus.NOT_STARTED),
        (TODAY, GoalStatus.MET),
    ]
    # a note that worked on the goal links to it by id: the plan shows it as progress
    start = datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC).replace(hour=10)
    note = seeded.notes.create_draft(
        make_draft(person.id, goals=(plan.goals[0].id,), start=start)
    ).value
    seeded.notes.sign(note.id)
    view = seeded.record.overview(person.id)
    assert [p.contacts for p in view.progress] == [1, 0]
    entries = [(e.entity, e.op) for e in seeded._outbox.pending() if e.entity == "plan"]
    assert entries == [("plan", "upsert"), ("plan", "upsert")]


def test_intake_discharge_and_reenrollment(seeded, person):
    first = seeded.record.enroll(person.id, TODAY - timedelta(days=100), "self-referred").value
    assert seeded.record.overview(person.id).enrolled
    with pytest.raises(ValidationError):
        seeded.record.enroll(person.id, TODAY, "again")  # enrolled already
    ended = seeded.record.discharge(first.id, TODAY - timedelta(days=10), "moved", "to Ohio").value
    assert ended.discharge_reason.value == "moved" and not ended.open
    assert not seeded.record.overview(person.id).enrolled
    with pytest.raises(ValidationError):
        seeded.record.discharge(first.id, TODAY, "moved")  # ended already
    with pytest.raises(ValidationError):
        seeded.record.enroll(person.id, TODAY - timedelta(days=20), "court")  # before the discharge
    again = seeded.record.enroll(person.id, TODAY, "came back").value
    assert [e.id for e in seeded.record.episodes(person.id).items] == [first.id, again.id]
    assert seeded.record.overview(person.id).enrolled


@pytest.mark.parametrize("case", ["none", "expired", "revoked", "other_recipient"])
def test_a_referral_that_shares_information_needs_a_current_consent(seeded, person, case):
    svc = service(seeded, "Outpatient Counseling")
    if case == "expired":
        seeded.record.add_consent(
            consent(
                person.id,
                svc.name,
                svc.id,
                signed_on=TODAY - timedelta(days=400),
                expires_on=TODAY - timedelta(days=1),
            )
        )
    elif case == "revoked":
        c = seeded.record.add_consent(consent(person.id, svc.name, svc.id)).value
        seeded.record.revoke_consent(c.id, TODAY, "changed their mind")
    elif case == "other_recipient":
        food = (
            service(seeded, "Food Pantry")
            if any(h.name == "Food Pantry" for h in seeded.directory.search("Food Pantry").hits)
            else seeded.directory.search("food").hits[0]
        )
        seeded.record.add_consent(consent(person.id, food.name, food.id))
    with pytest.raises(ConsentRequired) as err:
        seeded.directory.refer(person.id, svc.id, shares_information=True)
    expected = {"none": "none", "other_recipient": "none"}.get(case, case)
    assert err.value.state == expected
    assert svc.name in str(err.value)
    assert seeded.directory.referrals(participant_id=person.id).items == []  # nothing saved
    # a referral that shares nothing needs no consent
    plain = seeded.directory.refer(person.id, svc.id).value
    assert plain.consent_id is None


def test_a_current_consent_lets_the_referral_share_and_is_named_on_it(seeded, person):
    svc = service(seeded, "Outpatient Counseling")
    c = seeded.record.add_consent(consent(person.id, svc.name, svc.id)).value
    referral = seeded.directory.refer(person.id, svc.id, shares_information=True).value
    assert referral.consent_id == c.id
    assert seeded.directory.referral(referral.id).consent_id == c.id
    [(kept, state)] = seeded.record.overview(person.id).consents
    assert kept.id == c.id and state is ConsentState.CURRENT


def test_an_incomplete_consent_is_refused(seeded, person):
    with pytest.raises(ValidationError) as err:
        seeded.record.add_consent(consent(person.id, "Hope Housing", None, purpose=" "))
    assert err.value.field == "purpose"
    with pytest.raises(ValidationError) as err:
        seeded.record.add_consent(
            consent(
                person.id, "Hope Housing", None, information=frozenset({InfoCategory.SUBSTANCE_USE})
            )
        )
    assert err.value.field == "substance_use_detail"


def test_check_ins_are_due_at_intake_then_every_ninety_days(seeded, person):
    other = seeded.participants.add("Not Enrolled").value
    assert seeded.record.due_check_ins() == []
    seeded.record.enroll(person.id, TODAY - timedelta(days=5), "walk-in")
    [due] = seeded.record.due_check_ins()
    assert (due.participant_id, due.due) == (person.id, TODAY - timedelta(days=5))
    seeded.record.add_check_in(check_in(person.id, TODAY - timedelta(days=4), who5=(3, 3, 3, 3, 3)))
    assert seeded.record.due_check_ins() == []
    assert seeded.record.overview(person.id).next_check_in == TODAY + timedelta(days=86)
    assert (
        seeded.record.due_check_ins(today=TODAY + timedelta(days=86))[0].participant_id == person.id
    )
    assert other.id not in {d.participant_id for d in seeded.record.due_check_ins()}


def test_the_record_is_encrypted_at_rest_canary(seeded, person, reopen, data_dir: Path):
    canary = f"cnry-{secrets.token_hex(8)}"
    g = goal(f"goal {canary}")
    g = replace(g, steps=())
    seeded.record.save_plan(person.id, (g,), agreement=Agreement(AgreementKind.VERBAL, TODAY))
    seeded.record.enroll(person.id, TODAY - timedelta(days=3), f"sent by {canary}")
    seeded.record.add_consent(
        consent(person.id, f"Recipient {canary}", None, purpose=f"purpose {canary}")
    )
    seeded.record.add_check_in(
        check_in(
            person.id,
            TODAY,
            who5=(1, 2, 3, 4, 5),
            barc10=(6,) * 10,
            er_visits_30d=7,
            housing=Housing.HOMELESS,
            employment=Employment.UNEMPLOYED,
        )
    )
    # every plain column of the table is an id, the kind or a time; doc is an envelope
    cols = [c[1] for c in seeded._db.conn.execute("PRAGMA table_info(participant_records)")]
    assert cols == ["id", "participant_id", "kind", "created_at", "updated_at", "doc"]
    docs = [r[0] for r in seeded._db.conn.execute("SELECT doc FROM participant_records")]
    assert len(docs) == 4 and all(looks_like_envelope(d) for d in docs)
    for row in seeded._db.conn.execute("SELECT * FROM participant_records"):
        assert not any(isinstance(v, str) and ("homeless" in v or "unemployed" in v) for v in row)
    assert seeded.maintenance.doctor().plaintext_columns == []
    again = reopen(seeded)
    assert again.record.plan(person.id).goals[0].text == f"goal {canary}"
    assert again.record.check_ins(person.id).items[0].barc10_total == 60
    again.close()
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert any(p.name.endswith(".db") for p in files)
    for path in files:
        data = path.read_bytes()
        assert canary.encode() not in data, path
        assert canary.encode("utf-16-le") not in data, path


def test_program_report_is_de_identified_and_counts_by_hand(seeded, tmp_path):
    people = [seeded.participants.add(f"Person Number{i}").value for i in range(6)]
    for i, p in enumerate(people):
        seeded.record.enroll(p.id, TODAY - timedelta(days=200), "walk-in")
        # first: WHO-5 40 %, BARC 30, 2 ER visits; latest: WHO-5 60 %, BARC 40, 0 ER visits
        seeded.record.add_check_in(
            check_in(
                p.id,
                TODAY - timedelta(days=199),
                who5=(2,) * 5,
                barc10=(3,) * 10,
                er_visits_30d=2,
                housing=Housing.HOMELESS,
            )
        )
        seeded.record.add_check_in(
            check_in(
                p.id,
                TODAY - timedelta(days=100),
                who5=(3,) * 5,
                barc10=(4,) * 10,
                er_visits_30d=0,
                housing=Housing.STABLE,
            )
        )
        status = GoalStatus.MET if i < 3 else GoalStatus.IN_PROGRESS
        seeded.record.save_plan(p.id, (goal("A goal", status=status), goal("Another")))
    report = {(m.section, m.measure): m for m in seeded.record.program_report()}
    assert report[("enrollment", "people enrolled at any time")].value == "6"
    assert report[("goals", "goals set")].value == "12"
    assert report[("goals", "goals met")].value == "3"
    assert report[("goals", "goals met (percent)")].value == "25.0%"
    assert report[("outcomes", "WHO-5 percentage: change (mean)")].value == "20.0"
    assert report[("outcomes", "BARC-10 total: first (mean)")].value == "30.0"
    assert report[("outcomes", "BARC-10 total: latest (mean)")].value == "40.0"
    assert report[("outcomes", "ER visits in 30 days: total first")].value == "12"
    assert report[("outcomes", "ER visits in 30 days: total latest")].value == "0"
    assert report[("outcomes", "stably housed: latest (percent)")].value == "100.0%"
    # fewer people than the cell size: counts suppressed, means not shown
    small = {(m.section, m.measure): m for m in seeded.record.program_report(min_cell=10)}
    assert small[("enrollment", "people enrolled at any time")].value == "<10"
    assert small[("outcomes", "BARC-10 total: change (mean)")].value == ""
    path = seeded.record.export_program_report(tmp_path / "program.csv")
    text = path.read_text()
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == ["section", "measure", "value", "people"]
    assert "Number" not in text and not any(p.id in text for p in people)


def test_the_decrypted_json_export_holds_the_record(seeded, person, tmp_path):
    import json

    svc = service(seeded, "Outpatient Counseling")
    seeded.record.add_consent(consent(person.id, svc.name, svc.id))
    seeded.record.enroll(person.id, TODAY, "walk-in")
    seeded.record.save_plan(person.id, (goal("Keep my job"),))
    seeded.record.add_check_in(check_in(person.id, TODAY, who5=(3, 3, 3, 3, 3)))
    count = seeded.maintenance.export_json(tmp_path / "out.json").value
    data = json.loads((tmp_path / "out.json").read_text())
    assert data["consents"][0]["information"] == ["attendance", "contact"]
    assert data["plans"][0]["goals"][0]["text"] == "Keep my job"
    assert data["enrollments"][0]["referral_source"] == "walk-in"
    assert data["check_ins"][0]["who5"] == [3, 3, 3, 3, 3]
    assert count == 1 + 4  # the participant and the four records

"""The participant's record end to end, against a real agency (the CLI and the
FastAPI app under uvicorn, HTTPS): a peer writes a recovery plan, an intake, a
consent and outcome check-ins, and a note that worked on a goal; after a sync
and a pull the supervisor sees the plan, the consent and the outcome scores of
that person, and the team's de-identified program report; the agency stores
every record sealed and holds none of their words."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

uvicorn = pytest.importorskip("uvicorn")

from sqlalchemy import text  # noqa: E402

from peerdesk.agency.storage import Storage  # noqa: E402
from peerdesk.domain.outcomes import Housing, Occasion, OutcomeCheckIn  # noqa: E402
from peerdesk.domain.record import (  # noqa: E402
    Agreement,
    AgreementKind,
    Consent,
    Goal,
    GoalStatus,
    InfoCategory,
    LifeDomain,
    Step,
    new_goal_id,
)
from tests.conftest import drop_log_handlers  # noqa: E402
from tests.review.live import pull, signed, sync  # noqa: E402

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_log_handlers_left() -> Iterator[None]:
    yield
    drop_log_handlers()


def files_holding(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_plan_consent_and_outcomes_reach_the_supervisor_and_not_the_server(
    live, make_peer, make_supervisor, make_draft
):
    canary = "cnry" + secrets.token_hex(8)
    today = date.today()
    ana = make_peer("ana", "east")
    person = ana.participants.add("Harper Record").value
    goal = Goal(
        new_goal_id(), f"Find work I like {canary}", LifeDomain.WORK, GoalStatus.IN_PROGRESS,
        today - timedelta(days=60), steps=(Step(f"update my resume {canary}"),),
    )  # fmt: skip
    plan = ana.record.save_plan(
        person.id, (goal,), agreement=Agreement(AgreementKind.VERBAL, today - timedelta(days=60))
    ).value
    ana.record.enroll(person.id, today - timedelta(days=60), f"court {canary}")
    ana.record.add_consent(
        Consent(
            "",
            person.id,
            "East Peer Center",
            f"Work Source {canary}",
            frozenset({InfoCategory.ATTENDANCE}),
            "",
            f"job search {canary}",
            "Harper Record",
            today - timedelta(days=59),
            T0,
            T0,
            expires_on=today + timedelta(days=300),
            revocation_explained=True,
        )  # fmt: skip
    )
    for days, who5, barc in ((59, (1, 2, 2, 1, 2), (3,) * 10), (5, (3, 3, 4, 3, 3), (4,) * 10)):
        ana.record.add_check_in(
            OutcomeCheckIn(
                "",
                person.id,
                today - timedelta(days=days),
                Occasion.FOLLOW_UP,
                T0,
                who5,
                barc,
                er_visits_30d=1 if days == 59 else 0,
                housing=Housing.TEMPORARY,
            )  # fmt: skip
        )
    start = datetime.combine(today - timedelta(days=3), datetime.min.time(), tzinfo=UTC)
    signed(ana, make_draft, person.id, start.replace(hour=10), 30)  # a note on no goal
    note = ana.notes.create_draft(
        make_draft(person.id, goals=(goal.id,), start=start.replace(hour=14))
    ).value
    ana.notes.sign(note.id)
    sync(ana)
    status = ana.link.status()
    assert status.pending == 0 and status.quarantined == 0

    sam = make_supervisor("Sam East", "east")
    progress = pull(sam)
    assert progress[-1].broken == 0
    device_id = next(p.device_id for p in sam.review.peers())
    seen = sam.review.person_record(device_id, person.id)
    assert seen.plan is not None and seen.plan.id == plan.id
    assert [g.text for g in seen.plan.goals] == [goal.text]
    assert seen.plan.goals[0].steps[0].text == f"update my resume {canary}"
    assert seen.plan.agreement == Agreement(AgreementKind.VERBAL, today - timedelta(days=60))
    assert [c.recipient for c in seen.consents] == [f"Work Source {canary}"]
    assert [e.referral_source for e in seen.episodes] == [f"court {canary}"]
    assert [(c.who5_percent, c.barc10_total) for c in seen.check_ins] == [(32, 30), (64, 40)]
    # the note links to the goal by id: the supervisor's copy of the note carries it
    queue = {i.note_id: i for i in sam.review.queue(tz=UTC).items}
    # (a plan goal travels as its id; the supervisor's reader shows its words)
    assert sam.review.note(device_id, note.id, tz=UTC).note["goals"] == [goal.text]
    assert sam.review.person_overview(device_id, person.id).progress[0].contacts == 1
    assert note.id in queue

    # a change to the plan travels again; the supervisor keeps the newest version
    ana.record.save_plan(
        person.id, (replace(plan.goals[0], status=GoalStatus.MET),), agreement=plan.agreement
    )
    sync(ana)
    pull(sam)
    again = sam.review.person_record(device_id, person.id)
    assert again.plan is not None and again.plan.goals[0].status is GoalStatus.MET
    assert [h.status for h in again.plan.goals[0].history][-1] is GoalStatus.MET

    # one person is below the smallest group a report may show (3): counted, not shown
    report = {(m.section, m.measure): m for m in sam.review.program_report(min_cell=3)}
    assert report[("enrollment", "people enrolled at any time")].value == "<3"
    assert report[("goals", "goals set")].people == "<3"
    assert report[("goals", "goals met")].value == ""
    assert report[("outcomes", "WHO-5 percentage: change (mean)")].people == "<3"
    assert report[("outcomes", "ER visits in 30 days: total first")].value == ""
    assert report[("engagement", "signed contacts per person (mean)")].value == ""

    # the agency relayed the records sealed: it stored them (by kind), none of their words
    storage = Storage.from_url(live.settings.database_url)
    try:
        with storage.engine.connect() as conn:
            kinds = {r[0] for r in conn.execute(text("SELECT DISTINCT kind FROM records"))}
    finally:
        storage.close()
    assert {"plan", "enrollment", "consent", "outcome"} <= kinds
    assert files_holding(live.directory, canary.encode()) == []
    assert files_holding(live.directory, b"Harper Record") == []


def test_a_record_with_a_time_out_of_range_is_broken_and_the_pull_goes_on(
    live, make_peer, make_supervisor, monkeypatch
):
    """A tampered laptop seals a check-in whose time overflows when made UTC: the
    supervisor's pull completes, counts it broken, and moves past it (H3)."""
    from peerdesk.wire import record_payloads

    kim = make_peer("kim", "far")
    person = kim.participants.add("Robin Far").value
    honest = record_payloads.payload_of

    def tampered(record):
        kind, doc = honest(record)
        if kind == "outcome" and doc.get("occasion") == "intake":
            doc = {**doc, "created_at": "9999-12-31T23:00:00-05:00"}
        return kind, doc

    today = date.today()
    for days, occasion in ((20, Occasion.INTAKE), (5, Occasion.FOLLOW_UP)):
        kim.record.add_check_in(
            OutcomeCheckIn(
                "",
                person.id,
                today - timedelta(days=days),
                occasion,
                T0,
                (3, 3, 3, 3, 3),
                (3,) * 10,
            )  # fmt: skip
        )
    monkeypatch.setattr(record_payloads, "payload_of", tampered)
    sync(kim)
    monkeypatch.undo()

    sam = make_supervisor("Sam Far", "far")
    progress = pull(sam)
    assert progress[-1].stage == "done" and progress[-1].broken == 1
    assert sam.review.last_pull()[1] is None
    device_id = next(p.device_id for p in sam.review.peers())
    seen = sam.review.person_record(device_id, person.id)
    assert [c.occasion for c in seen.check_ins] == [Occasion.FOLLOW_UP]
    again = pull(sam)
    assert again[-1].stage == "done" and again[-1].records == 0

"""The day-rule engine against hand-computed days (tests/fixtures/billing_days.toml):
summing per code per day under the 8-minute table, group and telehealth
modifiers, no-shows and collateral contacts, and the daily cap across peers."""

from __future__ import annotations

import dataclasses
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from peerdesk.domain.billing import FLAG_NOT_BILLABLE, FLAG_OVER_DAILY_CAP, PayerProfile
from peerdesk.domain.day_rules import ServiceFact, bill_services, claimable, counted, preview
from peerdesk.services.payers import load_payer_profiles

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "billing_days.toml"
CASES: list[dict[str, Any]] = tomllib.loads(FIXTURE.read_text("utf-8"))["case"]


def case_profile(case: dict[str, Any]) -> PayerProfile:
    profile = load_payer_profiles()[case["profile"]]
    if "day_rule" in case:
        profile = dataclasses.replace(profile, day_rule=case["day_rule"])
    return profile


def case_facts(case: dict[str, Any]) -> list[ServiceFact]:
    facts = []
    for note_id, peer, medicaid, pid, contact, place, start, minutes, state in case["notes"]:
        begin = datetime.fromisoformat(start).replace(tzinfo=UTC)
        facts.append(
            ServiceFact(
                note_id=note_id,
                participant_id=pid,
                contact_type=contact,
                start_at=begin,
                end_at=begin + timedelta(minutes=minutes),
                location_type=place,
                state=state,
                peer=peer,
                device_id=f"laptop-{peer.lower()}",
                medicaid_id=medicaid or None,
            )
        )
    return facts


def test_the_fixture_has_the_cases_the_issue_names():
    names = " ".join(c["name"] for c in CASES)
    assert len(CASES) >= 20
    for word in ("group", "video", "phone", "no-show", "collateral", "two peers", "cap"):
        assert word in names, word


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_day_rules_match_the_hand_computed_day(case):
    profile = case_profile(case)
    facts = case_facts(case)
    run = bill_services(counted(facts), profile, UTC)
    assert {n.note_id: n.units for n in run.notes} == case["expect"]["notes"]
    assert [[ln.procedure, ln.units, ln.place_of_service] for ln in run.lines] == case["expect"][
        "lines"
    ]
    # every unit of a line comes from its notes, and nothing else
    assert run.units == sum(n.units for n in run.notes)
    claimed = bill_services(claimable(facts, profile), profile, UTC)
    assert claimed.units == case["expect"]["claimable"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_note_previewed_among_its_day_earns_what_the_run_gives_it(case):
    profile = case_profile(case)
    facts = counted(case_facts(case))
    run = bill_services(facts, profile, UTC).by_note()
    for fact in facts:
        same_laptop = [f for f in facts if f.device_id == fact.device_id]
        alone = preview(fact, same_laptop, profile, UTC)
        if len({f.device_id for f in facts}) == 1:
            assert alone.units == run[fact.note_id].units
        else:  # a laptop cannot see the other peer's notes: never less than the team's
            assert alone.units >= run[fact.note_id].units


def test_the_cap_and_not_billable_flags_name_the_reason():
    by_name = {c["name"]: c for c in CASES}
    capped = by_name["one beneficiary seen by two peers on one day is capped once"]
    run = bill_services(case_facts(capped), case_profile(capped), UTC).by_note()
    assert FLAG_OVER_DAILY_CAP in run["b"].flags and run["b"].units_before_cap == 8
    no_show = by_name["a 40-minute no-show is not billed"]
    run = bill_services(case_facts(no_show), case_profile(no_show), UTC).by_note()
    assert run["a"].flags == (FLAG_NOT_BILLABLE,)


def test_drafts_are_not_counted_and_returned_notes_are_counted_but_never_claimed():
    case = CASES[1]
    facts = case_facts(case)
    drafts = [dataclasses.replace(f, state="draft") for f in facts]
    assert counted(drafts) == [] and claimable(drafts, case_profile(case)) == []
    returned = [dataclasses.replace(f, state="returned") for f in facts]
    assert counted(returned) == returned
    everything = dataclasses.replace(case_profile(case), billable_states={"signed", "approved"})
    assert claimable(returned, everything) == []

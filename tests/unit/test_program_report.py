"""The de-identified program report's suppression (issue 20, review M1+M2): a
hidden count cannot be worked out from the total beside it, every discharge
reason is listed whether it happened or not, goals are not counted for fewer
than ``min_cell`` people, and ``min_cell`` has a floor."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from peerdesk.domain.program_report import (
    MIN_CELL_FLOOR,
    PersonFacts,
    check_min_cell,
    program_report,
)
from peerdesk.domain.record import (
    DischargeReason,
    Episode,
    Goal,
    GoalStatus,
    LifeDomain,
    RecoveryPlan,
)
from peerdesk.errors import ValidationError

T = datetime(2026, 1, 1, tzinfo=UTC)
IN = date(2026, 1, 1)


def person(i: int, reason: DischargeReason | None = None, plan: RecoveryPlan | None = None):
    if reason is None:
        episode = Episode(f"e{i}", f"p{i}", IN, "self", T, T)
    else:
        episode = Episode(f"e{i}", f"p{i}", IN, "self", T, T, date(2026, 3, 1), reason)
    return PersonFacts((episode,), plan, (), 3)


def enrollment(people, min_cell=5) -> dict[str, tuple[str, str]]:
    return {
        m.measure: (m.value, m.people)
        for m in program_report(people, min_cell=min_cell)
        if m.section == "enrollment"
    }


def test_one_hidden_discharge_reason_cannot_be_worked_out_from_the_total():
    people = [person(i) for i in range(5)]
    people += [person(i, DischargeReason.GOALS_MET) for i in range(5, 11)]
    people += [person(11, DischargeReason.DIED)]
    rows = enrollment(people)
    assert rows["discharged: died"] == ("<5", "<5")
    # total minus the shown reasons must not give the hidden one
    shown = [int(v) for k, (v, _) in rows.items() if k.startswith("discharged: ") and v.isdigit()]
    total = rows["discharges"][0]
    assert not total.isdigit() or int(total) - sum(shown) not in range(1, 5)
    assert rows["discharged: goals_met"] == ("", "")


def test_a_hidden_reason_with_no_other_reason_to_hide_blanks_the_total():
    people = [person(i, DischargeReason.DIED) for i in range(2)]
    people += [person(i) for i in range(2, 9)]
    rows = enrollment(people, min_cell=3)
    assert rows["discharged: died"][0] == "<3"
    assert rows["discharges"] == ("<3", "<3")  # the total is small itself: two hidden
    people = [person(0, DischargeReason.DIED)]
    people += [person(i, DischargeReason.MOVED) for i in range(1, 5)]
    people += [person(i, DischargeReason.MOVED) for i in range(5, 7)]
    rows = enrollment(people, min_cell=3)
    assert rows["discharged: moved"] == ("", "") and rows["discharges"][0] == "7"


def test_every_discharge_reason_is_listed_whether_it_happened_or_not():
    rows = enrollment([person(i) for i in range(6)])
    for reason in DischargeReason:
        assert rows[f"discharged: {reason.value}"] == ("0", "0")


def test_goals_set_and_met_are_blank_for_fewer_planners_than_min_cell():
    plan = RecoveryPlan(
        "pl", "p0",
        (Goal("g1", "x", LifeDomain.HOUSING, GoalStatus.MET, IN),
         Goal("g2", "y", LifeDomain.HOUSING, GoalStatus.IN_PROGRESS, IN)),
        T, T,
    )  # fmt: skip
    people = [person(0, plan=plan)] + [person(i) for i in range(1, 12)]
    goals = {m.measure: m for m in program_report(people) if m.section == "goals"}
    assert goals["goals set"].value == "" and goals["goals met"].value == ""
    assert goals["goals set"].people == "<5"
    many = [person(i, plan=plan) for i in range(5)]
    goals = {m.measure: m for m in program_report(many) if m.section == "goals"}
    assert (goals["goals set"].value, goals["goals met"].value) == ("10", "5")


@pytest.mark.parametrize("small", [0, 1, MIN_CELL_FLOOR - 1, -4])
def test_a_min_cell_below_the_floor_is_refused(small):
    with pytest.raises(ValidationError, match=f"at least {MIN_CELL_FLOOR}"):
        program_report([person(0)], min_cell=small)
    with pytest.raises(ValidationError):
        check_min_cell(small)
    assert check_min_cell(MIN_CELL_FLOOR) == MIN_CELL_FLOOR

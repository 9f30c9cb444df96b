"""Outcome instruments scored against hand-worked fixtures, and when check-ins are due."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from peerdesk.domain.outcomes import (
    BARC10_ITEMS,
    WHO5_ITEMS,
    Housing,
    Occasion,
    OutcomeCheckIn,
    barc10_total,
    check_check_in,
    is_due,
    next_due,
    series,
    who5_percent,
    who5_raw,
)
from peerdesk.errors import ValidationError

T0 = datetime(2026, 1, 5, 12, tzinfo=UTC)


# WHO-5 worked by hand: 3+4+2+1+5 = 15 raw; 15 x 4 = 60 %.
# All "at no time" (0) -> 0 / 0 %; all "all of the time" (5) -> 25 / 100 %.
# 2+2+3+2+3 = 12 raw -> 48 % (below the 13 raw marker of poor wellbeing).
@pytest.mark.parametrize(
    ("answers", "raw", "percent"),
    [
        ((3, 4, 2, 1, 5), 15, 60),
        ((0, 0, 0, 0, 0), 0, 0),
        ((5, 5, 5, 5, 5), 25, 100),
        ((2, 2, 3, 2, 3), 12, 48),
    ],
)
def test_who5_raw_and_percentage_match_hand_worked_scores(answers, raw, percent):
    assert who5_raw(answers) == raw
    assert who5_percent(answers) == percent


# BARC-10 worked by hand: 4+5+3+6+2+4+5+6+3+4 = 42; all 1 -> 10; all 6 -> 60;
# 5+5+5+5+5+4+4+4+5+5 = 47 (the sustained-remission marker).
@pytest.mark.parametrize(
    ("answers", "total"),
    [
        ((4, 5, 3, 6, 2, 4, 5, 6, 3, 4), 42),
        ((1,) * 10, 10),
        ((6,) * 10, 60),
        ((5, 5, 5, 5, 5, 4, 4, 4, 5, 5), 47),
    ],
)
def test_barc10_total_matches_hand_worked_totals(answers, total):
    assert barc10_total(answers) == total


@pytest.mark.parametrize(
    "answers", [(3, 4, 2, 1), (3, 4, 2, 1, 6), (3, 4, 2, 1, -1), (3, 4, 2, 1, 2, 2)]
)
def test_who5_refuses_missing_or_out_of_range_items(answers):
    with pytest.raises(ValidationError) as err:
        who5_raw(answers)
    assert err.value.field == "who5"


@pytest.mark.parametrize("answers", [(0,) * 10, (7,) * 10, (3,) * 9, (3,) * 11])
def test_barc10_refuses_items_outside_one_to_six_or_a_wrong_count(answers):
    with pytest.raises(ValidationError):
        barc10_total(answers)


def test_item_labels_are_short_and_one_per_item():
    assert len(WHO5_ITEMS) == 5 and len(BARC10_ITEMS) == 10
    assert all(len(label) <= 40 for label in (*WHO5_ITEMS, *BARC10_ITEMS))


def _c(day: date, who5=None, barc10=None, **kw) -> OutcomeCheckIn:
    return OutcomeCheckIn(
        "c" + day.isoformat(), "p1", day, Occasion.FOLLOW_UP, T0, who5, barc10, **kw
    )


def test_next_check_in_is_due_at_intake_then_ninety_days_after_the_last():
    intake = date(2026, 1, 5)
    assert next_due(intake, [], enrolled=True) == intake
    first = _c(date(2026, 1, 6), who5=(3, 3, 3, 3, 3))
    assert next_due(intake, [first], enrolled=True) == date(2026, 4, 6)
    old = _c(date(2025, 6, 1), who5=(3, 3, 3, 3, 3))  # from an earlier enrollment
    assert next_due(intake, [old], enrolled=True) == intake
    assert next_due(intake, [first], enrolled=False) is None
    assert is_due(date(2026, 4, 6), date(2026, 4, 6)) and not is_due(
        date(2026, 4, 6), date(2026, 4, 5)
    )


def test_series_orders_and_scores_each_instrument():
    a = _c(date(2026, 3, 1), who5=(1, 1, 1, 1, 1), barc10=(2,) * 10)
    b = _c(date(2026, 1, 1), who5=(3, 4, 2, 1, 5))
    s = series([a, b])
    assert [(p.on, p.value) for p in s["who5"]] == [(date(2026, 1, 1), 60), (date(2026, 3, 1), 20)]
    assert [(p.on, p.value) for p in s["barc10"]] == [(date(2026, 3, 1), 20)]


def test_a_check_in_must_hold_an_answer_and_counts_in_range():
    today = date(2026, 3, 1)
    with pytest.raises(ValidationError):
        check_check_in(_c(today), today=today)
    with pytest.raises(ValidationError) as err:
        check_check_in(_c(today, er_visits_30d=-1), today=today)
    assert err.value.field == "er_visits_30d"
    with pytest.raises(ValidationError):
        check_check_in(_c(today, hospital_nights_30d=32), today=today)
    with pytest.raises(ValidationError):
        check_check_in(_c(date(2026, 3, 2), housing=Housing.STABLE), today=today)
    ok = _c(today, housing=Housing.STABLE, er_visits_30d=0)
    assert check_check_in(ok, today=today) is ok

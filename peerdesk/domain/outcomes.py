"""Outcome measures: what a check-in records, how each instrument is scored, and
when the next one is due. Pure: no storage, no I/O.

A *check-in* (:class:`OutcomeCheckIn`) is one sitting with the participant on one
day: the two questionnaires (either may be skipped) and the self-reported use of
services and living situation over the last 30 days.

Scoring implemented here (each checked against hand-worked fixtures in
``tests/unit/test_outcomes.py``):

* **WHO-5 Well-Being Index** (WHO, 1998): five statements about the last two
  weeks, each answered 0 ("at no time") to 5 ("all of the time"). The *raw score*
  is the sum, 0-25; the *percentage score* is raw x 4, 0-100 (higher is better).
  A raw score below 13 (percentage below 52) is read as poor wellbeing, and a
  change of 10 percentage points or more as a real change. Every item must be
  answered: a WHO-5 with a missing item is not scored.
* **BARC-10** (Brief Assessment of Recovery Capital; Vilsaint et al., 2017):
  ten statements, each answered on a six-point agreement scale, 1 ("strongly
  disagree") to 6 ("strongly agree"); all items are worded positively, so none
  is reversed. The *total* is the sum, 10-60 (higher means more recovery
  capital); a total of 47 or more is the published marker of recovery capital
  that goes with sustained remission. Every item must be answered.

Only short labels of the items are kept here (our own words, for the form and
the chart); the instruments' full wording belongs to their authors.

Outcomes are due at intake, then every :data:`DEFAULT_INTERVAL_DAYS` days while
the person is enrolled (:func:`next_due`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from peerdesk.errors import Msg, ValidationError

WHO5_ITEMS = (
    "Cheerful, in good spirits",
    "Calm and relaxed",
    "Active and vigorous",
    "Woke up fresh and rested",
    "Days filled with things of interest",
)
WHO5_MIN, WHO5_MAX = 0, 5
#: below this raw score (0-25) wellbeing is read as poor
WHO5_POOR_BELOW = 13

BARC10_ITEMS = (
    "Other things matter more than using",
    "Happy with life in general",
    "Energy for what I set out to do",
    "Proud of and part of my community",
    "Support from friends",
    "Life is fulfilling without substances",
    "My living space helps my recovery",
    "I take responsibility for my actions",
    "At ease with professionals",
    "Making progress in my recovery",
)
BARC10_MIN, BARC10_MAX = 1, 6
#: a BARC-10 total at or above this goes with sustained remission (Vilsaint 2017)
BARC10_STRONG_AT = 47

#: days from one check-in to the next one due, while enrolled
DEFAULT_INTERVAL_DAYS = 90
#: most ER visits or hospital nights one 30-day report may hold
MAX_30_DAYS = 31
MAX_ER_VISITS = 99


class Occasion(enum.StrEnum):
    INTAKE = "intake"
    FOLLOW_UP = "follow_up"
    DISCHARGE = "discharge"


class Housing(enum.StrEnum):
    """Where the person lived most of the last 30 days."""

    STABLE = "stable"  # own or rented home, or with family by choice
    TEMPORARY = "temporary"  # staying with others, motel, transitional or recovery housing
    HOMELESS = "homeless"  # shelter or street
    INSTITUTION = "institution"  # hospital, treatment, jail
    NOT_SAID = "not_said"


class Employment(enum.StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    UNEMPLOYED = "unemployed"
    NOT_IN_LABOR_FORCE = "not_in_labor_force"  # student, retired, disabled, caring
    NOT_SAID = "not_said"


def _answers(
    name: str, items: Sequence[int] | None, count: int, low: int, high: int
) -> tuple[int, ...] | None:
    if items is None:
        return None
    answers = tuple(items)
    if len(answers) != count:
        raise ValidationError(
            Msg(
                "{name} has {count} items; {given} were given",
                name=name,
                count=count,
                given=len(answers),
            ),
            field=name,
        )
    for n, a in enumerate(answers, 1):
        if isinstance(a, bool) or not isinstance(a, int) or not low <= a <= high:
            raise ValidationError(
                Msg(
                    "{name} item {item} is answered {low} to {high}",
                    name=name,
                    item=n,
                    low=low,
                    high=high,
                ),
                field=name,
            )
    return answers


def who5_raw(items: Sequence[int]) -> int:
    """The WHO-5 raw score (0-25) of five answers 0-5."""
    answers = _answers("who5", items, len(WHO5_ITEMS), WHO5_MIN, WHO5_MAX)
    assert answers is not None
    return sum(answers)


def who5_percent(items: Sequence[int]) -> int:
    """The WHO-5 percentage score (0-100): the raw score times 4."""
    return who5_raw(items) * 4


def barc10_total(items: Sequence[int]) -> int:
    """The BARC-10 total (10-60) of ten answers 1-6."""
    answers = _answers("barc10", items, len(BARC10_ITEMS), BARC10_MIN, BARC10_MAX)
    assert answers is not None
    return sum(answers)


@dataclass(frozen=True, slots=True)
class OutcomeCheckIn:
    """One outcome check-in. *Sensitive*: every answer and count (health and
    substance-use information); only ``id``, ``participant_id`` and the times
    are plain."""

    id: str
    participant_id: str
    taken_on: date
    occasion: Occasion
    created_at: datetime
    who5: tuple[int, ...] | None = None
    barc10: tuple[int, ...] | None = None
    er_visits_30d: int | None = None
    hospital_nights_30d: int | None = None
    housing: Housing = Housing.NOT_SAID
    employment: Employment = Employment.NOT_SAID

    @property
    def who5_percent(self) -> int | None:
        return None if self.who5 is None else who5_percent(self.who5)

    @property
    def barc10_total(self) -> int | None:
        return None if self.barc10 is None else barc10_total(self.barc10)


def check_ranges(c: OutcomeCheckIn) -> OutcomeCheckIn:
    """``c`` if its answers and counts are in range, else :class:`ValidationError`
    (the laptop's :func:`check_check_in` and the supervisor's check of a pulled
    check-in both apply it)."""
    _answers("who5", c.who5, len(WHO5_ITEMS), WHO5_MIN, WHO5_MAX)
    _answers("barc10", c.barc10, len(BARC10_ITEMS), BARC10_MIN, BARC10_MAX)
    for name, value, high, what in (
        ("er_visits_30d", c.er_visits_30d, MAX_ER_VISITS, Msg("er_visits")),
        ("hospital_nights_30d", c.hospital_nights_30d, MAX_30_DAYS, Msg("hospital_nights")),
    ):
        if value is not None and (isinstance(value, bool) or not 0 <= value <= high):
            raise ValidationError(Msg("{what} is 0 to {high}", what=what, high=high), field=name)
    return c


def check_check_in(c: OutcomeCheckIn, *, today: date) -> OutcomeCheckIn:
    """``c`` if every answer is in range, else :class:`ValidationError`."""
    if c.taken_on > today:
        raise ValidationError(Msg("the check-in date is in the future"), field="taken_on")
    check_ranges(c)
    if (
        c.who5 is None
        and c.barc10 is None
        and c.er_visits_30d is None
        and c.hospital_nights_30d is None
        and c.housing is Housing.NOT_SAID
        and c.employment is Employment.NOT_SAID
    ):
        raise ValidationError(Msg("the check-in has no answers"), field="who5")
    return c


def next_due(
    intake: date | None,
    check_ins: Iterable[OutcomeCheckIn],
    *,
    enrolled: bool,
    interval_days: int = DEFAULT_INTERVAL_DAYS,
) -> date | None:
    """When the next check-in is due: the intake date if none was taken since
    intake, else the latest one plus ``interval_days``; ``None`` when the person
    is not enrolled."""
    if not enrolled or intake is None:
        return None
    since = [c.taken_on for c in check_ins if c.taken_on >= intake]
    if not since:
        return intake
    return max(since) + timedelta(days=interval_days)


def is_due(due: date | None, today: date) -> bool:
    return due is not None and due <= today


@dataclass(frozen=True, slots=True)
class ScorePoint:
    """One point of a chart: a day and a score."""

    on: date
    value: int


def series(
    check_ins: Iterable[OutcomeCheckIn],
) -> dict[str, list[ScorePoint]]:
    """The scored series of one person, oldest first: ``"who5"`` (percentage)
    and ``"barc10"`` (total)."""
    ordered = sorted(check_ins, key=lambda c: (c.taken_on, c.created_at))
    out: dict[str, list[ScorePoint]] = {"who5": [], "barc10": []}
    for c in ordered:
        if c.who5 is not None:
            out["who5"].append(ScorePoint(c.taken_on, who5_percent(c.who5)))
        if c.barc10 is not None:
            out["barc10"].append(ScorePoint(c.taken_on, barc10_total(c.barc10)))
    return out

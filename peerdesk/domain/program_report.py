"""De-identified program aggregates for supervisors and the agency: engagement,
goals met, change in outcome scores, ER and hospital use before and after.

The input is one :class:`PersonFacts` per participant, with no name and no id;
the output is a list of :class:`Measure` lines, and :func:`to_csv` writes them.
No line carries a name, an id, a date of birth or a date of contact: only
counts, means and percentages of the whole group. A count of people between 1
and ``min_cell - 1`` is shown as ``"<min_cell"`` (small-cell suppression, as
public-health tables do), and a mean or percentage over fewer people than
``min_cell`` is not shown, so one person cannot be picked out of a small program.
``min_cell`` is at least :data:`MIN_CELL_FLOOR`. Where counts add up to a total
shown beside them (discharges by reason), a hidden count is never the only one
hidden: another count, or the total, is left blank too (complementary
suppression), and every reason is listed, zero or not, so the list itself tells
nothing. Goals set and met are blank when fewer than ``min_cell`` people have a
plan.

*Before* is a person's first check-in of the period, *after* their latest; a
person counts in a before/after line only when they have both (paired).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import mean, median

from peerdesk.domain.outcomes import Employment, Housing, OutcomeCheckIn
from peerdesk.domain.record import DischargeReason, Episode, GoalStatus, RecoveryPlan
from peerdesk.errors import Msg, ValidationError

DEFAULT_MIN_CELL = 5
#: the smallest ``min_cell`` a report accepts (1 or 2 would show single people)
MIN_CELL_FLOOR = 3


def check_min_cell(min_cell: int) -> int:
    """``min_cell`` if it is at least :data:`MIN_CELL_FLOOR`, else ValidationError."""
    if isinstance(min_cell, bool) or not isinstance(min_cell, int) or min_cell < MIN_CELL_FLOOR:
        raise ValidationError(
            Msg(
                "the smallest group shown must be at least {least}, "
                "so that one person cannot be picked out",
                least=MIN_CELL_FLOOR,
            ),
            field="min_cell",
        )
    return min_cell


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """What the report needs of one participant (nothing that names them)."""

    episodes: tuple[Episode, ...]
    plan: RecoveryPlan | None
    check_ins: tuple[OutcomeCheckIn, ...]
    contacts: int  # signed notes


@dataclass(frozen=True, slots=True)
class Measure:
    section: str
    measure: str
    value: str
    people: str  # how many people the value rests on (suppressed when small)


def _count(n: int, min_cell: int) -> str:
    return f"<{min_cell}" if 0 < n < min_cell else str(n)


def _hidden_together(total: int, parts: dict[str, int], min_cell: int) -> set[str]:
    """Which of ``parts`` (and ``"total"``) to show blank beside the small counts
    ``_count`` hides, so that no hidden count is the only one hidden from a sum
    that is shown."""
    small = {k for k, v in parts.items() if 0 < v < min_cell}
    if 0 < total < min_cell:
        small.add("total")
    if len(small) != 1:
        return set()
    others = [(v, k) for k, v in parts.items() if v > 0 and k not in small]
    return {min(others)[1]} if others else {"total"}


def _num(value: float) -> str:
    return f"{value:.1f}"


def _first_last(
    check_ins: Sequence[OutcomeCheckIn], score: str
) -> tuple[OutcomeCheckIn, OutcomeCheckIn] | None:
    have = [c for c in check_ins if _value(c, score) is not None]
    if len(have) < 2:
        return None
    have.sort(key=lambda c: (c.taken_on, c.created_at))
    return have[0], have[-1]


def _value(c: OutcomeCheckIn, score: str) -> float | None:
    if score == "who5":
        return c.who5_percent
    if score == "barc10":
        return c.barc10_total
    if score == "er":
        return c.er_visits_30d
    if score == "hospital":
        return c.hospital_nights_30d
    if score == "housing":
        return None if c.housing is Housing.NOT_SAID else float(c.housing is Housing.STABLE)
    if score == "employment":
        if c.employment is Employment.NOT_SAID:
            return None
        return float(c.employment in (Employment.FULL_TIME, Employment.PART_TIME))
    raise ValueError(score)


def program_report(
    people: Iterable[PersonFacts], *, min_cell: int = DEFAULT_MIN_CELL
) -> list[Measure]:
    """The program's aggregates over ``people``; ``min_cell`` below
    :data:`MIN_CELL_FLOOR` is refused (ValidationError)."""
    check_min_cell(min_cell)
    group = [p for p in people if p.episodes]
    lines: list[Measure] = []
    n = len(group)

    def add(section: str, measure: str, value: str, count: int) -> None:
        lines.append(Measure(section, measure, value, _count(count, min_cell)))

    def add_mean(section: str, measure: str, values: list[float], fmt: str = "") -> None:
        shown = _num(mean(values)) + fmt if len(values) >= max(min_cell, 1) else ""
        add(section, measure, shown, len(values))

    # -- enrollment and engagement ----------------------------------------------------------
    enrolled_now = sum(1 for p in group if any(e.open for e in p.episodes))
    discharged = [e for p in group for e in p.episodes if not e.open]
    reenrolled = sum(1 for p in group if len(p.episodes) > 1)
    add("enrollment", "people enrolled at any time", _count(n, min_cell), n)
    add("enrollment", "enrolled now", _count(enrolled_now, min_cell), enrolled_now)
    reasons = dict.fromkeys((r.value for r in DischargeReason), 0)
    for e in discharged:
        reasons[(e.discharge_reason or DischargeReason.OTHER).value] += 1
    blank = _hidden_together(len(discharged), reasons, min_cell)
    if "total" in blank:
        lines.append(Measure("enrollment", "discharges", "", ""))
    else:
        add("enrollment", "discharges", _count(len(discharged), min_cell), len(discharged))
    for reason, count in reasons.items():
        if reason in blank:
            lines.append(Measure("enrollment", f"discharged: {reason}", "", ""))
        else:
            add("enrollment", f"discharged: {reason}", _count(count, min_cell), count)
    add("enrollment", "enrolled again after a discharge", _count(reenrolled, min_cell), reenrolled)
    contacts = [float(p.contacts) for p in group]
    add_mean("engagement", "signed contacts per person (mean)", contacts)
    shown = _num(median(contacts)) if len(contacts) >= max(min_cell, 1) else ""
    add("engagement", "signed contacts per person (median)", shown, len(contacts))

    # -- goals --------------------------------------------------------------------------------
    goals = [g for p in group if p.plan for g in p.plan.goals]
    planned = sum(1 for p in group if p.plan and p.plan.goals)
    met = sum(1 for g in goals if g.status is GoalStatus.MET)
    enough = planned >= min_cell
    add("goals", "goals set", str(len(goals)) if enough else "", planned)
    add("goals", "goals met", str(met) if enough else "", planned)
    pct = _num(100 * met / len(goals)) + "%" if goals and planned >= max(min_cell, 1) else ""
    add("goals", "goals met (percent)", pct, planned)

    # -- outcomes before and after -----------------------------------------------------------
    for score, label in (
        ("barc10", "BARC-10 total"),
        ("who5", "WHO-5 percentage"),
        ("er", "ER visits in 30 days"),
        ("hospital", "hospital nights in 30 days"),
    ):
        pairs = [fl for p in group if (fl := _first_last(p.check_ins, score))]
        before = [float(_value(a, score) or 0) for a, _ in pairs]
        after = [float(_value(b, score) or 0) for _, b in pairs]
        add_mean("outcomes", f"{label}: first (mean)", before)
        add_mean("outcomes", f"{label}: latest (mean)", after)
        add_mean(
            "outcomes",
            f"{label}: change (mean)",
            [b - a for a, b in zip(before, after, strict=True)],
        )
        if score in ("er", "hospital"):
            total_before, total_after = sum(before), sum(after)
            ok = len(pairs) >= max(min_cell, 1)
            add(
                "outcomes",
                f"{label}: total first",
                str(int(total_before)) if ok else "",
                len(pairs),
            )
            add(
                "outcomes",
                f"{label}: total latest",
                str(int(total_after)) if ok else "",
                len(pairs),
            )
    for score, label in (("housing", "stably housed"), ("employment", "employed")):
        pairs = [fl for p in group if (fl := _first_last(p.check_ins, score))]
        for which, idx in (("first", 0), ("latest", 1)):
            values = [100 * float(_value(pair[idx], score) or 0) for pair in pairs]
            add_mean("outcomes", f"{label}: {which} (percent)", values, "%")
    return lines


CSV_HEADER = ("section", "measure", "value", "people")


def to_csv(lines: Iterable[Measure]) -> str:
    """The report as CSV text (no names, no ids)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for m in lines:
        writer.writerow((m.section, m.measure, m.value, m.people))
    return out.getvalue()

"""The workforce record's pure rules (issue 23): supervision hours per month,
quarter, date range and requirement window against a fixture whose totals are
worked out by hand (sessions on the last and first days of months and
quarters); certification reminders at 60/30 days, expired, none, with an
injected today; CEU hours in the renewal period; the checks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from peerdesk.domain.workforce import (
    Certification,
    CeuEntry,
    Expiry,
    FollowUp,
    Period,
    Requirement,
    SessionFormat,
    SupervisionSession,
    WellbeingCheckIn,
    WorkforceRecord,
    WorkforceSettings,
    add_months,
    ceu_hours,
    check_certification,
    check_ceu,
    check_session,
    check_wellbeing,
    expiry_reminder,
    month_of,
    quarter_of,
    renewal_period,
    requirement_window,
    status_of,
    supervision_hours,
    supervision_minutes,
)
from peerdesk.errors import ValidationError

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def sess(day: date, minutes: int, fmt: SessionFormat = SessionFormat.INDIVIDUAL):
    return SupervisionSession("s", day, minutes, fmt, "Sam", T0, T0)


#: the fixture: (day, minutes)
FIXTURE = [
    sess(date(2025, 12, 31), 120),  # last day of Q4 2025
    sess(date(2026, 1, 31), 90),  # last day of January
    sess(date(2026, 2, 1), 45, SessionFormat.GROUP),  # first day of February
    sess(date(2026, 2, 14), 60),
    sess(date(2026, 2, 28), 50, SessionFormat.GROUP),  # last day of February
    sess(date(2026, 3, 1), 30),
    sess(date(2026, 3, 31), 75),  # last day of Q1
    sess(date(2026, 4, 1), 40),  # first day of Q2
]


@pytest.mark.parametrize(
    ("period", "minutes", "hours"),
    [
        # worked by hand: January 90 min = 1.50 h
        (month_of(date(2026, 1, 15)), 90, "1.50"),
        # February 45 + 60 + 50 = 155 min = 2.5833 h -> 2.58
        (month_of(date(2026, 2, 1)), 155, "2.58"),
        # March 30 + 75 = 105 min = 1.75 h
        (month_of(date(2026, 3, 31)), 105, "1.75"),
        # Q1: 90 + 155 + 105 = 350 min = 5.8333 h -> 5.83
        (quarter_of(date(2026, 2, 10)), 350, "5.83"),
        # Q2 so far: 40 min = 0.6667 h -> 0.67
        (quarter_of(date(2026, 4, 1)), 40, "0.67"),
        # Q4 2025: 120 min = 2.00 h
        (quarter_of(date(2025, 11, 3)), 120, "2.00"),
        # a range over a month's edge, both days included: 90 + 45 = 135 min = 2.25 h
        (Period(date(2026, 1, 31), date(2026, 2, 1)), 135, "2.25"),
        # a range with no session
        (Period(date(2026, 1, 1), date(2026, 1, 30)), 0, "0.00"),
    ],
)
def test_supervision_hours_by_period_worked_by_hand(period, minutes, hours):
    assert supervision_minutes(FIXTURE, period) == minutes
    assert supervision_hours(FIXTURE, period) == Decimal(hours)


def test_periods_and_month_arithmetic():
    assert month_of(date(2024, 2, 10)) == Period(date(2024, 2, 1), date(2024, 2, 29))
    assert quarter_of(date(2026, 12, 31)) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 3, 31), -13) == date(2025, 2, 28)
    # 3 months ending with April 2026: February 1 to April 30
    window = requirement_window(Requirement(Decimal(6), 3), date(2026, 4, 1))
    assert window == Period(date(2026, 2, 1), date(2026, 4, 30))
    # 155 + 105 + 40 = 300 min = 5.00 h
    assert supervision_hours(FIXTURE, window) == Decimal("5.00")


def test_status_against_the_requirement():
    settings = WorkforceSettings(Requirement(Decimal(2), 1), Requirement(Decimal(20), 24))
    record = WorkforceRecord(tuple(FIXTURE))
    feb = status_of(record, settings, date(2026, 2, 28))
    assert feb.supervision.done == Decimal("2.58") and feb.supervision.met
    mar = status_of(record, settings, date(2026, 3, 15))
    assert mar.supervision.done == Decimal("1.75") and not mar.supervision.met
    assert mar.supervision.short_by == Decimal("0.25")
    assert mar.last_session == date(2026, 4, 1)  # the newest session's day
    assert mar.expiry.state is Expiry.NONE


CERT = Certification(
    "c", "PA", "CPS-1", date(2024, 7, 1), date(2026, 6, 30), T0, T0
)  # fmt: skip


@pytest.mark.parametrize(
    ("today", "state", "days"),
    [
        (date(2026, 4, 30), Expiry.CURRENT, 61),
        (date(2026, 5, 1), Expiry.DUE_60, 60),  # 60 days before: due soon
        (date(2026, 5, 30), Expiry.DUE_60, 31),
        (date(2026, 5, 31), Expiry.DUE_30, 30),  # 30 days before
        (date(2026, 6, 30), Expiry.DUE_30, 0),  # the expiry day itself is still valid
        (date(2026, 7, 1), Expiry.EXPIRED, -1),  # expired the day after
        (date(2027, 1, 1), Expiry.EXPIRED, -185),
    ],
)
def test_expiry_reminders_with_an_injected_today(today, state, days):
    reminder = expiry_reminder(CERT, today)
    assert (reminder.state, reminder.days) == (state, days)
    assert reminder.needs_attention is (state is not Expiry.CURRENT)


def test_no_certification_is_its_own_reminder():
    reminder = expiry_reminder(None, date(2026, 1, 1))
    assert reminder.state is Expiry.NONE and reminder.days is None and reminder.needs_attention


def ceu(day: date, hours: str) -> CeuEntry:
    return CeuEntry("e", day, "Ethics", "State board", Decimal(hours), T0)


def test_ceu_hours_count_in_the_renewal_period():
    req = Requirement(Decimal(20), 24)
    period = renewal_period(CERT, req, date(2026, 3, 1))
    assert period == Period(date(2024, 7, 1), date(2026, 6, 30))
    entries = [
        ceu(date(2024, 6, 30), "3"),  # before the period
        ceu(date(2024, 7, 1), "1.5"),
        ceu(date(2025, 12, 1), "6"),
        ceu(date(2026, 6, 30), "2.25"),
        ceu(date(2026, 7, 1), "4"),  # after
    ]
    # 1.5 + 6 + 2.25 = 9.75 by hand
    assert ceu_hours(entries, period) == Decimal("9.75")
    # a certification issued later than 24 months before expiry: from its issue date
    late = Certification("c", "PA", "1", date(2025, 1, 10), date(2026, 6, 30), T0, T0)
    assert renewal_period(late, req, date(2026, 3, 1)).start == date(2025, 1, 10)
    # no certification: the 24 months up to today
    assert renewal_period(None, req, date(2026, 3, 15)) == Period(
        date(2024, 3, 16), date(2026, 3, 15)
    )
    status = status_of(
        WorkforceRecord(certification=CERT, ceus=tuple(entries)),
        WorkforceSettings(ceu=req),
        date(2026, 5, 10),
    )
    assert status.ceu.done == Decimal("9.75") and status.ceu.short_by == Decimal("10.25")
    assert status.expiry.state is Expiry.DUE_60


def test_checks_refuse_what_is_wrong():
    today = date(2026, 3, 1)
    with pytest.raises(ValidationError) as err:
        check_session(sess(date(2026, 3, 2), 60), today=today)
    assert err.value.field == "held_on"
    with pytest.raises(ValidationError):
        check_session(sess(today, 0), today=today)
    kept = check_session(
        SupervisionSession(
            "s", today, 60, SessionFormat.GROUP, " Sam ", T0, T0,
            ("  ethics ", ""), (FollowUp(" call the board "), FollowUp("  ")),
        ),
        today=today,
    )  # fmt: skip
    assert kept.topics == ("ethics",) and kept.follow_ups == (FollowUp("call the board"),)
    with pytest.raises(ValidationError) as err:
        check_certification(Certification("c", "PA", "1", today, today, T0, T0))
    assert err.value.field == "expires_on"
    with pytest.raises(ValidationError):
        check_certification(Certification("c", " ", "1", today, date(2027, 1, 1), T0, T0))
    with pytest.raises(ValidationError):
        check_ceu(ceu(today, "0"), today=today)
    with pytest.raises(ValidationError):
        check_ceu(ceu(today, "1.125"), today=today)
    with pytest.raises(ValidationError) as err:
        check_wellbeing(WellbeingCheckIn("w", today, 6, 3, 3, T0), today=today)
    assert err.value.field == "energy"

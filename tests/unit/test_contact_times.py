"""A contact told as a date and two clock times (the note form's fields): an end
earlier on the clock than the start is the next morning, within the 12-hour limit.

Found by CI at 01:25: a draft from 23:25 to 00:15 opened in the editor came back as
00:15 *before* 23:25 on one day, so every autosave was refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest

from peerdesk.domain.notes import MAX_CONTACT, check_times, contact_span
from peerdesk.domain.times import local_moment
from peerdesk.errors import ValidationError

DAY = date(2026, 3, 7)


@pytest.fixture(autouse=True)
def _denver(local_zone: Callable[[str], None]) -> None:
    """A zone with daylight saving time (it begins 2026-03-08 at 02:00)."""
    local_zone("America/Denver")


def test_a_contact_within_the_day_stays_on_the_day() -> None:
    start, end = contact_span(DAY, time(14, 0), time(14, 50))
    assert (start.date(), end.date()) == (DAY, DAY)
    assert end - start == timedelta(minutes=50)
    check_times(start, end)


def test_a_crisis_call_past_midnight_ends_the_next_morning() -> None:
    start, end = contact_span(DAY, time(23, 30), time(0, 20))
    assert start.date() == DAY and end.date() == DAY + timedelta(days=1)
    assert end - start == timedelta(minutes=50)
    check_times(start, end)


def test_the_night_daylight_saving_time_begins_is_an_hour_shorter() -> None:
    # 22:00 on 7 March to 06:00 on 8 March in Denver: the clocks skip 02:00-03:00
    start, end = contact_span(DAY, time(22, 0), time(6, 0))
    assert end.date() == DAY + timedelta(days=1)
    assert end - start == timedelta(hours=7)
    assert start.utcoffset() != end.utcoffset()


def test_an_end_earlier_than_the_start_past_twelve_hours_is_refused_not_moved() -> None:
    # 14:00 to 13:30: a slip of the finger, not a 23.5-hour contact
    start, end = contact_span(DAY, time(14, 0), time(13, 30))
    assert start.date() == end.date() == DAY
    with pytest.raises(ValidationError, match="end time must be after the start time"):
        check_times(start, end)


def test_exactly_twelve_hours_overnight_is_allowed_and_one_minute_more_is_not_moved() -> None:
    start, end = contact_span(date(2026, 6, 1), time(20, 0), time(8, 0))
    assert end - start == MAX_CONTACT
    check_times(start, end)
    start, end = contact_span(date(2026, 6, 1), time(20, 0), time(8, 1))
    assert end < start  # stays on the day and is refused for its order
    with pytest.raises(ValidationError, match="end time must be after"):
        check_times(start, end)


def test_equal_times_are_not_a_day_long() -> None:
    start, end = contact_span(DAY, time(9, 0), time(9, 0))
    assert start == end
    with pytest.raises(ValidationError):
        check_times(start, end)


def test_a_time_the_clock_skipped_is_the_time_it_showed_after_the_jump() -> None:
    """14 March 2027, Denver: 02:00 became 03:00. The form's default end half an hour
    after 01:55 reads 02:25, a time that never happened; Python alone maps it back to
    01:25, before the start, and every autosave was refused (found by running the
    suite under libfaketime at 01:52 that night)."""
    day = date(2027, 3, 14)
    start, end = contact_span(day, time(1, 55), time(2, 25))
    assert end - start == timedelta(minutes=30)
    assert (end.hour, end.minute) == (3, 25)  # what the clock showed
    check_times(start, end)
    start, end = contact_span(day, time(1, 30), time(3, 10))  # across the skipped hour
    assert end - start == timedelta(minutes=40)


def test_a_time_the_clock_showed_twice_is_the_first() -> None:
    """7 November 2027, Denver: 01:00-02:00 happens twice; 01:30 is the first."""
    moment = local_moment(datetime(2027, 11, 7, 1, 30))
    assert moment.utcoffset() == timedelta(hours=-6)
    assert local_moment(datetime(2027, 11, 7, 1, 30, fold=1)) == moment
    assert local_moment(datetime(2027, 6, 1, 12, 0)).utcoffset() == timedelta(hours=-6)

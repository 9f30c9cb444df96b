"""tests/conftest.py gives a module's live ``TODAY`` (``date.today()`` at import)
the day the test runs, and leaves a fixed one alone."""

from __future__ import annotations

from datetime import date

from tests.conftest import day_for_test

IMPORT_DAY = date(2026, 12, 7)
NEXT_DAY = date(2026, 12, 8)


def test_a_live_today_imported_before_midnight_is_the_tests_day() -> None:
    assert day_for_test(IMPORT_DAY, IMPORT_DAY, NEXT_DAY) == NEXT_DAY
    assert day_for_test(IMPORT_DAY, IMPORT_DAY, IMPORT_DAY) == IMPORT_DAY


def test_a_fixed_today_stays() -> None:
    assert day_for_test(date(2026, 3, 1), IMPORT_DAY, NEXT_DAY) == date(2026, 3, 1)

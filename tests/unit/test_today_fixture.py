"""tests/conftest.py gives a module's ``TODAY`` the day the test runs: here the
module was "imported yesterday" (as a run that starts before midnight imports it)."""

from __future__ import annotations

from datetime import date, timedelta

TODAY = IMPORTED = date.today() - timedelta(days=1)


def test_a_module_today_is_the_day_the_test_runs() -> None:
    # (the day may turn between the fixture and this line: then TODAY is yesterday)
    assert TODAY in (date.today(), date.today() - timedelta(days=1))
    assert TODAY != IMPORTED or IMPORTED == date.today()

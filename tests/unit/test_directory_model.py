"""The directory model, pure: the seed directory, whole-dataset checks, and the
rules (open now, staleness, crisis flag, keys, distances)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest

from peerdesk.domain import directory
from peerdesk.domain.directory import Dataset, Schedule, Service
from peerdesk.errors import DirectoryDataError
from peerdesk.interop import hsds
from peerdesk.resources import resource_path

SEED = resource_path("directory", "seed.json")


@pytest.fixture(scope="module")
def seed() -> Dataset:
    return hsds.load(SEED)


# -- the seed and whole-dataset checks -------------------------------------------------------


def test_seed_is_a_realistic_directory(seed):
    assert len(seed.services) >= 40
    assert {s.status for s in seed.services} == {"active"}
    terms = directory.terms_by_id(seed)
    crisis = {s.name for s in seed.services if directory.is_crisis_service(s, terms)}
    assert {"988 Suicide & Crisis Lifeline", "SAMHSA National Helpline"} <= crisis
    assert all(loc.latitude is not None for loc in seed.locations)
    assert len(seed.towns) >= 5


def test_programmatic_dataset_with_duplicate_ids_fails_the_check(seed):
    twice = replace(seed, services=(*seed.services, seed.services[0]))
    with pytest.raises(DirectoryDataError, match="duplicate service id"):
        directory.check_dataset(twice)
    directory.check_dataset(seed)  # and the seed itself passes


# -- rules ------------------------------------------------------------------------------------


def _weekly(byday: str, opens: str, closes: str, **kw: Any) -> Schedule:
    return Schedule(id="h", freq="WEEKLY", byday=byday, opens_at=opens, closes_at=closes, **kw)


# 2026-11-23 is a Monday
MON = datetime(2026, 11, 23)


@pytest.mark.parametrize(
    ("schedule", "moment", "expected"),
    [
        (_weekly("MO,TU", "09:00", "17:00"), MON.replace(hour=9), True),
        (_weekly("MO,TU", "09:00", "17:00"), MON.replace(hour=17), False),  # closing time is out
        (_weekly("MO,TU", "09:00", "17:00"), MON.replace(hour=8, minute=59), False),
        (_weekly("TU", "09:00", "17:00"), MON.replace(hour=12), False),
        (_weekly("MO", "19:00", "08:00"), MON.replace(day=24, hour=7), True),  # overnight
        (_weekly("SU", "22:00", "02:00"), MON.replace(hour=1), True),  # across the week's end
        (_weekly("SU", "22:00", "02:00"), MON.replace(hour=2), False),
        (_weekly("MO", "00:00", "24:00"), MON.replace(hour=23, minute=59), True),
        (_weekly("MO", "09:00-05:00", "17:00-05:00"), MON.replace(hour=10), True),  # wall clock
        (
            _weekly("MO", "09:00", "17:00", valid_from=date(2026, 12, 1)),
            MON.replace(hour=10),
            False,
        ),
        (_weekly("MO", "09:00", "17:00", valid_to=date(2026, 11, 22)), MON.replace(hour=10), False),
        (
            Schedule(id="m", freq="MONTHLY", byday="2MO", opens_at="09:00", closes_at="12:00"),
            MON,
            None,
        ),
        (_weekly("MO", "09:00", "17:00", interval=2), MON.replace(hour=10), None),
    ],
)
def test_open_at_reads_weekly_schedules(schedule, moment, expected):
    assert directory.is_open_at([schedule], moment) is expected


def test_no_schedule_means_unknown_not_closed():
    assert directory.is_open_at([], MON) is None


@pytest.mark.parametrize(
    ("assured", "expected"),
    [
        (None, True),
        (date(2025, 11, 23), False),
        (date(2025, 11, 22), True),
        (date(2026, 11, 1), False),
    ],
)
def test_staleness_follows_the_policy_days(assured, expected):
    service = Service(id="s", name="S", assured_date=assured)
    assert directory.is_stale(service, 365, date(2026, 11, 23)) is expected


def test_a_child_of_the_crisis_term_makes_a_crisis_service():
    terms = {
        "c": directory.TaxonomyTerm(id="c", name="Crisis", code="Crisis"),
        "h": directory.TaxonomyTerm(id="h", name="Hotlines", code="hotline", parent_id="c"),
        "f": directory.TaxonomyTerm(id="f", name="Food", code="food"),
    }
    hotline = Service(
        id="s", name="S", attributes=(directory.Attribute(id="a", taxonomy_term_id="h"),)
    )
    pantry = Service(
        id="p", name="P", attributes=(directory.Attribute(id="b", taxonomy_term_id="f"),)
    )
    assert directory.is_crisis_service(hotline, terms)
    assert not directory.is_crisis_service(pantry, terms)


def test_keys_fold_case_accents_punctuation_and_county_suffix():
    assert directory.name_key("  Dial-a-Ride ") == "dial a ride"
    assert directory.name_key("Café  Ñandú") == "cafe nandu"
    assert directory.county_key("Pine County") == directory.county_key("pine") == "pine"
    assert directory.words("snake_case words") == ["snake", "case", "words"]


def test_miles_between_known_points():
    # one degree of latitude is about 69 miles
    assert directory.miles_between(44.0, -91.0, 45.0, -91.0) == pytest.approx(69.1, abs=0.1)
    assert directory.miles_between(44.0, -91.0, 44.0, -91.0) == 0.0

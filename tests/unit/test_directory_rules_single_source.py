"""The directory's rules have one implementation, and production runs it.

The rules are tested in test_directory_model.py. Here: the store's derived
columns (the crisis flag, the open-hours rows behind "open now", the phones of a
result) and the UI's words (possibly outdated) agree with the domain rules for
every service of the seed directory and of a generated one, and the store and the
UI model call the domain functions themselves (patching the function where
production looks it up changes what production answers).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

import peerdesk.store.directory.derive as derive_module
import ui.models.directory as ui_model
from peerdesk.domain.directory import (
    LISTED_STATUSES,
    Attribute,
    Dataset,
    Location,
    Organization,
    Schedule,
    SearchFilters,
    Service,
    TaxonomyTerm,
    hours,
    is_crisis_service,
    is_open_at,
    is_stale,
    is_stale_assurance,
    rules,
    service_phones,
    service_schedules,
    terms_by_id,
)
from peerdesk.interop import hsds
from peerdesk.resources import resource_path
from peerdesk.store.db import open_database
from peerdesk.store.directory import DirectoryStore
from peerdesk.store.directory.search import MAX_LIMIT
from peerdesk.store.migrations import migrate
from tests.bench.directory import generate
from ui.models.directory import freshness, result_text
from ui.screens.directory import detail_text

TODAY = date(2026, 11, 24)
STALE_DAYS = 365
MONDAY = datetime(2026, 11, 23)  # a Monday


def _varied(dataset: Dataset) -> Dataset:
    """The generated directory with what it lacks: services that go by their
    location's schedules (and phones), validity windows, monthly rules, overnight
    hours, crisis services (by a child of the crisis term too), statuses that are
    not listed, entries never checked."""
    crisis = next(t for t in dataset.taxonomy_terms if t.code == "crisis")
    text_line = TaxonomyTerm(id="t-text-line", name="Text lines", code="text", parent_id=crisis.id)
    services: list[Service] = []
    loc_schedules: dict[str, tuple[Schedule, ...]] = {}
    for i, s in enumerate(dataset.services):
        if i % 3 == 0:
            loc_id = s.service_at_locations[0].location_id
            loc_schedules.setdefault(
                loc_id,
                (
                    Schedule(
                        id=f"loc-sch-{loc_id}",
                        freq="WEEKLY",
                        byday="TU,SA",
                        opens_at="20:00",
                        closes_at="02:00",
                    ),
                ),
            )
            s = replace(s, schedules=(), phones=())
        elif i % 5 == 0:
            (own,) = s.schedules
            window = replace(own, valid_from=date(2026, 11, 25), valid_to=date(2026, 11, 27))
            s = replace(s, schedules=(window,))
        elif i % 7 == 0:
            monthly = Schedule(
                id=f"m-{s.id}", freq="MONTHLY", byday="2MO", opens_at="09:00", closes_at="12:00"
            )
            s = replace(s, schedules=(monthly,))
        if i % 17 == 0:
            term = text_line if i % 2 else crisis
            link = Attribute(id=f"a-crisis-{s.id}", taxonomy_term_id=term.id)
            s = replace(s, attributes=(*s.attributes, link))
        if i % 11 == 0:
            s = replace(s, status="temporarily closed" if i % 2 else "inactive")
        if i % 13 == 0:
            s = replace(s, assured_date=None)
        services.append(s)
    locations = tuple(
        replace(loc, schedules=loc_schedules.get(loc.id, ())) for loc in dataset.locations
    )
    return replace(
        dataset,
        services=tuple(services),
        locations=locations,
        taxonomy_terms=(*dataset.taxonomy_terms, text_line),
    )


def _seed() -> Dataset:
    return hsds.load(resource_path("directory", "seed.json"))


def _generated() -> Dataset:
    return _varied(generate(300)[0])


@pytest.fixture(params=["seed", "generated"], scope="module")
def loaded(request, tmp_path_factory) -> Iterator[tuple[Dataset, DirectoryStore]]:
    dataset = _seed() if request.param == "seed" else _generated()
    path: Path = tmp_path_factory.mktemp(request.param) / "profile.db"
    db = open_database(path)
    migrate(db)
    store = DirectoryStore(db)
    store.import_dataset(dataset)
    yield dataset, store
    db.close()


def _context(
    dataset: Dataset, service: Service
) -> tuple[tuple[Location, ...], Organization | None]:
    locs = {loc.id: loc for loc in dataset.locations}
    orgs = {o.id: o for o in dataset.organizations}
    locations = tuple(locs[sal.location_id] for sal in service.service_at_locations)
    org = orgs.get(service.organization_id) if service.organization_id else None
    return locations, org


def _listed(dataset: Dataset) -> list[Service]:
    return [s for s in dataset.services if s.status in LISTED_STATUSES]


# --- the store derives its columns with the domain rules ----------------------------------


def test_the_stored_crisis_flag_is_is_crisis_service(loaded):
    dataset, store = loaded
    terms = terms_by_id(dataset)
    expected = {s.id: is_crisis_service(s, terms) for s in dataset.services}
    assert any(expected.values()) and not all(expected.values())
    assert {s.id: store.get_service(s.id).is_crisis for s in dataset.services} == expected
    pinned = {hit.id for hit in store.crisis_lines()}
    assert pinned == {s.id for s in _listed(dataset) if expected[s.id]}
    hits = store.search("", limit=MAX_LIMIT).hits
    assert {hit.id: hit.is_crisis for hit in hits} == {hit.id: expected[hit.id] for hit in hits}


def _moments() -> list[datetime]:
    week = [MONDAY + timedelta(minutes=45 * k) for k in range(7 * 24 * 60 // 45)]
    # the validity windows of _varied: before, in and after them
    return [*week, *(datetime(2026, 11, d, 10, 30) for d in (24, 25, 26, 27, 28))]


def test_open_now_search_is_is_open_at(loaded):
    dataset, store = loaded
    listed = _listed(dataset)
    assert len(listed) <= MAX_LIMIT
    checked = 0
    for moment in _moments():
        expected = set()
        for s in listed:
            locations, _ = _context(dataset, s)
            if is_open_at(service_schedules(s, locations), moment) is True:
                expected.add(s.id)
        found = store.search("", SearchFilters(open_at=moment), limit=MAX_LIMIT)
        assert {hit.id for hit in found.hits} == expected, moment
        checked += bool(expected)
    assert checked > 10  # the moments do find open services


def test_a_result_lists_the_phones_of_service_phones(loaded):
    dataset, store = loaded
    hits = {hit.id: hit for hit in store.search("", limit=MAX_LIMIT).hits}
    for s in _listed(dataset):
        locations, org = _context(dataset, s)
        numbers = tuple(dict.fromkeys(p.number for p in service_phones(s, locations, org)))
        assert hits[s.id].phones == numbers


def test_the_store_calls_the_domain_rules_themselves(tmp_path: Path, monkeypatch):
    assert derive_module.is_crisis_service is rules.is_crisis_service
    assert derive_module.open_intervals is hours.open_intervals
    assert derive_module.service_schedules is rules.service_schedules
    assert derive_module.service_phones is rules.service_phones
    dataset = _seed()
    chosen = next(s for s in dataset.services if not is_crisis_service(s, terms_by_id(dataset)))
    monkeypatch.setattr(
        derive_module, "is_crisis_service", lambda service, terms: service.id == chosen.id
    )
    monkeypatch.setattr(derive_module, "open_intervals", lambda schedules: [])
    db = open_database(tmp_path / "profile.db")
    migrate(db)
    store = DirectoryStore(db)
    store.import_dataset(dataset)
    assert [hit.id for hit in store.crisis_lines()] == [chosen.id]
    assert store.search("", SearchFilters(open_at=MONDAY.replace(hour=12))).hits == ()
    db.close()


# --- the UI words an entry with the domain's staleness rule ------------------------------


def test_possibly_outdated_in_the_ui_is_is_stale(loaded):
    dataset, store = loaded
    by_id = {s.id: s for s in dataset.services}
    hits = store.search("", limit=MAX_LIMIT).hits
    assert {is_stale(hit, STALE_DAYS, TODAY) for hit in hits} == {True, False}
    for hit in hits:
        stale = is_stale(hit, STALE_DAYS, TODAY)
        assert is_stale(by_id[hit.id], STALE_DAYS, TODAY) is stale
        assert ("Possibly outdated" in result_text(hit, TODAY, STALE_DAYS)) is stale
        assert (freshness(hit.assured_date, TODAY, STALE_DAYS) is not None) is stale
    for hit in hits[:25]:
        detail = store.get_service(hit.id)
        text = detail_text(detail, TODAY, STALE_DAYS)
        assert ("Possibly outdated" in text) is is_stale(detail.service, STALE_DAYS, TODAY)


def test_the_ui_model_calls_the_domain_rule_itself(monkeypatch):
    assert ui_model.is_stale_assurance is rules.is_stale_assurance
    assert is_stale_assurance is rules.is_stale_assurance
    fresh = TODAY - timedelta(days=3)
    assert freshness(fresh, TODAY, STALE_DAYS) is None
    monkeypatch.setattr(ui_model, "is_stale_assurance", lambda assured, days, today: True)
    assert freshness(fresh, TODAY, STALE_DAYS) is not None

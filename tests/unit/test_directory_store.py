"""The directory in the profile database: import (all or nothing), export,
search ranking, prefix and typo matching, each filter, crisis pinning, and the
seed a new profile gets."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from peerdesk.domain.directory import (
    Attribute,
    Dataset,
    Language,
    Location,
    Organization,
    Schedule,
    SearchFilters,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
    Town,
    is_stale,
)
from peerdesk.errors import DirectoryDataError, NotFound, StorageUnavailable
from peerdesk.interop import hsds
from peerdesk.store.db import open_database
from peerdesk.store.directory import DirectoryStore, osa_distance
from peerdesk.store.directory.index import SearchIndex
from peerdesk.store.migrations import migrate

TERMS = (
    TaxonomyTerm(id="t-crisis", name="Crisis lines", code="crisis"),
    TaxonomyTerm(id="t-food", name="Food", code="food"),
    TaxonomyTerm(id="t-pantry", name="Food pantries", code="food-pantry", parent_id="t-food"),
    TaxonomyTerm(id="t-housing", name="Housing", code="housing"),
)
TOWNS = (
    Town(
        id="town-alder", name="Alder Falls", county="Alder County", latitude=44.8, longitude=-91.5
    ),
    Town(id="town-far", name="Far Town", county="Kestrel County", latitude=45.8, longitude=-91.5),
)
LOCATIONS = (
    Location(id="l-near", name="Church hall", latitude=44.81, longitude=-91.5),  # ~0.7 mi
    Location(id="l-mid", name="Grange", latitude=44.9, longitude=-91.5),  # ~6.9 mi
    Location(id="l-far", name="Depot", latitude=45.5, longitude=-91.5),  # ~48 mi
)
ALL_WEEK = "MO,TU,WE,TH,FR,SA,SU"


def svc(
    sid: str,
    name: str,
    description: str = "",
    *,
    terms: tuple[str, ...] = (),
    areas: tuple[str, ...] = (),
    langs: tuple[tuple[str, str], ...] = (),
    hours: tuple[tuple[str, str, str], ...] = (),
    locs: tuple[str, ...] = (),
    status: str = "active",
    assured: date | None = date(2026, 6, 1),
    alternate_name: str = "",
) -> Service:
    return Service(
        id=sid,
        name=name,
        description=description,
        alternate_name=alternate_name,
        status=status,
        organization_id="o1",
        assured_date=assured,
        attributes=tuple(
            Attribute(id=f"{sid}-a{i}", taxonomy_term_id=t) for i, t in enumerate(terms)
        ),
        service_areas=tuple(ServiceArea(id=f"{sid}-sa{i}", name=a) for i, a in enumerate(areas)),
        languages=tuple(
            Language(id=f"{sid}-l{i}", code=c, name=n) for i, (c, n) in enumerate(langs)
        ),
        schedules=tuple(
            Schedule(id=f"{sid}-h{i}", freq="WEEKLY", byday=d, opens_at=o, closes_at=c)
            for i, (d, o, c) in enumerate(hours)
        ),
        service_at_locations=tuple(
            ServiceAtLocation(id=f"{sid}-at{i}", location_id=lid) for i, lid in enumerate(locs)
        ),
    )


SERVICES = (
    svc("s-harbor", "Harbor", "A place to rest."),
    svc("s-harbor-house", "Harbor House Helpline", "Call us."),
    svc(
        "s-meadows",
        "Quiet Meadows Counseling",
        "We harbor hope. Harbor, harbor, harbor: a safe harbor for everyone.",
    ),
    svc(
        "s-pantry",
        "Alder Falls Food Pantry",
        "Groceries every week.",
        terms=("t-pantry",),
        areas=("Alder County",),
        langs=(("es", "Spanish"), ("en", "English")),
        hours=(("TU,TH", "14:00", "18:00"),),
        locs=("l-near",),
    ),
    svc(
        "s-soup",
        "Kestrel Soup Kitchen",
        "Hot lunch on weekdays.",
        terms=("t-food",),
        areas=("Kestrel County",),
        langs=(("en", "English"),),
        hours=(("MO,TU,WE,TH,FR", "11:00", "13:00"),),
        locs=("l-far",),
    ),
    svc(
        "s-shelter",
        "Night Shelter",
        "Beds and breakfast for adults. Housing search help.",
        terms=("t-housing",),
        areas=("Alder County",),
        hours=((ALL_WEEK, "19:00", "08:00"),),
        locs=("l-mid",),
    ),
    svc(
        "s-988",
        "988 Suicide & Crisis Lifeline",
        "Call or text any time.",
        terms=("t-crisis",),
        areas=("United States",),
        langs=(("es", "Spanish"),),
        hours=((ALL_WEEK, "00:00", "24:00"),),
    ),
    svc("s-local-crisis", "Mobile Crisis Team", "Counselors come to you.", terms=("t-crisis",)),
    svc("s-defunct", "Old Pantry", "Closed for good.", terms=("t-pantry",), status="defunct"),
    svc(
        "s-paused",
        "Paused Pantry",
        "Back in spring.",
        terms=("t-pantry",),
        status="temporarily closed",
    ),
)


def dataset(services: tuple[Service, ...] = SERVICES) -> Dataset:
    return Dataset(
        organizations=(Organization(id="o1", name="Helpers United"),),
        services=services,
        locations=LOCATIONS,
        taxonomy_terms=TERMS,
        towns=TOWNS,
    )


@pytest.fixture
def db(tmp_path: Path) -> Iterator[object]:
    database = open_database(tmp_path / "directory.db")
    migrate(database)
    yield database
    database.close()


@pytest.fixture
def store(db) -> DirectoryStore:
    s = DirectoryStore(db)
    s.import_dataset(dataset(), version=3, source="test")
    return s


def names(results) -> list[str]:
    return [h.name for h in results.hits]


# -- import and export ------------------------------------------------------------------------


def test_import_then_export_gives_the_same_dataset(store):
    assert store.export_dataset() == dataset()
    assert store.version() == 3
    assert store.count() == len(SERVICES)


def test_seed_directory_round_trips_through_the_store(db):
    seed = hsds.load(Path(__file__).resolve().parents[2] / "resources" / "directory" / "seed.json")
    store = DirectoryStore(db)
    assert store.import_dataset(seed) == len(seed.services)
    assert store.export_dataset() == seed


def test_empty_store_has_no_version(db):
    store = DirectoryStore(db)
    assert store.is_empty()
    assert store.version() == -1
    assert names(store.search("food")) == []
    assert store.crisis_lines() == []


def test_invalid_dataset_is_refused_and_the_old_directory_kept(store):
    broken = dataset(
        (
            *SERVICES,
            replace(
                SERVICES[0], id="s-new", attributes=(Attribute(id="x", taxonomy_term_id="t-nope"),)
            ),
        )
    )
    with pytest.raises(DirectoryDataError, match="unknown taxonomy term 't-nope'"):
        store.import_dataset(broken, version=4)
    assert store.version() == 3
    assert store.export_dataset() == dataset()


def test_failure_half_way_through_an_import_leaves_nothing_half_imported(store, monkeypatch):
    smaller = dataset(SERVICES[:2])

    def fail_after_services(self):
        raise StorageUnavailable(
            "could not import the directory: the disk is full; nothing was saved"
        )

    monkeypatch.setattr(SearchIndex, "sync_spell", fail_after_services)
    with pytest.raises(StorageUnavailable):
        store.import_dataset(smaller, version=4)

    monkeypatch.undo()
    assert store.version() == 3
    assert store.export_dataset() == dataset()
    assert names(store.search("harbor"))[0] == "Harbor"


def test_get_service_returns_its_organization_locations_and_categories(store):
    detail = store.get_service("s-pantry")
    assert detail.service == SERVICES[3]
    assert detail.organization == Organization(id="o1", name="Helpers United")
    assert [loc.id for loc in detail.locations] == ["l-near"]
    assert [t.code for t in detail.categories] == ["food-pantry"]
    assert detail.is_crisis is False
    with pytest.raises(NotFound):
        store.get_service("no-such-service")


def test_lists_for_the_filter_controls(store):
    assert store.areas() == ["Alder County", "Kestrel County", "United States"]
    assert store.languages() == ["English", "Spanish"]
    assert [t.name for t in store.towns()] == ["Alder Falls", "Far Town"]
    assert [t.code for t in store.categories()] == ["crisis", "food", "food-pantry", "housing"]


# -- ranking ------------------------------------------------------------------------------------


def test_exact_name_beats_name_words_beat_description_matches(store):
    found = names(store.search("harbor"))
    assert found == ["Harbor", "Harbor House Helpline", "Quiet Meadows Counseling"]


def test_exact_name_wins_even_against_a_name_starting_the_same(store):
    found = names(store.search("Harbor House Helpline"))
    assert found[0] == "Harbor House Helpline"
    assert names(store.search("harbor"))[0] == "Harbor"


def test_description_match_comes_after_every_name_match_however_often_it_repeats(db):
    many = tuple(svc(f"s{i}", f"Harbor Program {i}", "Plain text.") for i in range(5))
    noisy = svc("s-noisy", "Counseling", "harbor " * 200)
    store = DirectoryStore(db)
    store.import_dataset(dataset((*many, noisy)))
    found = names(store.search("harbor"))
    assert found[-1] == "Counseling"
    assert len(found) == 6


def test_limit_and_more_flag(store):
    page = store.search("pantry", limit=1)
    assert len(page.hits) == 1 and page.more
    everything = store.search("pantry", limit=50)
    assert not everything.more
    # both are name matches; bm25 prefers the shorter name
    assert names(everything) == ["Paused Pantry", "Alder Falls Food Pantry"]


# -- prefixes and typos -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["Ni", "Nig", "Nigh", "Night", "Night S", "Night Sh", "night shelter"]
)
def test_every_keystroke_of_a_name_finds_it_first(store, typed):
    assert names(store.search(typed))[0] == "Night Shelter"


def test_prefix_matches_word_starts_only(store):
    assert "Night Shelter" in names(store.search("hous"))  # "Housing" in the description
    assert "Night Shelter" in names(store.search("shel"))
    # the middle of a word does not match (and is too far from any word for a typo)
    assert names(store.search("elter")) == []


def test_single_letter_lists_names_starting_with_it(store):
    assert names(store.search("h")) == ["Harbor", "Harbor House Helpline"]
    assert names(store.search("9")) == ["988 Suicide & Crisis Lifeline"]


@pytest.mark.parametrize(
    ("typed", "meant", "found"),
    [
        ("sheltr", "shelter", "Night Shelter"),  # a missing letter
        ("shelterr", "shelter", "Night Shelter"),  # an extra letter
        ("pnatry", "pantry", "Alder Falls Food Pantry"),  # swapped letters
        ("grocerise", "groceries", "Alder Falls Food Pantry"),
        ("food pnatry", "pantry", "Alder Falls Food Pantry"),  # one bad word of two
    ],
)
def test_typos_in_short_queries_find_the_intended_word(store, typed, meant, found):
    results = store.search(typed)
    assert found in names(results)
    assert any(meant in used for _, used in results.corrections)


def test_no_correction_when_the_words_match(store):
    results = store.search("shelter")
    assert names(results) == ["Night Shelter"]
    assert results.corrections == ()


def test_long_queries_and_nonsense_get_no_typo_tolerance(store):
    assert names(store.search("sheltr for adults in the valley")) == []
    assert names(store.search("zzqxv")) == []


def test_typo_candidates_are_ordered_by_distance(store):
    assert store.typo_candidates("breakfas") == ["breakfast"]
    assert osa_distance("pantry", "pnatry", 2) == 1
    assert osa_distance("pantry", "pastry", 2) == 1
    assert osa_distance("pantry", "xx", 2) == 3


# -- filters -------------------------------------------------------------------------------


def test_category_filter_includes_child_categories(store):
    food = names(store.search("", SearchFilters(categories=("food",))))
    assert food == ["Alder Falls Food Pantry", "Kestrel Soup Kitchen", "Paused Pantry"]
    pantries = names(store.search("", SearchFilters(categories=("t-pantry",))))
    assert pantries == ["Alder Falls Food Pantry", "Paused Pantry"]
    assert names(store.search("", SearchFilters(categories=("no-such",)))) == []


def test_county_filter_accepts_the_county_with_or_without_suffix(store):
    for county in ("Alder", "alder county", "Alder County"):
        found = names(store.search("", SearchFilters(county=county)))
        assert found == ["Alder Falls Food Pantry", "Night Shelter"]


def test_language_filter_by_code_or_name(store):
    by_code = names(store.search("", SearchFilters(language="es")))
    by_name = names(store.search("", SearchFilters(language="spanish")))
    assert by_code == by_name == ["988 Suicide & Crisis Lifeline", "Alder Falls Food Pantry"]


# 2026-11-24 is a Tuesday
@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (
            datetime(2026, 11, 24, 15, 0),
            ["988 Suicide & Crisis Lifeline", "Alder Falls Food Pantry"],
        ),
        (datetime(2026, 11, 24, 12, 0), ["988 Suicide & Crisis Lifeline", "Kestrel Soup Kitchen"]),
        (datetime(2026, 11, 24, 23, 30), ["988 Suicide & Crisis Lifeline", "Night Shelter"]),
        (datetime(2026, 11, 25, 7, 59), ["988 Suicide & Crisis Lifeline", "Night Shelter"]),
        (datetime(2026, 11, 29, 12, 0), ["988 Suicide & Crisis Lifeline"]),  # Sunday noon
    ],
)
def test_open_now_filter_uses_the_given_local_time(store, moment, expected):
    assert names(store.search("", SearchFilters(open_at=moment))) == expected


def test_distance_filter_orders_by_distance_and_reports_it(store):
    near = store.search("", SearchFilters(town="Alder Falls", within_miles=10))
    assert names(near) == ["Alder Falls Food Pantry", "Night Shelter"]
    assert [h.distance_miles for h in near.hits] == [0.7, 6.9]
    wider = store.search("", SearchFilters(town="town-alder", within_miles=60))
    assert names(wider)[-1] == "Kestrel Soup Kitchen"
    assert 48 < wider.hits[-1].distance_miles < 49


def test_town_without_radius_only_reports_distance(store):
    found = store.search("pantry", SearchFilters(town="far town"))
    distances = {h.name: h.distance_miles for h in found.hits}
    assert distances["Paused Pantry"] is None  # it has no location
    assert 68 < distances["Alder Falls Food Pantry"] < 69
    assert names(found) == names(store.search("pantry"))  # ranking is unchanged
    assert names(store.search("", SearchFilters(town="Atlantis", within_miles=5))) == []


def test_filters_combine_with_text(store):
    found = store.search(
        "food",
        SearchFilters(
            county="Alder",
            language="es",
            open_at=datetime(2026, 11, 24, 15, 0),
            town="Alder Falls",
            within_miles=2,
        ),
    )
    assert names(found) == ["Alder Falls Food Pantry"]
    assert names(store.search("food", SearchFilters(county="Kestrel"))) == ["Kestrel Soup Kitchen"]


def test_defunct_services_are_hidden_but_temporarily_closed_are_listed(store):
    found = names(store.search("pantry"))
    assert "Old Pantry" not in found
    assert "Paused Pantry" in found
    assert store.get_service("s-defunct").service.status == "defunct"


# -- crisis lines and staleness --------------------------------------------------------------


def test_crisis_lines_are_returned_apart_for_pinning(store):
    pinned = store.crisis_lines()
    assert [c.name for c in pinned] == ["988 Suicide & Crisis Lifeline", "Mobile Crisis Team"]
    assert all(c.is_crisis for c in pinned)
    assert not any(h.is_crisis for h in store.search("pantry").hits)


def test_results_carry_what_the_staleness_rule_needs(db):
    store = DirectoryStore(db)
    store.import_dataset(
        dataset(
            (
                svc("old", "Old News", assured=date(2024, 1, 2)),
                svc("never", "Never Checked", assured=None),
            )
        )
    )
    hits = {h.name: h for h in store.search("").hits}
    assert hits["Old News"].assured_date == date(2024, 1, 2)
    assert hits["Never Checked"].assured_date is None
    detail = store.get_service("old")
    assert is_stale(detail.service, 365, date(2026, 11, 23))


# -- the profile's seed --------------------------------------------------------------------


def test_new_profile_gets_the_seed_directory_once(session):
    assert session.directory.is_empty()
    imported = session.directory.seed_if_empty().value
    assert imported >= 40
    assert session.directory.seed_if_empty().value == 0
    assert session.directory.count() == imported
    pinned = [c.name for c in session.directory.crisis_lines()]
    assert pinned[0] == "988 Suicide & Crisis Lifeline"
    assert "SAMHSA National Helpline" in pinned
    assert "988" in session.directory.crisis_lines()[0].phones


def test_directory_search_works_while_the_vault_is_locked(session):
    session.directory.seed_if_empty()
    session.lock()
    assert names(session.directory.search("pantry"))


@pytest.mark.parametrize(
    "typed",
    [
        "AND",
        "near or not",
        'NEAR("x" "y")',
        '"unbalanced',
        "name:harbor",
        "*",
        "-harbor",
        "{name}: x",
        "ñandú",
        "  ",
    ],
)
def test_query_syntax_is_plain_text_never_an_error(store, typed):
    store.search(typed)  # no exception


def test_operator_words_match_as_words(db):
    store = DirectoryStore(db)
    store.import_dataset(
        dataset((svc("s-and", "Bread And Roses"), svc("s-not", "Not Alone Group")))
    )
    assert names(store.search("and")) == ["Bread And Roses"]
    assert names(store.search("not alone")) == ["Not Alone Group"]


# -- the large-directory code paths, forced on a small directory -----------------------------


FILTER_CASES = [
    ("", SearchFilters(categories=("food",))),
    ("", SearchFilters(county="Alder", language="es")),
    ("pantry", SearchFilters(language="English")),
    ("food", SearchFilters(open_at=datetime(2026, 11, 24, 15, 0))),
    ("", SearchFilters(town="Alder Falls", within_miles=10)),
    ("a", SearchFilters(categories=("t-pantry",), town="Alder Falls", within_miles=60)),
    ("harbor", SearchFilters()),
    ("e", SearchFilters()),
]


def _everything(store) -> list[tuple[str, list[str]]]:
    return [(text, names(store.search(text, f))) for text, f in FILTER_CASES]


def test_set_filters_give_the_same_results_as_lists_or_as_per_row_lookups(store, monkeypatch):
    as_lists = _everything(store)
    monkeypatch.setattr("peerdesk.store.directory.search.IN_LIST_MAX", 0)  # always EXISTS
    assert _everything(store) == as_lists
    assert any(found for _, found in as_lists)


def test_ranking_in_windows_returns_every_match_in_tier_order(db, monkeypatch):
    many = tuple(svc(f"d{i:02}", f"Program {i:02}", "Help with heating bills.") for i in range(30))
    named = tuple(svc(f"n{i}", f"Heating Help {i}", "Call us.") for i in range(3))
    store = DirectoryStore(db)
    store.import_dataset(dataset((*many, *named)))
    exact = names(store.search("heating", limit=100))

    monkeypatch.setattr("peerdesk.store.directory.search.RANK_WINDOW", 2)
    windowed = names(store.search("heating", limit=100))

    assert sorted(windowed) == sorted(exact)  # nothing lost or repeated
    assert len(windowed) == 33
    assert windowed[:3] == ["Heating Help 0", "Heating Help 1", "Heating Help 2"]
    # a page of 5 from windows is still the name tier first, then description matches
    page = store.search("heating", limit=5)
    assert names(page)[:3] == windowed[:3] and page.more


def test_a_set_filter_that_leaves_few_services_ranks_them_exactly(store, monkeypatch):
    monkeypatch.setattr("peerdesk.store.directory.search.RANK_WINDOW", 1)
    monkeypatch.setattr("peerdesk.store.directory.search.RANK_EXACT_MAX", 0)
    windowed = names(store.search("harbor", SearchFilters(categories=("t-crisis", "t-food"))))
    monkeypatch.setattr("peerdesk.store.directory.search.RANK_EXACT_MAX", 10_000)
    exact = names(store.search("harbor", SearchFilters(categories=("t-crisis", "t-food"))))
    assert windowed == exact == []
    assert names(store.search("food", SearchFilters(county="Alder"))) == ["Alder Falls Food Pantry"]


def test_a_full_import_leaves_no_large_write_ahead_log(db, tmp_path):
    seed = hsds.load(Path(__file__).resolve().parents[2] / "resources" / "directory" / "seed.json")
    DirectoryStore(db).import_dataset(seed)
    wal = tmp_path / "directory.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0

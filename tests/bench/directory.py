"""Resource directory at scale: a generated directory of 100,000 services.

Measured on one profile database (the real schema, WAL, synchronous=FULL):

* import time of the whole dataset (validation, indexing, one transaction);
* search-as-you-type latency, p50/p95/max over every keystroke prefix of common
  terms ("food", "housing", "counseling" ...) and of rare ones (made-up place and
  organization names that occur in a handful of services), each prefix run
  several times; goal p95 < 50 ms for both;
* typo queries (a word with one or two edits), filters alone (browse) and with
  text: category, county, language, open now, distance from a town;
* applying a signed delta of 1,000 changes (600 updates, 200 adds, 200
  removals): signature check, parsing and the transaction.

The data is generated (seeded, so every run is the same): 25,000 organizations,
40,000 locations around 400 towns in 40 counties, 20 categories, descriptions
drawn from a word list with a long tail.

    python -m tests.bench.directory [--services 100000] [--repeats 5]
        [--out bench-results/directory.json]

``run(out)`` fills ``out["directory"]`` for the bench runner.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from peerdesk.crypto.seal import SigningKeyPair
from peerdesk.domain.directory import (
    Attribute,
    Dataset,
    DeltaOp,
    DirectoryDelta,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    SearchFilters,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
    Town,
)
from peerdesk.store.db import open_database
from peerdesk.store.directory import DirectoryStore
from peerdesk.store.migrations import migrate
from peerdesk.wire.directory_updates import apply_directory_update, sign_delta

GOALS = {
    "search_common_p95_ms": 50.0,
    "search_rare_p95_ms": 50.0,
    "typo_p95_ms": 50.0,
    "filters_p95_ms": 50.0,
}

CATEGORIES = [
    ("crisis", "Crisis lines", None),
    ("mental-health", "Mental health", None),
    ("counseling", "Counseling", "mental-health"),
    ("substance-use", "Substance use", None),
    ("recovery-support", "Recovery support", None),
    ("food", "Food", None),
    ("food-pantry", "Food pantries", "food"),
    ("meals", "Free meals", "food"),
    ("housing", "Housing", None),
    ("shelter", "Emergency shelter", "housing"),
    ("transportation", "Transportation", None),
    ("health-care", "Health care", None),
    ("dental", "Dental care", "health-care"),
    ("employment", "Jobs and training", None),
    ("legal", "Legal help", None),
    ("benefits", "Benefits", None),
    ("utilities", "Heat and utilities", None),
    ("veterans", "Veterans", None),
    ("family-youth", "Family and youth", None),
    ("seniors", "Older adults", None),
]
KIND_WORDS = {
    "crisis": ["Crisis Line", "Crisis Team", "Helpline"],
    "mental-health": ["Mental Health Center", "Wellness Clinic"],
    "counseling": ["Counseling", "Family Counseling", "Therapy Group"],
    "substance-use": ["Recovery Clinic", "Treatment Program", "Detox Center"],
    "recovery-support": ["Recovery Community", "Peer Support Group"],
    "food": ["Food Bank", "Food Shelf"],
    "food-pantry": ["Food Pantry", "Mobile Pantry"],
    "meals": ["Community Supper", "Soup Kitchen", "Meals on Wheels"],
    "housing": ["Housing Authority", "Rent Assistance", "Housing Partnership"],
    "shelter": ["Shelter", "Warming Center"],
    "transportation": ["Transit", "Dial-a-Ride", "Volunteer Drivers"],
    "health-care": ["Health Center", "Clinic", "Pharmacy"],
    "dental": ["Dental Clinic"],
    "employment": ["Job Center", "Workforce Program"],
    "legal": ["Legal Aid", "Law Clinic"],
    "benefits": ["Benefits Office", "Enrollment Help"],
    "utilities": ["Energy Assistance", "Weatherization"],
    "veterans": ["Veterans Office", "Veterans Outreach"],
    "family-youth": ["Family Resource Center", "Youth Center", "Head Start"],
    "seniors": ["Senior Center", "Aging Services"],
}
COMMON_WORDS = (
    "help free call appointment walk in services support community county people family "
    "families children adults youth seniors veterans food groceries meals housing rent "
    "shelter health clinic care mental counseling recovery treatment program programs "
    "transportation rides medical dental insurance medicaid benefits application apply "
    "assistance emergency heating utility bills job training work legal advice court "
    "eviction safety crisis support group peer weekly monthly hours open days available "
    "staff volunteers bring documents income eligible residents local area rural town "
    "office center visit phone text online spanish english interpreter accessible"
).split()
SYLLABLES = "ka lo ven dar mi tor sel bra qui nex por lum hal ber tin gro vel mar sun cal dor fen ith ow ash cre ly no pe ra zu ob".split()
LANGUAGES = [
    ("en", "English", 1.0),
    ("es", "Spanish", 0.25),
    ("hmn", "Hmong", 0.03),
    ("vi", "Vietnamese", 0.02),
    ("so", "Somali", 0.01),
]
SCHEDULES = [
    ("MO,TU,WE,TH,FR", "09:00", "17:00", 0.55),
    ("MO,TU,WE,TH,FR", "08:00", "16:30", 0.15),
    ("TU,TH", "14:00", "18:00", 0.08),
    ("SA", "09:00", "12:00", 0.06),
    ("MO,WE,FR", "10:00", "14:00", 0.06),
    ("MO,TU,WE,TH,FR,SA,SU", "00:00", "24:00", 0.03),
    ("MO,TU,WE,TH,FR,SA,SU", "19:00", "08:00", 0.02),
]
COMMON_TERMS = ["food", "housing", "counseling", "health", "recovery", "transportation"]
TYPOS = [
    "houisng",
    "pantyr",
    "counseing",
    "sheltr",
    "tranportation",
    "vetrans",
    "dentl",
    "emergancy",
]
SEARCH_KEYSTROKES_REPEAT = 5


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def generate(n_services: int, seed: int = 20261123) -> tuple[Dataset, list[str]]:
    """A deterministic directory of ``n_services`` services, and some rare words
    that occur in its names."""
    rng = random.Random(seed)
    ns = uuid.UUID(int=seed)

    def uid(*parts: object) -> str:
        return str(uuid.uuid5(ns, "/".join(map(str, parts))))

    terms = tuple(
        TaxonomyTerm(
            id=uid("term", code),
            name=name,
            code=code,
            parent_id=uid("term", parent) if parent else None,
        )
        for code, name, parent in CATEGORIES
    )
    counties = [f"{_word(rng).title()} County" for _ in range(40)]
    towns = []
    for i in range(400):
        county = counties[i % len(counties)]
        towns.append(
            Town(
                id=uid("town", i),
                name=f"{_word(rng).title()} {rng.choice(['Falls', 'Creek', 'Springs', 'Hill', 'Crossing', 'Mills', ''])}".strip(),
                county=county,
                latitude=round(43.0 + rng.random() * 4.0, 5),
                longitude=round(-95.0 + rng.random() * 6.0, 5),
                state="DS",
            )
        )
    n_orgs = max(1, n_services // 4)
    n_locs = max(1, n_services * 2 // 5)
    org_words = [_word(rng).title() for _ in range(n_orgs)]
    organizations = tuple(
        Organization(
            id=uid("org", i),
            name=f"{org_words[i]} {rng.choice(['Community Services', 'Alliance', 'Partners', 'Network', 'Foundation'])}",
        )
        for i in range(n_orgs)
    )
    locations = []
    loc_town = []
    for i in range(n_locs):
        town = rng.choice(towns)
        loc_town.append(town)
        locations.append(
            Location(
                id=uid("loc", i),
                name=f"{town.name} {rng.choice(['Hall', 'Office', 'Center', 'Church', 'Library', 'Clinic'])}",
                organization_id=organizations[i % n_orgs].id,
                latitude=round(town.latitude + rng.uniform(-0.05, 0.05), 5),
                longitude=round(town.longitude + rng.uniform(-0.05, 0.05), 5),
            )
        )
    tail = [_word(rng) for _ in range(3000)]
    services = []
    codes = [c for c, _, _ in CATEGORIES]
    for i in range(n_services):
        cats = rng.sample(codes, rng.choice([1, 1, 1, 2, 2, 3]))
        if "crisis" in cats and rng.random() < 0.9:
            cats.remove("crisis")
            if not cats:
                cats = ["mental-health"]
        loc_index = rng.randrange(n_locs)
        town = loc_town[loc_index]
        org = organizations[loc_index % n_orgs]
        name = f"{rng.choice([town.name, org_words[loc_index % n_orgs], town.county.removesuffix(' County')])} {rng.choice(KIND_WORDS[cats[0]])}"
        words = [
            rng.choice(COMMON_WORDS) if rng.random() < 0.85 else rng.choice(tail)
            for _ in range(rng.randint(20, 60))
        ]
        sched = rng.choices(SCHEDULES, weights=[w for *_, w in SCHEDULES])[0]
        areas = [town.county] + ([rng.choice(counties)] if rng.random() < 0.2 else [])
        langs = [(c, n) for c, n, p in LANGUAGES if rng.random() < p]
        services.append(
            Service(
                id=uid("svc", i),
                name=name,
                organization_id=org.id,
                description=" ".join(words).capitalize() + ".",
                eligibility_description="Anyone in the area." if rng.random() < 0.5 else "",
                assured_date=date(2025, 1, 1).fromordinal(
                    date(2025, 1, 1).toordinal() + rng.randrange(700)
                ),
                phones=(
                    Phone(
                        id=uid("phone", i), number=f"555-{rng.randrange(10000):04d}", type="voice"
                    ),
                ),
                schedules=(
                    Schedule(
                        id=uid("sch", i),
                        freq="WEEKLY",
                        byday=sched[0],
                        opens_at=sched[1],
                        closes_at=sched[2],
                    ),
                ),
                service_areas=tuple(
                    ServiceArea(id=uid("area", i, a), name=a) for a in dict.fromkeys(areas)
                ),
                service_at_locations=(
                    ServiceAtLocation(id=uid("sal", i), location_id=locations[loc_index].id),
                ),
                languages=tuple(Language(id=uid("lang", i, c), code=c, name=n) for c, n in langs),
                attributes=tuple(
                    Attribute(id=uid("attr", i, c), taxonomy_term_id=uid("term", c)) for c in cats
                ),
            )
        )
    # rare: organization words that name few services
    rare = [w.lower() for w in rng.sample(org_words, 12)]
    return Dataset(organizations, tuple(services), tuple(locations), (), terms, tuple(towns)), rare


def _stats(samples_s: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples_s)
    p95 = ms[min(len(ms) - 1, max(0, round(0.95 * len(ms)) - 1))]
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(ms[-1], 2),
    }


def _timed(fn: Callable[[], Any], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _keystrokes(term: str) -> list[str]:
    return [term[:i] for i in range(1, len(term) + 1)]


def _delta(base: Dataset, changes: int, rng: random.Random) -> DirectoryDelta:
    n_update, n_add = changes * 3 // 5, changes // 5
    n_remove = changes - n_update - n_add
    picked = rng.sample(range(len(base.services)), n_update + n_remove)
    ops: list[DeltaOp] = []
    for i in picked[:n_update]:
        s = base.services[i]
        ops.append(
            DeltaOp(
                "update",
                "service",
                s.id,
                replace(s, name=s.name + " Annex", description=s.description + " Hours changed."),
            )
        )
    for j in range(n_add):
        template = base.services[rng.randrange(len(base.services))]
        new_id = str(uuid.UUID(int=rng.getrandbits(128)))
        ops.append(
            DeltaOp(
                "add",
                "service",
                new_id,
                replace(
                    template,
                    id=new_id,
                    name=f"New Program {j}",
                    phones=(),
                    schedules=(),
                    service_areas=(),
                    languages=(),
                    service_at_locations=(),
                    attributes=tuple(
                        Attribute(id=f"{new_id}-a{k}", taxonomy_term_id=a.taxonomy_term_id)
                        for k, a in enumerate(template.attributes)
                    ),
                ),
            )
        )
    for i in picked[n_update:]:
        ops.append(DeltaOp("remove", "service", base.services[i].id))
    return DirectoryDelta(version=2, base_version=1, ops=tuple(ops))


def run(
    out: dict[str, Any],
    *,
    services: int = 100_000,
    repeats: int = SEARCH_KEYSTROKES_REPEAT,
    changes: int = 1000,
) -> dict[str, Any]:
    """Measure and put the figures into ``out["directory"]`` (also returned)."""
    result: dict[str, Any] = {"services": services, "python": platform.python_version()}
    t0 = time.perf_counter()
    dataset, rare = generate(services)
    result["generate_s"] = round(time.perf_counter() - t0, 2)
    with tempfile.TemporaryDirectory(prefix="peerdesk-bench-dir-") as tmp:
        db = open_database(Path(tmp) / "peerdesk.db")
        migrate(db)
        store = DirectoryStore(db)
        t0 = time.perf_counter()
        store.import_dataset(dataset, version=1, source="bench")
        result["import_s"] = round(time.perf_counter() - t0, 2)
        result["import_services_per_s"] = round(services / result["import_s"])
        files = {p.name: p.stat().st_size for p in Path(tmp).iterdir()}
        result["db_bytes"] = files.get("peerdesk.db", 0)
        result["wal_bytes_after_import"] = files.get("peerdesk.db-wal", 0)
        result["spell_words"] = db.execute("SELECT count(*) FROM directory_words").fetchone()[0]

        for q in ("food", "pantry", "zzz"):  # warm the page cache
            store.search(q)

        def measure(
            queries: list[str], filters: SearchFilters | None = None
        ) -> tuple[dict[str, float], list[float]]:
            samples: list[float] = []
            for q in queries:
                samples += _timed(lambda q=q: store.search(q, filters), repeats)
            return _stats(samples), samples

        common_queries = [p for t in COMMON_TERMS for p in _keystrokes(t)]
        common_queries += [p for p in _keystrokes("food pantry")[5:]] + _keystrokes(
            "mental health"
        )[7:]
        rare_queries = [p for t in rare for p in _keystrokes(t)]
        result["search_common"], _ = measure(common_queries)
        result["search_rare"], _ = measure(rare_queries)
        per_length: dict[str, list[float]] = {}
        for q in common_queries:
            per_length.setdefault(str(min(len(q), 6)), []).extend(
                _timed(lambda q=q: store.search(q), repeats)
            )
        result["search_common_by_prefix_length"] = {
            k: _stats(v)["p95_ms"] for k, v in sorted(per_length.items())
        }
        result["result_counts"] = {
            t: len(store.search(t, limit=500).hits) for t in COMMON_TERMS[:3]
        }
        result["rare_terms"] = rare[:5]
        result["typo"], _ = measure(TYPOS)
        result["typo_corrections"] = {
            t: [c for _, cs in store.search(t).corrections for c in cs] for t in TYPOS[:4]
        }

        town = dataset.towns[7]
        county = town.county
        tuesday = datetime(2026, 11, 24, 10, 30)
        filter_cases = {
            "category": SearchFilters(categories=("food",)),
            "county": SearchFilters(county=county),
            "language": SearchFilters(language="Spanish"),
            "open_now": SearchFilters(open_at=tuesday),
            "within_25_miles": SearchFilters(town=town.name, within_miles=25),
            "all_combined": SearchFilters(
                categories=("food",),
                county=county,
                language="en",
                open_at=tuesday,
                town=town.name,
                within_miles=25,
            ),
        }
        filters: dict[str, Any] = {}
        all_samples: list[float] = []
        for label, f in filter_cases.items():
            browse_stats, s1 = measure(["", "fo", "food"], f)
            filters[label] = browse_stats
            all_samples += s1
        result["filters"] = filters
        result["filters_all"] = _stats(all_samples)
        result["crisis_lines_ms"] = _stats(_timed(store.crisis_lines, repeats))

        rng = random.Random(7)
        delta = _delta(dataset, changes, rng)
        key = SigningKeyPair.generate()
        blob = sign_delta(key, delta)
        result["delta_changes"] = len(delta.ops)
        result["delta_bytes"] = len(blob)
        t0 = time.perf_counter()
        applied = apply_directory_update(store, blob, {key.key_id: key.public_raw})
        result["delta_apply_s"] = round(time.perf_counter() - t0, 3)
        assert applied.applied and store.version() == 2
        result["delta_counts"] = {
            "added": applied.added,
            "updated": applied.updated,
            "removed": applied.removed,
        }
        result["search_common_after_delta"], _ = measure(COMMON_TERMS)
        db.close()

    met = {
        "search_common_p95_ms": result["search_common"]["p95_ms"] < GOALS["search_common_p95_ms"],
        "search_rare_p95_ms": result["search_rare"]["p95_ms"] < GOALS["search_rare_p95_ms"],
        "typo_p95_ms": result["typo"]["p95_ms"] < GOALS["typo_p95_ms"],
        "filters_p95_ms": result["filters_all"]["p95_ms"] < GOALS["filters_p95_ms"],
    }
    result["goals"] = GOALS
    result["goals_met"] = met
    result["meets_goals"] = all(met.values())
    out["directory"] = result
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=SEARCH_KEYSTROKES_REPEAT)
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--out", default="bench-results/directory.json")
    args = parser.parse_args(argv)
    out: dict[str, Any] = {}
    run(out, services=args.services, repeats=args.repeats, changes=args.changes)
    path = Path(args.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

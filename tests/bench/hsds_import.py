"""HSDS 3 import and safe publishing at scale (issue 18): 50,000 services.

The directory is the generated one of :mod:`tests.bench.directory` (seeded,
varied: names from towns, organizations and kinds of help, descriptions from a
long-tailed word list, 1-3 categories, schedules, languages, service areas),
and each service carries HSDS 3 fields PeerDesk does not model, drawn at random
(wait times, fees, accreditations, cost options, contacts with phones), so the
import keeps real extra data. Measured:

* writing it as HSDS 3 JSON and as the CSV package;
* importing the JSON file and the CSV folder (reading, checking every field,
  keeping the rest, the links), and ``json.loads`` of the same file alone: the
  ratio is what checking and keeping costs over parsing;
* the publication plan of an edited copy (1% of the services changed, 0.2%
  added, 0.2% removed) against the stored version: the diff;
* publishing it: signing the delta, applying it as a laptop will, storing it.

    python -m tests.bench.hsds_import [--services 50000] [--out bench-results/hsds.json]

``run(out)`` fills ``out["hsds_import"]`` for the bench runner.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from peerdesk.agency.directory import plan_publication, publish_plan
from peerdesk.agency.storage import Storage
from peerdesk.crypto.seal import SigningKeyPair
from peerdesk.domain.directory import Dataset, Service
from peerdesk.interop import hsds
from tests.bench.directory import COMMON_WORDS, generate

WAITS = ["same day", "1-2 days", "about a week", "2-3 weeks", "call for current wait"]
CURRENCIES = ["USD"]
TITLES = ["Intake coordinator", "Program manager", "Case worker", "Front desk", "Director"]
FIRST = ["Ana", "Ben", "Chloe", "Dev", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kai"]


def _with_extras(dataset: Dataset, seed: int = 18) -> Dataset:
    """Each service with a random subset of the HSDS 3 fields PeerDesk keeps as
    they are."""
    rng = random.Random(seed)
    services: list[Service] = []
    for i, s in enumerate(dataset.services):
        extra: dict[str, Any] = {}
        if rng.random() < 0.6:
            extra["wait_time"] = rng.choice(WAITS)
        if rng.random() < 0.4:
            extra["fees"] = " ".join(rng.choice(COMMON_WORDS) for _ in range(rng.randint(3, 12)))
        if rng.random() < 0.2:
            extra["accreditations"] = rng.choice(["CARF", "Joint Commission", "COA", "state"])
        if rng.random() < 0.3:
            extra["cost_options"] = [
                {
                    "id": f"cost-{i}-{k}",
                    "option": rng.choice(["sliding scale", "flat fee", "per visit"]),
                    "currency": rng.choice(CURRENCIES),
                    "amount": round(rng.uniform(0, 120), 2),
                }
                for k in range(rng.randint(1, 2))
            ]
        if rng.random() < 0.5:
            extra["contacts"] = [
                {
                    "id": f"contact-{i}",
                    "name": f"{rng.choice(FIRST)} {rng.choice(COMMON_WORDS).title()}",
                    "title": rng.choice(TITLES),
                    "phones": [{"id": f"contact-phone-{i}", "number": f"555-{i % 10000:04d}"}],
                }
            ]
        text = json.dumps(extra, sort_keys=True, separators=(",", ":")) if extra else ""
        services.append(replace(s, extra=text))
    return replace(dataset, services=tuple(services))


def _edited(dataset: Dataset, rng: random.Random) -> Dataset:
    services = list(dataset.services)
    n = len(services)
    for i in rng.sample(range(n), n // 100):
        services[i] = replace(services[i], description=services[i].description + " Updated.")
    removed = set(rng.sample(range(n), n // 500))
    kept = [s for i, s in enumerate(services) if i not in removed]
    for k in range(n // 500):
        base = services[rng.randrange(n)]
        kept.append(replace(base, id=f"new-service-{k}", name=f"{base.name} (new site)",
                            phones=(), schedules=(), service_areas=(), languages=(),
                            service_at_locations=(), attributes=()))  # fmt: skip
    return replace(dataset, services=tuple(kept))


def _timed(fn: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def run(out: dict[str, Any], *, services: int = 50_000) -> dict[str, Any]:
    result: dict[str, Any] = {"services": services, "python": platform.python_version()}
    base, _ = generate(services)
    dataset = _with_extras(base)
    with tempfile.TemporaryDirectory(prefix="peerdesk-bench-hsds-") as tmp:
        root = Path(tmp)
        json_path, csv_dir = root / "directory.json", root / "csv"
        result["export_json_s"] = round(
            _timed(lambda: hsds.save_export_json(dataset, json_path))[0], 2
        )
        result["export_csv_s"] = round(
            _timed(lambda: hsds.save_csv_package(dataset, csv_dir))[0], 2
        )
        result["json_bytes"] = json_path.stat().st_size
        result["csv_bytes"] = sum(p.stat().st_size for p in csv_dir.iterdir())

        parse_s, _ = _timed(lambda: json.loads(json_path.read_bytes()))
        json_s, imported = _timed(lambda: hsds.import_path(json_path))
        assert len(imported.dataset.services) == services and not imported.skipped
        csv_s, from_csv = _timed(lambda: hsds.import_path(csv_dir))
        assert len(from_csv.dataset.services) == services and not from_csv.skipped
        assert from_csv.dataset.services[123] == imported.dataset.services[123]
        result["import_json_s"] = round(json_s, 2)
        result["import_json_services_per_s"] = round(services / json_s)
        result["import_csv_s"] = round(csv_s, 2)
        result["import_csv_services_per_s"] = round(services / csv_s)
        result["json_loads_only_s"] = round(parse_s, 2)
        result["import_over_json_loads_ratio"] = round(json_s / parse_s, 1)
        result["csv_over_json_import_ratio"] = round(csv_s / json_s, 2)

        storage = Storage.from_url(f"sqlite:///{root / 'agency.db'}")
        try:
            storage.migrate()
            signer = SigningKeyPair.generate()
            # the published version (stored as it is; a 50,000-service snapshot is over
            # the 4 MB a laptop opens, see peerdesk.agency.directory)
            storage.directory.publish(
                version=1,
                kind="snapshot",
                dataset=hsds.dump_json(imported.dataset).encode("utf-8"),
                services=services,
                signed=b"bench",
                now=_now(),
            )
            edited = _edited(imported.dataset, random.Random(5))
            edited_path = root / "edited.json"
            hsds.save_export_json(edited, edited_path)
            again = hsds.import_path(edited_path)
            plan_s, plan = _timed(lambda: plan_publication(storage, again))
            assert plan.refusal is None
            result["plan_s"] = round(plan_s, 2)
            result["plan_counts"] = {
                "added": len(plan.added),
                "changed": len(plan.changed),
                "removed": len(plan.removed),
            }
            publish_s, done = _timed(lambda: publish_plan(storage, plan, signer, _now()))
            result["publish_s"] = round(publish_s, 2)
            result["publish_delta_bytes"] = done.signed_bytes
            result["publish_over_plan_ratio"] = round(publish_s / plan_s, 2)
            result["import_plan_publish_s"] = round(json_s + plan_s + publish_s, 2)
        finally:
            storage.close()
    out["hsds_import"] = result
    return result


def _now() -> Any:
    from peerdesk.ids import now_utc

    return now_utc()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=50_000)
    parser.add_argument("--out", default="bench-results/hsds.json")
    args = parser.parse_args(argv)
    out: dict[str, Any] = {}
    result = run(out, services=args.services)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

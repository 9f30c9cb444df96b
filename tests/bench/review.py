"""Supervisor review at scale: a review cache of 50,000 synced notes from 20
laptops (``peerdesk.demo.review.seed_review_cache``, the same store code a pull
uses), in a supervisor profile with the real schema and envelopes.

Measured, each round on a freshly opened profile (a new SQLite connection, so a
cold page cache inside SQLite; the OS cache stays warm):

* unlock (Argon2id at the floor parameters), reported apart;
* the review queue's first page (50 lines) right after unlock: no filter, one
  peer, one state, one month of contacts, and a deep page (offset 25,000);
  goal < 300 ms;
* side by side, what a queue that decrypts every line first would cost (read
  all 50,000 lines, decrypt their summary and participant name, sort): the ratio;
* the reports for one month of the 20 peers (billing under the default payer
  profile + mileage at the policy rate), and the overdue report; goal < 2 s
  for billing + mileage;
* how fast the cache stores records (the seeding), and the database size.

    python -m tests.bench.review [--notes 50000] [--devices 20] [--rounds 7]
        [--out bench-results/review.json]

``run(out)`` fills ``out["review"]`` for the bench runner (``--only review``).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date
from pathlib import Path
from typing import Any

from peerdesk.crypto.kdf import KdfParams
from peerdesk.demo.review import seed_review_cache
from peerdesk.domain.review import QueueFilter
from peerdesk.services import ProfileManager, Session

PASSPHRASE = "benchmark passphrase for the river valley"
PROFILE = "bench-supervisor"
GOALS = {"queue_first_page_ms": 300.0, "month_reports_s": 2.0}
#: the month the reports cover (the seeded year ends on 2026-04-01)
YEAR, MONTH = 2026, 3


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _fresh(root: Path) -> tuple[Session, float]:
    """The profile opened anew and unlocked; returns it and the unlock time."""
    session = ProfileManager(root=root).open(PROFILE)
    t0 = time.perf_counter()
    session.unlock(PASSPHRASE)
    return session, time.perf_counter() - t0


def _after_unlock(root: Path, rounds: int, work: Callable[[Session], Any]) -> list[float]:
    """Seconds ``work`` takes on a profile opened and unlocked just before, per round."""
    samples = []
    for _ in range(rounds):
        session, _unlock = _fresh(root)
        try:
            t0 = time.perf_counter()
            work(session)
            samples.append(time.perf_counter() - t0)
        finally:
            session.close()
    return samples


def _decrypt_everything(session: Session) -> int:
    """The naive queue: read and decrypt every line, then sort and take a page."""
    cache = session._stores.review_inbox
    found = session._db.conn.execute(
        "SELECT i.device_id, i.note_id, i.participant_id, i.sort_at, i.summary, p.name"
        " FROM review_items i LEFT JOIN review_participants p"
        " ON p.device_id = i.device_id AND p.participant_id = i.participant_id"
    ).fetchall()
    lines = []
    for device_id, note_id, pid, sort_at, summary, name in found:
        doc = cache.unseal(f"{device_id}/{note_id}", "summary", summary, "review_items")
        who = cache.unseal(f"{device_id}/{pid}", "name", name, "review_participants")
        lines.append((sort_at, device_id, note_id, doc["contact_type"], who))
    lines.sort()
    return len(lines[:50])


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": _ms(statistics.median(ordered)),
        "max_ms": _ms(ordered[-1]),
        "min_ms": _ms(ordered[0]),
    }


def run(
    out: dict[str, Any], *, notes: int = 50_000, devices: int = 20, rounds: int = 7
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "notes": notes,
        "devices": devices,
        "rounds": rounds,
        "python": platform.python_version(),
        "kdf": "floor (64 MiB, t=3, p=4)",
    }
    with tempfile.TemporaryDirectory(prefix="peerdesk-bench-review-", dir=Path.cwd()) as tmp:
        root = Path(tmp)
        session = ProfileManager(root=root).create(
            PROFILE, PASSPHRASE, kdf_params=KdfParams.new(), role="supervisor"
        )
        try:
            t0 = time.perf_counter()
            seed = seed_review_cache(session, devices=devices, notes=notes, trips=notes // 12)
            seed_s = time.perf_counter() - t0
            records = seed.notes + seed.trips + seed.participants
            result["seed"] = {
                "seconds": round(seed_s, 2),
                "records": records,
                "records_per_s": round(records / seed_s),
                "trips": seed.trips,
                "participants": seed.participants,
            }
            peer = session.review.peers()[3].device_id
        finally:
            session.close()
        files = {p.name: p.stat().st_size for p in root.rglob("*") if p.is_file()}
        result["db_mib"] = round(files.get("peerdesk.db", 0) / 2**20, 1)

        unlocks = []
        for _ in range(3):
            s, unlock = _fresh(root)
            s.close()
            unlocks.append(unlock)
        result["unlock_ms_median"] = _ms(statistics.median(unlocks))

        def page(flt: QueueFilter, offset: int = 0) -> Callable[[Session], Any]:
            def work(s: Session) -> Any:
                got = s.review.queue(flt, offset, 50, tz=UTC)
                assert len(got.items) == 50, got.total
                return got

            return work

        cases = {
            "all": (QueueFilter(), 0),
            "one_peer": (QueueFilter(device_id=peer), 0),
            "received_only": (QueueFilter(states=frozenset({"received"})), 0),
            "one_month": (
                QueueFilter(date_from=date(YEAR, MONTH, 1), date_to=date(YEAR, MONTH, 31)),
                0,
            ),
            "deep_page_offset_25000": (QueueFilter(), notes // 2),
        }
        first_page: dict[str, Any] = {}
        for name, (flt, offset) in cases.items():
            first_page[name] = _stats(_after_unlock(root, rounds, page(flt, offset)))
        result["queue_first_page_after_unlock"] = first_page
        everything = _after_unlock(root, max(3, rounds // 2), _decrypt_everything)
        result["decrypt_all_lines_then_page"] = _stats(everything)
        result["first_page_speedup_vs_decrypt_all"] = round(
            statistics.median(everything) * 1000 / first_page["all"]["median_ms"], 1
        )

        def reports(s: Session) -> Any:
            billing = s.reports.billing_report(YEAR, MONTH, tz=UTC)
            mileage = s.reports.mileage_report(YEAR, MONTH)
            assert len(billing.rows) == devices and mileage.rows
            return billing, mileage

        report_samples = _after_unlock(root, rounds, reports)
        result["month_reports_billing_and_mileage"] = _stats(report_samples)
        s, _ = _fresh(root)
        try:
            billing, mileage = reports(s)
            result["month_report_sizes"] = {
                "peers": len(billing.rows),
                "notes_in_month": sum(r.notes for r in billing.rows),
                "units": billing.total_units,
                "flags": len(billing.flags),
                "trips_in_month": sum(r.trips for r in mileage.rows),
                "amount": str(mileage.total_amount),
            }
            t0 = time.perf_counter()
            overdue = s.reports.overdue_report(tz=UTC)
            result["overdue_report"] = {"ms": _ms(time.perf_counter() - t0), "notes": len(overdue)}
        finally:
            s.close()

    met = {
        "queue_first_page_ms": first_page["all"]["median_ms"] < GOALS["queue_first_page_ms"]
        and all(c["median_ms"] < GOALS["queue_first_page_ms"] for c in first_page.values()),
        "month_reports_s": result["month_reports_billing_and_mileage"]["median_ms"] / 1000
        < GOALS["month_reports_s"],
    }
    result["goals"] = GOALS
    result["goals_met"] = met
    out["review"] = result
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=50_000)
    parser.add_argument("--devices", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--out", default="bench-results/review.json")
    args = parser.parse_args(argv)
    out: dict[str, Any] = {}
    run(out, notes=args.notes, devices=args.devices, rounds=args.rounds)
    path = Path(args.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

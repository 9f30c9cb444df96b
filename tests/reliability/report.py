"""``make reliability-report``: run tests/reliability with bigger budgets and write
the figures into the table of tests/reliability/README.md.

    python -m tests.reliability.report [--scale 5] [--no-run RESULTS.json JUNIT.xml]

Every budget of the suite is multiplied by ``--scale`` (see
tests/reliability/budget.py; a ``PEERDESK_RELIABILITY_<NAME>`` variable set in the
environment still wins). The tests report their figures into a JSON file and
pytest writes a JUnit file; from both the table is built (a test that failed
shows as FAILED, with no figures) and put between the markers in the README.
The raw figures also go to ``bench-results/reliability.json``. The exit code is
pytest's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).absolute().parent
REPO = HERE.parents[1]
README = HERE / "README.md"
START, END = "<!-- reliability-table:start -->", "<!-- reliability-table:end -->"
#: test file -> the area it reports on (for failures from the JUnit file)
AREAS = {
    "test_crash_safety": "crash",
    "test_sync_model": "model",
    "test_hostile_input": "fuzz.hypothesis",
    "test_atheris": "fuzz.atheris",
    "test_authenticated_sync_fuzz": "api",
    "test_load": "load",
    "test_stolen_laptop": "stolen laptop",
    "test_agency_side": "agency side",
    "test_admin_scope": "supervisors and admin audit",
}


def run_suite(scale: float, results: Path, junit: Path) -> int:
    env = {
        **os.environ,
        "PEERDESK_RELIABILITY_SCALE": str(scale),
        "PEERDESK_RELIABILITY_RESULTS": str(results),
        "QT_QPA_PLATFORM": "offscreen",
    }
    results.unlink(missing_ok=True)
    command = [
        sys.executable, "-m", "pytest", "tests/reliability", "-q", "-p", "no:cacheprovider",
        f"--junitxml={junit}",
    ]  # fmt: skip
    return subprocess.call(command, cwd=REPO, env=env)


def junit_outcomes(junit: Path) -> dict[str, Counter[str]]:
    """area -> counts of passed / failed / skipped tests."""
    out: dict[str, Counter[str]] = {}
    if not junit.exists():
        return out
    for case in ET.parse(junit).iter("testcase"):
        module = str(case.get("classname", "")).rsplit(".", 1)[-1]
        area = AREAS.get(module, module)
        if case.find("failure") is not None or case.find("error") is not None:
            outcome = "failed"
        elif case.find("skipped") is not None:
            outcome = "skipped"
        else:
            outcome = "passed"
        out.setdefault(area, Counter())[outcome] += 1
    return out


def _n(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"
    return str(value)


def table(figures: dict[str, Any], outcomes: dict[str, Counter[str]], scale: float) -> str:
    def failed(area: str) -> int:
        return outcomes.get(area, Counter())["failed"]

    def status(area: str) -> str:
        counts = outcomes.get(area, Counter())
        if counts["failed"]:
            return f"**{counts['failed']} FAILED**"
        if counts["passed"]:
            return "0"
        return "not run" if not counts["skipped"] else "skipped"

    rows: list[tuple[str, str, str]] = []
    crash = figures.get("crash", {})
    rows.append((
        "crash safety (SIGKILL at random points)",
        f"{_n(crash.get('runs', 'FAILED'))} runs in {_n(crash.get('seconds', '?'))} s; "
        f"{_n(crash.get('signed_notes', 0))} signed notes, {_n(crash.get('addenda', 0))} "
        f"addenda, {_n(crash.get('trips', 0))} trips checked after every kill; killed while: "
        + ", ".join(f"{k} {v}" for k, v in sorted(crash.get("killed_while", {}).items())),
        status("crash"),
    ))  # fmt: skip
    model = figures.get("model", {})
    faults = model.get("faults", {})
    rows.append((
        "sync model test (Hypothesis state machine)",
        f"{_n(model.get('examples', 'FAILED'))} examples, {_n(model.get('steps', 0))} steps, "
        f"{_n(model.get('syncs', 0))} syncs ({_n(model.get('syncs_that_gave_up', 0))} gave up "
        f"and resumed), {_n(model.get('agency_restarts', 0))} agency restarts; faults: "
        + ", ".join(f"{k} {v}" for k, v in sorted(faults.items()) if k != "ok"),
        status("model"),
    ))  # fmt: skip
    for kind, area in (("hypothesis", "fuzz.hypothesis"), ("atheris", "fuzz.atheris")):
        entries = {k.split(".", 2)[2]: v for k, v in figures.items() if k.startswith(area + ".")}
        total = sum(v.get("executions", 0) for v in entries.values())
        per = ", ".join(
            f"{name} {_n(v.get('executions', 0))}" for name, v in sorted(entries.items())
        )
        rows.append(
            (
                f"fuzz executions, {kind} ({len(entries)} targets)",
                f"{_n(total)}: {per}",
                status(area),
            )
        )
    api = {k.rsplit(".", 1)[1]: v for k, v in figures.items() if k.startswith("api.")}

    def answers(statuses: dict[str, int]) -> str:
        return ", ".join(f"{_n(n)} x {code}" for code, n in sorted(statuses.items()))

    rows.append((
        "authenticated API fuzz, signed sync batches (schemathesis; 422 = a batch id "
        "reused with another body)",
        "; ".join(
            f"{backend}: {_n(v.get('examples', 0))} requests ({answers(v.get('statuses', {}))}), "
            f"{_n(v.get('records_stored', 0))} records stored"
            for backend, v in sorted(api.items())
        ) or "FAILED",
        status("api"),
    ))  # fmt: skip
    load = figures.get("load", {})
    rows.append((
        "load held (PostgreSQL, uvicorn workers)",
        f"{_n(load.get('devices', '?'))} devices, {_n(load.get('workers', '?'))} workers, "
        f"{_n(load.get('seconds', '?'))} s, {_n(load.get('requests', 0))} requests of "
        f"{_n(load.get('records_per_batch', '?'))} records (with replays and resends), "
        f"{_n(load.get('records_per_s', 0))} records/s, p50 {_n(load.get('p50_ms', 0))} ms, "
        f"p95 {_n(load.get('p95_ms', 0))} ms",
        f"{_n(load.get('errors', '?'))} errors" if load else status("load"),
    ))  # fmt: skip
    lost = (
        f"crash {0 if crash and not failed('crash') else '?'}, model "
        f"{0 if model and not failed('model') else '?'}, load lost {_n(load.get('lost', '?'))} "
        f"/ duplicated {_n(load.get('duplicated', '?'))} / unexpected "
        f"{_n(load.get('unexpected', '?'))}"
    )
    any_loss = any(load.get(k) for k in ("lost", "duplicated", "unexpected"))
    rows.append(("records lost or duplicated", lost, "**not 0**" if any_loss else "0"))
    guess = figures.get("guessing", {})
    rows.append((
        "offline guessing (stolen laptop), one core",
        f"Argon2id {guess.get('argon2id_memory_mib', '?')} MiB, t={guess.get('argon2id_passes', '?')}, "
        f"p={guess.get('argon2id_lanes', '?')}: {_n(guess.get('argon2id_guesses_per_s', '?'))} "
        f"guesses/s vs SHA-256 {_n(guess.get('sha256_guesses_per_s', '?'))} guesses/s: "
        f"{_n(guess.get('slowdown_vs_sha256', '?'))}x slower",
        status("stolen laptop"),
    ))  # fmt: skip
    for area in ("agency side", "supervisors and admin audit"):
        counts = outcomes.get(area, Counter())
        rows.append((f"{area} checks", f"{counts['passed']} tests passed", status(area)))
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Last `make reliability-report`: {stamp}, scale {scale:g} "
        f"(2-core VM; numbers vary with load).",
        "",
        "| what | measured | failures (goal 0) |",
        "|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def write_readme(text: str, readme: Path = README) -> None:
    current = readme.read_text("utf-8")
    if START not in current or END not in current:
        raise SystemExit(f"{readme} has no {START} ... {END} markers")
    before, rest = current.split(START, 1)
    _, after = rest.split(END, 1)
    readme.write_text(f"{before}{START}\n{text}\n{END}{after}", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=5.0)
    parser.add_argument("--no-run", nargs=2, metavar=("RESULTS", "JUNIT"), type=Path)
    args = parser.parse_args(argv)
    out = REPO / "bench-results"
    out.mkdir(exist_ok=True)
    if args.no_run:
        results, junit = args.no_run
        code = 0
    else:
        results, junit = out / "reliability.json", out / "reliability-junit.xml"
        code = run_suite(args.scale, results, junit)
    figures = json.loads(results.read_text("utf-8")) if results.exists() else {}
    write_readme(table(figures, junit_outcomes(junit), args.scale))
    print(f"tests/reliability/README.md updated (pytest exit code {code})")
    return code


if __name__ == "__main__":
    raise SystemExit(main())

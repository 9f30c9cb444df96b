"""How long the reliability tests run, and where their figures go.

Every test here is bounded by a budget (seconds, examples or devices) with a default
small enough for ``make test`` on a 2-core machine. ``make reliability-report`` runs
the same tests with bigger budgets (``PEERDESK_RELIABILITY_SCALE`` multiplies every
default; each ``PEERDESK_RELIABILITY_<NAME>`` variable overrides one budget) and
collects the figures each test reports into the JSON file named by
``PEERDESK_RELIABILITY_RESULTS``, from which ``tests/reliability/report.py`` writes
the table in ``tests/reliability/README.md``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from pathlib import Path
from typing import Any

SCALE_ENV = "PEERDESK_RELIABILITY_SCALE"
RESULTS_ENV = "PEERDESK_RELIABILITY_RESULTS"


def scale() -> float:
    try:
        value = float(os.environ.get(SCALE_ENV, "1"))
    except ValueError:
        raise ValueError(f"{SCALE_ENV} must be a number") from None
    return max(value, 0.01)


def budget(name: str, default: float, *, scaled: bool = True) -> float:
    """A budget: ``PEERDESK_RELIABILITY_<NAME>`` if set, else ``default`` (times the
    scale unless ``scaled`` is false)."""
    raw = os.environ.get(f"PEERDESK_RELIABILITY_{name.upper()}")
    if raw:
        try:
            return float(raw)
        except ValueError:
            raise ValueError(f"PEERDESK_RELIABILITY_{name.upper()} must be a number") from None
    return default * scale() if scaled else default


def int_budget(name: str, default: int, *, minimum: int = 1, scaled: bool = True) -> int:
    return max(minimum, round(budget(name, default, scaled=scaled)))


def record(section: str, **figures: Any) -> None:
    """Report figures of one test: printed always, and merged into the results file
    when ``PEERDESK_RELIABILITY_RESULTS`` names one (``make reliability-report``)."""
    print(f"\n[reliability] {section}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))
    target = os.environ.get(RESULTS_ENV)
    if not target:
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data: dict[str, Any] = {}
        with contextlib.suppress(FileNotFoundError, ValueError):
            data = json.loads(path.read_text("utf-8"))
        data.setdefault(section, {}).update(figures)
        path.write_text(json.dumps(data, indent=2, sort_keys=True), "utf-8")

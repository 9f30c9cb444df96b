"""Hypothesis settings for the whole test suite, and the seed of a failing
property test printed next to its failure.

Loaded by ``tests/conftest.py`` as a plugin (``pytest_plugins``), before any test
module is imported: a ``@settings(...)`` in a test takes the values it does not
set from the profile loaded at that moment.

* **Profile** ``peerdesk`` (the default, on a laptop and under CI alike; it
  replaces Hypothesis's own ``ci`` profile, which derandomizes and drops the
  database): failing examples are kept in :data:`EXAMPLES_DIR` and replayed
  first on the next run; a failure prints a ``@reproduce_failure(...)`` blob
  (``print_blob``); no per-example ``deadline`` and no ``too_slow`` health check,
  as both time the test on the wall clock and fail on a loaded machine for no
  fault of the code. ``HYPOTHESIS_PROFILE=peerdesk-derandomized`` (or
  ``--hypothesis-profile``) runs the same examples every time, without the
  database. A test's own ``@settings(...)`` still wins where it says otherwise
  (several say ``database=None``; a ``suppress_health_check=[...]`` list
  replaces this one's).
* **Seed**: every Hypothesis run draws its own seed; when a test fails, the seeds
  of the runs it made (its ``@given``, or one it defines and calls, as the fuzz
  tests do) are printed in a "hypothesis" section of the failure:
  ``pytest NODEID --hypothesis-seed=N`` generates the same examples again.
  (Hypothesis itself prints the seed only for a flaky or erroring test. Under
  ``--hypothesis-seed`` Hypothesis uses no database for that run: what it
  replays comes from the seed alone.)

The examples directory is a cache Hypothesis rewrites (it deletes an example
once it passes, and keys each test by a hash of its source): keep it out of git.
A failure worth keeping for good becomes an ``@example(...)`` on the test.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator
from pathlib import Path
from random import Random
from typing import Any

import hypothesis.core
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

#: failing examples, replayed first on the next run (a local cache: not in git)
EXAMPLES_DIR = Path(__file__).resolve().parent / ".hypothesis-examples"
PROFILE = "peerdesk"

settings.register_profile(
    PROFILE,
    database=DirectoryBasedExampleDatabase(EXAMPLES_DIR),
    print_blob=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=False,
)
settings.register_profile(
    f"{PROFILE}-derandomized", settings.get_profile(PROFILE), derandomize=True, database=None
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", PROFILE))


# --- the seeds of the current test's Hypothesis runs -----------------------------------

#: (test function, seed) of each Hypothesis run in the test running now
_runs: list[tuple[str, int | None]] = []
_SEEDS = pytest.StashKey[list[tuple[str, int | None]]]()

# Hypothesis draws a run's seed in ``get_random_for_wrapped_test`` and keeps it on
# the test as ``_hypothesis_internal_use_generated_seed`` (None when the seed was
# forced or derandomized). Both are internal: if a new Hypothesis renames them,
# nothing breaks; the failure section then says the seed is not known.
_draw: Callable[[Any, Any], Random] | None = getattr(
    hypothesis.core, "get_random_for_wrapped_test", None
)
if _draw is not None:
    _original_draw = _draw

    def _recording_draw(test: Any, wrapped_test: Any) -> Random:
        drawn = _original_draw(test, wrapped_test)
        seed = getattr(wrapped_test, "_hypothesis_internal_use_generated_seed", None)
        _runs.append((getattr(test, "__qualname__", "?"), seed))
        return drawn

    hypothesis.core.get_random_for_wrapped_test = _recording_draw  # type: ignore[assignment]


def pytest_report_header(config: pytest.Config) -> str:
    return (
        f"hypothesis: profile {settings.get_current_profile_name()}, examples in "
        f"{EXAMPLES_DIR}; a failing property test prints its --hypothesis-seed"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    _runs.clear()
    try:
        yield
    finally:
        item.stash[_SEEDS] = list(_runs)
        _runs.clear()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    runs = item.stash.get(_SEEDS, [])
    if report.when != "call" or not report.failed or not runs:
        return
    forced = item.config.getoption("hypothesis_seed", default=None)
    lines = []
    for name, seed in runs:
        if seed is not None:
            lines.append(f"{name}: --hypothesis-seed={seed}")
        elif forced is not None:
            lines.append(f"{name}: --hypothesis-seed={forced} (given)")
        else:
            lines.append(f"{name}: seed not drawn (@seed, derandomize, or a newer Hypothesis)")
    lines.append(
        f"to generate the same examples again: pytest '{item.nodeid}' --hypothesis-seed=N"
        " (the @reproduce_failure blob above, if any, replays the failing example itself)"
    )
    report.sections.append(("hypothesis", "\n".join(lines)))

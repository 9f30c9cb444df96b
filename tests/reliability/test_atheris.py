"""Coverage-guided fuzzing with atheris (libFuzzer) of the same targets as
test_hostile_input.py, each in its own process for a time budget, starting from
the valid seeds. libFuzzer stops at the first input that raises anything but a
PeerDesk error, runs longer than 5 s, or takes the process over 1 GiB, and writes
that input to the test's folder; the test then fails with its path.

Budget: ``PEERDESK_RELIABILITY_ATHERIS_SECONDS`` per target (default 1 s times the scale).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.budget import budget, record
from tests.reliability.fuzz_targets import TARGETS

pytest.importorskip("atheris", reason="atheris is not installed (Linux wheels only)")

REPO = Path(__file__).absolute().parents[2]
RSS_LIMIT_MB = 1024
TIMEOUT_S = 5


def run_atheris(name: str, seconds: float, workdir: Path) -> tuple[int, str]:
    corpus = workdir / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(TARGETS[name].seeds()):
        (corpus / f"seed-{i}").write_bytes(seed)
    scratch = workdir / "scratch"
    scratch.mkdir(exist_ok=True)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.reliability.atheris_fuzz",
            name,
            f"-max_total_time={max(1, round(seconds))}",
            f"-rss_limit_mb={RSS_LIMIT_MB}",
            f"-timeout={TIMEOUT_S}",
            "-max_len=8192",
            "-print_final_stats=1",
            f"-artifact_prefix={workdir}/",
            str(corpus),
        ],
        cwd=REPO,
        env={**os.environ, "PEERDESK_FUZZ_SCRATCH": str(scratch)},
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(TARGETS))
def test_atheris_finds_no_crash_hang_or_memory_blowup(name: str, tmp_path: Path) -> None:
    seconds = budget("atheris_seconds", 1)
    code, output = run_atheris(name, seconds, tmp_path)
    crashes = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert code == 0 and not crashes, (
        f"atheris stopped on {name} (exit {code}); inputs kept in {tmp_path}: {crashes}\n"
        + output[-4000:]
    )
    runs = re.search(r"stat::number_of_executed_units:\s*(\d+)", output)
    coverage = re.findall(r"cov: (\d+)", output)
    assert runs is not None, output[-2000:]
    record(
        f"fuzz.atheris.{name}",
        target=TARGETS[name].what,
        executions=int(runs[1]),
        failures=0,
        seconds=max(1, round(seconds)),
        coverage_edges=int(coverage[-1]) if coverage else 0,
    )
    assert int(runs[1]) > 0

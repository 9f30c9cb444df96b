"""Hostile input: every parser of outside bytes, fuzzed with Hypothesis for a time
budget per target (the targets are in tests/reliability/fuzz_targets.py; atheris
runs the same ones, see test_atheris.py).

Inputs are random bytes, valid inputs with random mutations (bit flips,
truncation, insertion, duplication of a chunk), random msgpack values shaped
like the protocol's maps, and, where a signature or a frame would stop everything
at the door, fuzz bytes wrapped in a valid one. Every input must end in a return
or an error from the :mod:`peerdesk.errors` tree: any other exception fails the
test with the (shrunk) input. Each input must also finish within
:data:`HANG_S` and allocate at most :data:`MAX_MEMORY` bytes at its peak
(tracemalloc, around the parser call).

Budget: ``PEERDESK_RELIABILITY_FUZZ_SECONDS`` per target (default 2 s times the scale).
"""

from __future__ import annotations

import time
import tracemalloc

import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerdesk.errors import PeerDeskError
from tests.reliability.budget import budget, record
from tests.reliability.fuzz_targets import TARGETS, Target

#: one input may take this much CPU time (the slowest legitimate one, a 14 KB HSDS
#: file, takes a few milliseconds)
HANG_S = 2.0
#: and allocate at most this much (a request is at most 2 MiB)
MAX_MEMORY = 64 * 1024 * 1024

#: map keys of the wire format, signed documents and files: random maps use them
#: so they get past "wrong shape" checks more often
KNOWN_KEYS = (
    "v", "b", "s", "dev", "bid", "cur", "at", "recs", "acks", "rej", "in", "more",
    "error", "detail", "wipe", "body", "kid", "sig", "agency", "issued_at", "signing",
    "review", "recovery", "pub", "not_after", "device", "order", "kind", "version",
    "services", "organizations", "locations", "id", "name", "decision", "comment",
)  # fmt: skip

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.binary(max_size=80)
)
msgpack_values = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=6)
        | st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(max_size=8), children, max_size=6)
    ),
    max_leaves=25,
)

_mutation = st.tuples(
    st.sampled_from(["flip", "truncate", "insert", "delete", "duplicate", "replace"]),
    st.floats(min_value=0, max_value=1),
    st.binary(min_size=1, max_size=16),
)


def mutate(seed: bytes, ops: list[tuple[str, float, bytes]]) -> bytes:
    data = bytearray(seed)
    for kind, where, extra in ops:
        at = int(where * len(data))
        if kind == "flip" and data:
            data[min(at, len(data) - 1)] ^= extra[0] or 1
        elif kind == "truncate":
            del data[at:]
        elif kind == "insert":
            data[at:at] = extra
        elif kind == "delete":
            del data[at : at + len(extra)]
        elif kind == "duplicate":
            data[at:at] = data[at : at + 1 + extra[0] % 64]
        elif kind == "replace":
            data[at : at + len(extra)] = extra
    return bytes(data)


def inputs(target: Target) -> st.SearchStrategy[bytes]:
    seeds = target.seeds()
    raw = st.binary(max_size=2048)
    mutated = st.builds(mutate, st.sampled_from(seeds), st.lists(_mutation, max_size=6))
    packed = msgpack_values.map(lambda v: msgpack.packb(v, use_bin_type=True))
    choices = [raw, mutated, packed, st.sampled_from(seeds)]
    if target.structured is not None:
        inner = st.one_of(raw, mutated, packed)
        choices.append(inner.map(target.structured))
    return st.one_of(choices)


def fuzz(target: Target, seconds: float) -> dict[str, float]:
    """Run ``target`` on generated inputs for ``seconds``; figures of the run."""
    figures = {"executions": 0, "errors_raised": 0, "slowest_ms": 0.0, "peak_kib": 0.0}

    @given(data=inputs(target))
    @settings(
        max_examples=100,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def one(data: bytes) -> None:
        # traced around the parser only: tracing Hypothesis itself would triple the cost
        tracemalloc.start()
        # CPU time of this thread: other processes on a loaded machine do not count
        started = time.thread_time()
        try:
            target.run(data)
        except PeerDeskError as exc:
            assert str(exc), "an error without a message"
            figures["errors_raised"] += 1
        finally:
            elapsed = time.thread_time() - started
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        figures["executions"] += 1
        figures["slowest_ms"] = max(figures["slowest_ms"], elapsed * 1000)
        figures["peak_kib"] = max(figures["peak_kib"], peak / 1024)
        assert elapsed < HANG_S, f"{target.name}: one input took {elapsed:.2f} s of CPU"
        assert peak < MAX_MEMORY, f"{target.name}: one input allocated {peak / 2**20:.0f} MiB"

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        one()
    return figures


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(TARGETS))
def test_hostile_bytes_end_in_a_peerdesk_error_or_a_result(name: str) -> None:
    target = TARGETS[name]
    figures = fuzz(target, budget("fuzz_seconds", 2))
    record(
        f"fuzz.hypothesis.{name}",
        target=target.what,
        executions=figures["executions"],
        failures=0,
        slowest_ms=round(figures["slowest_ms"], 1),
        peak_kib=round(figures["peak_kib"]),
    )
    assert figures["executions"] >= 50


def test_the_fuzz_check_catches_a_parser_that_raises_something_else() -> None:
    def broken(data: bytes) -> None:
        if data[:1] == b"{":
            raise KeyError("not from the errors tree")

    target = Target("broken", "a parser with a bug", broken, lambda: [b"{}"])
    with pytest.raises(KeyError):
        fuzz(target, 1.0)


def test_the_fuzz_check_catches_a_memory_blowup() -> None:
    def greedy(data: bytes) -> None:
        if data[:1] == b"x":
            bytearray(MAX_MEMORY + 1)

    target = Target("greedy", "a parser that allocates", greedy, lambda: [b"xyz"])
    with pytest.raises(AssertionError, match="allocated"):
        fuzz(target, 1.0)

"""Coverage-guided fuzzing of one target of tests/reliability/fuzz_targets.py with
atheris (libFuzzer for Python)::

    python -m tests.reliability.atheris_fuzz TARGET [libFuzzer options] [CORPUS_DIR]

PeerDesk's modules are instrumented, so libFuzzer keeps inputs that reach new
code. An exception that is not a :class:`peerdesk.errors.PeerDeskError` is a
crash (libFuzzer stops and writes the input under ``-artifact_prefix``); so is
an input slower than ``-timeout`` seconds or a process over ``-rss_limit_mb``.
For targets with a ``structured`` wrapper, inputs starting with byte 1 are
wrapped (signed, framed or sealed) first, so the fuzzer also works behind the
signature check.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["peerdesk"]):
    from peerdesk.errors import PeerDeskError
    from tests.reliability.fuzz_targets import TARGETS


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: atheris_fuzz TARGET [options] [corpus]; targets: {', '.join(TARGETS)}")
    target = TARGETS[sys.argv[1]]
    wrap = target.structured

    def one(data: bytes) -> None:
        if wrap is not None and data[:1] == b"\x01":
            data = wrap(data[1:])
        try:
            target.run(data)
        except PeerDeskError:
            pass

    atheris.Setup([sys.argv[0], *sys.argv[2:]], one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

"""Trains the zstd dictionary named ``notes-v1`` in the sync protocol (a build tool).

A single 1-3 KB note compresses only about 2x on its own; a dictionary trained
on sample note records gives back most of what compressing a whole batch would,
while every record stays separately sealed. The dictionary is shipped in
``resources/sync/`` and named in each record, so a future ``notes-v2`` can be
introduced without breaking devices that still send v1. The product only reads
the shipped file (:mod:`peerdesk.wire.protocol`); training needs the generated
samples, so it lives here beside them.

Regenerate (only when introducing a new version; never change a shipped one)::

    python -m peerdesk.demo.dictionary resources/sync/notes-v2.zdict
"""

from __future__ import annotations

import sys
from pathlib import Path

import zstandard

from peerdesk.demo.samples import training_samples

DICT_SIZE = 112_640  # the zstd command line's default dictionary size
TRAINING_SEED = 1  # benchmarks measure with other seeds


def train(size: int = DICT_SIZE, seed: int = TRAINING_SEED) -> bytes:
    samples: list[bytes | bytearray | memoryview] = list(training_samples(seed=seed, n=3000))
    return zstandard.train_dictionary(size, samples, level=12).as_bytes()


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        raise SystemExit("usage: python -m peerdesk.demo.dictionary OUTPUT.zdict")
    target = Path(args[0])
    if target.exists():
        raise SystemExit(f"{target} exists; a shipped dictionary must never change")
    target.write_bytes(train())
    print(f"wrote {target} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

"""Realistic prose notes for the sync benchmark (issue 17): varied English, not
templated repeats.

The corpus is the English prose of two sources on this machine: the peer support
articles in /work/shared/seeds/ (about 32 KB) and the prose paragraphs of
Python's own reference documentation as the standard library ships it
(``pydoc_data.topics``) and the docstrings of its modules and of the installed
packages (code samples, tables and markup left out), up to 6 MB.
A word-level Markov chain of order 2 is trained on the sentences, and each note
section is a run of generated sentences, so no two notes share their wording
except as English does; the domain words come from the seeds. :func:`zstd_ratio`
measures the text as it compresses on its own (real English: about 2.5-3.5x).
"""

from __future__ import annotations

import random
import re
import sysconfig
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import zstandard

SEEDS = Path("/work/shared/seeds")
_DOC_ROOTS = tuple(dict.fromkeys(sysconfig.get_paths()[k] for k in ("stdlib", "purelib")))
_DOCSTRING = re.compile(r'"""(.*?)"""', re.S)
#: prose kept for the chain (enough that 2 MB of notes rarely repeat a stretch of it)
CORPUS_CHARS = 6_000_000
#: how often a word with one continuation in the corpus is chosen by the last word only
FALLBACK = 0.6
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_PROSE_LINE = re.compile(r"^[A-Z][a-z]+[ ,][^{}<>=|*`_#\\]*[.!?]$")


def _texts() -> list[str]:
    texts: list[str] = []
    if SEEDS.is_dir():
        texts += [p.read_text(errors="replace") for p in sorted(SEEDS.glob("*.txt"))]
    try:
        from pydoc_data.topics import topics  # the reference manual's text

        texts += list(topics.values())
    except ImportError:  # pragma: no cover - some distributions leave it out
        pass
    # the docstrings of the standard library and of the installed packages
    for root in _DOC_ROOTS:
        for path in sorted(Path(root).rglob("*.py")):
            try:
                source = path.read_text(errors="replace")
            except OSError:
                continue
            texts += [m.group(1) for m in _DOCSTRING.finditer(source)]
    return texts


@cache
def _prose_paragraphs() -> tuple[str, ...]:
    """Sentences of prose (no code, markup or tables), one paragraph each run."""
    out = []
    size = 0
    for text in _texts():
        if size > CORPUS_CHARS:
            break
        for para in re.split(r"\n\s*\n", text):
            line = " ".join(para.split())
            kept = [s for s in _SENTENCE.split(line) if _PROSE_LINE.match(s) and len(s) > 30]
            if kept:
                out.append(" ".join(kept))
                size += len(out[-1])
    return tuple(out)


@cache
def _chain() -> tuple[
    dict[tuple[str, str], list[str]], dict[str, list[str]], list[tuple[str, str]]
]:
    chain: dict[tuple[str, str], list[str]] = defaultdict(list)
    single: dict[str, list[str]] = defaultdict(list)
    starts: list[tuple[str, str]] = []
    for para in _prose_paragraphs():
        for sentence in _SENTENCE.split(para):
            words = sentence.split()
            if len(words) < 5:
                continue
            starts.append((words[0], words[1]))
            for a, b, c in zip(words, words[1:], words[2:], strict=False):
                chain[(a, b)].append(c)
                single[b].append(c)
            chain[(words[-2], words[-1])].append("")
            single[words[-1]].append("")
    return dict(chain), dict(single), starts


def corpus_size() -> int:
    return sum(len(p) for p in _prose_paragraphs())


def sentence(rng: random.Random, limit: int = 60) -> str:
    """A sentence of the chain. Where the two words before have one continuation
    only (the corpus sentence would go on word for word), the next word is mostly
    chosen by the last word alone, so that long stretches of the corpus do not
    come back note after note (which would compress like no real caseload does)."""
    chain, single, starts = _chain()
    a, b = rng.choice(starts)
    words = [a, b]
    while len(words) < limit:
        options = chain.get((a, b), [""])
        if len(set(options)) == 1 and rng.random() < FALLBACK:
            options = single.get(b, options)
        nxt = rng.choice(options)
        if not nxt:
            break
        words.append(nxt)
        a, b = b, nxt
    text = " ".join(words)
    return text if text[-1] in ".!?" else text + "."


def prose(rng: random.Random, chars: int) -> str:
    out: list[str] = []
    size = 0
    while size < chars:
        s = sentence(rng)
        out.append(s)
        size += len(s) + 1
    return " ".join(out)[:chars].rsplit(" ", 1)[0] + "."


SECTIONS = {
    "girp": ("goal", "intervention", "response", "plan"),
    "dap": ("data", "assessment", "plan"),
    "soap": ("subjective", "objective", "assessment", "plan"),
    "free": ("text",),
}


def note_body(rng: random.Random, template: str, chars: int) -> dict[str, str]:
    names = SECTIONS[template]
    return {name: prose(rng, max(40, chars // len(names))) for name in names}


def zstd_ratio(texts: list[str]) -> float:
    """How the texts compress as one stream with plain zstd (level 3, no dictionary)."""
    raw = "\n".join(texts).encode()
    return len(raw) / len(zstandard.ZstdCompressor(level=3).compress(raw))


def describe(rng_seed: int = 99, n: int = 1000) -> dict[str, Any]:
    rng = random.Random(rng_seed)
    texts = [prose(rng, rng.randint(1000, 3000)) for _ in range(n)]
    return {
        "corpus": "order-2 word Markov chain over the prose of /work/shared/seeds, of "
        "Python's reference manual (pydoc_data.topics) and of the docstrings of the stdlib "
        "and the installed packages",
        "corpus_chars": corpus_size(),
        "sample_notes": n,
        "zstd_ratio_one_stream": round(zstd_ratio(texts), 2),
    }

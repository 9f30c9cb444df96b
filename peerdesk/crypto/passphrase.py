"""Passphrase policy after NIST SP 800-63B: length, not composition.

* at least 15 characters, and up to :data:`MAX_LENGTH` (far more than 64);
* any Unicode, compared after NFKC normalisation (so the same passphrase typed on
  another keyboard layout or input method still unlocks);
* refused when it is, or is built from, a common password (the blocklist shipped
  in ``resources/passwords/common.txt``), a context word (the product or the
  profile name), one character repeated or a keyboard/number sequence;
* no rules about digits, symbols or case.

:func:`assess` also gives a strength estimate in words (zxcvbn) for the UI.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from zxcvbn import zxcvbn

from peerdesk.errors import PassphrasePolicyError
from peerdesk.resources import resource_path

MIN_LENGTH = 15
MAX_LENGTH = 1024
# zxcvbn is quadratic-ish, and zxcvbn 4.5 raises ValueError above 72 characters;
# the first 72 characters are plenty for an estimate.
_ZXCVBN_MAX = 72
_SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)
_STRIP_DECORATION = re.compile(r"[\d\W_]+")


def normalize(passphrase: str) -> str:
    """The form that is fed to the KDF: Unicode NFKC, nothing else changed."""
    return unicodedata.normalize("NFKC", passphrase)


@functools.cache
def _blocklist() -> frozenset[str]:
    lines = resource_path("passwords", "common.txt").read_text("utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _squash(text: str) -> str:
    return "".join(text.casefold().split())


def _is_repetition(text: str, max_unit: int = 8) -> bool:
    """True if ``text`` is one unit of at most ``max_unit`` characters repeated
    (``abcabcabc...``); the default looks for short units only."""
    n = len(text)
    return any(
        n % k == 0 and text[:k] * (n // k) == text for k in range(1, min(n // 2, max_unit) + 1)
    )


def _is_sequence(text: str) -> bool:
    for seq in _SEQUENCES:
        doubled = seq + seq
        for source in (doubled, doubled[::-1]):
            if text in source or (len(text) > len(seq) and _is_repetition_of_run(text, source)):
                return True
    return False


def _is_repetition_of_run(text: str, source: str) -> bool:
    # e.g. "123456789012345": every window of 10 is inside "01234567890123456789"
    return all(text[i : i + 10] in source for i in range(0, len(text) - 9))


@dataclass(frozen=True, slots=True)
class PassphraseAssessment:
    problems: tuple[str, ...]  # empty when the policy is met
    score: int  # zxcvbn 0..4
    feedback: tuple[str, ...]  # suggestions in words
    crack_time: str  # offline guessing time estimate, in words

    @property
    def acceptable(self) -> bool:
        return not self.problems


def policy_problems(passphrase: str, context_words: tuple[str, ...] = ()) -> list[str]:
    """Reasons (in words) why ``passphrase`` is not acceptable; empty if it is."""
    text = normalize(passphrase)
    problems: list[str] = []
    if len(text) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters (this has {len(text)}).")
    if len(text) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters.")
    if problems:
        return problems
    squashed = _squash(text)
    core = _STRIP_DECORATION.sub("", squashed)
    blocked = _blocklist()
    contexts = {_squash(w) for w in ("peerdesk", "peer desk", *context_words) if _squash(w)}
    if squashed in blocked:
        problems.append("This is a commonly used password; attackers try it first.")
    elif core and (
        core in blocked or _is_repetition(core, len(core)) and core[: len(core) // 2] in blocked
    ):
        problems.append("This is a common password with numbers or symbols added.")
    elif any(
        core == c or (_is_repetition(core, len(core)) and c in core) for c in contexts if core
    ):
        problems.append("Do not build the passphrase from the program or profile name.")
    elif _is_repetition(squashed) or len(set(squashed)) < 5:
        problems.append("This repeats the same few characters; use several words instead.")
    elif _is_sequence(squashed):
        problems.append("This is a keyboard or number sequence; use several words instead.")
    return problems


def assess(passphrase: str, context_words: tuple[str, ...] = ()) -> PassphraseAssessment:
    text = normalize(passphrase)
    problems = tuple(policy_problems(text, context_words))
    if not text:
        return PassphraseAssessment(problems, 0, (), "instantly")
    result = zxcvbn(text[:_ZXCVBN_MAX], user_inputs=list(context_words))
    fb = result["feedback"]
    words = tuple(x for x in (fb.get("warning") or "", *fb.get("suggestions", [])) if x)
    crack = str(result["crack_times_display"]["offline_slow_hashing_1e4_per_second"])
    return PassphraseAssessment(problems, int(result["score"]), words, crack)


def check_new_passphrase(passphrase: str, context_words: tuple[str, ...] = ()) -> str:
    """Return the normalised passphrase or raise :class:`PassphrasePolicyError`."""
    problems = policy_problems(passphrase, context_words)
    if problems:
        raise PassphrasePolicyError(problems)
    return normalize(passphrase)

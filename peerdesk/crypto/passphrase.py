"""Passphrase policy after NIST SP 800-63B: length, not composition.

* at least 15 characters, and up to :data:`MAX_LENGTH` (far more than 64);
* any Unicode, compared after NFKC normalisation (so the same passphrase typed on
  another keyboard layout or input method still unlocks);
* refused when it is, or is built from, a common password (the blocklist shipped
  in ``resources/passwords/common.txt``), a context word (the product or the
  profile name), one character repeated or a keyboard/number sequence;
* no rules about digits, symbols or case.

:func:`assess` also gives a strength estimate in words (zxcvbn) for the UI.
Every sentence here is a :class:`~peerdesk.errors.Msg` (the UI translates it):
zxcvbn's own advice is English only, so its fixed sentences are looked up in
:data:`ZXCVBN_FEEDBACK` (keyed by the library's exact words) and its guessing
time is put into words here rather than by the library.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from zxcvbn import zxcvbn

from peerdesk.errors import Msg, PassphrasePolicyError
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


#: every sentence zxcvbn's feedback can give (zxcvbn/feedback.py, 4.5), in the
#: library's exact English, and the same advice as a translatable Msg
ZXCVBN_FEEDBACK: dict[str, Msg] = {
    "Use a few words, avoid common phrases.": Msg("Use a few words, avoid common phrases."),
    "No need for symbols, digits, or uppercase letters.": Msg(
        "No need for symbols, digits, or uppercase letters."
    ),
    "Add another word or two. Uncommon words are better.": Msg(
        "Add another word or two. Uncommon words are better."
    ),
    "Straight rows of keys are easy to guess.": Msg("Straight rows of keys are easy to guess."),
    "Short keyboard patterns are easy to guess.": Msg("Short keyboard patterns are easy to guess."),
    "Use a longer keyboard pattern with more turns.": Msg(
        "Use a longer keyboard pattern with more turns."
    ),
    'Repeats like "aaa" are easy to guess.': Msg('Repeats like "aaa" are easy to guess.'),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': Msg(
        'Repeats like "abcabcabc" are only slightly harder to guess than "abc".'
    ),
    "Avoid repeated words and characters.": Msg("Avoid repeated words and characters."),
    'Sequences like "abc" or "6543" are easy to guess.': Msg(
        'Sequences like "abc" or "6543" are easy to guess.'
    ),
    "Avoid sequences.": Msg("Avoid sequences."),
    "Recent years are easy to guess.": Msg("Recent years are easy to guess."),
    "Avoid recent years.": Msg("Avoid recent years."),
    "Avoid years that are associated with you.": Msg("Avoid years that are associated with you."),
    "Dates are often easy to guess.": Msg("Dates are often easy to guess."),
    "Avoid dates and years that are associated with you.": Msg(
        "Avoid dates and years that are associated with you."
    ),
    "This is a top-10 common password.": Msg("This is a top-10 common password."),
    "This is a top-100 common password.": Msg("This is a top-100 common password."),
    "This is a very common password.": Msg("This is a very common password."),
    "This is similar to a commonly used password.": Msg(
        "This is similar to a commonly used password."
    ),
    "A word by itself is easy to guess.": Msg("A word by itself is easy to guess."),
    "Names and surnames by themselves are easy to guess.": Msg(
        "Names and surnames by themselves are easy to guess."
    ),
    "Common names and surnames are easy to guess.": Msg(
        "Common names and surnames are easy to guess."
    ),
    "Capitalization doesn't help very much.": Msg("Capitalization doesn't help very much."),
    "All-uppercase is almost as easy to guess as all-lowercase.": Msg(
        "All-uppercase is almost as easy to guess as all-lowercase."
    ),
    "Reversed words aren't much harder to guess.": Msg(
        "Reversed words aren't much harder to guess."
    ),
    "Predictable substitutions like '@' instead of 'a' don't help very much.": Msg(
        "Predictable substitutions like '@' instead of 'a' don't help very much."
    ),
}
#: shown for a zxcvbn sentence not in the table (another version of the library):
#: advice in the UI's language rather than English
ZXCVBN_OTHER = Msg("Use several uncommon words; a longer passphrase is harder to guess.")


def feedback_msg(text: str) -> Msg:
    """zxcvbn's sentence ``text`` as a translatable Msg (a generic tip if unknown)."""
    return ZXCVBN_FEEDBACK.get(" ".join(text.split()), ZXCVBN_OTHER)


def guess_time(seconds: float) -> Msg:
    """A guessing time in words, with zxcvbn's steps and English words
    ("less than a second", "3 hours", "centuries"), translatable."""
    minute = 60
    hour, day = minute * 60, minute * 60 * 24
    month = day * 31
    year = month * 12
    if seconds < 1:
        return Msg("less than a second")
    if seconds < minute:
        return Msg("%n second(s)", n=round(seconds))
    if seconds < hour:
        return Msg("%n minute(s)", n=round(seconds / minute))
    if seconds < day:
        return Msg("%n hour(s)", n=round(seconds / hour))
    if seconds < month:
        return Msg("%n day(s)", n=round(seconds / day))
    if seconds < year:
        return Msg("%n month(s)", n=round(seconds / month))
    if seconds < year * 100:
        return Msg("%n year(s)", n=round(seconds / year))
    return Msg("centuries")


@dataclass(frozen=True, slots=True)
class PassphraseAssessment:
    problems: tuple[Msg, ...]  # empty when the policy is met
    score: int  # zxcvbn 0..4
    feedback: tuple[Msg, ...]  # zxcvbn's warning and suggestions, each a Msg
    crack_time: Msg  # offline guessing time estimate, in words

    @property
    def acceptable(self) -> bool:
        return not self.problems


def policy_problems(passphrase: str, context_words: tuple[str, ...] = ()) -> list[Msg]:
    """Reasons (in words) why ``passphrase`` is not acceptable; empty if it is."""
    text = normalize(passphrase)
    problems: list[Msg] = []
    if len(text) < MIN_LENGTH:
        problems.append(
            Msg(
                "Use at least {minimum} characters (this has {count}).",
                minimum=MIN_LENGTH,
                count=len(text),
            )
        )
    if len(text) > MAX_LENGTH:
        problems.append(Msg("Use at most {maximum} characters.", maximum=MAX_LENGTH))
    if problems:
        return problems
    squashed = _squash(text)
    core = _STRIP_DECORATION.sub("", squashed)
    blocked = _blocklist()
    contexts = {_squash(w) for w in ("peerdesk", "peer desk", *context_words) if _squash(w)}
    if squashed in blocked:
        problems.append(Msg("This is a commonly used password; attackers try it first."))
    elif core and (
        core in blocked or _is_repetition(core, len(core)) and core[: len(core) // 2] in blocked
    ):
        problems.append(Msg("This is a common password with numbers or symbols added."))
    elif any(
        core == c or (_is_repetition(core, len(core)) and c in core) for c in contexts if core
    ):
        problems.append(Msg("Do not build the passphrase from the program or profile name."))
    elif _is_repetition(squashed) or len(set(squashed)) < 5:
        problems.append(Msg("This repeats the same few characters; use several words instead."))
    elif _is_sequence(squashed):
        problems.append(Msg("This is a keyboard or number sequence; use several words instead."))
    return problems


def assess(passphrase: str, context_words: tuple[str, ...] = ()) -> PassphraseAssessment:
    text = normalize(passphrase)
    problems = tuple(policy_problems(text, context_words))
    if not text:
        return PassphraseAssessment(problems, 0, (), Msg("instantly"))
    result = zxcvbn(text[:_ZXCVBN_MAX], user_inputs=list(context_words))
    fb = result["feedback"]
    said = (fb.get("warning") or "", *fb.get("suggestions", []))
    # one tip once, even when two unknown sentences both became the generic tip
    words = tuple(dict.fromkeys(feedback_msg(x) for x in said if x))
    seconds = float(result["crack_times_seconds"]["offline_slow_hashing_1e4_per_second"])
    return PassphraseAssessment(problems, int(result["score"]), words, guess_time(seconds))


def check_new_passphrase(passphrase: str, context_words: tuple[str, ...] = ()) -> str:
    """Return the normalised passphrase or raise :class:`PassphrasePolicyError`."""
    problems = policy_problems(passphrase, context_words)
    if problems:
        raise PassphrasePolicyError(problems)
    return normalize(passphrase)

"""Text as an X12 element may hold it: capitals, digits and a few marks, no
separator characters, ASCII only. Accents are dropped from their letters
("José Peña" -> "JOSE PENA"); the Latin letters that do not decompose under
Unicode NFKD are spelled out by a small table (Ø -> O, Ł -> L, ß -> SS, ...);
any other character that cannot be written is deleted, not replaced by a space,
so "Łukasz Wałęsa" stays two words. Used by :mod:`peerdesk.domain.x12_837` and
by the claims' hold rules (:func:`has_letters`). Pure."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["has_letters", "x12_text"]

#: Latin letters NFKD leaves alone, as a US claim system spells them
_TRANSLITERATE = str.maketrans(
    {
        "Ø": "O",
        "ø": "o",
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Ð": "D",
        "ð": "d",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "ß": "ss",
        "ẞ": "SS",
        "Þ": "TH",
        "þ": "th",
        "ı": "i",
        "Ħ": "H",
        "ħ": "h",
        "Ŧ": "T",
        "ŧ": "t",
        "Ŋ": "N",
        "ŋ": "n",
        "ĸ": "k",
        "Ŀ": "L",
        "ŀ": "l",
        "ſ": "s",
        "’": "'",
        "‘": "'",
        "‐": "-",
        "‑": "-",
        "–": "-",
        "—": "-",
    }
)
#: what an element keeps (after the capitals): a separator or anything else goes
_KEPT = re.compile(r"[^A-Z0-9 .,\-&'/#]")
#: separators and white space become one space (a word break), the rest is deleted
_BREAK = re.compile(r"[\s~*:^|]")


def x12_text(value: str, limit: int = 60) -> str:
    """``value`` as X12 element text (see the module docstring), at most
    ``limit`` characters."""
    plain = "".join(
        c
        for c in unicodedata.normalize("NFKD", str(value).translate(_TRANSLITERATE))
        if not unicodedata.combining(c)
    )
    spaced = _BREAK.sub(" ", plain.translate(_TRANSLITERATE).upper())
    cleaned = _KEPT.sub("", spaced)
    return " ".join(cleaned.split())[:limit]


def has_letters(name: str) -> bool:
    """Whether ``name`` keeps at least one letter as X12 text (a name in a script
    the 837P cannot carry keeps none)."""
    return any("A" <= c <= "Z" for c in x12_text(name))

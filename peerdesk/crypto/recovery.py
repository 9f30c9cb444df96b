"""Recovery codes: a 128-bit secret that IT can read to a peer over the phone.

The device wraps its data key under a random recovery secret and seals that
secret to the agency's offline recovery key. When a peer forgets the
passphrase, IT opens the sealed secret with the recovery key and reads it out
as a code; code + a new passphrase re-wrap the data key on the laptop.

Format: Crockford base32 (no I, L, O, U; case-insensitive; I/L read as 1 and O
as 0), 26 characters for the secret plus one check character, shown in groups
of four: ``7K3M-Q9XD-...``. The check character catches a mistyped or misheard
character before the (slow) unwrap is tried.
"""

from __future__ import annotations

import os

from peerdesk.errors import Msg, ValidationError

SECRET_LEN = 16
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CHECK = _ALPHABET + "*~$=U"  # Crockford's 37-symbol check alphabet
_READ = {c: i for i, c in enumerate(_ALPHABET)} | {"I": 1, "L": 1, "O": 0}
_CODE_CHARS = 26  # ceil(128 / 5)
#: characters of a whole code: the secret and its check character
CODE_CHARS = _CODE_CHARS + 1


def new_secret() -> bytes:
    return os.urandom(SECRET_LEN)


def encode_code(secret: bytes) -> str:
    if len(secret) != SECRET_LEN:
        raise ValueError("a recovery secret is 16 bytes")
    number = int.from_bytes(secret, "big")
    chars = []
    for _ in range(_CODE_CHARS):
        chars.append(_ALPHABET[number & 31])
        number >>= 5
    text = "".join(reversed(chars)) + _CHECK[int.from_bytes(secret, "big") % 37]
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def decode_code(code: str) -> bytes:
    """Parse a code as typed (spaces, dashes and case do not matter)."""
    text = "".join(ch for ch in code.upper() if ch not in " -\t")
    if len(text) != _CODE_CHARS + 1:
        raise ValidationError(
            Msg(
                "a recovery code has {length} letters and digits; this one has {count}",
                length=_CODE_CHARS + 1,
                count=len(text),
            ),
            field="recovery_code",
        )
    number = 0
    for ch in text[:-1]:
        if ch not in _READ:
            raise ValidationError(
                Msg("{ch} cannot appear in a recovery code", ch=repr(ch)), field="recovery_code"
            )
        number = number * 32 + _READ[ch]
    if number >= 1 << (8 * SECRET_LEN):
        raise ValidationError(Msg("this is not a valid recovery code"), field="recovery_code")
    check = text[-1]
    expected = _CHECK[number % 37]
    if (
        check != expected
        and not (check in "IL" and expected == "1")
        and not (check == "O" and expected == "0")
    ):
        raise ValidationError(
            Msg("the recovery code has a typo (its check letter does not match)"),
            field="recovery_code",
        )
    return number.to_bytes(SECRET_LEN, "big")

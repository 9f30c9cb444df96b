"""The key hierarchy under a profile's vault: one data key (DEK) wrapped by key
encryption keys, and the purpose keys derived from it.

* The DEK (32 random bytes, with a 4-byte id) is wrapped with AES-256-GCM under a
  KEK: one from the passphrase (Argon2id, :mod:`peerdesk.crypto.kdf`) and one per
  recovery slot (HKDF of a 128-bit recovery secret and a salt). The associated
  data binds each wrap to the profile, the DEK id and, for a slot, its id.
* The purpose keys (field encryption, audit HMAC) come from the DEK through HKDF,
  so no key is used for two jobs.

:class:`peerdesk.crypto.vault.Vault` keeps the wraps in the vault header.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from peerdesk.crypto.envelope import FieldCipher
from peerdesk.errors import CorruptData

DEK_LEN = 32
DEK_ID_LEN = 4
RECOVERY_SALT_LEN = 16
FIELDS_INFO = b"peerdesk/fields/v1"
AUDIT_INFO = b"peerdesk/audit-hmac/v1"


def subkey(dek: bytes, info: bytes) -> bytes:
    """The purpose key ``info`` of a DEK (HKDF-SHA256)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(dek)


class KeyRing:
    """The keys of an unlocked vault. One object, so locking drops all of them."""

    __slots__ = ("_dek", "audit_key", "dek_id", "fields")

    def __init__(self, dek: bytes, dek_id: bytes) -> None:
        self._dek = dek
        self.dek_id = dek_id
        self.fields = FieldCipher(subkey(dek, FIELDS_INFO), dek_id)
        self.audit_key = subkey(dek, AUDIT_INFO)

    @classmethod
    def new(cls) -> KeyRing:
        """A fresh random DEK and id."""
        return cls(os.urandom(DEK_LEN), os.urandom(DEK_ID_LEN))

    def wrap_with(self, kek: bytes, aad: bytes) -> bytes:
        """``nonce | AES-256-GCM(kek, DEK, aad)``."""
        nonce = os.urandom(12)
        return nonce + AESGCM(kek).encrypt(nonce, self._dek, aad)


def unwrap(kek: bytes, blob: bytes, aad: bytes) -> bytes | None:
    """The DEK of a wrap made by :meth:`KeyRing.wrap_with`, or None when ``kek``
    (or ``aad``) is not the one it was wrapped with. :class:`CorruptData` if it
    opens to a key of the wrong size."""
    try:
        dek = AESGCM(kek).decrypt(blob[:12], blob[12:], aad)
    except (InvalidTag, ValueError):
        return None
    if len(dek) != DEK_LEN:
        raise CorruptData("vault holds a key of the wrong size")
    return dek


def wrap_aad(profile_id: str, dek_id: bytes) -> bytes:
    """What the passphrase wrap of a DEK is bound to."""
    return b"peerdesk/dek-wrap/v1|" + profile_id.encode() + b"|" + dek_id


def recovery_kek(secret: bytes, salt: bytes) -> bytes:
    """The KEK of a recovery slot (the secret is random, so HKDF is enough)."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=b"peerdesk/recovery-kek/v1"
    ).derive(secret)


def recovery_aad(profile_id: str, dek_id: bytes, slot_id: str) -> bytes:
    """What the wrap of a DEK in recovery slot ``slot_id`` is bound to."""
    return (
        b"peerdesk/dek-recovery/v1|" + profile_id.encode() + b"|" + dek_id + b"|" + slot_id.encode()
    )

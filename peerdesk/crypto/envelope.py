"""Field envelopes: AES-256-GCM with the record's place bound in as AAD.

Wire form (bytes)::

    magic "PE" | version (1 byte) | key_id (4 bytes) | nonce (12 bytes) | ciphertext+tag

The additional authenticated data is the 7-byte header followed by the msgpack
encoding of ``[table, record_id, field, schema_version]``. A ciphertext copied to
another row, another field or another table therefore fails authentication,
exactly like a tampered one, and is reported as :class:`CorruptData` naming the
place it was read from.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

import msgpack
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from peerdesk.errors import CorruptData

MAGIC = b"PE"
VERSION = 1
NONCE_LEN = 12
TAG_LEN = 16
_HEADER = struct.Struct(">2sB4s")
HEADER_LEN = _HEADER.size  # 7
OVERHEAD = HEADER_LEN + NONCE_LEN + TAG_LEN  # 35 bytes per field
MAX_PLAINTEXT = 16 * 1024 * 1024  # a field larger than this is a bug or an attack


@dataclass(frozen=True, slots=True)
class Place:
    """Where an envelope lives; bound into the AAD."""

    table: str
    record_id: str
    field: str
    schema_version: int = 1

    def aad(self, header: bytes) -> bytes:
        return header + msgpack.packb([self.table, self.record_id, self.field, self.schema_version])


class FieldCipher:
    """Encrypts and decrypts field values with one 256-bit key.

    Holds the key inside an ``AESGCM`` object only; build one per unlock and drop
    it on lock.
    """

    __slots__ = ("_aead", "key_id")

    def __init__(self, key: bytes, key_id: bytes) -> None:
        if len(key) != 32 or len(key_id) != 4:
            raise ValueError("FieldCipher needs a 32-byte key and a 4-byte key id")
        self._aead = AESGCM(key)
        self.key_id = key_id

    def seal(self, plaintext: bytes, place: Place) -> bytes:
        if len(plaintext) > MAX_PLAINTEXT:
            raise ValueError("field too large to encrypt")
        header = _HEADER.pack(MAGIC, VERSION, self.key_id)
        nonce = os.urandom(NONCE_LEN)
        return header + nonce + self._aead.encrypt(nonce, plaintext, place.aad(header))

    def open(self, envelope: bytes, place: Place) -> bytes:
        def corrupt(why: str) -> CorruptData:
            return CorruptData(why, table=place.table, record_id=place.record_id, field=place.field)

        if not isinstance(envelope, bytes | bytearray | memoryview):
            raise corrupt("stored value is not an envelope")
        envelope = bytes(envelope)
        if len(envelope) < OVERHEAD:
            raise corrupt("envelope too short")
        magic, version, key_id = _HEADER.unpack_from(envelope)
        if magic != MAGIC:
            raise corrupt("not an envelope")
        if version != VERSION:
            raise corrupt(f"unknown envelope version {version}")
        if key_id != self.key_id:
            raise corrupt("envelope was made with another key")
        header = envelope[:HEADER_LEN]
        nonce = envelope[HEADER_LEN : HEADER_LEN + NONCE_LEN]
        try:
            return self._aead.decrypt(nonce, envelope[HEADER_LEN + NONCE_LEN :], place.aad(header))
        except InvalidTag:
            raise corrupt("envelope failed authentication (tampered or moved)") from None


def looks_like_envelope(value: object) -> bool:
    """Cheap structural check used by tests and ``doctor``: no plaintext column."""
    return (
        isinstance(value, bytes)
        and len(value) >= OVERHEAD
        and value[:2] == MAGIC
        and value[2] == VERSION
    )

"""Public-key crypto shared by the device and the agency.

* **Sealing** (HPKE, RFC 9180, base mode, X25519 / HKDF-SHA256 / AES-256-GCM):
  records going to the agency are sealed to the agency *review* key, feedback
  coming back is sealed to the device's *box* key, and the recovery secret is
  sealed to the agency *recovery* key. The HPKE ``info`` binds the context
  (what kind of thing, which record, which key), so a sealed blob cannot be
  replayed as another record: opening it with the wrong info fails.
  Wire form: ``enc (32 bytes) | ciphertext | tag (16 bytes)``, 48 bytes overhead.
* **Signing** (Ed25519): the device signs every batch; the agency root key
  signs the key bundle; the agency signing key signs wipe orders, policy and
  directory updates. :func:`sign_document` / :func:`open_document` wrap a
  msgpack map with its signature and the signer's key id.
* **Key ids**: the first 8 bytes of SHA-256 over the raw public key, as 16 hex
  characters.
* **Wrapped private keys**: a private key at rest (supervisor review key,
  offline recovery key, device keys) is wrapped with AES-256-GCM under a key
  derived from a passphrase (Argon2id, the same floor as the vault) or under a
  key the caller already holds.

Every failure to open or verify raises :class:`peerdesk.errors.BadSignature` or
:class:`peerdesk.errors.SealBroken`, never a bare cryptography exception.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import msgpack
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from peerdesk.crypto.kdf import KdfParams, derive_key
from peerdesk.crypto.passphrase import normalize
from peerdesk.errors import BadSignature, SealBroken

SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
SEAL_OVERHEAD = 32 + 16
KEY_LEN = 32
SIG_LEN = 64
MAX_SEALED = 8 * 1024 * 1024
MAX_DOCUMENT = 4 * 1024 * 1024


def key_id(public_raw: bytes) -> str:
    """Short, stable name of a public key (16 hex characters)."""
    return hashlib.sha256(public_raw).digest()[:8].hex()


def _raw_public(key: X25519PublicKey | Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _raw_private(key: X25519PrivateKey | Ed25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


# --- key pairs ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _KeyPair:
    """A private key and what is derived from it: one implementation for both
    kinds of pair, which only name their key type and the error for a bad key."""

    private: Any
    _key_type: ClassVar[Any]
    _error: ClassVar[type[BadSignature] | type[SealBroken]]
    _name: ClassVar[str]

    @classmethod
    def generate(cls) -> Self:
        return cls(cls._key_type.generate())

    @classmethod
    def from_raw(cls, raw: bytes) -> Self:
        if len(raw) != KEY_LEN:
            raise cls._error(f"an {cls._name} private key is 32 bytes")
        return cls(cls._key_type.from_private_bytes(raw))

    @property
    def public_raw(self) -> bytes:
        return _raw_public(self.private.public_key())

    @property
    def key_id(self) -> str:
        return key_id(self.public_raw)

    def private_raw(self) -> bytes:
        return _raw_private(self.private)


@dataclass(frozen=True, slots=True)
class BoxKeyPair(_KeyPair):
    """An X25519 key pair that sealed blobs are addressed to."""

    _key_type = X25519PrivateKey
    _error = SealBroken
    _name = "X25519"


@dataclass(frozen=True, slots=True)
class SigningKeyPair(_KeyPair):
    """An Ed25519 key pair."""

    _key_type = Ed25519PrivateKey
    _error = BadSignature
    _name = "Ed25519"

    def sign(self, message: bytes) -> bytes:
        signature: bytes = self.private.sign(message)
        return signature


def box_public(raw: bytes) -> X25519PublicKey:
    if not isinstance(raw, bytes) or len(raw) != KEY_LEN:
        raise SealBroken("an X25519 public key is 32 bytes")
    return X25519PublicKey.from_public_bytes(raw)


def verify(public_raw: bytes, signature: bytes, message: bytes) -> None:
    """Raise :class:`BadSignature` unless ``signature`` is ``public_raw``'s over ``message``."""
    if not isinstance(public_raw, bytes) or len(public_raw) != KEY_LEN:
        raise BadSignature("an Ed25519 public key is 32 bytes")
    if not isinstance(signature, bytes) or len(signature) != SIG_LEN:
        raise BadSignature("an Ed25519 signature is 64 bytes")
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, message)
    except InvalidSignature:
        raise BadSignature("signature does not match") from None


# --- HPKE -----------------------------------------------------------------------------


def seal(plaintext: bytes, recipient_public_raw: bytes, info: bytes) -> bytes:
    """Seal ``plaintext`` so only the holder of the matching private key can open it."""
    return SUITE.encrypt(plaintext, box_public(recipient_public_raw), info=info)


def open_sealed(blob: bytes, recipient: BoxKeyPair, info: bytes) -> bytes:
    """Open a sealed blob; :class:`SealBroken` if it was altered, sealed to another key
    or sealed with another ``info``."""
    if not isinstance(blob, bytes) or not SEAL_OVERHEAD <= len(blob) <= MAX_SEALED:
        raise SealBroken("sealed blob has an impossible size")
    try:
        return SUITE.decrypt(blob, recipient.private, info=info)
    except (InvalidTag, ValueError):
        raise SealBroken("sealed blob does not open with this key and context") from None


# --- signed documents -----------------------------------------------------------------


def sign_document(signer: SigningKeyPair, kind: str, doc: dict[str, Any]) -> bytes:
    """A msgpack map ``{"kind", "doc", "kid", "sig"}`` where ``sig`` covers the
    packed ``[kind, doc]`` bytes, so a document of one kind is never accepted as
    another."""
    body = msgpack.packb([kind, doc], use_bin_type=True)
    return msgpack.packb(
        {"body": body, "kid": signer.key_id, "sig": signer.sign(body)}, use_bin_type=True
    )


def open_document(blob: bytes, kind: str, trusted: dict[str, bytes]) -> dict[str, Any]:
    """Verify a signed document against ``trusted`` (key id -> Ed25519 public key)
    and return its map. Raises :class:`BadSignature` for an unknown signer, a bad
    signature, another kind, or a malformed blob."""
    if not isinstance(blob, bytes) or len(blob) > MAX_DOCUMENT:
        raise BadSignature("signed document missing or too large")
    try:
        outer = msgpack.unpackb(blob, raw=False, strict_map_key=True)
    except (ValueError, msgpack.UnpackException) as exc:
        raise BadSignature(f"signed document is not readable: {exc}") from None
    if not isinstance(outer, dict) or set(outer) != {"body", "kid", "sig"}:
        raise BadSignature("signed document has the wrong shape")
    body, kid, sig = outer["body"], outer["kid"], outer["sig"]
    if not isinstance(body, bytes) or not isinstance(kid, str):
        raise BadSignature("signed document has the wrong shape")
    public = trusted.get(kid)
    if public is None:
        raise BadSignature(f"signed by an unknown key {kid[:16]!r}")
    verify(public, sig, body)
    try:
        inner = msgpack.unpackb(body, raw=False, strict_map_key=True)
    except (ValueError, msgpack.UnpackException):
        raise BadSignature("signed body is not readable") from None
    if not isinstance(inner, list) or len(inner) != 2 or not isinstance(inner[1], dict):
        raise BadSignature("signed body has the wrong shape")
    if inner[0] != kind:
        raise BadSignature(f"expected a signed {kind!r}, got {str(inner[0])[:32]!r}")
    doc: dict[str, Any] = inner[1]
    return doc


# --- private keys at rest -------------------------------------------------------------


def wrap_secret(secret: bytes, wrapping_key: bytes, aad: bytes) -> bytes:
    """AES-256-GCM: ``nonce | ciphertext+tag``."""
    nonce = os.urandom(12)
    return nonce + AESGCM(wrapping_key).encrypt(nonce, secret, aad)


def unwrap_secret(blob: bytes, wrapping_key: bytes, aad: bytes) -> bytes:
    if not isinstance(blob, bytes) or len(blob) < 12 + 16:
        raise SealBroken("wrapped key is too short")
    try:
        return AESGCM(wrapping_key).decrypt(blob[:12], blob[12:], aad)
    except InvalidTag:
        raise SealBroken("wrapped key does not open with this key") from None


def wrap_with_passphrase(
    secret: bytes, passphrase: str, purpose: str, params: KdfParams | None = None
) -> dict[str, Any]:
    """A JSON-able dict holding ``secret`` wrapped under an Argon2id key of ``passphrase``."""
    params = params or KdfParams.new()
    kek = derive_key(normalize(passphrase), params)
    blob = wrap_secret(secret, kek, purpose.encode())
    return {"format": 1, "purpose": purpose, "kdf": params.to_dict(), "wrapped": blob.hex()}


def unwrap_with_passphrase(data: Any, passphrase: str, purpose: str) -> bytes:
    """Inverse of :func:`wrap_with_passphrase`. A wrong passphrase raises
    :class:`SealBroken` (the caller says "wrong passphrase")."""
    if not isinstance(data, dict) or data.get("format") != 1 or data.get("purpose") != purpose:
        raise SealBroken(f"not a wrapped {purpose} key")
    params = KdfParams.from_dict(data.get("kdf"))
    try:
        blob = bytes.fromhex(str(data.get("wrapped", "")))
    except ValueError:
        raise SealBroken("wrapped key is not hex") from None
    return unwrap_secret(blob, derive_key(normalize(passphrase), params), purpose.encode())

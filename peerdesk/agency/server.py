"""What the agency does for each request, without HTTP: enrollment and sync.

:mod:`peerdesk.agency.app` is a thin FastAPI layer over :class:`AgencyServer`
that maps the errors raised here to status codes (see the sync contract).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from peerdesk.agency import metrics
from peerdesk.agency.errors import (
    BadEnrollmentCode,
    DeviceExists,
    DeviceIsRevoked,
    NotInitialised,
    Unauthorized,
)
from peerdesk.agency.models import (
    DEVICE_ROLE,
    RECOVERY,
    REVIEW,
    AgencyKeyInfo,
    AuditEntry,
    Device,
    NewDevice,
)
from peerdesk.agency.storage import STALE_IN_FLIGHT, Storage
from peerdesk.crypto.seal import SEAL_OVERHEAD, seal, verify
from peerdesk.errors import SealBroken, ValidationError
from peerdesk.ids import from_iso, now_utc, to_iso
from peerdesk.wire.batching import LONE_KINDS
from peerdesk.wire.fields import HEX64_PATTERN
from peerdesk.wire.protocol import (
    DICTIONARIES,
    MAX_RECORD_BYTES,
    MAX_REQUEST_BYTES,
    PROTOCOL_VERSION,
    RECORD_KINDS,
    Record,
    Reject,
    decode_batch,
)
from peerdesk.wire.segments import Segment

log = logging.getLogger("peerdesk.agency")

Clock = Callable[[], datetime]

# --- enrollment codes -----------------------------------------------------------------

#: Crockford base32: 10 characters = 50 bits, shown as two groups of five
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_CHARS = 10
_CODE_READ = str.maketrans({"I": "1", "L": "1", "O": "0"})
DEFAULT_CODE_VALIDITY = timedelta(hours=72)
MAX_CODE_VALIDITY = timedelta(days=30)


def new_enrollment_code() -> str:
    text = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_CHARS))
    return f"{text[:5]}-{text[5:]}"


def normalize_code(code: str) -> str:
    """The code as typed, without spaces or dashes, upper case, I/L read as 1 and O as 0."""
    return "".join(ch for ch in code.upper() if ch not in " -\t").translate(_CODE_READ)


def hash_code(code: str) -> bytes:
    """The unkeyed hash codes were stored with before keyed hashes (migration 0005):
    still matched, for rows of that kind only, until they expire."""
    return hashlib.sha256(b"peerdesk-enroll|" + normalize_code(code).encode()).digest()


def keyed_code_hash(code: str, key: bytes) -> bytes:
    """HMAC-SHA256 of the normalised code with the agency's code key
    (:func:`peerdesk.agency.files.load_code_key`): what the database keeps."""
    return hmac.new(key, b"peerdesk-enroll|" + normalize_code(code).encode(), "sha256").digest()


def issue_enrollment_code(
    storage: Storage,
    now: datetime,
    valid_for: timedelta = DEFAULT_CODE_VALIDITY,
    *,
    key: bytes,
    team: str = "",
    role: str = DEVICE_ROLE,
    name: str = "",
    audit: AuditEntry | None = None,
) -> tuple[str, str]:
    """Make a one-time code (a device code, or with ``role="supervisor"`` a
    supervisor invite) for ``team``; store only its hash keyed with ``key``.
    Returns (code, expires_at ISO)."""
    if not timedelta(minutes=1) <= valid_for <= MAX_CODE_VALIDITY:
        raise ValidationError(
            "an enrollment code must be valid for between 1 minute and 30 days",
            field="expires_hours",
        )
    code = new_enrollment_code()
    expires_at = to_iso(now + valid_for)
    storage.codes.add(
        keyed_code_hash(code, key),
        created_at=to_iso(now),
        expires_at=expires_at,
        role=role,
        team=check_team(team, allow_none=role == DEVICE_ROLE),
        name=name,
        audit=audit,
    )
    return code, expires_at


def hash_credential(credential: str) -> bytes:
    return hashlib.sha256(credential.encode()).digest()


def check_code(value: Any) -> str:
    """A one-time code as sent (1-64 characters; whether it is valid, the storage says)."""
    if not isinstance(value, str) or not 1 <= len(value) <= 64:
        raise ValidationError("code must be 1-64 characters", field="code")
    return value


def signed_bundle(storage: Storage) -> bytes:
    """The newest signed key bundle; :class:`NotInitialised` if the agency has none."""
    blob = storage.keys.latest_bundle()
    if blob is None:
        raise NotInitialised("the agency has no signed key bundle")
    return blob


# --- input checks ---------------------------------------------------------------------

_HEX64 = re.compile(HEX64_PATTERN)
#: the whole header value (``fullmatch``: a ``$`` would also match before a final
#: newline); ASCII only (with IGNORECASE alone, ``[A-Za-z]`` also matches the
#: Kelvin sign and the long s)
_BEARER = re.compile(r"Bearer ([A-Za-z0-9_\-]{20,200})", re.IGNORECASE | re.ASCII)
MAX_LABEL = 100
MAX_TEAM = 64


def bearer_token(authorization: str | Sequence[str] | None) -> str | None:
    """The credential of the ``Authorization: Bearer <credential>`` header, or None
    if it is missing or malformed. ``authorization`` is the header's value, or
    every value the request carried (``request.headers.getlist``): more than one
    Authorization header is malformed (the field is not a list, RFC 9110 §11.6.2),
    even when one of them, or each, holds a valid credential. Nothing around the
    credential is tolerated: another scheme, a second part, extra or missing
    spaces, a trailing newline, a character outside the URL-safe alphabet."""
    if authorization is not None and not isinstance(authorization, str):
        values = list(authorization)
        authorization = values[0] if len(values) == 1 else None
    match = _BEARER.fullmatch(authorization or "")
    return match[1] if match else None


def check_device_id(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 36:
        raise ValidationError("device_id must be a UUID such as 0190...-...", field="device_id")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValidationError("device_id must be a UUID", field="device_id") from None


def check_label(value: Any, what: str = "label") -> str:
    """A short display text (a device label, a person's name): 1-100 characters
    after trimming, no control characters."""
    if not isinstance(value, str):
        raise ValidationError(f"{what} must be text", field=what)
    label = value.strip()
    if not 1 <= len(label) <= MAX_LABEL:
        raise ValidationError(f"{what} must be 1-{MAX_LABEL} characters", field=what)
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in label):
        raise ValidationError(f"{what} must not contain control characters", field=what)
    return label


def check_team(value: Any, *, allow_none: bool = True) -> str:
    """A team name: 1-64 characters without control characters; "" (no team) only
    if ``allow_none`` (a device may have no team, a supervisor may not)."""
    if not isinstance(value, str):
        raise ValidationError("team must be text", field="team")
    team = value.strip()
    if not team:
        if allow_none:
            return ""
        raise ValidationError("a supervisor needs a team (--team)", field="team")
    if len(team) > MAX_TEAM:
        raise ValidationError(f"team must be at most {MAX_TEAM} characters", field="team")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in team):
        raise ValidationError("team must not contain control characters", field="team")
    return team


def check_public_key(value: Any, what: str) -> bytes:
    if not isinstance(value, str) or not _HEX64.match(value):
        raise ValidationError(f"{what} must be 64 hexadecimal characters", field=what)
    raw = bytes.fromhex(value)
    try:
        if what == "sign_pub":
            Ed25519PublicKey.from_public_bytes(raw)
        else:
            # a low-order X25519 point would make every seal to it fail later
            seal(b"", raw, b"peerdesk/v1/enroll-check")
    except (ValueError, SealBroken):
        raise ValidationError(f"{what} is not a usable public key", field=what) from None
    return raw


# --- per-record policy ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordPolicy:
    """Which records the agency accepts, given its keys at ``now``."""

    keys: dict[str, AgencyKeyInfo]
    expired: frozenset[str]  # key ids past their not_after

    @classmethod
    def from_keys(cls, keys: Sequence[AgencyKeyInfo], now: datetime) -> RecordPolicy:
        expired = frozenset(k.key_id for k in keys if k.not_after and from_iso(k.not_after) <= now)
        return cls({k.key_id: k for k in keys}, expired)

    def check_segment(self, seg: Segment) -> tuple[str, str] | None:
        """Why every record of a segment is refused (code, reason), or None."""
        if seg.kind in LONE_KINDS:
            return "bad_kind", f"{seg.kind} records travel alone, not in a segment"
        if len(seg.sealed) > MAX_REQUEST_BYTES:
            return "too_large", f"sealed segment is {len(seg.sealed)} bytes"
        probe = Record(str(uuid.UUID(int=0)), seg.kind, str(uuid.UUID(int=0)), seg.key_id,
                       seg.dictionary, seg.sealed[:MAX_RECORD_BYTES])  # fmt: skip
        problem = self.check(probe)
        return (problem.code, problem.reason) if problem else None

    def check(self, rec: Record) -> Reject | None:
        if rec.kind not in RECORD_KINDS:
            return Reject(rec.op_id, "bad_kind", f"unknown record kind {rec.kind[:32]!r}")
        if len(rec.sealed) > MAX_RECORD_BYTES:
            return Reject(
                rec.op_id,
                "too_large",
                f"sealed record is {len(rec.sealed)} bytes; the limit is {MAX_RECORD_BYTES}",
            )
        if len(rec.sealed) < SEAL_OVERHEAD:
            return Reject(rec.op_id, "malformed", "sealed record is too short to be a seal")
        if rec.dictionary and rec.dictionary not in DICTIONARIES:
            return Reject(
                rec.op_id, "malformed", f"unknown compression dictionary {rec.dictionary[:32]!r}"
            )
        purpose = RECOVERY if rec.kind == "escrow" else REVIEW
        key = self.keys.get(rec.key_id)
        if key is None or key.purpose != purpose:
            return Reject(
                rec.op_id,
                "unknown_key",
                f"sealed to {rec.key_id[:64]!r}, which is not an agency {purpose} key; "
                "fetch the current key bundle and seal again",
            )
        if key.key_id in self.expired:
            return Reject(
                rec.op_id,
                "expired_key",
                f"sealed to {purpose} key {key.key_id} which expired at {key.not_after}; "
                "fetch the current key bundle and seal again",
            )
        return None


# --- the server -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Enrolled:
    device_id: str
    credential: str = field(repr=False)
    bundle: bytes = field(repr=False)


class AgencyServer:
    """Enrollment and sync over a :class:`Storage`. Thread-safe (no state of its
    own beyond the storage), so one instance serves every request. ``code_key``
    keys the hash of enrollment codes (see :func:`keyed_code_hash`)."""

    def __init__(
        self,
        storage: Storage,
        *,
        name: str,
        code_key: bytes,
        clock: Clock = now_utc,
        stale_after: timedelta = STALE_IN_FLIGHT,
    ) -> None:
        self.storage = storage
        self.name = name
        self.code_key = code_key
        self.clock = clock
        self.stale_after = stale_after

    def ping(self) -> dict[str, Any]:
        return {"ok": True, "protocol": PROTOCOL_VERSION, "agency": self.name}

    def bundle(self) -> bytes:
        return signed_bundle(self.storage)

    def enroll(
        self, *, code: Any, device_id: Any, label: Any, sign_pub: Any, box_pub: Any
    ) -> Enrolled:
        """Use a one-time code to register a device's public keys; returns the bearer
        credential (only its hash is kept) and the signed key bundle."""
        code = check_code(code)
        device = NewDevice(
            device_id=check_device_id(device_id),
            label=check_label(label),
            sign_pub=check_public_key(sign_pub, "sign_pub"),
            box_pub=check_public_key(box_pub, "box_pub"),
        )
        bundle = self.bundle()  # before the code is used: a server without keys keeps it
        credential = secrets.token_urlsafe(32)
        try:
            self.storage.devices.enroll(
                keyed_code_hash(code, self.code_key),
                device,
                hash_credential(credential),
                self.clock(),
                legacy_hash=hash_code(code),
            )
        except BadEnrollmentCode:
            metrics.count_enrollment("bad_code")
            raise
        except DeviceExists:
            metrics.count_enrollment("device_exists")
            raise
        except Exception:
            metrics.count_enrollment("other")
            raise
        metrics.count_enrollment("enrolled")
        log.info("enrolled device %s", device.device_id)
        return Enrolled(device.device_id, credential, bundle)

    def authenticate(self, authorization: str | Sequence[str] | None) -> Device:
        """The device whose credential the Authorization header(s) carry, revoked or
        not; :class:`Unauthorized` if none. The sync route calls this before it
        reads a body, so a request without a device's credential costs no body."""
        token = bearer_token(authorization)
        device = self.storage.devices.by_credential(hash_credential(token)) if token else None
        if device is None:
            raise Unauthorized("the credential is missing, malformed, unknown or not this device's")
        return device

    def sync(
        self,
        raw: bytes,
        authorization: str | Sequence[str] | None,
        *,
        device: Device | None = None,
    ) -> bytes:
        """Process one ``POST /v1/sync`` body; returns the encoded response.
        ``authorization``: the Authorization header's value, or all of its values
        (see :func:`bearer_token`); ``device``: what :meth:`authenticate` found
        for it, if it was called already.

        Raises ProtocolError (malformed), Unauthorized, DeviceIsRevoked,
        BadSignature, IdempotencyMismatch or BatchInFlight."""
        if device is None:
            device = self.authenticate(authorization)
        signed = decode_batch(raw)
        batch = signed.batch
        if device.device_id != batch.device_id:
            raise Unauthorized("the credential is missing, malformed, unknown or not this device's")
        if device.revoked:
            log.info("revoked device %s made contact; wipe order returned", device.device_id)
            raise DeviceIsRevoked(device.device_id, device.wipe_order)
        verify(device.sign_pub, signed.signature, signed.body)
        now = self.clock()
        claim = self.storage.sync.claim_batch(
            device.device_id, batch.batch_id, hashlib.sha256(raw).digest(), now, self.stale_after
        )
        if claim.replay is not None:
            log.info("batch %s of device %s replayed", batch.batch_id, device.device_id)
            metrics.SYNC_BATCHES.labels(result="replayed").inc()
            return claim.replay
        assert claim.token is not None
        try:
            policy = RecordPolicy.from_keys(self.storage.keys.all(), now)
            response = self.storage.sync.ingest(
                device_id=device.device_id,
                batch_id=batch.batch_id,
                token=claim.token,
                records_in=batch.records,
                cursor=batch.cursor,
                now=now,
                check=policy.check,
                segments_in=batch.segments,
                check_segment=policy.check_segment,
            )
        except Exception:
            try:
                self.storage.sync.release_batch(device.device_id, batch.batch_id, claim.token)
            except Exception:  # noqa: BLE001 - the first error is the one to report
                log.warning("could not release batch %s after a failure", batch.batch_id)
            raise
        metrics.SYNC_BATCHES.labels(result="stored").inc()
        metrics.SYNC_RECORDS.inc(len(batch.records))
        log.info(
            "batch %s of device %s: %d record(s)",
            batch.batch_id,
            device.device_id,
            len(batch.records) + sum(seg.count for seg in batch.segments),
        )
        return response

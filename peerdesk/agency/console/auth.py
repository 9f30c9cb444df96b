"""Console accounts: passwords (Argon2id), the TOTP second factor, the lockout,
and signing in.

* A password is kept as an Argon2id record (salt, parameters and the hash as JSON,
  :func:`hash_password`), never below the floor of the laptop's vault
  (m=64 MiB, t=3, p=4: :class:`peerdesk.crypto.kdf.KdfParams`).
* The second factor is TOTP (RFC 6238, 30 s steps, 6 digits; pyotp): a code of
  this step or the one before or after is accepted, and only once: the step used
  is stored and a code of that step or an earlier one is refused (a code seen over
  a shoulder or replayed from a log is useless).
* :data:`MAX_FAILURES` sign-in attempts without a success from one client address
  (an IPv6 address by its /64) lock that address out of that account for
  :data:`LOCK_FOR`. Each attempt is counted before its password is hashed (one
  conditional UPDATE), so parallel guesses cannot get past the limit. Failures
  from other addresses do not lock the admin's own address out; a lock always
  ends by itself, and ``peerdesk-agency admin unlock NAME`` lifts it at once.
  The counts live in the database: every API worker sees them.
* An unknown or removed name costs the same Argon2id work as a wrong password, and
  every refusal says the same words.
"""

from __future__ import annotations

import functools
import hmac
import json
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp

from peerdesk.agency.models import ADMIN, CONSOLE_ROLES, AuditEntry, ConsoleAccount
from peerdesk.agency.ratelimit import address_bucket
from peerdesk.agency.storage import Storage
from peerdesk.crypto.kdf import KdfParams, derive_key
from peerdesk.errors import CorruptData, ValidationError

#: failed sign-ins in a row that lock an account, and for how long
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
#: TOTP: 30-second steps; one step of clock drift either way is accepted
TOTP_STEP_S = 30
TOTP_DRIFT_STEPS = 1
MIN_PASSWORD = 12
MAX_PASSWORD = 1024
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
#: sign-in attempts one client address may make per window (every worker counts
#: together: the rate_limits table), and the window
ATTEMPTS_PER_ADDRESS = 30
ATTEMPT_WINDOW_S = 15 * 60
#: Argon2id checks (64 MiB each) one worker runs at once: a flood of sign-ins
#: queues here instead of taking the server's memory
_HASHING = threading.BoundedSemaphore(2)
#: what every refused sign-in answers (it does not say which part was wrong)
REFUSED = "Sign-in failed: wrong name, password or code, or the account is locked for a while."

Clock = Callable[[], datetime]


# --- passwords ------------------------------------------------------------------------


def _normal(password: str) -> bytes:
    return unicodedata.normalize("NFC", password).encode("utf-8")


def hash_password(password: str, params: KdfParams | None = None) -> str:
    """The Argon2id record of ``password`` (JSON text: salt, parameters, hash)."""
    params = params or KdfParams.new()
    digest = derive_key(_normal(password).decode("utf-8"), params)
    return json.dumps({**params.to_dict(), "hash": digest.hex()}, sort_keys=True)


def verify_password(password: str, record: str) -> bool:
    """Whether ``password`` matches the record (constant-time comparison)."""
    try:
        data = json.loads(record)
        expected = bytes.fromhex(data["hash"])
        params = KdfParams.from_dict(data)
    except (ValueError, KeyError, TypeError, CorruptData):
        return False
    if len(password) > MAX_PASSWORD:
        return False
    with _HASHING:
        derived = derive_key(_normal(password).decode("utf-8"), params)
    return hmac.compare_digest(derived, expected)


@functools.cache
def _dummy_record() -> str:
    """Checked against when the name is unknown, so such a refusal takes as long."""
    return hash_password("not anyone's password at all")


def check_new_password(password: str, username: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise ValidationError(
            f"a console password has {MIN_PASSWORD} to {MAX_PASSWORD} characters",
            field="password",
        )
    if username.lower() in password.lower():
        raise ValidationError("the password must not contain the account name", field="password")
    return password


def check_username(value: str) -> str:
    name = value.strip().lower()
    if not _USERNAME.fullmatch(name):
        raise ValidationError(
            "an account name is 1-64 of a-z, 0-9, '.', '_' and '-', starting with a letter "
            "or digit",
            field="username",
        )
    return name


def check_role(value: str) -> str:
    if value not in CONSOLE_ROLES:
        raise ValidationError("the role is admin or auditor", field="role")
    return value


# --- TOTP -----------------------------------------------------------------------------


def new_totp_secret() -> str:
    return pyotp.random_base32(32)


def totp_uri(secret: str, username: str, agency: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads (as text or a QR code)."""
    return pyotp.TOTP(secret, interval=TOTP_STEP_S).provisioning_uri(
        name=username, issuer_name=f"PeerDesk {agency}"[:60]
    )


def totp_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code ``code`` is (this one, or one either side), or None."""
    code = "".join(code.split())
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret, interval=TOTP_STEP_S)
    step = totp.timecode(now)
    for candidate in range(step - TOTP_DRIFT_STEPS, step + TOTP_DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


# --- accounts -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewAccount:
    """What ``admin add`` shows once: the secret and its ``otpauth://`` URI."""

    username: str
    role: str
    totp_secret: str
    totp_uri: str


def add_account(
    storage: Storage,
    *,
    username: str,
    role: str,
    password: str,
    agency: str,
    now: datetime,
    actor: str,
    params: KdfParams | None = None,
) -> NewAccount:
    """A new console account with a fresh TOTP secret; audited as ``console-account``."""
    username = check_username(username)
    role = check_role(role)
    check_new_password(password, username)
    secret = new_totp_secret()
    storage.admins.add(
        username,
        role,
        hash_password(password, params),
        secret,
        now,
        audit=AuditEntry(actor, "console-account", username, f"role {role}"),
    )
    return NewAccount(username, role, secret, totp_uri(secret, username, agency))


@dataclass(frozen=True, slots=True)
class SignIn:
    """The outcome of one sign-in: the account, or why not (for the audit log)."""

    account: ConsoleAccount | None
    reason: str  # "" when signed in; else unknown | locked | password | code | replay


def take_attempt(storage: Storage, address: str, now: datetime) -> bool:
    """Count one sign-in attempt of ``address`` (an IPv6 address by its /64, as
    enrollment counts); False when it is over :data:`ATTEMPTS_PER_ADDRESS` in this
    window (then nothing else is done)."""
    window = int(now.timestamp()) // ATTEMPT_WINDOW_S * ATTEMPT_WINDOW_S
    bucket = "console:" + address_bucket(address)
    return storage.limits.take({bucket: ATTEMPTS_PER_ADDRESS}, window) is None


def sign_in(
    storage: Storage, username: str, password: str, code: str, now: datetime, address: str = ""
) -> SignIn:
    """Check name, password and TOTP code from client ``address``. The attempt is
    counted against (account, address bucket) before the password is hashed, so
    parallel guesses cannot get past :data:`MAX_FAILURES`; a success clears that
    count. Never raises for a wrong input: :attr:`SignIn.reason` says what."""
    if len(password) > MAX_PASSWORD:
        # refused before any lookup, the same way for every name (no timing hint)
        return SignIn(None, "too long")
    name = username.strip().lower()[:64]
    account = storage.admins.get(name) if _USERNAME.fullmatch(name) else None
    if account is None or account.removed_at is not None:
        verify_password(password, _dummy_record())
        return SignIn(None, "unknown")
    bucket = address_bucket(address)
    if not storage.admins.reserve(
        account.username, bucket, now, max_failures=MAX_FAILURES, lock_until=now + LOCK_FOR
    ):
        verify_password(password, _dummy_record())
        return SignIn(None, "locked")
    if not verify_password(password, account.password):
        return _failed(storage, account, bucket, now, "password")
    step = totp_step(account.totp_secret, code, now)
    if step is None:
        return _failed(storage, account, bucket, now, "code")
    # re-checked in the same UPDATE: the account was not removed or reset meanwhile
    if not storage.admins.succeeded(account.username, step, password=account.password):
        return _failed(storage, account, bucket, now, "replay")
    storage.admins.cleared(account.username, bucket)
    return SignIn(account, "")


def _failed(
    storage: Storage, account: ConsoleAccount, bucket: str, now: datetime, reason: str
) -> SignIn:
    """The failure was counted when the attempt was reserved; say whether it locked."""
    locked = storage.admins.locked(account.username, bucket, now)
    return SignIn(None, f"{reason}, now locked" if locked else reason)


def may_change(role: str) -> bool:
    return role == ADMIN

"""Errors of the agency server, as subclasses of the one tree in :mod:`peerdesk.errors`.

The HTTP layer (:mod:`peerdesk.agency.app`) maps each class to one status code and
short code; the CLI prints the message. Messages never carry a credential, a
key, a passphrase or a record payload.

    PeerDeskError
    ├── StorageError
    │   └── SchemaMismatch          .current .head  (database behind or ahead of the code)
    ├── ValidationError
    │   ├── BadEnrollmentCode       -> 403 bad_code (unknown, expired or used: one message)
    │   ├── DeviceExists            -> 409 device_exists
    │   └── IdempotencyMismatch     -> 422 idempotency_mismatch
    ├── ConfigError
    │   └── NotInitialised          (no agency keys yet: run ``peerdesk-agency init``)
    ├── IntegrityError
    │   ├── Unauthorized            -> 401 unauthorized (credential unknown or not this device's)
    │   └── DeviceIsRevoked         -> 403 revoked, .wipe (the signed wipe order)
    └── BatchInFlight               -> 409 in_flight (the same batch is being processed)
"""

from __future__ import annotations

from collections.abc import Sequence

from peerdesk.errors import (
    ConfigError,
    IntegrityError,
    PeerDeskError,
    StorageError,
    ValidationError,
)


class SchemaMismatch(StorageError):
    """Raised at start-up when the database schema is not the one this code was
    written for: behind (run ``peerdesk-agency migrate``) or ahead (the database
    was migrated by a newer peerdesk-agency; update this one). Nothing was changed."""

    def __init__(self, current: Sequence[str], head: Sequence[str], message: str) -> None:
        self.current = tuple(current)
        self.head = tuple(head)
        super().__init__(message)


class BadEnrollmentCode(ValidationError):
    """Raised by enrollment when the code is unknown, expired or already used. One
    message for all three, so the answer tells a guesser nothing."""

    def __init__(self) -> None:
        super().__init__(
            "this enrollment code is not valid (unknown, expired or already used); "
            "ask the agency IT staff for a new one",
            field="code",
        )


class DeviceExists(ValidationError):
    """Raised by enrollment when a device with this id is already enrolled."""

    def __init__(self, device_id: str) -> None:
        self.device_id = device_id
        super().__init__(f"a device with id {device_id} is already enrolled", field="device_id")


class IdempotencyMismatch(ValidationError):
    """Raised when a batch id that was already used arrives with a different body."""

    def __init__(self, batch_id: str) -> None:
        self.batch_id = batch_id
        super().__init__(
            f"batch {batch_id} was already sent with different contents; "
            "a new batch needs a new batch id",
            field="bid",
        )


class NotInitialised(ConfigError):
    """Raised when the agency has no keys (or no signed key bundle) yet."""

    def __init__(self, what: str = "the agency has no keys yet") -> None:
        super().__init__(f"{what}: run `peerdesk-agency init` first")


class Unauthorized(IntegrityError):
    """Raised when a sync request's credential is missing, unknown, or belongs to
    another device than the one the batch names."""


class DeviceIsRevoked(IntegrityError):
    """Raised when a revoked device contacts the agency; ``wipe`` is the signed wipe
    order the device must carry out."""

    def __init__(self, device_id: str, wipe: bytes | None) -> None:
        self.device_id = device_id
        self.wipe = wipe
        super().__init__("this device was revoked by the agency; it must erase its data")


class BatchInFlight(PeerDeskError):
    """Raised when a batch with the same id is being processed right now (another
    request of the same device still running). Retrying a little later is right."""

    def __init__(self, batch_id: str) -> None:
        self.batch_id = batch_id
        super().__init__(f"batch {batch_id} is still being processed; retry shortly")

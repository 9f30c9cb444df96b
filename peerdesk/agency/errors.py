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
    │   ├── SupervisorExists        -> 409 supervisor_exists
    │   └── IdempotencyMismatch     -> 422 idempotency_mismatch
    ├── ConfigError
    │   └── NotInitialised          (no agency keys yet: run ``peerdesk-agency init``)
    ├── IntegrityError
    │   ├── Unauthorized            -> 401 unauthorized (credential unknown or not this
    │   │                              device's; a device credential on a review route)
    │   ├── DeviceIsRevoked         -> 403 revoked, .wipe (the signed wipe order)
    │   └── SupervisorRemoved       -> 403 removed (IT removed this supervisor)
    ├── BatchInFlight               -> 409 in_flight (the same batch is being processed)
    └── DecisionConflict            .code .device_id .note_id (nothing was recorded)
        ├── NoteChangedSinceRead    -> 409 note_changed (an addendum or resubmission came)
        └── AlreadyDecided          -> 409 already_decided (approved, or returned and not
                                       resubmitted since)

(``peerdesk.errors.NotFound`` -> 404 not_found: a note or device outside the
supervisor's team is "not found", never "forbidden".)
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


class SupervisorExists(ValidationError):
    """Raised by supervisor enrollment when the supervisor id is already enrolled."""

    def __init__(self, supervisor_id: str) -> None:
        self.supervisor_id = supervisor_id
        super().__init__(
            f"a supervisor with id {supervisor_id} is already enrolled", field="supervisor_id"
        )


class SupervisorRemoved(IntegrityError):
    """Raised when a supervisor whom IT removed uses their credential."""

    def __init__(self, supervisor_id: str) -> None:
        self.supervisor_id = supervisor_id
        super().__init__(
            "this supervisor was removed by the agency IT staff; review access has ended"
        )


class DecisionConflict(PeerDeskError):
    """A review decision that cannot be recorded as asked; nothing was recorded or
    sent. ``code`` is the short code of the HTTP answer (409)."""

    code = "conflict"

    def __init__(self, device_id: str, note_id: str, message: str) -> None:
        self.device_id = device_id
        self.note_id = note_id
        super().__init__(message)


class NoteChangedSinceRead(DecisionConflict):
    """Raised when the note got an addendum or a resubmission after the supervisor
    opened it (their ``seen_seq`` is older than the note's last record)."""

    code = "note_changed"

    def __init__(self, device_id: str, note_id: str, seen_seq: int, last_seq: int) -> None:
        self.seen_seq = seen_seq
        self.last_seq = last_seq
        super().__init__(
            device_id,
            note_id,
            f"note {note_id} changed after you opened it (you saw up to record {seen_seq}, "
            f"it now goes to record {last_seq}): an addendum or resubmission arrived after "
            "you opened this note; open it again",
        )


class AlreadyDecided(DecisionConflict):
    """Raised when the note is approved, or returned and not resubmitted since (by
    this supervisor or another one)."""

    code = "already_decided"

    def __init__(self, device_id: str, note_id: str, state: str) -> None:
        self.state = state
        why = (
            "it is approved"
            if state == "approved"
            else "it was returned and the peer has not resubmitted it since"
        )
        super().__init__(
            device_id, note_id, f"note {note_id} was already decided: {why}; nothing was sent"
        )

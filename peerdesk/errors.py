"""The one exception tree of PeerDesk.

Every error the core raises on purpose is a subclass of :class:`PeerDeskError`,
so the UI and the CLI can map each class to one sentence a person understands and
never show a traceback for an expected failure. Errors carry their context as
attributes (record ids, attempts left, file paths), never a passphrase, a key or
the plaintext of a sensitive field.

    PeerDeskError
    ├── VaultError
    │   ├── WrongPassphrase            .attempts_left
    │   ├── TooManyAttempts            .retry_after_s
    │   ├── ProfileWiped
    │   ├── VaultLocked
    │   └── PassphrasePolicyError      .problems
    ├── StorageError
    │   ├── CorruptData                .table .record_id .field
    │   ├── SchemaTooNew               .unknown_migrations
    │   ├── StorageUnavailable         (disk full, read-only, locked)
    │   ├── AuditChainBroken           .seq
    │   ├── NotFound                   .kind .record_id
    │   └── ExportError                .path .reason (no file was left behind)
    ├── ProfileError
    │   ├── ProfileExists
    │   ├── ProfileNotFound
    │   └── WrongRole                  .role .needed (a peer action on a supervisor profile...)
    ├── ValidationError                .field
    │   ├── InvalidTransition          .state .action
    │   ├── ConsentRequired            .state .recipient (no current consent to share)
    │   └── DirectoryDataError         .source .record .field (HSDS file or directory update)
    ├── ConfigError                    .path
    ├── IntegrityError
    │   ├── BadSignature               (signature missing, wrong or by an unknown key)
    │   ├── SealBroken                 (HPKE blob or wrapped key does not open)
    │   └── ProtocolError              .reason (malformed or oversized wire data)
    └── SyncError
        ├── AgencyUnreachable          .cause (no route, timeout, TLS failure, 5xx)
        ├── AgencyRejected             .status .code (4xx: the agency refused the request)
        ├── NotEnrolled
        ├── DeviceRevoked              (the agency revoked this laptop; a wipe follows)
        └── NoteChanged                .code .device_id .note_id (a review decision refused: 409)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

# --- messages for people --------------------------------------------------------------

_PLURAL_S = re.compile(r"(\w+)\(s\)")


#: English plurals that are not the word and an "s"
_IRREGULAR = {"addendum": "addenda"}


def english_plural(text: str, n: int) -> str:
    """``"3 attempt(s)"`` -> ``"3 attempts"``, ``"1 attempt(s)"`` -> ``"1 attempt"``
    (and ``"2 addendum(s)"`` -> ``"2 addenda"``)."""

    def word(match: re.Match[str]) -> str:
        one = match.group(1)
        return one if n == 1 else _IRREGULAR.get(one, one + "s")

    return _PLURAL_S.sub(word, text)


class Msg(str):
    """A sentence the core writes for a person, kept translatable.

    ``Msg("{what} is longer than {limit} characters", what=Msg("the name"), limit=64)``
    is the English sentence itself (a ``str``: logs, the CLI and ``str(exc)`` read
    English), and it keeps its ``template`` and ``params`` so the desktop UI can look
    the template up in the Spanish catalogue (context ``"core"``) and fill in the
    params, translating those that are themselves :class:`Msg`. ``n`` makes it a
    plural message: ``%n`` is the count and ``word(s)`` takes the English plural.

    The template must be a string literal at the call, so the catalogue tools can
    find it (``ui/i18n.py`` extracts every ``Msg("...")`` of the desktop core).
    Params are names, numbers and other Msgs; never a passphrase or a key.
    """

    template: str
    params: Mapping[str, Any]
    n: int | None

    def __new__(cls, template: str, /, *, n: int | None = None, **params: Any) -> Msg:
        text = template.replace("%n", str(n)) if n is not None else template
        if n is not None:
            text = english_plural(text, n)
        if params:
            text = text.format(**params)
        self = super().__new__(cls, text)
        self.template = template
        self.params = dict(params)
        self.n = n
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_msg, (self.template, self.n, dict(self.params)))


def _rebuild_msg(template: str, n: int | None, params: dict[str, Any]) -> Msg:
    # Msg.__new__ rather than Msg(): the catalogue tools take every Msg(...) call
    # for a sentence with a literal template
    return Msg.__new__(Msg, template, n=n, **params)


def message_of(exc: BaseException) -> Msg | None:
    """The :class:`Msg` an error was raised with, if any (its first argument)."""
    text = exc.args[0] if exc.args else None
    return text if isinstance(text, Msg) else None


class PeerDeskError(Exception):
    """Root of every error PeerDesk raises on purpose."""


# --- vault / keys ---------------------------------------------------------------------


class VaultError(PeerDeskError):
    """A problem with the key vault of a profile."""


class WrongPassphrase(VaultError):
    """Raised by unlock, passphrase change and recovery when the passphrase does not
    open the vault (AES-GCM authentication of the wrapped DEK fails).

    ``attempts_left`` is how many more failures the policy allows before the
    profile is crypto-erased (``None`` when the policy sets no wipe threshold).
    """

    def __init__(self, attempts_left: int | None) -> None:
        self.attempts_left = attempts_left
        if attempts_left is None:
            msg = "wrong passphrase"
        else:
            msg = (
                f"wrong passphrase ({attempts_left} attempt(s) left before this profile is erased)"
            )
        super().__init__(msg)


class TooManyAttempts(VaultError):
    """Raised by unlock (and by recovery, ``what="recovery codes that did not open
    this profile"``) when recent failures put the profile in a cool-down period;
    nothing is tried until ``retry_after_s`` seconds have passed."""

    def __init__(self, retry_after_s: float, *, what: str = "wrong passphrases") -> None:
        self.retry_after_s = retry_after_s
        super().__init__(f"too many {what}; try again in {int(retry_after_s) + 1} s")


class ProfileWiped(VaultError):
    """Raised when the vault's keys were destroyed (too many failed attempts or a
    remote wipe order): the data in the profile can never be decrypted again."""


class VaultLocked(VaultError):
    """Raised when an operation needs the data key but the vault is locked (never
    unlocked, locked by the user, or auto-locked after idle time)."""


class PassphrasePolicyError(VaultError):
    """Raised when a new passphrase does not meet the policy (NIST SP 800-63B:
    length, blocklist, repetition). ``problems`` lists each reason in words."""

    def __init__(self, problems: Sequence[str]) -> None:
        #: each a :class:`Msg` in the desktop core, so the UI can translate it
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


# --- storage --------------------------------------------------------------------------


class StorageError(PeerDeskError):
    """A problem with the profile's database or files."""


class CorruptData(StorageError):
    """Raised when stored bytes fail to parse or authenticate: a tampered or
    truncated envelope, a ciphertext moved to another row or field, or an
    unreadable header. Names the place; other records stay readable."""

    def __init__(
        self,
        message: str,
        *,
        table: str | None = None,
        record_id: str | None = None,
        field: str | None = None,
    ) -> None:
        self.table = table
        self.record_id = record_id
        self.field = field
        where = ".".join(p for p in (table, record_id, field) if p)
        super().__init__(f"{message} ({where})" if where else message)


class SchemaTooNew(StorageError):
    """Raised when opening a database written by a newer PeerDesk: it has
    migrations this version does not know. The file is left untouched."""

    def __init__(self, unknown_migrations: Sequence[str]) -> None:
        self.unknown_migrations = list(unknown_migrations)
        super().__init__(
            "this profile was written by a newer version of PeerDesk "
            f"(unknown migrations: {', '.join(self.unknown_migrations)}); please update"
        )


class StorageUnavailable(StorageError):
    """Raised when the database cannot be written or read at all: disk full,
    read-only profile directory, or the file locked by another process. The
    transaction was rolled back; nothing partial was saved."""


class AuditChainBroken(StorageError):
    """Raised by audit verification when a row's HMAC or its link to the previous
    row does not match: the log was edited, truncated in the middle or corrupted.
    ``seq`` is the first bad row."""

    def __init__(self, seq: int, reason: str) -> None:
        self.seq = seq
        self.reason = reason
        super().__init__(f"audit log broken at row {seq}: {reason}")


class NotFound(StorageError):
    """Raised when a record asked for by id does not exist in this profile."""

    def __init__(self, kind: str, record_id: str) -> None:
        self.kind = kind
        self.record_id = record_id
        super().__init__(f"no {kind} with id {record_id}")


class ExportError(StorageError):
    """Raised when a report or export cannot be written to the chosen file: the
    folder does not exist, is not writable, the disk is full. ``path`` is the
    file asked for and ``reason`` says why in words. Nothing was left behind:
    neither a partial file nor a temporary one."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot export to {path}: {reason}; no file was written")


# --- profiles -------------------------------------------------------------------------


class ProfileError(PeerDeskError):
    """A problem with choosing or creating a profile directory."""


class ProfileExists(ProfileError):
    """Raised when creating a profile whose directory already holds a vault."""


class ProfileNotFound(ProfileError):
    """Raised when opening a profile that has no vault (never created, or the
    name is misspelled)."""


class WrongRole(ProfileError):
    """Raised when an action belongs to the other kind of profile: reviewing,
    pulling or supervisor enrollment on a peer profile, or writing notes and
    syncing them on a supervisor profile. ``role`` is the profile's role and
    ``needed`` the one the action needs ("peer" or "supervisor")."""

    def __init__(self, role: str, needed: str, action: str) -> None:
        self.role = role
        self.needed = needed
        self.action = action
        super().__init__(f"{action} needs a {needed} profile; this one is a {role} profile")


# --- input ----------------------------------------------------------------------------


class ValidationError(PeerDeskError):
    """Raised when user or file input is not acceptable; ``field`` names the input
    (for the UI to show the message next to it)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        #: a :class:`Msg` in the desktop core (the UI translates it)
        self.message = message
        super().__init__(message)


class InvalidTransition(ValidationError):
    """Raised when an action is not allowed in a record's current state, e.g.
    editing the body of a signed note or approving a draft."""

    def __init__(self, state: str, action: str) -> None:
        self.state = state
        self.action = action
        super().__init__(
            Msg("cannot {action} a note that is {state}", action=action, state=state),
            field="state",
        )


class ConsentRequired(ValidationError):
    """Raised when an action would share a participant's information with someone
    no current consent covers. ``state`` says why: ``"none"`` (no consent names
    the recipient), ``"expired"``, ``"revoked"`` or ``"not_yet"`` (the closest
    consent found); ``recipient`` is whom it would go to (not sensitive on its
    own: a directory service's public name)."""

    def __init__(self, state: str, recipient: str) -> None:
        self.state = state
        self.recipient = recipient
        why = {
            "none": Msg("there is no consent on file"),
            "expired": Msg("the consent on file has expired"),
            "revoked": Msg("the participant revoked the consent on file"),
            "not_yet": Msg("the consent on file is not in effect yet"),
        }.get(state, Msg("there is no current consent"))
        super().__init__(
            Msg(
                "cannot share this person's information with {recipient}: {why}",
                recipient=recipient,
                why=why,
            ),
            field="consent",
        )


class DirectoryDataError(ValidationError):
    """Raised when a resource directory file (HSDS JSON or CSV package) or a signed
    directory update is not acceptable: malformed, a wrong type, an unknown taxonomy
    term, an oversized field, a duplicate id, a reference to a record that does not
    exist, or an update made for another directory version. ``source`` names the file
    or update, ``record`` the row or record (``row 7``, ``services[3] (id 'x')``),
    ``field`` the field. Nothing was imported or changed."""

    def __init__(
        self,
        problem: str,
        *,
        source: str,
        record: str | None = None,
        field: str | None = None,
    ) -> None:
        self.source = source
        self.record = record
        self.problem = problem
        where = ", ".join(p for p in (source, record, f"field {field!r}" if field else None) if p)
        super().__init__(Msg("{where}: {problem}", where=where, problem=problem), field=field)


class ConfigError(PeerDeskError):
    """Raised when a provisioning or policy file is unreadable or invalid; ``path``
    names the file."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        #: a :class:`Msg` in the desktop core (the UI translates it)
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


# --- integrity of signed and sealed data ----------------------------------------------


class IntegrityError(PeerDeskError):
    """Data that must be authentic is not: a signature, seal or wire frame failed
    its check. Nothing was applied."""


class BadSignature(IntegrityError):
    """Raised when a signed batch, key bundle, wipe order or document has no valid
    signature by a key we trust (wrong key, altered bytes, unknown signer)."""


class SealBroken(IntegrityError):
    """Raised when an HPKE-sealed blob or a wrapped private key does not open:
    altered, addressed to another key, bound to another context, or (for
    passphrase-wrapped keys) a wrong passphrase."""


class ProtocolError(IntegrityError):
    """Raised when bytes from the network do not follow the sync protocol: not
    msgpack, wrong shape or types, unknown version, or over a size limit.
    ``reason`` says what was wrong, in words safe to show and to log."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


# --- sync -----------------------------------------------------------------------------


class SyncError(PeerDeskError):
    """A sync with the agency did not complete. Nothing acknowledged is lost and
    nothing unacknowledged is dropped: the next sync resumes."""


class AgencyUnreachable(SyncError):
    """Raised when the agency cannot be reached or answered with a server error:
    no network, DNS, timeout, connection cut, TLS failure, HTTP 5xx. ``cause``
    says which, in words. Retried with backoff."""

    def __init__(self, cause: str) -> None:
        self.cause = cause
        super().__init__(f"cannot reach the agency: {cause}")


class AgencyRejected(SyncError):
    """Raised when the agency refused a request (HTTP 4xx) for a reason retrying
    will not fix, e.g. a bad enrollment code. ``status`` is the HTTP status and
    ``code`` the agency's short machine-readable reason."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        self.status = status
        self.code = code
        self.detail = detail
        super().__init__(f"the agency refused the request ({status} {code}): {detail}")


class NotEnrolled(SyncError):
    """Raised when a sync is asked of a profile that was never enrolled with an agency."""


class DeviceRevoked(SyncError):
    """Raised when the agency says this laptop was revoked. If a valid signed wipe
    order came with it, the profile has already been crypto-erased."""


class NoteChanged(SyncError):
    """Raised when the agency refuses a supervisor's decision on a note (HTTP 409):
    ``code`` is ``note_changed`` (an addendum or a resubmission arrived after the
    note was opened: open it again and decide on what is there now) or
    ``already_decided`` (the note was approved, or returned and not resubmitted
    since, e.g. by another supervisor). Nothing was recorded or sent."""

    def __init__(self, code: str, device_id: str, note_id: str, detail: str = "") -> None:
        self.code = code
        self.device_id = device_id
        self.note_id = note_id
        self.detail = detail
        if code == "already_decided":
            msg = (
                f"note {note_id} was decided already (approved, or returned and not "
                "resubmitted since); open it again to see its state"
            )
        else:
            msg = (
                f"note {note_id} changed after you opened it (an addendum or a "
                "resubmission arrived); open it again and decide on what is there now"
            )
        super().__init__(msg)

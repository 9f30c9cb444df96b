"""One sentence a peer understands for every error the core raises on purpose.

:func:`message_for` maps each class of the tree in :mod:`peerdesk.errors` to a
translatable sentence (context ``"errors"``). The most specific registered class
wins, so a new subclass still gets its parent's sentence at run time; the tests
check that every class has a sentence of its own.

An exception from outside the tree gets a generic sentence: its text and its
repr are never shown, because they may quote user input or other sensitive text.
Each sentence is built only from the attributes the error tree documents as safe
(counts, seconds, record kinds, the messages the core writes for people).
"""

from __future__ import annotations

import math
import socket
import ssl
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication

from peerdesk.errors import (
    AgencyRejected,
    AgencyUnreachable,
    AuditChainBroken,
    BadSignature,
    ConfigError,
    ConsentRequired,
    CorruptData,
    DeviceRevoked,
    DirectoryDataError,
    ExportError,
    IntegrityError,
    InvalidTransition,
    NoteChanged,
    NotEnrolled,
    NotFound,
    PassphrasePolicyError,
    PeerDeskError,
    ProfileError,
    ProfileExists,
    ProfileNotFound,
    ProfileWiped,
    ProtocolError,
    SchemaTooNew,
    SealBroken,
    StorageError,
    StorageUnavailable,
    SyncError,
    TooManyAttempts,
    ValidationError,
    VaultError,
    VaultLocked,
    WrongPassphrase,
    WrongRole,
    message_of,
)
from ui.i18n import core_text, translate_n
from ui.network_words import agency_refusals, network_kind, network_problem, network_sentences

__all__ = [
    "agency_refusals",
    "describe_problem",
    "generic_message",
    "message_for",
    "network_kind",
    "network_problem",
    "registered_classes",
]

E = TypeVar("E", bound=PeerDeskError)
_Formatter = Callable[[Any], str]

_MESSAGES: dict[type, _Formatter] = {}


def _message(cls: type[E]) -> Callable[[Callable[[E], str]], Callable[[E], str]]:
    """Register the sentence for exactly ``cls``."""

    def register(fn: Callable[[E], str]) -> Callable[[E], str]:
        if cls in _MESSAGES:
            raise RuntimeError(f"two messages registered for {cls.__name__}")
        _MESSAGES[cls] = fn
        return fn

    return register


def _sentence(text: str) -> str:
    """A core message ("could not save: the disk is full") as a sentence."""
    text = " ".join(text.split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def generic_message() -> str:
    """The sentence for an error PeerDesk did not expect."""
    return QCoreApplication.translate(
        "errors",
        "Something unexpected went wrong; please try again, and tell your supervisor "
        "if it keeps happening.",
    )


def registered_classes() -> frozenset[type]:
    """The classes that have a sentence of their own (for the tests)."""
    return frozenset(_MESSAGES)


def message_for(exc: BaseException) -> str:
    """One translated sentence for ``exc``, safe to show to the person using
    PeerDesk. Never the exception's repr; for an exception from outside the
    PeerDesk tree, not even its text."""
    if isinstance(exc, PeerDeskError):
        for cls in type(exc).__mro__:
            formatter = _MESSAGES.get(cls)
            if formatter is None:
                continue
            try:
                return formatter(exc)
            except (AttributeError, TypeError, ValueError, KeyError, IndexError):
                # An error built without its usual attributes: fall back to the
                # generic sentence rather than fail while reporting a failure.
                break
    if isinstance(exc, OSError) and not isinstance(exc, PeerDeskError):
        return _os_error(exc)
    return generic_message()


# --- the root -------------------------------------------------------------------------


@_message(PeerDeskError)
def _peerdesk_error(exc: PeerDeskError) -> str:
    return QCoreApplication.translate(
        "errors", "PeerDesk could not finish this action; please try again."
    )


# --- vault / keys ---------------------------------------------------------------------


@_message(VaultError)
def _vault_error(exc: VaultError) -> str:
    return QCoreApplication.translate(
        "errors",
        "There is a problem with the passphrase protection of this profile; "
        "please tell your supervisor.",
    )


@_message(WrongPassphrase)
def _wrong_passphrase(exc: WrongPassphrase) -> str:
    if exc.attempts_left is None:
        return QCoreApplication.translate(
            "errors", "That passphrase is not right; please try again."
        )
    return translate_n(
        "errors",
        "That passphrase is not right; %n more wrong attempt(s) will erase this profile "
        "for safety.",
        None,
        max(int(exc.attempts_left), 0),
    )


@_message(TooManyAttempts)
def _too_many_attempts(exc: TooManyAttempts) -> str:
    seconds = max(math.ceil(float(exc.retry_after_s)), 1)
    return translate_n(
        "errors",
        "Too many wrong passphrases; please wait %n second(s) before you try again.",
        None,
        seconds,
    )


@_message(ProfileWiped)
def _profile_wiped(exc: ProfileWiped) -> str:
    return QCoreApplication.translate(
        "errors",
        "This profile was erased for safety and its records can no longer be opened; "
        "please tell your supervisor.",
    )


@_message(VaultLocked)
def _vault_locked(exc: VaultLocked) -> str:
    return QCoreApplication.translate(
        "errors", "PeerDesk is locked; please unlock it with your passphrase to go on."
    )


@_message(PassphrasePolicyError)
def _passphrase_policy(exc: PassphrasePolicyError) -> str:
    problems = "; ".join(core_text(p).strip().rstrip(".") for p in exc.problems if p.strip())
    if not problems:
        return QCoreApplication.translate(
            "errors", "Please choose a longer passphrase that is harder to guess."
        )
    return QCoreApplication.translate(
        "errors", "Please choose another passphrase: {problems}."
    ).format(problems=problems)


# --- storage --------------------------------------------------------------------------


@_message(StorageError)
def _storage_error(exc: StorageError) -> str:
    return QCoreApplication.translate(
        "errors", "PeerDesk could not read or save the records of this profile."
    )


@_message(CorruptData)
def _corrupt_data(exc: CorruptData) -> str:
    return QCoreApplication.translate(
        "errors",
        "Part of this record is damaged and cannot be read, but your other records are "
        "not affected; please tell your supervisor.",
    )


@_message(SchemaTooNew)
def _schema_too_new(exc: SchemaTooNew) -> str:
    return QCoreApplication.translate(
        "errors",
        "This profile was saved by a newer version of PeerDesk; please update PeerDesk "
        "to open it (nothing in the profile was changed).",
    )


@_message(StorageUnavailable)
def _storage_unavailable(exc: StorageUnavailable) -> str:
    reason = _sentence(core_text(message_of(exc) or str(exc)))
    if not reason:
        return QCoreApplication.translate(
            "errors",
            "PeerDesk cannot read or save your records right now; nothing was half-saved.",
        )
    return reason


@_message(AuditChainBroken)
def _audit_chain_broken(exc: AuditChainBroken) -> str:
    return QCoreApplication.translate(
        "errors",
        "The activity log of this profile was changed or damaged from entry {seq} on; "
        "please tell your supervisor.",
    ).format(seq=int(exc.seq))


@_message(NotFound)
def _not_found(exc: NotFound) -> str:
    kinds = {
        "participant": QCoreApplication.translate("errors", "This participant"),
        "note": QCoreApplication.translate("errors", "This note"),
        "trip": QCoreApplication.translate("errors", "This trip"),
    }
    what = kinds.get(exc.kind, QCoreApplication.translate("errors", "This record"))
    return QCoreApplication.translate(
        "errors", "{what} could not be found; it may have been deleted."
    ).format(what=what)


@_message(ExportError)
def _export_error(exc: ExportError) -> str:
    reason = " ".join(core_text(exc.reason).split()).rstrip(".")
    return QCoreApplication.translate(
        "errors", "The file {path} was not written ({reason}); no file was left behind."
    ).format(path=exc.path, reason=reason)


# --- profiles -------------------------------------------------------------------------


@_message(ProfileError)
def _profile_error(exc: ProfileError) -> str:
    return QCoreApplication.translate("errors", "This profile cannot be used right now.")


@_message(ProfileExists)
def _profile_exists(exc: ProfileExists) -> str:
    return QCoreApplication.translate(
        "errors", "A profile with this name already exists; please choose another name."
    )


@_message(ProfileNotFound)
def _profile_not_found(exc: ProfileNotFound) -> str:
    return QCoreApplication.translate(
        "errors", "There is no profile with this name on this computer."
    )


@_message(WrongRole)
def _wrong_role(exc: WrongRole) -> str:
    if exc.needed == "supervisor":
        return QCoreApplication.translate(
            "errors", "Only a supervisor profile can do this; this is a peer profile."
        )
    return QCoreApplication.translate(
        "errors", "Only a peer profile can do this; this is a supervisor profile."
    )


# --- input ----------------------------------------------------------------------------


@_message(ValidationError)
def _validation_error(exc: ValidationError) -> str:
    # The core writes these messages for people ("a profile name has 1-64 letters ...")
    # as Msgs, translated here.
    return _sentence(core_text(exc.message)) or QCoreApplication.translate(
        "errors", "Please check what you entered."
    )


@_message(InvalidTransition)
def _invalid_transition(exc: InvalidTransition) -> str:
    actions = {
        "edit": QCoreApplication.translate("errors", "edit"),
        "discard": QCoreApplication.translate("errors", "discard"),
        "sign": QCoreApplication.translate("errors", "sign"),
        "submit": QCoreApplication.translate("errors", "submit"),
        "approve": QCoreApplication.translate("errors", "approve"),
        "return": QCoreApplication.translate("errors", "return"),
        "resubmit": QCoreApplication.translate("errors", "resubmit"),
        "add an addendum to": QCoreApplication.translate("errors", "add an addendum to"),
    }
    states = {
        "draft": QCoreApplication.translate("errors", "a draft"),
        "signed": QCoreApplication.translate("errors", "signed"),
        "submitted": QCoreApplication.translate("errors", "submitted"),
        "approved": QCoreApplication.translate("errors", "approved"),
        "returned": QCoreApplication.translate("errors", "returned"),
    }
    action, state = actions.get(exc.action), states.get(exc.state)
    if action is None or state is None:
        return QCoreApplication.translate(
            "errors", "This cannot be done to the note in the state it is in now."
        )
    return QCoreApplication.translate(
        "errors", "You cannot {action} a note that is {state}."
    ).format(action=action, state=state)


@_message(DirectoryDataError)
def _directory_data_error(exc: DirectoryDataError) -> str:
    where = [str(exc.source)]
    if exc.record:
        where.append(str(exc.record))
    if exc.field:
        where.append(QCoreApplication.translate("errors", "field {name}").format(name=exc.field))
    problem = " ".join(core_text(exc.problem).split()).rstrip(".")
    return QCoreApplication.translate(
        "errors", "The directory data was not used ({where}): {problem}; nothing was changed."
    ).format(where=", ".join(where), problem=problem)


@_message(ConsentRequired)
def _consent_required(exc: ConsentRequired) -> str:
    why = {
        "expired": QCoreApplication.translate("errors", "the consent on file has expired"),
        "revoked": QCoreApplication.translate("errors", "the participant revoked the consent"),
        "not_yet": QCoreApplication.translate("errors", "the consent is not in effect yet"),
    }.get(exc.state, QCoreApplication.translate("errors", "there is no consent on file"))
    return QCoreApplication.translate(
        "errors",
        "This referral would share the person's information with {recipient}, but {why}:"
        " record a signed consent first, or refer without sharing.",
    ).format(recipient=exc.recipient, why=why)


@_message(ConfigError)
def _config_error(exc: ConfigError) -> str:
    reason = " ".join(core_text(exc.message).split()).rstrip(".")
    if not reason:
        return QCoreApplication.translate(
            "errors", "PeerDesk could not use one of its settings files."
        )
    if exc.path:
        return QCoreApplication.translate(
            "errors", "PeerDesk could not use the settings file {path}: {reason}."
        ).format(path=exc.path, reason=reason)
    return QCoreApplication.translate(
        "errors", "PeerDesk could not use a settings file: {reason}."
    ).format(reason=reason)


# --- integrity ------------------------------------------------------------------------


@_message(IntegrityError)
def _integrity_error(exc: IntegrityError) -> str:
    return QCoreApplication.translate(
        "errors", "Some data failed its security check and was not used."
    )


@_message(BadSignature)
def _bad_signature(exc: BadSignature) -> str:
    return QCoreApplication.translate(
        "errors",
        "A message claiming to come from the agency was not signed by it, so it was ignored.",
    )


@_message(SealBroken)
def _seal_broken(exc: SealBroken) -> str:
    return QCoreApplication.translate(
        "errors", "An encrypted item could not be opened with this key or passphrase."
    )


@_message(ProtocolError)
def _protocol_error(exc: ProtocolError) -> str:
    return QCoreApplication.translate(
        "errors", "The agency sent something PeerDesk does not understand; nothing was changed."
    )


# --- sync -----------------------------------------------------------------------------


@_message(SyncError)
def _sync_error(exc: SyncError) -> str:
    return QCoreApplication.translate(
        "errors", "Sync did not finish; your work is safe and will be sent next time."
    )


@_message(AgencyUnreachable)
def _agency_unreachable(exc: AgencyUnreachable) -> str:
    return network_problem(exc.cause)


def describe_problem(text: str) -> str:
    """A stored problem (a sync's last error): a network one in words with what to
    do (:func:`network_problem`), any other as the sentence it already is."""
    if network_kind(text) != "other":
        return network_problem(text)
    return _sentence(text)


def _os_error(exc: OSError) -> str:
    """A raw network OSError (socket, ssl) that reached the UI."""
    if isinstance(exc, ssl.SSLError):
        return network_problem("ssl")
    if isinstance(exc, socket.gaierror):
        return network_problem("getaddrinfo")
    if isinstance(exc, ConnectionRefusedError):
        return network_problem("connection refused")
    if isinstance(exc, TimeoutError):
        return network_problem("timed out")
    if isinstance(exc, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
        return network_problem("dropped")
    kind = network_kind(str(exc))
    return network_sentences()[kind] if kind != "other" else generic_message()


@_message(AgencyRejected)
def _agency_rejected(exc: AgencyRejected) -> str:
    detail = agency_refusals().get(exc.code) or " ".join(exc.detail.split()).rstrip(".")
    return QCoreApplication.translate("errors", "The agency refused the request: {detail}.").format(
        detail=detail or exc.code
    )


@_message(NotEnrolled)
def _not_enrolled(exc: NotEnrolled) -> str:
    return QCoreApplication.translate(
        "errors", "This laptop is not connected to an agency yet; ask IT for an enrollment code."
    )


@_message(DeviceRevoked)
def _device_revoked(exc: DeviceRevoked) -> str:
    return QCoreApplication.translate(
        "errors", "The agency has withdrawn this laptop's access; please contact IT."
    )


@_message(NoteChanged)
def _note_changed(exc: NoteChanged) -> str:
    if exc.code == "already_decided":
        return QCoreApplication.translate(
            "errors",
            "This note was already decided (approved, or returned and not resubmitted "
            "since), perhaps by another supervisor; your decision was not recorded.",
        )
    return QCoreApplication.translate(
        "errors",
        "This note changed after you opened it (an addendum or a resubmission arrived), so "
        "your decision was not recorded; read it again and decide on what is there now.",
    )

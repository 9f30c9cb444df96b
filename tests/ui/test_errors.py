"""Every error class of the core has one sentence a peer understands."""

from __future__ import annotations

import inspect

import pytest

from peerdesk import errors
from peerdesk.errors import (
    AgencyRejected,
    AgencyUnreachable,
    AuditChainBroken,
    ConfigError,
    ConsentRequired,
    CorruptData,
    DirectoryDataError,
    ExportError,
    InvalidTransition,
    NoteChanged,
    NotFound,
    PassphrasePolicyError,
    PeerDeskError,
    ProtocolError,
    SchemaTooNew,
    StorageUnavailable,
    TooManyAttempts,
    ValidationError,
    WrongPassphrase,
    WrongRole,
)
from ui.errors import generic_message, message_for, registered_classes
from ui.i18n import core_text

ERROR_CLASSES: list[type[PeerDeskError]] = sorted(
    (
        obj
        for obj in vars(errors).values()
        if inspect.isclass(obj)
        and issubclass(obj, PeerDeskError)
        and obj.__module__ == errors.__name__
    ),
    key=lambda cls: cls.__name__,
)

#: an instance of each class whose constructor takes more than a message
SAMPLES: dict[type[PeerDeskError], PeerDeskError] = {
    WrongPassphrase: WrongPassphrase(attempts_left=3),
    TooManyAttempts: TooManyAttempts(retry_after_s=29.2),
    PassphrasePolicyError: PassphrasePolicyError(["it is shorter than 15 characters"]),
    CorruptData: CorruptData("bad envelope", table="notes", record_id="n1", field="body"),
    SchemaTooNew: SchemaTooNew(["0042_future"]),
    AuditChainBroken: AuditChainBroken(7, "hmac mismatch"),
    NotFound: NotFound("note", "0190a1b2"),
    ValidationError: ValidationError("a profile name has 1-64 letters", field="name"),
    InvalidTransition: InvalidTransition("signed", "edit"),
    ConfigError: ConfigError("not valid TOML", path="/etc/peerdesk/payers.toml"),
    StorageUnavailable: StorageUnavailable("could not save the note: the disk is full"),
    ProtocolError: ProtocolError("batch is not msgpack"),
    DirectoryDataError: DirectoryDataError(
        "unknown taxonomy term", source="seed.json", record="services[3]", field="category"
    ),
    AgencyUnreachable: AgencyUnreachable("the connection timed out"),
    AgencyRejected: AgencyRejected(422, "bad_code", "the enrollment code has expired"),
    ExportError: ExportError("/media/usb/units.csv", "the folder cannot be written"),
    WrongRole: WrongRole("peer", "supervisor", "review"),
    NoteChanged: NoteChanged("note_changed", "0190aaaa", "0190bbbb"),
    ConsentRequired: ConsentRequired("expired", "Outpatient Counseling"),
}


def sample(cls: type[PeerDeskError]) -> PeerDeskError:
    if cls in SAMPLES:
        return SAMPLES[cls]
    return cls("internal detail for the log")


def test_the_error_tree_is_found() -> None:
    assert PeerDeskError in ERROR_CLASSES
    assert len(ERROR_CLASSES) >= 19


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda cls: cls.__name__)
def test_every_error_class_has_a_sentence_of_its_own(cls: type[PeerDeskError]) -> None:
    assert cls in registered_classes(), f"ui/errors.py has no message for {cls.__name__}"
    text = message_for(sample(cls))
    assert text and text != generic_message()
    assert text[0].isupper() and text.endswith(".")
    assert ". " not in text, "one sentence"
    assert cls.__name__ not in text and repr(sample(cls)) not in text


def test_wrong_passphrase_says_how_many_attempts_are_left() -> None:
    assert "3 more wrong attempt" in message_for(WrongPassphrase(3))
    without_limit = message_for(WrongPassphrase(None))
    assert "attempt" not in without_limit and "passphrase is not right" in without_limit


def test_too_many_attempts_says_how_long_to_wait() -> None:
    assert "wait 30 second" in message_for(TooManyAttempts(29.2))
    assert "wait 1 second" in message_for(TooManyAttempts(0.0))


def test_validation_error_shows_its_own_message_as_a_sentence() -> None:
    text = message_for(ValidationError("a profile name has 1-64 letters", field="name"))
    assert text == "A profile name has 1-64 letters."


def test_invalid_transition_names_the_action_and_state() -> None:
    assert message_for(InvalidTransition("signed", "edit")) == (
        "You cannot edit a note that is signed."
    )


def test_corrupt_data_says_part_of_the_record_is_damaged() -> None:
    text = message_for(SAMPLES[CorruptData])
    assert text.startswith("Part of this record is damaged")
    assert "notes" not in text and "n1" not in text


def test_storage_unavailable_shows_its_message() -> None:
    assert message_for(StorageUnavailable("could not save the note: the disk is full")) == (
        "Could not save the note: the disk is full."
    )


def test_passphrase_policy_lists_the_problems() -> None:
    text = message_for(PassphrasePolicyError(["it is too short", "it is a common password"]))
    assert "it is too short; it is a common password" in text


def test_not_found_names_the_kind_of_record_but_not_its_id() -> None:
    text = message_for(NotFound("participant", "0190a1b2"))
    assert text.startswith("This participant could not be found")
    assert "0190a1b2" not in text


def test_a_new_subclass_falls_back_to_its_parents_sentence() -> None:
    class DiskQuotaExceeded(StorageUnavailable):
        pass

    assert message_for(DiskQuotaExceeded("could not save: quota exceeded")) == (
        "Could not save: quota exceeded."
    )


@pytest.mark.parametrize(
    "exc",
    [
        RuntimeError("participant Jane Doe, diagnosis: secret"),
        KeyError("Jane Doe"),
        OSError(28, "No space left on device: '/home/jane/secret.txt'"),
        KeyboardInterrupt(),
    ],
    ids=lambda exc: type(exc).__name__,
)
def test_unknown_exceptions_get_a_generic_sentence_without_their_text(
    exc: BaseException,
) -> None:
    text = message_for(exc)
    assert text == generic_message()
    assert "Jane" not in text and "secret" not in text and repr(exc) not in text


def test_a_broken_error_instance_still_gets_a_sentence() -> None:
    broken = WrongPassphrase.__new__(WrongPassphrase)  # no attempts_left attribute
    assert message_for(broken) == generic_message()


def test_export_error_names_the_file_and_says_nothing_was_left() -> None:
    text = message_for(SAMPLES[ExportError])
    assert "/media/usb/units.csv" in text and "the folder cannot be written" in text
    assert "no file was left behind" in text


def test_note_changed_says_why_the_decision_was_refused() -> None:
    changed = message_for(SAMPLES[NoteChanged])
    assert "changed after you opened it" in changed and "not recorded" in changed
    decided = message_for(NoteChanged("already_decided", "0190aaaa", "0190bbbb"))
    assert "already decided" in decided and decided != changed


@pytest.mark.parametrize(
    ("state", "words"),
    [("none", "no consent on file"), ("expired", "expired"), ("revoked", "revoked")],
)
def test_consent_required_names_the_recipient_and_why(state: str, words: str) -> None:
    text = message_for(ConsentRequired(state, "Hope Housing"))
    assert "Hope Housing" in text and words in text


# --- the core's own words, in the UI's language ------------------------------------------


def test_a_core_message_is_shown_in_spanish(spanish: list[object]) -> None:
    error = ConsentRequired("revoked", "County Housing")
    assert "County Housing" in message_for(error)
    plain = ValidationError(errors.Msg("there is no consent on file"), field="consent")
    assert message_for(plain) == "No hay ningún consentimiento registrado."
    nested = ValidationError(
        errors.Msg(
            "cannot share this person's information with {recipient}: {why}",
            recipient="County Housing",
            why=errors.Msg("the consent on file has expired"),
        )
    )
    assert message_for(nested) == (
        "No se puede compartir la información de esta persona con County Housing: "
        "el consentimiento registrado ha vencido."
    )


def test_a_core_message_stays_english_without_a_catalogue() -> None:
    error = ValidationError(errors.Msg("%n attempt(s) left", n=1))
    assert message_for(error) == "1 attempt left."
    assert core_text(errors.Msg("%n attempt(s) left", n=2)) == "2 attempts left"
    assert core_text("plain words") == "plain words"


def test_a_catalogue_with_wrong_placeholders_falls_back_to_english(
    qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QCoreApplication

    monkeypatch.setattr(QCoreApplication, "translate", lambda *a, **k: "{missing} roto")
    assert core_text(errors.Msg("{what} is wrong", what="x")) == "x is wrong"


# --- real errors of the store and the services, in Spanish -------------------------------


def _raised(action: object) -> PeerDeskError:
    with pytest.raises(PeerDeskError) as info:
        action()  # type: ignore[operator]
    return info.value


def test_real_store_and_service_errors_are_shown_in_spanish(
    spanish: list[object], session: object
) -> None:
    import sqlite3

    from peerdesk.crypto.recovery import decode_code
    from peerdesk.domain.referrals import MAX_FOLLOW_UP
    from peerdesk.errors import Msg
    from peerdesk.services import Session
    from peerdesk.store.db import translate_errors

    assert isinstance(session, Session)
    session.directory.seed_if_empty()
    person = session.participants.add("Robin Referral").value
    service = session.directory.search("Opioid Treatment Program").hits[0].id

    def too_long_referral() -> None:
        session.directory.refer(person.id, service, follow_up="x" * (MAX_FOLLOW_UP + 1))

    error = _raised(too_long_referral)
    assert str(error) == f"the follow-up note is longer than {MAX_FOLLOW_UP} characters"
    assert (
        message_for(error)
        == f"La nota de seguimiento: el texto tiene más de {MAX_FOLLOW_UP} caracteres."
    )

    error = _raised(lambda: decode_code("ABCD-EFGH"))
    assert str(error).startswith("a recovery code has ")
    assert message_for(error).startswith("Un código de recuperación tiene ")
    assert "; este tiene 8." in message_for(error)

    error = _raised(lambda: session.participants.add("x" * 500))
    assert message_for(error).startswith("El nombre tiene más de ")

    def full_disk() -> None:
        with translate_errors(Msg("save the participant")):
            raise sqlite3.OperationalError("database or disk is full")

    error = _raised(full_disk)
    assert str(error) == "could not save the participant: the disk is full; nothing was saved"
    text = message_for(error)
    assert text == "No se pudo guardar el participante: el disco está lleno; no se guardó nada."
    assert "save" not in text and "disk" not in text

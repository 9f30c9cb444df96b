"""The create-profile and unlock dialogs, driven through their real widgets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
)

from peerdesk.config import Policy
from peerdesk.crypto.kdf import KdfParams
from peerdesk.crypto.vault import VaultPolicy
from peerdesk.errors import PeerDeskError, ProfileExists, StorageUnavailable
from peerdesk.services import ProfileManager, Session
from ui.dialogs import run_now
from ui.dialogs.profile_setup import CreateProfileDialog
from ui.dialogs.unlock import UnlockDialog

GOOD = "river stones and quiet mornings"
OTHER = "lanterns over the old mill pond"


@pytest.fixture
def sessions() -> Iterator[list[Session]]:
    """Sessions a test got from a dialog; closed afterwards."""
    opened: list[Session] = []
    yield opened
    for s in opened:
        s.close()


class Deferred:
    """A runner that keeps the work until the test lets it run, as a task manager
    keeps it until its worker thread is done."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Any, Any, Any]] = []

    def __call__(self, work: Any, on_success: Any, on_failure: Any) -> None:
        self.jobs.append((work, on_success, on_failure))

    def run_next(self) -> None:
        run_now(*self.jobs.pop(0))


def fast_create(manager: ProfileManager) -> Callable[[str, str], Session]:
    # The floor Argon2id parameters instead of a 0.5 s calibration.
    return lambda name, pw: manager.create(name, pw, kdf_params=KdfParams.new())


def make_profiles(manager: ProfileManager, **passphrases: str) -> None:
    for name, pw in passphrases.items():
        fast_create(manager)(name, pw).close()


def failed_attempts(manager: ProfileManager, name: str) -> int:
    session = manager.open(name)
    try:
        return session._vault.failed_attempts
    finally:
        session.close()


def shown(qtbot: Any, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def create_dialog(qtbot: Any, manager: ProfileManager, **kwargs: Any) -> CreateProfileDialog:
    kwargs.setdefault("create", fast_create(manager))
    dialog = CreateProfileDialog(manager, **kwargs)
    shown(qtbot, dialog)
    return dialog


def fill(qtbot: Any, dialog: CreateProfileDialog, name: str, pw: str, confirm: str) -> None:
    qtbot.keyClicks(dialog.name, name)
    qtbot.keyClicks(dialog.passphrase, pw)
    qtbot.keyClicks(dialog.confirm, confirm)


# -- create ------------------------------------------------------------------------------


def test_create_profile_with_the_keyboard_only(qtbot, tmp_path: Path, sessions):
    manager = ProfileManager(tmp_path)
    dialog = create_dialog(qtbot, manager)
    assert QApplication.focusWidget() is dialog.name
    assert not dialog.create_button.isEnabled()

    qtbot.keyClicks(QApplication.focusWidget(), "Jordan")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.passphrase
    qtbot.keyClicks(QApplication.focusWidget(), GOOD)
    assert dialog.meter.value() == 4
    assert "strong" in dialog.strength_label.text()
    assert "Meets the passphrase rules" in dialog.problems.text()
    assert "centuries" in dialog.crack_time.text()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.confirm
    qtbot.keyClicks(QApplication.focusWidget(), GOOD)
    assert dialog.match_label.text() == "The passphrases match."
    assert dialog.create_button.isEnabled()

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    assert dialog.result() == QDialog.DialogCode.Accepted
    session = dialog.session
    assert session is not None
    sessions.append(session)
    assert session.name == "Jordan" and session.is_unlocked
    assert manager.list_profiles() == ["Jordan"]
    assert dialog.passphrase.text() == dialog.confirm.text() == ""
    session.lock()
    session.unlock(GOOD)  # the passphrase typed is the one that opens it


def test_create_goes_through_the_runner(qtbot, tmp_path: Path, sessions):
    manager = ProfileManager(tmp_path)
    runner = Deferred()
    dialog = create_dialog(qtbot, manager, runner=runner)
    fill(qtbot, dialog, "Jordan", GOOD, GOOD)
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)  # ignored while busy
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # so is Escape: the keys are being made
    assert len(runner.jobs) == 1
    assert not dialog.create_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert "takes a moment" in dialog.error.text()
    assert dialog.isVisible() and manager.list_profiles() == []

    runner.run_next()  # what a task manager does when its worker is done

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.session is not None
    sessions.append(dialog.session)


@pytest.mark.parametrize(
    ("passphrase", "problem"),
    [
        ("short phrase", "Use at least 15 characters (this has 12)."),
        ("correct horse battery staple", "commonly used password"),
        ("iloveyouiloveyou!", "common password with numbers or symbols added"),
        ("jordan jordan jordan", "program or profile name"),
    ],
)
def test_create_is_disabled_and_says_why_for_a_weak_passphrase(
    qtbot, tmp_path: Path, passphrase: str, problem: str
):
    manager = ProfileManager(tmp_path)
    dialog = create_dialog(qtbot, manager)
    fill(qtbot, dialog, "Jordan", passphrase, passphrase)

    assert problem in dialog.problems.text()
    assert dialog.problems.text().startswith("Not accepted yet:")
    assert not dialog.create_button.isEnabled()
    # The strength is in words too, and a refused passphrase is never called strong.
    assert dialog.meter.value() <= 1
    assert any(w in dialog.strength_label.text() for w in ("very weak", "weak"))
    assert problem in dialog.passphrase.accessibleDescription()
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    assert dialog.isVisible() and manager.list_profiles() == []


def test_create_is_disabled_until_the_confirmation_matches(qtbot, tmp_path: Path, sessions):
    manager = ProfileManager(tmp_path)
    dialog = create_dialog(qtbot, manager)
    fill(qtbot, dialog, "Jordan", GOOD, GOOD[:-1])
    assert dialog.match_label.text() == "The passphrases do not match."
    assert not dialog.create_button.isEnabled()
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    assert manager.list_profiles() == []

    qtbot.keyClicks(dialog.confirm, GOOD[-1])
    assert dialog.match_label.text() == "The passphrases match."
    assert dialog.create_button.isEnabled()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.session is not None
    sessions.append(dialog.session)


def test_show_toggle_reveals_both_fields(qtbot, tmp_path: Path):
    dialog = create_dialog(qtbot, ProfileManager(tmp_path))
    assert dialog.passphrase.echoMode() == QLineEdit.EchoMode.Password
    box = dialog.show_passphrase
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert dialog.passphrase.echoMode() == QLineEdit.EchoMode.Normal
    assert dialog.confirm.echoMode() == QLineEdit.EchoMode.Normal
    qtbot.keyClick(dialog.show_passphrase, Qt.Key.Key_Space)
    assert dialog.confirm.echoMode() == QLineEdit.EchoMode.Password


def test_an_existing_or_invalid_name_is_refused(qtbot, tmp_path: Path):
    manager = ProfileManager(tmp_path)
    make_profiles(manager, alice=GOOD)
    dialog = create_dialog(qtbot, manager)
    fill(qtbot, dialog, "Alice", OTHER, OTHER)  # same name up to case: same folder on macOS
    assert "already exists" in dialog.name_message.text()
    assert not dialog.create_button.isEnabled()

    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "ali/ce")
    assert "cannot be used" in dialog.name_message.text()
    assert not dialog.create_button.isEnabled()

    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "Alice B")
    assert dialog.name_message.text() == "This name can be used."
    assert dialog.create_button.isEnabled()


@pytest.mark.parametrize(
    ("error", "words", "focus"),
    [
        (ProfileExists("a profile named 'Jordan' already exists"), "already exists", "name"),
        (StorageUnavailable("disk full"), "was not created. Disk full.", "passphrase"),
    ],
)
def test_a_failed_create_is_shown_in_words(qtbot, tmp_path: Path, error, words, focus):
    def create(name: str, pw: str) -> Session:
        raise error

    dialog = create_dialog(qtbot, ProfileManager(tmp_path), create=create)
    fill(qtbot, dialog, "Jordan", GOOD, GOOD)
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.session is None
    assert dialog.error.isVisible()
    assert words in dialog.error.text()
    assert "Traceback" not in dialog.error.text()
    assert QApplication.focusWidget() is getattr(dialog, focus)
    assert isinstance(error, PeerDeskError)


def test_escape_cancels_create_and_clears_the_passphrases(qtbot, tmp_path: Path):
    manager = ProfileManager(tmp_path)
    dialog = create_dialog(qtbot, manager)
    fill(qtbot, dialog, "Jordan", GOOD, GOOD)
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()
    assert dialog.passphrase.text() == dialog.confirm.text() == ""
    assert dialog.session is None and manager.list_profiles() == []


# -- unlock ------------------------------------------------------------------------------


def unlock_dialog(qtbot: Any, manager: ProfileManager, **kwargs: Any) -> UnlockDialog:
    dialog = UnlockDialog(manager, **kwargs)
    shown(qtbot, dialog)
    return dialog


def attempt(qtbot: Any, dialog: UnlockDialog, passphrase: str) -> None:
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, passphrase)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)


def test_unlock_opens_the_chosen_profile(qtbot, tmp_path: Path, sessions):
    manager = ProfileManager(tmp_path)
    make_profiles(manager, alice=GOOD, bob=OTHER, carol=GOOD)
    dialog = unlock_dialog(qtbot, manager, last_profile="bob")
    assert [dialog.profile.itemText(i) for i in range(dialog.profile.count())] == [
        "alice",
        "bob",
        "carol",
    ]
    assert dialog.selected_profile() == "bob"  # the last one used
    assert QApplication.focusWidget() is dialog.passphrase

    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is dialog.profile
    qtbot.keyClick(dialog.profile, Qt.Key.Key_Down)
    assert dialog.selected_profile() == "carol"
    qtbot.keyClick(dialog.profile, Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), GOOD)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.session is not None
    sessions.append(dialog.session)
    assert dialog.session.name == "carol" and dialog.session.is_unlocked
    assert dialog.passphrase.text() == ""
    assert failed_attempts(manager, "alice") == failed_attempts(manager, "bob") == 0


def test_one_return_is_one_attempt_and_says_attempts_left(qtbot, tmp_path: Path):
    manager = ProfileManager(tmp_path)
    make_profiles(manager, alice=GOOD)
    dialog = unlock_dialog(qtbot, manager)

    attempt(qtbot, dialog, "not my passphrase at all")
    assert failed_attempts(manager, "alice") == 1
    assert "Wrong passphrase. 9 attempts left" in dialog.message.text()
    assert "9 attempts left" in dialog.passphrase.accessibleDescription()
    assert dialog.passphrase.selectedText() == "not my passphrase at all"  # ready to retype

    attempt(qtbot, dialog, "still not my passphrase")
    assert failed_attempts(manager, "alice") == 2
    assert "8 attempts left" in dialog.message.text()
    assert dialog.session is None and dialog.isVisible()

    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)  # a click, too, is one
    assert failed_attempts(manager, "alice") == 3


def test_unlock_goes_through_the_runner_and_ignores_keys_while_busy(
    qtbot, tmp_path: Path, sessions
):
    manager = ProfileManager(tmp_path)
    make_profiles(manager, alice=GOOD)
    runner = Deferred()
    dialog = unlock_dialog(qtbot, manager, runner=runner)
    qtbot.keyClicks(dialog.passphrase, "not my passphrase at all")
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Return, Qt.Key.Key_Escape):
        qtbot.keyClick(dialog.passphrase, key)
    assert len(runner.jobs) == 1  # opening the profile
    assert dialog.message.text() == "Checking the passphrase…"
    assert not dialog.unlock_button.isEnabled() and dialog.isVisible()
    assert dialog.passphrase.isReadOnly() and QApplication.focusWidget() is dialog.passphrase
    runner.run_next()
    assert len(runner.jobs) == 1  # the attempt
    runner.run_next()
    assert "9 attempts left" in dialog.message.text()
    assert not dialog.passphrase.isReadOnly()

    attempt(qtbot, dialog, GOOD)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert len(runner.jobs) == 1  # the profile is open already: straight to the attempt
    runner.run_next()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.session is not None
    sessions.append(dialog.session)


def test_a_damaged_profile_is_reported_in_words(qtbot, tmp_path: Path):
    manager = ProfileManager(tmp_path)
    make_profiles(manager, alice=GOOD, bob=OTHER)
    (tmp_path / "profiles" / "alice" / "vault.json").write_text("{ not json")
    dialog = unlock_dialog(qtbot, manager, last_profile="alice")
    attempt(qtbot, dialog, GOOD)
    assert dialog.session is None and dialog.isVisible()
    assert "damaged" in dialog.message.text()
    assert "Your other profiles are not affected" in dialog.message.text()


def test_an_empty_passphrase_is_not_an_attempt(qtbot, tmp_path: Path):
    manager = ProfileManager(tmp_path)
    make_profiles(manager, alice=GOOD)
    dialog = unlock_dialog(qtbot, manager)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert "Type your passphrase first" in dialog.message.text()
    assert failed_attempts(manager, "alice") == 0


def test_cooldown_disables_unlock_even_across_dialogs(qtbot, tmp_path: Path):
    policy = Policy(vault=VaultPolicy(cooldown_after_failures=1, cooldown_base_s=30))
    manager = ProfileManager(tmp_path, policy)
    make_profiles(manager, alice=GOOD)
    dialog = unlock_dialog(qtbot, manager)

    attempt(qtbot, dialog, "not my passphrase at all")
    assert not dialog.unlock_button.isEnabled()
    assert "try again in 30 seconds" in dialog.message.text()
    assert "9 attempts left" in dialog.message.text()
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)  # the default button is disabled
    assert failed_attempts(manager, "alice") == 1
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Escape)

    # Restarting the app does not skip the wait: the vault refuses, nothing is counted.
    again = unlock_dialog(qtbot, manager)
    attempt(qtbot, again, GOOD)
    assert again.session is None
    assert not again.unlock_button.isEnabled()
    assert "try again in" in again.message.text()
    assert failed_attempts(manager, "alice") == 1


def test_unlock_is_enabled_again_when_the_cooldown_is_over(qtbot, tmp_path: Path, sessions):
    policy = Policy(vault=VaultPolicy(cooldown_after_failures=1, cooldown_base_s=0.3))
    manager = ProfileManager(tmp_path, policy)
    make_profiles(manager, alice=GOOD)
    dialog = unlock_dialog(qtbot, manager)
    attempt(qtbot, dialog, "not my passphrase at all")
    assert not dialog.unlock_button.isEnabled()
    assert "try again in 1 second" in dialog.message.text()

    qtbot.waitUntil(dialog.unlock_button.isEnabled, timeout=3000)
    assert dialog.message.text() == "You can try your passphrase again now."
    attempt(qtbot, dialog, GOOD)
    assert dialog.session is not None
    sessions.append(dialog.session)
    assert dialog.session.is_unlocked


def test_a_wiped_profile_is_explained(qtbot, tmp_path: Path):
    policy = Policy(vault=VaultPolicy(wipe_after_failures=2, cooldown_after_failures=5))
    manager = ProfileManager(tmp_path, policy)
    make_profiles(manager, alice=GOOD, bob=OTHER)
    dialog = unlock_dialog(qtbot, manager)
    attempt(qtbot, dialog, "not my passphrase at all")
    assert "1 attempt left" in dialog.message.text()
    attempt(qtbot, dialog, "not my passphrase either")

    text = dialog.message.text()
    assert "erased" in text and "IT support" in text
    assert not dialog.unlock_button.isEnabled() and not dialog.passphrase.isEnabled()
    assert dialog.passphrase.text() == ""
    # Another profile on the laptop can still be unlocked.
    qtbot.keyClick(dialog.profile, Qt.Key.Key_Down)
    assert dialog.selected_profile() == "bob"
    assert dialog.unlock_button.isEnabled() and dialog.message.text() == ""


def test_new_profile_button_returns_its_own_code(qtbot, tmp_path: Path):
    manager = ProfileManager(tmp_path)
    make_profiles(manager, alice=GOOD)
    dialog = unlock_dialog(qtbot, manager)
    qtbot.keyClicks(dialog.passphrase, "half typed")
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == UnlockDialog.NewProfile
    assert dialog.result() not in (QDialog.DialogCode.Accepted, QDialog.DialogCode.Rejected)
    assert dialog.session is None and dialog.passphrase.text() == ""


def test_no_profile_yet_points_to_new_profile(qtbot, tmp_path: Path):
    dialog = unlock_dialog(qtbot, ProfileManager(tmp_path))
    assert "no profile on this computer" in dialog.message.text()
    assert not dialog.unlock_button.isEnabled()
    assert QApplication.focusWidget() is dialog.new_button
    qtbot.keyClick(dialog.new_button, Qt.Key.Key_Return)
    assert dialog.result() == UnlockDialog.NewProfile


def test_escape_cancels_unlock_and_clears_the_field(qtbot, tmp_path: Path):
    manager = ProfileManager(tmp_path)
    make_profiles(manager, alice=GOOD)
    dialog = unlock_dialog(qtbot, manager)
    qtbot.keyClicks(dialog.passphrase, GOOD)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()
    assert dialog.passphrase.text() == "" and dialog.session is None
    assert failed_attempts(manager, "alice") == 0


def test_every_control_has_an_accessible_name(qtbot, tmp_path: Path):
    manager = ProfileManager(tmp_path)
    make_profiles(manager, alice=GOOD)
    for dialog in (create_dialog(qtbot, manager), unlock_dialog(qtbot, manager)):
        controls = [
            w
            for kind in (QLineEdit, QAbstractButton, QComboBox, QProgressBar)
            for w in dialog.findChildren(kind)
        ]
        assert len(controls) >= 5
        assert [w for w in controls if not w.accessibleName()] == []
        # Every field has a label that names it and moves the focus to it (Alt+letter).
        buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy()}
        assert set(dialog.findChildren(QLineEdit)) <= buddies
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


# --- in Spanish: no English from the core or from zxcvbn ---------------------------------


@pytest.mark.parametrize(
    "passphrase",
    ["password1", "qwertyuiopasdfgh", "abcabcabcabcabcabc", "Jennifer", "jordan jordan"],
)
def test_the_passphrase_advice_is_spanish_for_a_weak_passphrase(
    qtbot: Any, tmp_path: Path, spanish: object, passphrase: str
) -> None:
    from peerdesk.services import assess_passphrase
    from ui.i18n import core_text

    dialog = create_dialog(qtbot, ProfileManager(tmp_path))
    fill(qtbot, dialog, "Jordan", passphrase, passphrase)
    result = assess_passphrase(passphrase, ("Jordan",))
    shown = "\n".join(
        label.text()
        for label in (dialog.problems, dialog.suggestions, dialog.crack_time, dialog.strength_label)
    )
    assert result.problems or result.feedback
    for english in (*result.problems, *result.feedback):
        # each sentence of the core and of zxcvbn is there, in Spanish only
        assert core_text(english) != english, f"no Spanish for {english!r}"
        assert core_text(english) in shown
        assert english not in shown
    assert "Not accepted" not in shown and "Tips:" not in shown
    # the guessing time, when shown, is in Spanish too
    for word in ("second", "minute", "hour", "day", "month", "year", "centuries", "instantly"):
        assert word not in shown

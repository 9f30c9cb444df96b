"""Issue 21, "the peer's working day": first run names the agency and the erase
rule, the unlock dialog says the erase rule before the first wrong attempt and
offers recovery with a code from IT, and a profile created just now is offered
the enrollment form at once (skippable; the Sync screen keeps it). Driven
through the real widgets; screenshots in English and Spanish."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QRect, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget

from peerdesk.config import Policy
from peerdesk.crypto import recovery
from peerdesk.crypto.kdf import KdfParams
from peerdesk.crypto.vault import VaultPolicy
from peerdesk.errors import WrongPassphrase
from peerdesk.link.sync import SyncOptions
from peerdesk.services import ProfileManager, Session
from tests.conftest import PASSPHRASE, PROFILE_NAME
from tests.sync.conftest import FakeTime
from tests.sync.fake_agency import CODE, FakeAgency
from tests.ui.review_helpers import make_supervisor
from tests.ui.sync_helpers import (
    close_window,
    guarded,
    make_window,
    quiet_network,
    write_provisioning,
)
from tests.ui.test_accessibility import unnamed_controls
from ui.dialogs.profile_setup import CreateProfileDialog
from ui.dialogs.recovery import RecoveryDialog
from ui.dialogs.unlock import UnlockDialog
from ui.i18n import install_translators

NEW = "a new lantern on the porch tonight"


def texts(dialog: QWidget) -> str:
    """Every visible label's text, one per line."""
    return "\n".join(
        label.text() for label in dialog.findChildren(QLabel) if label.isVisibleTo(dialog)
    )


def shown(qtbot: Any, dialog: QDialog) -> Any:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def fast(manager: ProfileManager, name: str = PROFILE_NAME, pw: str = PASSPHRASE) -> None:
    manager.create(name, pw, kdf_params=KdfParams.new()).close()


# --- (a) the agency and the erase rule -----------------------------------------------------


def test_first_run_names_the_agency_and_the_erase_rule_with_the_policys_number(
    qtbot: Any, tmp_path: Path
) -> None:
    agency = FakeAgency()
    policy = Policy(vault=VaultPolicy(wipe_after_failures=7))
    manager = ProfileManager(tmp_path, policy, provisioning=agency.provisioning())
    dialog = shown(qtbot, CreateProfileDialog(manager))
    assert dialog.agency_label.isVisible()
    assert dialog.agency_label.text() == (
        "This laptop belongs to Hollow Creek Peer Services: its IT set it up."
    )
    assert dialog.erase_rule.isVisible()
    assert "after 7 wrong passphrases in a row" in dialog.erase_rule.text()
    assert "erased" in dialog.erase_rule.text()
    # said before the name field, the first thing read
    layout = dialog.layout()
    assert layout.indexOf(dialog.agency_label) < layout.indexOf(dialog.erase_rule)
    assert dialog.agency_label.accessibleName() and dialog.erase_rule.accessibleName()


def test_the_agency_name_is_shown_as_plain_text(qtbot: Any, tmp_path: Path) -> None:
    agency = FakeAgency(name="<b>River</b> & Valley")
    manager = ProfileManager(tmp_path, provisioning=agency.provisioning())
    dialog = shown(qtbot, CreateProfileDialog(manager))
    assert dialog.agency_label.textFormat() == Qt.TextFormat.PlainText
    assert "<b>River</b> & Valley" in dialog.agency_label.text()


def test_first_run_without_an_agency_says_not_connected_yet_and_later(
    qtbot: Any, tmp_path: Path
) -> None:
    manager = ProfileManager(tmp_path)  # no provisioning file; the default policy
    dialog = shown(qtbot, CreateProfileDialog(manager))
    assert "not connected to an agency yet" in dialog.agency_label.text()
    assert "connect it later on the Sync screen" in dialog.agency_label.text()
    default = VaultPolicy().wipe_after_failures
    assert f"after {default} wrong passphrases in a row" in dialog.erase_rule.text()


def test_a_provisioning_file_in_the_profiles_folder_names_the_agency_too(
    qtbot: Any, tmp_path: Path
) -> None:
    manager = ProfileManager(tmp_path)
    manager.root.mkdir(parents=True)
    write_provisioning(FakeAgency(name="Riverbend Peers"), manager.root / "provisioning.toml")
    dialog = shown(qtbot, CreateProfileDialog(manager))
    assert "belongs to Riverbend Peers" in dialog.agency_label.text()
    dialog.reject()
    (manager.root / "provisioning.toml").write_text("format = 1\n[agency]\n", encoding="utf-8")
    broken = shown(qtbot, CreateProfileDialog(manager))  # unreadable: no agency named
    assert "not connected to an agency yet" in broken.agency_label.text()


def test_a_policy_without_a_wipe_threshold_says_nothing_about_erasing(
    qtbot: Any, tmp_path: Path
) -> None:
    manager = ProfileManager(tmp_path, Policy(vault=VaultPolicy(wipe_after_failures=None)))
    create = shown(qtbot, CreateProfileDialog(manager))
    assert not create.erase_rule.isVisible()
    assert "erase" not in texts(create).casefold()
    create.reject()
    fast(manager)
    unlock = shown(qtbot, UnlockDialog(manager, PROFILE_NAME))
    assert not unlock.erase_rule.isVisible()
    assert "erase" not in texts(unlock).casefold()


def test_unlock_says_the_erase_rule_before_the_first_wrong_attempt(
    qtbot: Any, tmp_path: Path
) -> None:
    manager = ProfileManager(tmp_path, Policy(vault=VaultPolicy(wipe_after_failures=4)))
    fast(manager)
    dialog = shown(qtbot, UnlockDialog(manager, PROFILE_NAME))
    assert dialog.message.text() == ""  # nothing tried yet
    assert dialog.erase_rule.isVisible()
    assert "after 4 wrong passphrases in a row" in dialog.erase_rule.text()
    qtbot.keyClicks(dialog.passphrase, "not the passphrase at all here")
    dialog.try_unlock()
    assert "3 attempts left" in dialog.message.text()
    assert dialog.erase_rule.isVisible()  # and it stays said
    dialog.reject()


# --- (b) recovery from the unlock dialog --------------------------------------------------


def _sync(session: Session, agency: FakeAgency) -> None:
    t = FakeTime()
    for _ in session.link.sync(
        SyncOptions(),
        transport=agency.transport(),
        sleep=t.sleep,
        clock=t.clock,
        rng=random.Random(1),
    ):
        pass


@pytest.fixture
def it_code(manager: ProfileManager) -> str:
    """A profile enrolled with the fake agency whose recovery escrow reached it,
    and the code IT reads from it with the offline recovery key."""
    agency = FakeAgency()
    session = manager.create(PROFILE_NAME, PASSPHRASE, kdf_params=KdfParams.new())
    try:
        session.link.enroll(agency.provisioning(), CODE, "laptop", transport=agency.transport())
        _sync(session, agency)
        device = session._device.get()
        assert device is not None
        device_id = device.device_id
    finally:
        session.close()
    return agency.recovery_code(device_id)


def open_recovery(qtbot: Any, manager: ProfileManager) -> tuple[UnlockDialog, RecoveryDialog]:
    unlock = shown(qtbot, UnlockDialog(manager, PROFILE_NAME))
    assert unlock.forgot_button.isEnabled()
    assert unlock.forgot_button.accessibleName()
    unlock.forgot_button.setFocus()
    qtbot.keyClick(unlock.forgot_button, Qt.Key.Key_Space)  # the keyboard opens it
    qtbot.waitUntil(lambda: unlock.recovery is not None and unlock.recovery.isVisible())
    dialog = unlock.recovery
    assert dialog is not None
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.code)
    return unlock, dialog


def type_new(qtbot: Any, dialog: RecoveryDialog, code: str, new: str = NEW) -> None:
    dialog.code.clear()
    qtbot.keyClicks(dialog.code, code)
    if dialog.passphrase.text() != new:
        dialog.passphrase.clear()
        dialog.confirm.clear()
        qtbot.keyClicks(dialog.passphrase, new)
        qtbot.keyClicks(dialog.confirm, new)


def test_recovery_with_the_code_from_it_unlocks_and_the_old_passphrase_stops_working(
    qtbot: Any, manager: ProfileManager, it_code: str, caplog: Any
) -> None:
    caplog.set_level("DEBUG")
    unlock, dialog = open_recovery(qtbot, manager)
    assert unlock.forgot_button.accessibleName() == "Forgot your passphrase?"
    assert "27 letters and digits" in dialog.code_message.text()
    type_new(qtbot, dialog, it_code.lower().replace("-", " "))  # as people type it
    assert "27 of 27" in dialog.code_message.text()
    assert dialog.new_passphrase.meter.value() >= 3
    assert dialog.recover_button.isEnabled()
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: unlock.result() == QDialog.DialogCode.Accepted)
    session = unlock.session
    assert session is not None
    try:
        assert session.is_unlocked and session.name == PROFILE_NAME
        assert any(e.event == "recovery" for e in session._audit.entries(limit=5))
    finally:
        session.close()
    # nothing of the code or the passphrases stays in the widgets or the log
    assert dialog.code.text() == dialog.passphrase.text() == dialog.confirm.text() == ""
    assert it_code not in caplog.text and NEW not in caplog.text

    again = manager.open(PROFILE_NAME)
    try:
        with pytest.raises(WrongPassphrase):
            again.unlock(PASSPHRASE)
        again.unlock(NEW)
    finally:
        again.close()


def test_a_mistyped_code_and_a_code_that_does_not_open_are_refused_in_words(
    qtbot: Any, manager: ProfileManager, it_code: str
) -> None:
    unlock, dialog = open_recovery(qtbot, manager)
    vault = manager.path_of(PROFILE_NAME) / "vault.json"

    type_new(qtbot, dialog, it_code[:9])
    qtbot.mouseClick(dialog.recover_button, Qt.MouseButton.LeftButton)
    assert "not a whole recovery code" in dialog.error.text()
    assert "27 letters and digits, and 8 were typed" in dialog.error.text()

    last = it_code[-1]
    typo = it_code[:-1] + ("0" if last != "0" else "1")
    type_new(qtbot, dialog, typo)
    assert not dialog.error.isVisible()  # the old problem went once the code changed
    qtbot.mouseClick(dialog.recover_button, Qt.MouseButton.LeftButton)
    assert "has a typo" in dialog.error.text()
    # mistyped codes never reach the vault: no failure counted
    assert json.loads(vault.read_text()).get("recovery_failures", 0) == 0

    type_new(qtbot, dialog, recovery.encode_code(recovery.new_secret()))
    qtbot.mouseClick(dialog.recover_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisible()
    assert "does not open this profile" in dialog.error.text()
    assert "Ask IT for a new code" in dialog.error.text()
    assert json.loads(vault.read_text())["recovery_failures"] == 1

    # a weak new passphrase: said under the field, and the button waits
    type_new(qtbot, dialog, it_code, "password password")
    assert "Not accepted yet" in dialog.new_passphrase.problems.text()
    assert not dialog.recover_button.isEnabled()

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: unlock.recovery is None)
    assert unlock.isVisible() and unlock.result() != QDialog.DialogCode.Accepted
    unlock.reject()
    s = manager.open(PROFILE_NAME)
    try:
        s.unlock(PASSPHRASE)  # nothing changed
    finally:
        s.close()


def test_too_many_wrong_codes_show_the_cool_down(
    qtbot: Any, manager: ProfileManager, it_code: str
) -> None:
    unlock, dialog = open_recovery(qtbot, manager)
    cooldown_from = VaultPolicy().cooldown_after_failures
    for _ in range(cooldown_from):
        type_new(qtbot, dialog, recovery.encode_code(recovery.new_secret()))
        qtbot.mouseClick(dialog.recover_button, Qt.MouseButton.LeftButton)
        assert "does not open this profile" in dialog.error.text()
    # the right code now waits too: nothing is tried during the cool-down
    type_new(qtbot, dialog, it_code)
    qtbot.mouseClick(dialog.recover_button, Qt.MouseButton.LeftButton)
    text = dialog.error.text()
    assert "Too many recovery codes that did not open this profile" in text
    assert "you can try again in 30 seconds" in text
    assert dialog.cooling_down and not dialog.recover_button.isEnabled()
    dialog.reject()
    unlock.reject()


def test_recovery_of_an_erased_profile_says_so(
    qtbot: Any, manager: ProfileManager, it_code: str
) -> None:
    s = manager.open(PROFILE_NAME)
    s._vault.crypto_erase()
    s.close()
    unlock, dialog = open_recovery(qtbot, manager)
    type_new(qtbot, dialog, it_code)
    qtbot.mouseClick(dialog.recover_button, Qt.MouseButton.LeftButton)
    assert "This profile was erased" in dialog.error.text()
    assert "cannot bring it back" in dialog.error.text()
    assert not dialog.recover_button.isEnabled()
    dialog.reject()
    qtbot.waitUntil(lambda: unlock.recovery is None)
    assert not unlock.forgot_button.isEnabled()  # erased: nothing more to recover
    assert "erased" in unlock.message.text()
    unlock.reject()


# --- (c) enrollment offered right after a profile is created ------------------------------


@pytest.fixture
def agency() -> FakeAgency:
    return FakeAgency()


@pytest.fixture
def windows(qtbot: Any, manager: ProfileManager, agency: FakeAgency) -> Iterator[Any]:
    made: list[Any] = []

    def _make(session: Session, **kwargs: Any) -> Any:
        window = make_window(qtbot, session, manager, agency.transport(), quiet_network(), **kwargs)
        made.append(window)
        return window

    yield _make
    for window in made:
        close_window(window)


def test_a_new_profile_is_offered_enrollment_and_it_completes(
    qtbot: Any, session: Session, agency: FakeAgency, windows: Any, tmp_path: Path
) -> None:
    assert session.created_now
    window = windows(session, offer_enrollment=True)
    qtbot.waitUntil(lambda: window.enroll_offer is not None and window.enroll_offer.isVisible())
    offer = window.enroll_offer
    form = offer.form
    assert form.title.text() == "Connect this laptop to your agency"
    assert "Skip" in offer.skip_button.text()

    form.provisioning_edit.setText(str(tmp_path / "missing.toml"))
    qtbot.keyClicks(form.code_edit, CODE)
    qtbot.keyClick(form.code_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.provisioning_field.error.isVisibleTo(form))
    assert "provisioning file" in form.provisioning_field.error.text().casefold()

    form.provisioning_edit.setText(str(write_provisioning(agency, tmp_path / "prov.toml")))
    qtbot.keyClick(form.code_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: offer.is_enrolled)
    assert form.enroll_status.text() == "This laptop is now connected to the agency."
    qtbot.waitUntil(lambda: window.enroll_offer is None)
    assert guarded(session, session.link.status).enrolled is True
    screen = window.sync
    qtbot.waitUntil(lambda: screen.stack.currentWidget() is screen.panel)
    assert agency.name in screen.panel_heading.text()


def test_skipping_the_offer_leaves_the_form_on_the_sync_screen(
    qtbot: Any, session: Session, agency: FakeAgency, windows: Any, tmp_path: Path
) -> None:
    window = windows(session, offer_enrollment=True)
    qtbot.waitUntil(lambda: window.enroll_offer is not None and window.enroll_offer.isVisible())
    qtbot.keyClick(window.enroll_offer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.enroll_offer is None)
    assert "Sync screen" in window.statusBar().currentMessage()
    assert guarded(session, session.link.status).enrolled is False

    window.go_to(window.sync)
    screen = window.sync
    assert screen.stack.currentWidget() is screen.enroll_page
    screen.provisioning_edit.setText(str(write_provisioning(agency, tmp_path / "prov.toml")))
    screen.code_edit.setText(CODE)
    qtbot.mouseClick(screen.enroll_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.stack.currentWidget() is screen.panel)


def test_a_new_supervisor_profile_is_offered_the_invite_form(
    qtbot: Any, manager: ProfileManager, windows: Any
) -> None:
    window = windows(make_supervisor(manager), offer_enrollment=True)  # closed with it
    qtbot.waitUntil(lambda: window.enroll_offer is not None)
    form = window.enroll_offer.form
    assert form.title.text() == "Connect as a supervisor"
    assert form.name_edit is not None and form.name_edit.isVisibleTo(form)
    window.enroll_offer.reject()
    qtbot.waitUntil(lambda: window.enroll_offer is None)
    assert window.stack.currentWidget() is window.sync  # as before: Sync first


def test_an_existing_profile_is_not_offered_again(
    qtbot: Any, session: Session, windows: Any, manager: ProfileManager
) -> None:
    session.close()
    again = manager.open(PROFILE_NAME)
    again.unlock(PASSPHRASE)
    assert not again.created_now
    window = windows(again, offer_enrollment=True)
    qtbot.waitUntil(lambda: window.link.snapshot is not None)
    QApplication.processEvents()
    assert window.enroll_offer is None


# --- 1280x720, English and Spanish, screenshots -------------------------------------------


@pytest.fixture(params=["en", "es"])
def language(request: Any, qapp: QApplication) -> Iterator[str]:
    default = QLocale()
    installed = install_translators(qapp, QLocale(request.param)) if request.param != "en" else []
    yield request.param
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(default)


def cut_off(window: QWidget) -> list[str]:
    """Every visible widget that reaches past the dialog (as test_window_fit)."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    QApplication.processEvents()
    bounds = window.rect()
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.window() is not window:
            continue
        rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        if not bounds.contains(rect):
            found.append(f"{type(widget).__name__} {rect.getRect()} in {bounds.getRect()}")
    return found


def fits(dialog: QWidget) -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    QApplication.processEvents()
    assert dialog.width() <= 1280 and dialog.height() <= 720 - 40, dialog.size()  # a taskbar
    assert cut_off(dialog) == []


def test_first_run_dialogs_fit_1280x720_with_screenshots(
    qtbot: Any,
    tmp_path: Path,
    language: str,
    screenshot_path: Any,
    agency: FakeAgency,
    windows: Any,
    manager: ProfileManager,
) -> None:
    create = shown(
        qtbot,
        CreateProfileDialog(ProfileManager(tmp_path / "a", provisioning=agency.provisioning())),
    )
    qtbot.keyClicks(create.name, "alex")
    qtbot.keyClicks(create.passphrase, "river stones")  # not accepted yet: the longest form
    fits(create)
    assert unnamed_controls(create) == []
    assert create.grab().save(str(screenshot_path(f"first-run-create-{language}.png")))
    create.reject()

    unlock_manager = ProfileManager(tmp_path / "b")
    fast(unlock_manager)
    unlock, recovering = open_recovery(qtbot, unlock_manager)
    fits(unlock)
    assert unnamed_controls(unlock) == [] and unnamed_controls(recovering) == []
    assert unlock.grab().save(str(screenshot_path(f"unlock-erase-rule-{language}.png")))
    qtbot.keyClicks(recovering.code, "7K3M-Q9XD-2BRT-5WAA")  # fixed: same picture each run
    qtbot.keyClicks(recovering.passphrase, "lantern porch")
    fits(recovering)
    qtbot.keyClicks(recovering.passphrase, " tonight by the barn")
    qtbot.keyClicks(recovering.confirm, "lantern porch tonight by the barn")
    qtbot.mouseClick(recovering.recover_button, Qt.MouseButton.LeftButton)
    assert recovering.error.isVisible()
    fits(recovering)
    assert recovering.grab().save(str(screenshot_path(f"recovery-{language}.png")))
    recovering.reject()
    unlock.reject()

    session = manager.create(PROFILE_NAME, PASSPHRASE, kdf_params=KdfParams.new())
    window = windows(session, offer_enrollment=True)
    qtbot.waitUntil(lambda: window.enroll_offer is not None and window.enroll_offer.isVisible())
    offer = window.enroll_offer
    offer.form.provisioning_edit.setText("/etc/peerdesk/provisioning.toml")
    fits(offer)
    assert unnamed_controls(offer) == []
    assert offer.grab().save(str(screenshot_path(f"first-run-enroll-{language}.png")))
    offer.reject()

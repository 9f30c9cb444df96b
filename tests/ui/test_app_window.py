"""The first window: demo profile, lock clears the views, unlock brings them back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget

from peerdesk.demo import DEMO_PASSPHRASE, ensure_demo_profile
from peerdesk.service import ProfileManager
from ui.app import MainWindow, UnlockDialog


def _cells(table: QTableWidget) -> list[str]:
    return [
        table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())
    ]


def test_demo_window_lists_sample_data_and_lock_clears_it(qtbot, tmp_path):
    session = ensure_demo_profile(ProfileManager(root=tmp_path))
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Participants",
        "Notes",
        "Trips",
    ]
    assert "Tobias Wren" in _cells(window.tabs.widget(0))
    assert window.tabs.widget(1).rowCount() == 4
    session.lock()
    window.refresh()
    assert window.tabs.count() == 0  # nothing sensitive left on screen
    session.close()


def test_unlock_dialog_reports_wrong_passphrase_then_unlocks(qtbot, tmp_path):
    manager = ProfileManager(root=tmp_path)
    ensure_demo_profile(manager).close()
    session = manager.open("Demo")
    dialog = UnlockDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.passphrase, "not the demo passphrase at all")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert not session.is_unlocked
    assert "9 attempt(s) left" in dialog.error.text()  # one Return = one attempt
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, DEMO_PASSPHRASE)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert session.is_unlocked
    assert session.vault.failed_attempts == 0
    assert dialog.passphrase.text() == ""
    session.close()

"""The first window: demo data shown; Ctrl+L locks, clears every view, and asks
to sign in again."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QTableWidget

import ui.app
from peerdesk.demo import DEMO_PASSPHRASE, DEMO_PROFILE, ensure_demo_profile
from peerdesk.service import ProfileManager
from ui.app import MainWindow


def _cells(table: QTableWidget) -> list[str]:
    return [
        table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())
    ]


def test_demo_window_lists_sample_participants_notes_and_trips(qtbot, tmp_path):
    manager = ProfileManager(root=tmp_path)
    session = ensure_demo_profile(manager)
    window = MainWindow(session, manager)
    qtbot.addWidget(window)
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs == ["Participants", "Notes", "Trips"]
    assert "Tobias Wren" in _cells(window.tabs.widget(0))
    assert window.tabs.widget(1).rowCount() == 4
    assert window.tabs.widget(2).rowCount() == 3
    window.session.close()


def test_lock_action_ctrl_l_clears_the_views_and_signs_in_again(qtbot, tmp_path, monkeypatch):
    manager = ProfileManager(root=tmp_path)
    first = ensure_demo_profile(manager)
    window = MainWindow(first, manager)
    qtbot.addWidget(window)
    window.show()
    seen = {}

    def fake_sign_in(mgr, last, parent=None):
        # what is on screen while the unlock dialog would be showing
        seen["tabs"] = window.tabs.count()
        seen["locked"] = not first.is_unlocked
        seen["last"] = last
        again = mgr.open(last)
        again.unlock(DEMO_PASSPHRASE)
        return again

    monkeypatch.setattr(ui.app, "sign_in", fake_sign_in)
    # (offscreen, QTest key sequences do not reach the shortcut map reliably)
    assert window.lock_action.shortcut() == QKeySequence("Ctrl+L")
    window.lock_action.trigger()

    assert seen == {"tabs": 0, "locked": True, "last": DEMO_PROFILE}
    assert window.session is not first and window.session.is_unlocked
    assert window.tabs.count() == 3  # views are back after unlocking
    window.session.close()


def test_cancelled_sign_in_after_lock_closes_the_window(qtbot, tmp_path, monkeypatch):
    manager = ProfileManager(root=tmp_path)
    window = MainWindow(ensure_demo_profile(manager), manager)
    qtbot.addWidget(window)
    window.show()
    monkeypatch.setattr(ui.app, "sign_in", lambda *a, **k: None)
    window.lock()
    assert not window.isVisible()
    assert not window.session.is_unlocked

"""Issue 21, readability: the View menu's text sizes change the application font
at once, relative to the system's font, and the choice is kept for the next start."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel

from peerdesk.demo.profiles import ensure_demo_profile
from peerdesk.services import ProfileManager
from ui.app import MainWindow
from ui.view import FONT_SIZES, SETTINGS_FILE, system_font


@pytest.fixture(autouse=True)
def _restore_font(qapp: QApplication) -> Iterator[None]:
    before = QFont(qapp.font())
    yield
    QApplication.setFont(before)


def open_window(qtbot, tmp_path) -> MainWindow:
    manager = ProfileManager(root=tmp_path)
    window = MainWindow(ensure_demo_profile(manager), manager, idle_timeout_s=0)
    qtbot.addWidget(window)
    window.show()
    return window


def test_larger_text_changes_the_application_font_and_is_kept(qtbot, tmp_path):
    base = system_font().pointSizeF()
    window = open_window(qtbot, tmp_path)
    checked = window.font_sizes.checkedAction()
    assert checked.objectName() == "font_default"
    assert QApplication.font().pointSizeF() == pytest.approx(base, abs=0.1)
    label = QLabel("text", window)
    window.findChild(type(checked), "font_largest").trigger()
    expected = round(base * FONT_SIZES["largest"], 1)
    assert QApplication.font().pointSizeF() == pytest.approx(expected, abs=0.1)
    QApplication.processEvents()
    assert label.font().pointSizeF() == pytest.approx(expected, abs=0.1)  # at once
    assert "largest" in (tmp_path / SETTINGS_FILE).read_text()
    window.close()

    QApplication.setFont(system_font())
    again = open_window(qtbot, tmp_path)  # the next start reads the choice back
    assert again.font_sizes.checkedAction().objectName() == "font_largest"
    assert QApplication.font().pointSizeF() == pytest.approx(expected, abs=0.1)
    again.findChild(type(checked), "font_default").trigger()
    assert QApplication.font().pointSizeF() == pytest.approx(base, abs=0.1)
    again.close()


def test_ctrl_plus_and_minus_step_through_the_sizes(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    steps = {
        a.text(): a for a in window.actions() if a.shortcut().toString() in ("Ctrl++", "Ctrl+-")
    }
    bigger = next(a for a in steps.values() if a.shortcut().toString() == "Ctrl++")
    smaller = next(a for a in steps.values() if a.shortcut().toString() == "Ctrl+-")
    bigger.trigger()
    assert window.font_sizes.checkedAction().objectName() == "font_larger"
    smaller.trigger()
    smaller.trigger()
    assert window.font_sizes.checkedAction().objectName() == "font_smaller"
    smaller.trigger()  # stays at the smallest
    assert window.font_sizes.checkedAction().objectName() == "font_smaller"
    assert QApplication.font().pointSizeF() < system_font().pointSizeF()
    window.close()

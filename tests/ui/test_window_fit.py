"""Issue 21, readability: the main window is resizable, and at laptop sizes
(1366x768, 1280x720), in English and Spanish, no visible widget of any section of
the peer's or the supervisor's window reaches past the window."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QRect, QSize
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QMainWindow, QWidget

from peerdesk.demo.profiles import ensure_demo_profile
from peerdesk.services import ProfileManager
from tests.ui.review_helpers import make_supervisor
from ui.app import MainWindow
from ui.i18n import install_translators
from ui.view import MINIMUM, fit_to_screen

SIZES = [QSize(1366, 768), QSize(1280, 720)]


def _scrolled(widget: QWidget, window: QWidget) -> bool:
    """Inside a scroll area's viewport: it scrolls, so it may be larger."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent.parentWidget(), QAbstractScrollArea) and (
            parent is parent.parentWidget().viewport()  # type: ignore[union-attr]
        ):
            return True
        parent = parent.parentWidget()
    return False


def cut_off(window: QMainWindow) -> list[str]:
    """Every visible widget whose rect, mapped to the window, leaves window.rect()."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    QApplication.processEvents()
    bounds = window.rect()
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.isWindow() or _scrolled(widget, window):
            continue
        rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        if not bounds.contains(rect):
            name = widget.objectName() or type(widget).__name__
            found.append(f"{name} {rect.getRect()} in {bounds.getRect()}")
    return found


@pytest.fixture(params=["en", "es"])
def language(request: Any, qapp: QApplication) -> Iterator[str]:
    default = QLocale()
    installed = install_translators(qapp, QLocale(request.param)) if request.param != "en" else []
    yield request.param
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(default)


def check_every_section(qtbot: Any, window: MainWindow) -> dict[str, list[str]]:
    qtbot.addWidget(window)
    window.show()
    problems = {}
    for size in SIZES:
        window.resize(size)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        if window.size() != size:  # its minimum is larger than the screen
            problems[f"{size.width()}x{size.height()}"] = [f"window is {window.size()}"]
        for index in range(window.sidebar.count()):
            window.sidebar.setCurrentRow(index)
            qtbot.waitUntil(lambda: not window.taskman.busy)
            if found := cut_off(window):
                problems[f"{size.width()}x{size.height()} {window.sidebar.item(index).text()}"] = (
                    found
                )
    window.close()
    return problems


def test_nothing_is_cut_off_in_the_peers_window(qtbot, tmp_path, language):
    manager = ProfileManager(root=tmp_path)
    window = MainWindow(ensure_demo_profile(manager), manager, idle_timeout_s=0)
    assert check_every_section(qtbot, window) == {}


def test_nothing_is_cut_off_in_the_supervisors_window(qtbot, tmp_path, language):
    manager = ProfileManager(root=tmp_path)
    window = MainWindow(make_supervisor(manager), manager, idle_timeout_s=0)
    assert check_every_section(qtbot, window) == {}


def test_window_is_resizable_within_the_available_screen(qtbot, tmp_path):
    manager = ProfileManager(root=tmp_path)
    window = MainWindow(ensure_demo_profile(manager), manager, idle_timeout_s=0)
    qtbot.addWidget(window)
    given = fit_to_screen(window)
    room = window.screen().availableGeometry().size()
    assert given.width() <= max(room.width(), MINIMUM.width())
    assert given.height() <= max(room.height(), MINIMUM.height())
    assert window.minimumSize() == MINIMUM
    assert window.maximumSize().width() > 5000  # not a fixed size
    # the minimum fits a 1280x720 screen with a taskbar (40) and a title bar (40)
    assert MINIMUM.width() <= 1280 and MINIMUM.height() <= 720 - 80
    window.show()
    window.resize(MINIMUM)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 720 - 80
    window.close()


def test_the_walk_finds_a_widget_past_the_edge(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(QWidget())
    window.resize(400, 300)
    stray = QWidget(window.centralWidget())
    stray.setObjectName("stray")
    stray.setGeometry(350, 10, 100, 20)
    window.show()
    assert [p.split()[0] for p in cut_off(window)] == ["stray"]
    stray.hide()
    assert cut_off(window) == []


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_main_window_screenshots(qtbot, tmp_path, language, size, screenshot_path):
    manager = ProfileManager(root=tmp_path)
    window = MainWindow(ensure_demo_profile(manager), manager, idle_timeout_s=0)
    qtbot.addWidget(window)
    window.resize(size)
    window.show()
    window.go_to(window.notes)
    qtbot.waitUntil(lambda: window.notes.table.rowCount() == 4)
    window.notes.open_row(0)
    qtbot.waitUntil(lambda: window.notes.editor.note is not None)
    qtbot.waitUntil(lambda: not window.taskman.busy)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    assert window.size() == size
    name = f"main-{size.width()}x{size.height()}-{language}.png"
    assert window.grab().save(str(screenshot_path(name)))
    window.close()

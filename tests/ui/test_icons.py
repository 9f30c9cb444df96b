"""Icons: every SVG in resources/icons/ loads and draws sharp at 2x device pixel
ratio, section icons are drawn in the palette's text colour, and the window,
sidebar and actions use them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QImage, QPalette
from PySide6.QtWidgets import QApplication

from peerdesk.demo.profiles import ensure_demo_profile
from peerdesk.resources import ICONS_DIR, icon_path
from peerdesk.services import ProfileManager
from ui.app import MainWindow
from ui.icons import APP_ICON, ICON_NAMES, app_icon, icon

ALL_ICONS = (*ICON_NAMES, APP_ICON)


def drawn_pixels(image: QImage) -> list[QColor]:
    return [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 200
    ]


def test_the_icon_set_is_complete_and_only_svg() -> None:
    files = sorted(p.name for p in ICONS_DIR.iterdir())
    assert files == sorted(f"{name}.svg" for name in ALL_ICONS)
    wanted = {"today", "participants", "notes", "trips", "resources", "sync", "lock"}
    wanted |= {"review", "reports", "team"}  # the supervisor window's sections
    wanted |= {"mywork"}  # the peer's My work (issue 23)
    wanted |= {"week"}  # the peer's appointments and rides (issue 21)
    assert set(ICON_NAMES) == wanted


@pytest.mark.parametrize("name", ALL_ICONS)
def test_each_svg_loads_with_qt_svg_and_renders_at_2x(qapp: QApplication, name: str) -> None:
    """Qt's own SVG icon engine (QtSvg, shipped in PySide6-Essentials) reads the file."""
    path = icon_path(name)
    assert path == Path(ICONS_DIR, f"{name}.svg") and path.is_file()
    loaded = QIcon(str(path))
    assert not loaded.isNull()
    pixmap = loaded.pixmap(QSize(24, 24), 2.0)
    assert pixmap.devicePixelRatio() == 2.0
    assert pixmap.size() == QSize(48, 48)  # 48 device pixels, not a 24-pixel image scaled up
    assert len(drawn_pixels(pixmap.toImage())) > 100


@pytest.mark.parametrize("name", ICON_NAMES)
def test_section_icons_render_at_1x_and_2x_in_the_text_colour(
    qapp: QApplication, name: str
) -> None:
    themed = icon(name)
    assert not themed.isNull()
    one = themed.pixmap(QSize(24, 24), 1.0)
    two = themed.pixmap(QSize(24, 24), 2.0)
    assert one.size() == QSize(24, 24) and one.devicePixelRatio() == 1.0
    assert two.size() == QSize(48, 48) and two.devicePixelRatio() == 2.0
    # Twice the pixels, drawn at that size: about four times as many drawn pixels.
    assert len(drawn_pixels(two.toImage())) > 3 * len(drawn_pixels(one.toImage())) > 0
    text = qapp.palette().color(QPalette.ColorRole.WindowText)
    colours = {c.name() for c in drawn_pixels(two.toImage()) if c.alpha() == 255}
    assert text.name() in colours


def test_section_icons_follow_a_dark_palette(qapp: QApplication) -> None:
    dark = QPalette(qapp.palette())
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#f0f0f0"))
    dark.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    qapp.setPalette(dark)
    try:
        image = icon("notes").pixmap(QSize(24, 24), 2.0).toImage()
        solid = [c for c in drawn_pixels(image) if c.alpha() == 255]
        assert solid and all(c.lightnessF() > 0.8 for c in solid)
    finally:
        qapp.setPalette(QPalette())


def test_window_sidebar_and_actions_have_icons(qtbot: Any, tmp_path: Path) -> None:
    assert not app_icon().isNull()
    manager = ProfileManager(root=tmp_path)
    window = MainWindow(ensure_demo_profile(manager), manager, idle_timeout_s=0)
    qtbot.addWidget(window)
    assert not window.windowIcon().isNull()
    assert all(not window.sidebar.item(i).icon().isNull() for i in range(window.sidebar.count()))
    assert not window.lock_action.icon().isNull()
    assert all(not action.icon().isNull() for action in window.section_actions)
    window.close()

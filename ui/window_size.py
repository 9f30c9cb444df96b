"""The main window's size (issue 21, readability): resizable, never larger than the
screen's available area, with a minimum that fits a 1280x720 laptop once the
taskbar and the title bar are taken off."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

__all__ = ["MINIMUM", "PREFERRED", "fit_to_screen"]

#: the smallest the window may be made: fits 1280x720 with a taskbar and a title bar
MINIMUM = QSize(960, 560)
#: the size it opens at when the screen has room
PREFERRED = QSize(1280, 800)


def fit_to_screen(window: QWidget, screen: QScreen | None = None) -> QSize:
    """Give ``window`` its minimum and open it at the preferred size, bounded by the
    screen's *available* geometry (not the whole screen); returns the size given."""
    screen = screen or window.screen() or QGuiApplication.primaryScreen()
    window.setMinimumSize(MINIMUM)
    if screen is None:
        window.resize(PREFERRED)
        return PREFERRED
    room = screen.availableGeometry()
    size = PREFERRED.boundedTo(room.size()).expandedTo(MINIMUM)
    window.resize(size)
    window.move(room.x() + (room.width() - size.width()) // 2, room.y() + (room.height() - size.height()) // 2)
    return size

"""The View (issue 21, readability): the main window's size and the text size.

* The window is resizable, opens no larger than the screen's *available* area, and
  its minimum fits a 1280x720 laptop once the taskbar and the title bar are off.
* Text size: Smaller / Default / Larger / Largest, a factor on the system's own
  font (Default follows the system), applied to the whole application at once and
  kept in ``view.ini`` beside the profiles (a plain file: nothing sensitive).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QScreen,
)
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QWidget

from ui.i18n import tr

__all__ = [
    "FONT_SIZES",
    "MINIMUM",
    "PREFERRED",
    "add_view_menu",
    "apply_font_size",
    "fit_to_screen",
    "saved_font_size",
    "system_font",
]

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
    window.move(
        room.x() + (room.width() - size.width()) // 2,
        room.y() + (room.height() - size.height()) // 2,
    )
    return size


#: the text sizes, as factors on the system's font size
FONT_SIZES = {"smaller": 0.85, "default": 1.0, "larger": 1.2, "largest": 1.45}
SETTINGS_FILE = "view.ini"
_KEY = "view/font_size"


def _names() -> dict[str, str]:
    return {
        "smaller": tr("&Smaller text"),
        "default": tr("&Default text size"),
        "larger": tr("&Larger text"),
        "largest": tr("Lar&gest text"),
    }


def settings_at(folder: Path) -> QSettings:
    return QSettings(str(folder / SETTINGS_FILE), QSettings.Format.IniFormat)


def system_font() -> QFont:
    """The system's UI font (what Default shows)."""
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)


def saved_font_size(settings: QSettings) -> str:
    value = str(settings.value(_KEY, "default"))
    return value if value in FONT_SIZES else "default"


def apply_font_size(size: str, settings: QSettings | None = None) -> QFont:
    """Set the application font to ``size`` of the system's font, at once (every
    widget follows the application font); save the choice when ``settings``."""
    if size not in FONT_SIZES:
        raise ValueError(f"unknown text size {size!r}")
    font = system_font()
    base = font.pointSizeF() if font.pointSizeF() > 0 else 9.0
    font.setPointSizeF(round(base * FONT_SIZES[size], 1))
    QApplication.setFont(font)
    if settings is not None:
        settings.setValue(_KEY, size)
        settings.sync()
    return font


def menu_action(
    window: QMainWindow,
    menu: QMenu,
    text: str,
    keys: QKeySequence | str,
    slot: Callable[[], object],
    *,
    icon: QIcon | None = None,
) -> QAction:
    """An action of ``menu`` whose shortcut works anywhere in ``window``."""
    action = QAction(text, window) if icon is None else QAction(icon, text, window)
    action.setShortcut(QKeySequence(keys))
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    menu.addAction(action)
    return action


def add_view_menu(window: QMainWindow, folder: Path) -> QActionGroup:
    """The View menu's text sizes (one checked), with the saved one applied;
    Ctrl++ and Ctrl+- step through them."""
    settings = settings_at(folder)
    current = saved_font_size(settings)
    menu = window.menuBar().addMenu(tr("&View"))
    group = QActionGroup(window)
    group.setExclusive(True)
    for key, name in _names().items():
        action = QAction(name, window)
        action.setObjectName(f"font_{key}")
        action.setCheckable(True)
        action.setChecked(key == current)
        action.triggered.connect(lambda _c=False, k=key: apply_font_size(k, settings))
        group.addAction(action)
        menu.addAction(action)
    keys = list(FONT_SIZES)

    def step(by: int) -> None:
        checked = group.checkedAction()
        at = keys.index(checked.objectName().removeprefix("font_")) if checked else 1
        group.actions()[max(0, min(len(keys) - 1, at + by))].trigger()

    menu.addSeparator()
    for text, shortcut, by in ((tr("Larger"), "Ctrl++", 1), (tr("Smaller"), "Ctrl+-", -1)):
        action = QAction(text, window)
        action.setShortcut(shortcut)
        action.triggered.connect(lambda _c=False, b=by: step(b))
        window.addAction(action)
        menu.addAction(action)
    if current != "default":  # else Qt's own default: the system's font, followed
        apply_font_size(current)
    return group

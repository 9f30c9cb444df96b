"""The application as a whole, before any window: style, palette, language, icon.

:func:`setup_application` is what ``peerdesk`` (:func:`ui.app.main`) and
``peerdesk --self-test`` (:mod:`ui.selftest`) both do to the QApplication; it
knows nothing of the windows.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from ui.i18n import choose_locale, install_translators
from ui.icons import app_icon
from ui.widgets import readable_palette

__all__ = ["follow_system_palette", "setup_application"]

log = logging.getLogger("peerdesk.ui.app")


def follow_system_palette(app: QApplication) -> None:
    """Use the system's palette, light or dark, with every text role made readable
    (:func:`ui.widgets.readable_palette`); again whenever the system switches
    between light and dark."""

    def apply() -> None:
        app.setPalette(QPalette())  # nothing of ours: the platform theme's palette
        app.setPalette(readable_palette(app.palette()))

    apply()
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply())


def setup_application(app: QApplication) -> list[QTranslator]:
    """Style, language and icon: the Fusion style with the system's palette (light
    or dark; nothing overrides it), the translators for ``PEERDESK_LANG`` or the
    system locale, the application icon. Returns the translators installed."""
    app.setApplicationName("PeerDesk")
    app.setDesktopFileName("peerdesk")
    app.setStyle("Fusion")
    follow_system_palette(app)
    locale = choose_locale()
    QLocale.setDefault(locale)
    installed = install_translators(app, locale)
    log.info("UI language %s (%d catalogue(s) loaded)", locale.name(), len(installed))
    app.setWindowIcon(app_icon())
    return installed

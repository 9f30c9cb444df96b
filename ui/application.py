"""The application as a whole, before any window: style, palette, language, icon.

:func:`setup_application` is what ``peerdesk`` (:func:`ui.app.main`) and
``peerdesk --self-test`` (:mod:`ui.selftest`) both do to the QApplication; it
knows nothing of the windows.
"""

from __future__ import annotations

import logging
import signal
import sys

from PySide6.QtCore import QLocale, QTimer, QTranslator
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from peerdesk.errors import ConfigError, PeerDeskError
from ui.errors import message_for
from ui.i18n import choose_locale, install_translators, tr
from ui.icons import app_icon
from ui.widgets import readable_palette

__all__ = ["follow_system_palette", "quit_on_signals", "setup_application", "show_startup_error"]

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


def quit_on_signals(app: QApplication) -> None:
    """End the event loop on SIGINT/SIGTERM (Ctrl+C under ``make run``), so the
    window closes as usual and the demo agency child is stopped. A timer lets
    Python run its signal handlers while Qt waits for events."""

    def handler(_signum: int, _frame: object) -> None:
        log.info("signal received: quitting")
        app.quit()

    for name in ("SIGINT", "SIGTERM"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), handler)
    ticker = QTimer(app)
    ticker.timeout.connect(lambda: None)
    ticker.start(250)


def show_startup_error(exc: PeerDeskError) -> None:
    """Say why PeerDesk does not start: on standard error (for IT's scripts), in
    the log and in a dialog. The message names the file and the bad key; it never
    holds a key or anything about a person."""
    if isinstance(exc, ConfigError):
        lead = tr(
            "PeerDesk cannot start: the agency's provisioning file has a problem. "
            "Ask your IT staff to fix it."
        )
    else:
        lead = tr(
            "PeerDesk cannot start: its installed files have been changed. "
            "Ask your IT staff to reinstall it."
        )
    print(f"peerdesk: {exc}", file=sys.stderr, flush=True)
    log.error("not starting: %s", exc)
    # the dialog in the UI's language (the core's sentence translated); stderr and
    # the log keep the English for IT
    detail = message_for(exc) if isinstance(exc, ConfigError) else str(exc)
    QMessageBox.critical(None, tr("PeerDesk cannot start"), f"{lead}\n\n{detail}")

"""``peerdesk --self-test``: check an installed PeerDesk without a screen.

Qt runs on the offscreen platform (no display needed, also over SSH or in a
deployment script): the application is set up as for the real window (style,
palette, translators, icon), every icon is drawn (Qt's SVG support in this build),
the Spanish catalogue and Qt's own are loaded, a window is drawn, and the network
information backends are listed. Then the core checks of
:mod:`peerdesk.selftest` run (resources against the build list, provisioning and
the pinned key, a throwaway encrypted profile, the directory seed and FTS5 search,
the sync crypto). One line per check goes to standard output; the exit code is 0
when every check passed, 1 otherwise.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TextIO

from PySide6.QtCore import QLocale, qVersion
from PySide6.QtNetwork import QNetworkInformation
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from peerdesk.services.app import CheckResult, SelfTestFailed, report, run_checks
from ui.application import setup_application
from ui.i18n import install_translators, tr
from ui.icons import ICON_NAMES, app_icon, icon

__all__ = ["check_qt", "run_self_test"]


def check_qt(app: QApplication) -> str:
    """Set the application up as :func:`ui.app.main` does and draw with it."""
    setup_application(app)
    if app.platformName() != "offscreen":
        raise SelfTestFailed(f"Qt platform is {app.platformName()!r}, not offscreen")
    if app_icon().pixmap(64, 64).isNull():
        raise SelfTestFailed("the application icon does not draw (Qt SVG icon engine missing)")
    blank = [name for name in ICON_NAMES if icon(name).pixmap(24, 24).toImage().isNull()]
    if blank:
        raise SelfTestFailed(f"icons that do not draw: {', '.join(blank)}")
    translators = install_translators(app, QLocale("es"))
    try:
        if len(translators) < 2:
            raise SelfTestFailed(
                "the Spanish catalogues did not load "
                f"({len(translators)} of 2: PeerDesk's and Qt's qtbase)"
            )
        spanish = tr("Sync")
        if spanish == "Sync":
            raise SelfTestFailed("the Spanish catalogue loaded but does not translate")
    finally:
        for translator in translators:
            app.removeTranslator(translator)
    window = QMainWindow()
    window.setCentralWidget(QLabel("PeerDesk self-test"))
    window.resize(320, 200)
    window.show()
    drawn = window.grab()
    window.close()
    window.deleteLater()
    if drawn.isNull() or drawn.width() < 320:
        raise SelfTestFailed("the window did not draw")
    backends = QNetworkInformation.availableBackends()
    if sys.platform.startswith("linux") and not backends:
        raise SelfTestFailed("no network information backend (Qt networkinformation plugins)")
    return (
        f"Qt {qVersion()} on {app.platformName()}, style {app.style().name()}, "
        f"{len(ICON_NAMES) + 1} icons drawn, Spanish catalogues loaded ({spanish!r}), "
        f"window drawn, network backends: {', '.join(backends) or 'none'}"
    )


def run_self_test(provisioning: Path | None = None, out: TextIO | None = None) -> int:
    """Run every check, print the report, return the exit code."""
    out = out if out is not None else sys.stdout
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    start = time.perf_counter()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    qt_start = time.perf_counter()
    try:
        detail, ok = check_qt(app), True
    # a failure is a line of the report, whatever it is
    except Exception as exc:  # noqa: BLE001
        detail, ok = f"{type(exc).__name__}: {exc}", False
    results = [CheckResult("qt", ok, detail, time.perf_counter() - qt_start)]
    results += run_checks(provisioning)
    print(report(results, time.perf_counter() - start), file=out, flush=True)
    return 0 if all(r.ok for r in results) else 1

"""What locks the window by itself: nobody at the keyboard, or the session going away.

- :class:`IdleWatcher`: ``Policy.auto_lock_minutes`` without keyboard or mouse
  input anywhere in the application (an event filter on the QApplication);
- :class:`SessionWatcher`: Qt reports the application as suspended, or, on
  Linux, systemd-logind announces sleep (``PrepareForSleep``) or the screen saver
  starts (``ActiveChanged``) on D-Bus.

The window (:class:`ui.app.MainWindow`) connects both to its lock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication

__all__ = ["IdleWatcher", "SessionWatcher"]

log = logging.getLogger("peerdesk.ui.app")


class IdleWatcher(QObject):
    """Emits :attr:`idle` once nobody has used the keyboard or mouse anywhere in
    the application for ``timeout_s`` seconds.

    An event filter on the QApplication notes the time of every input event
    (nothing else: a timer, a repaint or a result arriving from the DB thread is
    not a person). A single-shot timer checks when the time could be up and
    re-arms itself for the rest. Idle time is measured on the monotonic clock and
    on the wall clock, whichever says more: the monotonic clock stands still while
    the laptop sleeps, so a lid closed for a night still counts as idle.
    ``timeout_s <= 0`` turns the watcher off. The clocks are injectable for tests.
    """

    idle = Signal()

    #: input that counts as a person being there, when the window system sent it
    #: (spontaneous): events a program sends itself do not keep PeerDesk open
    INPUT_EVENTS = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.KeyRelease,
            QEvent.Type.ShortcutOverride,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseButtonDblClick,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
            QEvent.Type.TouchBegin,
            QEvent.Type.TouchUpdate,
            QEvent.Type.TabletPress,
            QEvent.Type.TabletMove,
            QEvent.Type.InputMethod,
        }
    )
    #: the longest the timer sleeps, so a wall-clock jump after resume is seen soon
    MAX_TICK_S = 15.0

    def __init__(
        self,
        timeout_s: float,
        parent: QObject | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self.timeout_s = float(timeout_s)
        self._monotonic = monotonic
        self._wall = wall
        self._last_mono = monotonic()
        self._last_wall = wall()
        self._active = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check)

    @property
    def enabled(self) -> bool:
        return self.timeout_s > 0

    @property
    def active(self) -> bool:
        return self._active

    def start(self) -> None:
        """Start watching (the idle time starts at zero)."""
        self.touch()
        if not self.enabled or self._active:
            return
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._active = True
        self._arm(self.timeout_s)

    def stop(self) -> None:
        self._timer.stop()
        if self._active:
            app = QCoreApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
        self._active = False

    def touch(self) -> None:
        """Someone is here: the idle time starts again."""
        self._last_mono = self._monotonic()
        self._last_wall = self._wall()

    def idle_seconds(self) -> float:
        mono = self._monotonic() - self._last_mono
        wall = self._wall() - self._last_wall  # negative if the clock was set back
        return max(mono, wall)

    def check(self) -> bool:
        """Emit :attr:`idle` (and stop) if the time is up, else wait for the rest.
        Returns whether it was idle."""
        if not self._active:
            return False
        left = self.timeout_s - self.idle_seconds()
        if left <= 0:
            self.stop()
            self.idle.emit()
            return True
        self._arm(left)
        return False

    def _arm(self, seconds: float) -> None:
        self._timer.start(max(1, int(min(seconds, self.MAX_TICK_S) * 1000) + 1))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.spontaneous() and event.type() in self.INPUT_EVENTS:
            self.touch()
        return False  # only watching; every event goes on to its receiver


class SessionWatcher(QObject):
    """Emits :attr:`going_away` (with a reason) when the session should lock:

    - always: Qt reports the application as suspended
      (``QGuiApplication.applicationStateChanged`` to ``ApplicationSuspended``);
    - after :meth:`connect_dbus` (Linux): systemd-logind's ``PrepareForSleep(true)``
      on the system bus, and a screen saver's ``ActiveChanged(true)``
      (freedesktop or GNOME) on the session bus. PySide6-Essentials ships QtDBus;
      without a bus (or without QtDBus) this is skipped and said in the log.
    """

    going_away = Signal(str)

    SCREENSAVERS = (
        ("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
        ("/ScreenSaver", "org.freedesktop.ScreenSaver"),
        ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._state_changed)
        self.connected: list[str] = []

    @Slot(Qt.ApplicationState)
    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationSuspended:
            self.going_away.emit("suspended")

    @Slot(bool)
    def prepare_for_sleep(self, starting: bool) -> None:
        if starting:
            self.going_away.emit("sleep")

    @Slot(bool)
    def screensaver_active(self, active: bool) -> None:
        if active:
            self.going_away.emit("screensaver")

    def connect_dbus(
        self, system: object | None = None, session: object | None = None
    ) -> list[str]:
        """Listen to the D-Bus signals; the buses default to the system and session
        bus (tests pass private ones). Returns what is now listened to."""
        try:
            from PySide6.QtCore import SLOT
            from PySide6.QtDBus import QDBusConnection
        except ImportError:
            log.info("QtDBus is not available: sleep and screen-saver signals are not watched")
            return []
        system_bus = system if system is not None else QDBusConnection.systemBus()
        session_bus = session if session is not None else QDBusConnection.sessionBus()
        assert isinstance(system_bus, QDBusConnection)
        assert isinstance(session_bus, QDBusConnection)
        wanted = [
            (
                system_bus,
                "org.freedesktop.login1",
                "/org/freedesktop/login1",
                "org.freedesktop.login1.Manager",
                "PrepareForSleep",
                "prepare_for_sleep(bool)",
            ),
            *(
                (session_bus, "", path, interface, "ActiveChanged", "screensaver_active(bool)")
                for path, interface in self.SCREENSAVERS
            ),
        ]
        for bus, service, path, interface, name, slot in wanted:
            what = f"{interface}.{name}"
            if not bus.isConnected():
                log.info("no D-Bus connection for %s: not watched", what)
                continue
            # PySide6 stub problem: the stubs type the slot (a C++ const char*) as bytes,
            # but the binding only takes the str that SLOT() makes (bytes: ValueError)
            if bus.connect(service, path, interface, name, self, SLOT(slot)):  # type: ignore[call-overload]
                self.connected.append(f"{path} {what}")
            else:
                log.info("could not listen to %s on D-Bus", what)
        return list(self.connected)

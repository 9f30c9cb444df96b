"""Auto-lock: no input for the policy's time locks the window exactly like the
Lock action; input keeps it open; the session going away (application
suspended, logind sleep, screen saver on D-Bus) locks it too.

The idle watcher runs on a fake clock (``MainWindow(idle_clock=...)``) that moves
only when a test moves it: a busy machine taking seconds to load the screens or
to deliver a key press changes nothing. Only the watcher's own QTimer runs on
real time (a short ``IDLE_S`` makes it look at the fake clock often); the tests
wait for its verdict with ``qtbot.waitUntil``, or ask it directly with
``check()``."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

import ui.app
from peerdesk.demo.profiles import DEMO_PASSPHRASE, ensure_demo_profile
from peerdesk.services import ProfileManager
from tests.system import require_program
from tests.ui.fake_clock import FakeClock
from tests.ui.widget_text import widget_text
from ui.app import MainWindow
from ui.watchers import IdleWatcher, SessionWatcher

#: the idle time: fake seconds for the verdict; also how often (real seconds) the
#: watcher's timer looks at the fake clock
IDLE_S = 0.3
#: how long (real ms) a test waits for the watcher's timer to see what the fake
#: clock says: many ticks, even on a loaded machine
TICKS_MS = 10_000


#: the demo's people: none of them may be readable anywhere once locked
NAMES = ("Rosa Delgado-Finch", "Tobias Wren", "Okafor", "Dale Running-Creek")


def names_shown(window: QWidget) -> list[tuple[str, str]]:
    """The demo names still readable in ``window`` or any widget inside it
    (dialogs included)."""
    return [
        (type(w).__name__, name)
        for w in [window, *window.findChildren(QWidget)]
        for name in NAMES
        if name in widget_text(w)
    ]


class SignIn:
    """Stands in for the unlock dialog: records what the app looked like at the
    moment it asked for the passphrase, then unlocks again or gives up."""

    def __init__(self, window_ref: list[MainWindow], *, unlock: bool) -> None:
        self.window_ref = window_ref
        self.unlock = unlock
        self.calls: list[dict[str, Any]] = []

    def __call__(self, manager: ProfileManager, last: str | None, parent: Any = None) -> Any:
        window = self.window_ref[0]
        self.calls.append(
            {
                "session_unlocked": window.session.is_unlocked,
                "screens_alive": [s for s in self.screens if shiboken6.isValid(s)],
                "names": names_shown(window),
                "idle_watching": window.idle.active,
            }
        )
        if not self.unlock:
            return None
        again = manager.open(last)
        again.unlock(DEMO_PASSPHRASE)
        return again

    screens: list[QWidget] = []


@pytest.fixture
def manager(tmp_path: Any) -> ProfileManager:
    return ProfileManager(root=tmp_path)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_window(
    qtbot: Any, manager: ProfileManager, idle_s: float, clock: FakeClock | None = None
) -> MainWindow:
    win = MainWindow(
        ensure_demo_profile(manager),
        manager,
        autosave_ms=50,
        idle_timeout_s=idle_s,
        idle_clock=clock,
    )
    qtbot.addWidget(win)
    win.resize(1000, 700)
    win.show()
    return win


@pytest.fixture
def locked_by(monkeypatch: pytest.MonkeyPatch) -> Iterator[SignIn]:
    ref: list[MainWindow] = []
    fake = SignIn(ref, unlock=False)
    monkeypatch.setattr(ui.app, "sign_in", fake)
    yield fake


def wait_for_data(qtbot: Any, win: MainWindow) -> None:
    """Let every screen show its decrypted data, so the lock has something to drop.
    However long that takes, the fake idle clock stands still meanwhile."""
    qtbot.waitUntil(lambda: win.today.data is not None)
    qtbot.waitUntil(lambda: "Tobias Wren" in win.participants.model.names())
    qtbot.waitUntil(lambda: win.notes.editor.participant_combo.count() == 4)
    assert names_shown(win)  # the names are on screen before the lock


def test_no_input_locks_and_destroys_every_sensitive_widget(
    qtbot: Any, manager: ProfileManager, locked_by: SignIn, clock: FakeClock
) -> None:
    win = make_window(qtbot, manager, IDLE_S, clock)
    locked_by.window_ref.append(win)
    locked_by.screens = win.screens()
    first = win.session
    wait_for_data(qtbot, win)
    win.sidebar.setCurrentRow(1)  # the participants list, names and all
    # Real time went by while the data loaded; idle time did not.
    assert not locked_by.calls and win.idle.active and win.idle.idle_seconds() == 0
    clock.advance(IDLE_S * 0.9)
    assert not win.idle.check() and not locked_by.calls  # not yet
    clock.advance(IDLE_S * 0.2)
    # The watcher's own timer sees it (no check() from here): it locks.
    qtbot.waitUntil(lambda: bool(locked_by.calls), timeout=TICKS_MS)
    assert locked_by.calls == [
        {"session_unlocked": False, "screens_alive": [], "names": [], "idle_watching": False}
    ]
    assert not first.is_unlocked
    assert not win.isVisible()  # the sign-in was cancelled, so the window closed


def test_input_keeps_the_window_unlocked(
    qtbot: Any, manager: ProfileManager, locked_by: SignIn, clock: FakeClock
) -> None:
    win = make_window(qtbot, manager, IDLE_S, clock)
    locked_by.window_ref.append(win)
    qtbot.waitUntil(lambda: win.today.data is not None)
    # 16 inputs, keys and mouse moves, each 0.8 of the idle time after the one
    # before: 12.8 times the idle time in all, never idle for long enough (without
    # the inputs, the second check would find 1.6 times the idle time).
    for step in range(16):
        if step % 2:
            qtbot.mouseMove(win.sidebar, QPoint(20 + step, 20 + step))
        else:
            qtbot.keyClick(win.sidebar, Qt.Key.Key_Shift)
        assert win.idle.idle_seconds() == 0, f"input {step} did not count"
        clock.advance(IDLE_S * 0.8)
        assert not win.idle.check()
        assert not locked_by.calls and win.session.is_unlocked
    # Then nothing for the idle time: it locks.
    clock.advance(IDLE_S * 0.3)
    assert win.idle.check()
    qtbot.waitUntil(lambda: bool(locked_by.calls))
    assert not win.session.is_unlocked


def test_events_sent_by_the_program_are_not_a_person(
    qtbot: Any, manager: ProfileManager, locked_by: SignIn, clock: FakeClock
) -> None:
    win = make_window(qtbot, manager, IDLE_S, clock)
    locked_by.window_ref.append(win)

    def poke() -> None:
        if shiboken6.isValid(win.sidebar):
            event = QKeyEvent(
                QEvent.Type.KeyPress, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier
            )
            QApplication.sendEvent(win.sidebar, event)  # not spontaneous

    for _ in range(5):
        clock.advance(IDLE_S / 4)
        poke()
        assert not locked_by.calls
    # The pokes did not make the idle time start again: the idle time is up.
    assert win.idle.idle_seconds() >= IDLE_S
    assert win.idle.check()
    qtbot.waitUntil(lambda: bool(locked_by.calls))


def test_after_unlocking_again_the_idle_timer_runs_again(
    qtbot: Any, manager: ProfileManager, monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    ref: list[MainWindow] = []
    fake = SignIn(ref, unlock=True)
    monkeypatch.setattr(ui.app, "sign_in", fake)
    win = make_window(qtbot, manager, IDLE_S, clock)
    ref.append(win)
    for locks in (1, 2):  # locked, unlocked, locked (and unlocked)
        assert not win.idle.check()  # the idle time starts from zero: nothing yet
        clock.advance(IDLE_S * 1.5)
        # the watcher's timer (of the window opened after the last unlock) sees it
        qtbot.waitUntil(lambda n=locks: len(fake.calls) == n, timeout=TICKS_MS)
        assert win.session.is_unlocked and win.idle.active
        assert win.idle.idle_seconds() == 0  # it starts again from zero
    assert all(not call["session_unlocked"] for call in fake.calls)


def test_idle_with_a_dialog_open_closes_it_first_then_locks(
    qtbot: Any, manager: ProfileManager, locked_by: SignIn, clock: FakeClock
) -> None:
    win = make_window(qtbot, manager, IDLE_S, clock)
    locked_by.window_ref.append(win)
    locked_by.screens = win.screens()
    result: list[int] = []
    open_when_idle: list[bool] = []
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Sign and lock this note?",
        "A dialog left open over the editor.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        win.notes.editor,
    )

    def idle_time_passes() -> None:  # runs inside the dialog's own event loop
        open_when_idle.append(QApplication.activeModalWidget() is box)
        clock.advance(IDLE_S * 2)

    def open_dialog() -> None:
        QTimer.singleShot(0, idle_time_passes)
        result.append(box.exec())

    QTimer.singleShot(0, open_dialog)
    qtbot.waitUntil(lambda: bool(locked_by.calls), timeout=TICKS_MS)
    assert open_when_idle == [True]
    assert result and result[0] != QMessageBox.StandardButton.Yes  # it returned, not accepted
    assert locked_by.calls[0]["screens_alive"] == []
    assert locked_by.calls[0]["names"] == []


def test_lock_action_and_auto_lock_share_one_path(
    qtbot: Any, manager: ProfileManager, locked_by: SignIn
) -> None:
    win = make_window(qtbot, manager, 0)  # idle locking off
    locked_by.window_ref.append(win)
    locked_by.screens = win.screens()
    assert not win.idle.active
    wait_for_data(qtbot, win)
    win.lock_action.trigger()
    assert locked_by.calls == [
        {"session_unlocked": False, "screens_alive": [], "names": [], "idle_watching": False}
    ]


def test_application_suspended_locks(
    qtbot: Any, manager: ProfileManager, locked_by: SignIn
) -> None:
    win = make_window(qtbot, manager, 0)
    locked_by.window_ref.append(win)
    app = QGuiApplication.instance()
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    assert not locked_by.calls  # only "suspended" means the session goes away
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationSuspended)
    assert len(locked_by.calls) == 1 and not locked_by.calls[0]["session_unlocked"]


# --- the watchers on their own ---------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.mono = 100.0
        self.wall = 1_700_000_000.0


def test_idle_watcher_counts_time_asleep_by_the_wall_clock(qtbot: Any) -> None:
    clock = Clock()
    watcher = IdleWatcher(600, monotonic=lambda: clock.mono, wall=lambda: clock.wall)
    watcher.start()
    try:
        clock.mono += 599
        clock.wall += 599
        assert not watcher.check()
        watcher.touch()
        clock.mono += 300
        clock.wall += 300
        assert not watcher.check()
        # The lid closes for a night: the monotonic clock stands still, the wall
        # clock does not.
        clock.wall += 8 * 3600
        with qtbot.waitSignal(watcher.idle, timeout=1000):
            assert watcher.check()
        assert not watcher.active
    finally:
        watcher.stop()


def test_idle_watcher_ignores_a_clock_set_back(qtbot: Any) -> None:
    clock = Clock()
    watcher = IdleWatcher(60, monotonic=lambda: clock.mono, wall=lambda: clock.wall)
    watcher.start()
    try:
        clock.wall -= 3600
        clock.mono += 61
        assert watcher.check()
    finally:
        watcher.stop()


def test_idle_watcher_with_no_timeout_is_off(qtbot: Any) -> None:
    watcher = IdleWatcher(0)
    watcher.start()
    assert not watcher.enabled and not watcher.active
    assert not watcher.check()


@pytest.fixture
def private_bus() -> Iterator[str]:
    dbus_daemon = require_program("dbus-daemon", "dbus-daemon")
    daemon = subprocess.Popen(
        [dbus_daemon, "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert daemon.stdout is not None
        yield daemon.stdout.readline().strip()
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


def test_logind_sleep_and_screen_saver_signals_on_dbus_lock(qtbot: Any, private_bus: str) -> None:
    from PySide6.QtDBus import QDBusConnection, QDBusMessage

    listen = QDBusConnection.connectToBus(private_bus, "peerdesk-test-listen")
    send = QDBusConnection.connectToBus(private_bus, "peerdesk-test-send")
    try:
        assert listen.isConnected() and send.isConnected()
        # logind's signal is matched on its well-known name: own it on this bus.
        assert send.registerService("org.freedesktop.login1")
        watcher = SessionWatcher()
        watched = watcher.connect_dbus(system=listen, session=listen)
        assert any("PrepareForSleep" in w for w in watched)
        assert any("org.freedesktop.ScreenSaver.ActiveChanged" in w for w in watched)

        def signal(path: str, interface: str, name: str, value: bool) -> None:
            message = QDBusMessage.createSignal(path, interface, name)
            message.setArguments([value])
            assert send.send(message)

        reasons: list[str] = []
        watcher.going_away.connect(reasons.append)
        signal("/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep", True)
        qtbot.waitUntil(lambda: reasons == ["sleep"], timeout=3000)
        # Screen saver off, then on: only "on" locks.
        signal(
            "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged", False
        )
        signal("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "ActiveChanged", True)
        qtbot.waitUntil(lambda: reasons == ["sleep", "screensaver"], timeout=3000)
    finally:
        QDBusConnection.disconnectFromBus("peerdesk-test-listen")
        QDBusConnection.disconnectFromBus("peerdesk-test-send")


def test_without_a_bus_nothing_is_watched_and_nothing_breaks(qtbot: Any) -> None:
    from PySide6.QtDBus import QDBusConnection

    nowhere = QDBusConnection.connectToBus("unix:path=/nonexistent/peerdesk-bus", "peerdesk-none")
    try:
        assert not nowhere.isConnected()
        assert SessionWatcher().connect_dbus(system=nowhere, session=nowhere) == []
    finally:
        QDBusConnection.disconnectFromBus("peerdesk-none")

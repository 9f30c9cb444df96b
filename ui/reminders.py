"""Reminders of coming appointments while PeerDesk is open (issue 21).

Once a minute (and when the window asks, e.g. after an appointment changed)
:class:`ReminderWatch` reads the appointments due for a reminder (30 minutes
before, an hour when a ride to it is still to be driven; the rule is in
:mod:`peerdesk.domain.reminders`) on the task manager's DB thread and tells each
once per start time through ``notify(title, text)``.

The words hold the time and the participant's *initials* only, never the name nor
what the appointment is: a desktop notification can pop up on a shared or
projected screen. :class:`Notifier` shows it as the desktop's notification when
there is a system tray, and always in the window's status bar, and asks the
window manager to flash the window.

The clock is injected (``now``): the tests move it, nothing waits on real time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QApplication, QMainWindow, QSystemTrayIcon

from peerdesk.domain.calendar_file import initials
from peerdesk.domain.reminders import lead_of, reminder_key
from peerdesk.services import Changes, Session
from peerdesk.services.appointments import Booked
from ui.formats import clock_time
from ui.i18n import tr
from ui.icons import app_icon
from ui.taskman import TaskManager

__all__ = ["INTERVAL_MS", "Notifier", "ReminderWatch", "reminder_text", "start_reminders"]

#: how often the appointments are looked at
INTERVAL_MS = 60_000
#: how long the status bar keeps a reminder
STATUS_MS = 15 * 60_000

Notify = Callable[[str, str], None]


def reminder_text(booked: Booked) -> str:
    """The reminder's words: the time and the initials (nothing else that could
    identify the person or say what the appointment is)."""
    a = booked.appointment
    who = initials(booked.name)
    if a.ride is not None and not a.ride.completed:
        return tr("Appointment with {who} at {time}: the ride to it is still to be driven.").format(
            time=clock_time(a.starts_at), who=who
        )
    return tr("Appointment with {who} at {time}.").format(time=clock_time(a.starts_at), who=who)


class ReminderWatch(QObject):
    """Tells each due appointment once (per start time) while the session is open."""

    #: the words of each reminder told (for the window and the tests)
    told = Signal(str)

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        notify: Notify,
        *,
        now: Callable[[], datetime] | None = None,
        interval_ms: int = INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self.notify = notify
        self._now = now or (lambda: datetime.now().astimezone())
        self._told: set[tuple[str, datetime]] = set()
        self._checking = False
        self._stopped = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        """Look now, then once a minute."""
        self.timer.start()
        self.check()

    def stop(self) -> None:
        """No more looks (the session is ending); nothing is told after this. The
        watch is deleted at the next return to the event loop."""
        self.timer.stop()
        self._stopped = True
        self.deleteLater()

    def check(self, *_changed: object) -> None:
        """Read what is due on the DB thread; tell what was not told yet."""
        if self._checking or self._stopped or self.taskman.closed:
            return
        self._checking = True
        self.taskman.db(self.session.appointments.due_reminders, self._now()).success(
            self._tell
        ).failure(self._failed).run()

    def data_changed(self, changes: Changes, _origin: object = None) -> None:
        """Look again when a change may have added, moved or cancelled an
        appointment (they are the participant's record: ``changes.record``; or a
        participant left); not after every autosave of a note."""
        if changes.record or changes.participants:
            self.check()

    def _failed(self, _exc: BaseException) -> None:
        # a locked or closing session: the next look tries again (or none comes)
        self._checking = False

    def _tell(self, due: list[Booked]) -> None:
        self._checking = False
        if self._stopped:
            return
        for booked in due:
            key = reminder_key(booked.appointment)
            if key in self._told:
                continue
            self._told.add(key)
            text = reminder_text(booked)
            minutes = int(lead_of(booked.appointment).total_seconds() // 60)
            self.notify(tr("PeerDesk reminder (%n minute(s) ahead)", None, minutes), text)
            self.told.emit(text)


def start_reminders(
    session: Session,
    taskman: TaskManager,
    notify: Notify,
    changed: SignalInstance,
    *,
    now: Callable[[], datetime] | None,
    parent: QObject,
) -> ReminderWatch:
    """A watch that looks now, once a minute and after a change of the session's
    data that may touch appointments (``changed``: the change bus's
    ``(changes, origin)``)."""
    watch = ReminderWatch(session, taskman, notify, now=now, parent=parent)
    changed.connect(watch.data_changed)
    watch.start()
    return watch


class Notifier:
    """Shows a reminder: the desktop's notification (when there is a system tray),
    the window's status bar, and a flash of the window."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(app_icon(), window)
            self.tray.setToolTip("PeerDesk")

    def __call__(self, title: str, text: str) -> None:
        if self.tray is not None:
            self.tray.show()
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 30_000)
        self.window.statusBar().showMessage(text, STATUS_MS)
        QApplication.alert(self.window)

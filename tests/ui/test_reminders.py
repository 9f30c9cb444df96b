"""Reminders of coming appointments in the open window (issue 21), on a clock the
test moves: told once per start time, initials only, again when moved, never
after cancelling; the peer's window shows them, the supervisor's has none."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QMainWindow

from peerdesk.domain.appointments import Appointment, Ride
from peerdesk.services import Changes, ProfileManager, Session
from tests.ui.review_helpers import make_supervisor
from ui.app import MainWindow
from ui.operations import ChangeBus
from ui.reminders import Notifier, ReminderWatch, start_reminders
from ui.taskman import TaskManager

T0 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def schedule(
    session: Session, at: datetime, name: str = "Maria José Lopez", **kw: Any
) -> Appointment:
    person = session.participants.add(name).value
    base: dict[str, Any] = {
        "id": "x", "participant_id": person.id, "starts_at": at, "minutes": 45,
        "what": "Psychiatry intake at Riverside", "created_at": T0, "updated_at": T0,
    }  # fmt: skip
    base.update(kw)
    return session.appointments.schedule(Appointment(**base)).value


def test_each_due_appointment_is_told_once_with_initials_only(qtbot: Any, session: Session) -> None:
    told: list[tuple[str, str]] = []
    clock = Clock(T0 - timedelta(hours=2))
    tm = TaskManager()
    watch = ReminderWatch(session, tm, lambda t, x: told.append((t, x)), now=clock)
    a = schedule(session, T0)
    watch.start()
    qtbot.waitUntil(lambda: not tm.busy)
    assert told == []  # two hours ahead: not yet
    clock.now = T0 - timedelta(minutes=25)
    with qtbot.waitSignal(watch.told) as said:
        watch.check()
    assert said.args[0] == f"Appointment with M.J.L. at {T0.astimezone().strftime('%H:%M')}."
    assert "Maria" not in told[0][1] and "Psychiatry" not in told[0][1]
    assert "30 minutes ahead" in told[0][0]
    watch.check()
    qtbot.waitUntil(lambda: not tm.busy)
    assert len(told) == 1  # once
    # moved to later: a new reminder when that time comes; cancelled: none
    session.appointments.update(replace(a, starts_at=T0 + timedelta(hours=1)))
    clock.now = T0 + timedelta(minutes=40)
    with qtbot.waitSignal(watch.told):
        watch.check()
    assert len(told) == 2
    b = schedule(session, T0 + timedelta(hours=3), "Ben Ray")
    session.appointments.set_status(b.id, "cancelled")
    clock.now = T0 + timedelta(hours=2, minutes=50)
    watch.check()
    qtbot.waitUntil(lambda: not tm.busy)
    assert len(told) == 2
    watch.stop()
    tm.shutdown(timeout=5)


def test_a_planned_ride_reminds_an_hour_ahead(qtbot: Any, session: Session) -> None:
    told: list[str] = []
    clock = Clock(T0 - timedelta(minutes=55))
    tm = TaskManager()
    ride = Ride("Home: 4 Elm St", "Riverside Clinic", Decimal("6.5"), True)
    schedule(session, T0, ride=ride)
    watch = ReminderWatch(session, tm, lambda t, x: told.append(x), now=clock)
    with qtbot.waitSignal(watch.told):
        watch.start()
    assert told[0].endswith("the ride to it is still to be driven.")
    watch.stop()
    watch.check()  # stopped: no more looks
    assert not tm.busy
    tm.shutdown(timeout=5)


def test_the_notifier_puts_the_reminder_in_the_status_bar(qtbot: Any) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    Notifier(window)("PeerDesk reminder", "Appointment with M.J.L. at 10:00.")
    assert window.statusBar().currentMessage() == "Appointment with M.J.L. at 10:00."


def test_the_peers_window_reminds_the_supervisors_does_not(
    qtbot: Any, session: Session, manager: ProfileManager
) -> None:
    clock = Clock(T0 - timedelta(minutes=10))
    schedule(session, T0)
    window = MainWindow(session, manager, idle_timeout_s=0, reminder_clock=clock)
    qtbot.addWidget(window)
    assert window.reminders is not None
    qtbot.waitUntil(lambda: "with M.J.L. at" in window.statusBar().currentMessage())
    # a new appointment soon: the change itself makes the window look again
    other = schedule(session, T0 + timedelta(minutes=5), "Ben Ray")
    assert other.id
    window.reminders.check()
    qtbot.waitUntil(lambda: "with B.R. at" in window.statusBar().currentMessage())
    window.close()

    boss = MainWindow(
        make_supervisor(ProfileManager(root=manager.root / "s")), manager, idle_timeout_s=0
    )
    qtbot.addWidget(boss)
    assert boss.reminders is None
    boss.close()


def test_only_a_change_that_may_touch_appointments_makes_the_watch_look(
    qtbot: Any, session: Session, monkeypatch: Any
) -> None:
    """A note's autosave must not read (decrypt) the appointment list again; an
    appointment saved, or a participant changed, must."""
    looks: list[datetime] = []
    real = session.appointments.due_reminders

    def counted(now: datetime) -> Any:
        looks.append(now)
        return real(now)

    monkeypatch.setattr(session.appointments, "due_reminders", counted)
    tm = TaskManager()
    bus = ChangeBus.of(tm)
    watch = start_reminders(session, tm, lambda t, x: None, bus.changed, now=Clock(T0), parent=tm)
    qtbot.waitUntil(lambda: len(looks) == 1 and not tm.busy)  # the first look
    for kind in ("notes", "trips", "outbox", "directory", "feedback"):
        bus.broadcast(Changes(**{kind: True}))
    qtbot.wait(10)
    assert not tm.busy and len(looks) == 1
    bus.broadcast(Changes(record=True, outbox=True))  # an appointment saved
    qtbot.waitUntil(lambda: len(looks) == 2 and not tm.busy)
    bus.broadcast(Changes(participants=True))
    qtbot.waitUntil(lambda: len(looks) == 3 and not tm.busy)
    watch.stop()
    tm.shutdown(timeout=5)

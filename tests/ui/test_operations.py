"""ui.operations: a data-changing call runs on the DB thread and what it changed
goes to every screen on one signal; a screen follows the kinds it shows, reads
itself again when shown, and skips what it started. The link controller
broadcasts what a run changed (its result's Changes, or what its progress says
when it did not finish)."""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout, QWidget

from peerdesk.errors import AgencyUnreachable
from peerdesk.services import Changes, Net, OpResult, Session
from ui.link_controller import LinkController, PullOnOpen
from ui.operations import ChangeBus, Follower, change, change_steps
from ui.taskman import TaskManager

NOTES = Changes(notes=True)


@pytest.fixture
def tm(qtbot: Any) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown(timeout=10)


class Heard:
    """What a ChangeBus said."""

    def __init__(self, bus: ChangeBus) -> None:
        self.said: list[tuple[Changes, object]] = []
        bus.changed.connect(lambda changes, origin: self.said.append((changes, origin)))


def test_a_change_runs_on_the_db_thread_then_is_said_with_its_origin(
    tm: TaskManager, qtbot: Any
) -> None:
    heard = Heard(ChangeBus.of(tm))
    db_thread = tm.run_on_db_thread(threading.get_ident)
    ran_on: list[int] = []
    order: list[str] = []
    origin = object()

    def work(word: str) -> OpResult[str]:
        ran_on.append(threading.get_ident())
        return OpResult(word.upper(), NOTES)

    ChangeBus.of(tm).changed.connect(lambda *_args: order.append("said"))
    with qtbot.waitSignal(ChangeBus.of(tm).changed):
        change(tm, work, "saved").origin(origin).success(
            lambda done: order.append(f"success {done.value}")
        ).run()
    assert ran_on == [db_thread]
    assert order == ["success SAVED", "said"]  # the origin has updated itself first
    assert heard.said == [(NOTES, origin)]


def test_nothing_changed_is_not_said_and_a_failure_says_nothing(
    tm: TaskManager, qtbot: Any
) -> None:
    heard = Heard(ChangeBus.of(tm))
    failed: list[BaseException] = []

    def boom() -> Changes:
        raise ValueError("no")

    change(tm, Changes.none).run()
    change(tm, boom).failure(failed.append).run()
    qtbot.waitUntil(lambda: not tm.busy)
    assert heard.said == [] and len(failed) == 1


def test_a_step_generator_change_is_said_when_it_returns(tm: TaskManager, qtbot: Any) -> None:
    heard = Heard(ChangeBus.of(tm))
    progress: list[str] = []

    def steps() -> Generator[Any, Any, OpResult[str]]:
        answer = yield Net(lambda: "answer")
        yield "halfway"
        return OpResult(answer, Changes(review=True))

    with qtbot.waitSignal(ChangeBus.of(tm).changed):
        change_steps(tm, steps).progress(progress.append).run()
    assert progress == ["halfway"]
    assert heard.said == [(Changes(review=True), None)]


def test_one_bus_per_task_manager(tm: TaskManager, qtbot: Any) -> None:
    other = TaskManager()
    try:
        assert ChangeBus.of(tm) is ChangeBus.of(tm)
        assert ChangeBus.of(other) is not ChangeBus.of(tm)
    finally:
        other.shutdown(timeout=10)


class Screen(QWidget):
    """A screen with a button inside it and a dialog it opens."""

    def __init__(self) -> None:
        super().__init__()
        self.button = QPushButton("inside", self)
        QVBoxLayout(self).addWidget(self.button)
        self.dialog = QDialog(self)
        self.reads = 0

    def refresh(self) -> None:
        self.reads += 1


def test_a_shown_screen_reads_itself_again_when_a_kind_it_shows_changed(
    tm: TaskManager, qtbot: Any
) -> None:
    screen = Screen()
    qtbot.addWidget(screen)
    Follower(screen, tm, {"notes", "trips"}, screen.refresh)
    screen.show()
    bus = ChangeBus.of(tm)
    bus.broadcast(Changes(participants=True))  # not a kind it shows
    assert screen.reads == 0
    bus.broadcast(Changes(notes=True, outbox=True))
    assert screen.reads == 1
    bus.broadcast(Changes(trips=True), origin=object())  # another screen's change
    assert screen.reads == 2


def test_a_screen_skips_what_it_started_itself(tm: TaskManager, qtbot: Any) -> None:
    screen = Screen()
    qtbot.addWidget(screen)
    Follower(screen, tm, {"notes"}, screen.refresh)
    screen.show()
    bus = ChangeBus.of(tm)
    for origin in (screen, screen.button, screen.dialog):
        bus.broadcast(NOTES, origin)
    assert screen.reads == 0


def test_a_hidden_screen_reads_itself_once_when_it_is_shown(tm: TaskManager, qtbot: Any) -> None:
    screen = Screen()
    qtbot.addWidget(screen)
    follower = Follower(screen, tm, {"notes"}, screen.refresh)
    bus = ChangeBus.of(tm)
    bus.broadcast(NOTES)
    bus.broadcast(NOTES)
    assert screen.reads == 0 and follower.stale
    screen.show()
    assert screen.reads == 1 and not follower.stale
    screen.hide()
    screen.show()
    assert screen.reads == 1  # nothing changed meanwhile


def test_first_show_and_every_show(tm: TaskManager, qtbot: Any) -> None:
    first, every = Screen(), Screen()
    for screen in (first, every):
        qtbot.addWidget(screen)
    Follower(first, tm, {"notes"}, first.refresh, on_first_show=True)
    Follower(every, tm, {"notes"}, every.refresh, on_every_show=True)
    for _ in range(2):
        for screen in (first, every):
            screen.show()
            screen.hide()
    assert (first.reads, every.reads) == (1, 2)


def test_kinds_must_be_kinds_of_data(tm: TaskManager, qtbot: Any) -> None:
    screen = Screen()
    qtbot.addWidget(screen)
    with pytest.raises(ValueError, match="notez"):
        Follower(screen, tm, {"notez"}, screen.refresh)


# --- the link controller ----------------------------------------------------------------


class Enrolled:
    enrolled = True


class FakeRole:
    """A link role whose run returns what the test says (no agency needed)."""

    kinds = frozenset({"outbox"})
    stops_itself = False

    def __init__(self, outcome: OpResult[str] | BaseException) -> None:
        self.outcome = outcome

    def read(self, session: Session) -> Enrolled:
        return Enrolled()

    def run(
        self, session: Session, transport: Any, stop: threading.Event
    ) -> Generator[Any, Any, OpResult[Any]]:
        yield "one step"
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome

    def start_progress(self) -> None:
        return None

    def after(self, progress: Any, step: Any) -> Any:
        return step

    def failure_of(self, value: Any) -> None:
        return None

    def stopped(self) -> str:
        return "stopped"

    def changes_so_far(self, progress: Any) -> Changes:
        return Changes(outbox=progress == "one step")

    def enroll_label(self, label: str | None) -> None:
        return None

    def status_line(self, snapshot: Any, running: bool, connection: str) -> str:
        return "status"


@pytest.mark.parametrize(
    ("outcome", "said"),
    [
        (OpResult("done", Changes(notes=True, feedback=True)), Changes(notes=True, feedback=True)),
        (AgencyUnreachable("test"), Changes(outbox=True)),
    ],
    ids=["the result's changes", "what the progress says after a failure"],
)
def test_a_run_says_what_it_changed(
    tm: TaskManager, qtbot: Any, session: Session, outcome: Any, said: Changes
) -> None:
    heard = Heard(ChangeBus.of(tm))
    controller = LinkController(session, tm, FakeRole(outcome), PullOnOpen())
    controller.start()  # enrolled: PullOnOpen runs it as soon as the status is read
    qtbot.waitUntil(lambda: controller.has_run and not controller.running)
    qtbot.waitUntil(lambda: not tm.busy)
    assert heard.said == [(said, controller)]
    controller.shutdown()

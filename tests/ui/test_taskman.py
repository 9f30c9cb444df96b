"""The task manager: one DB thread, a network pool, results on the GUI thread."""

from __future__ import annotations

import gc
import logging
import sys
import threading
import time
from collections.abc import Generator, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal

from peerdesk.errors import ValidationError, VaultLocked
from peerdesk.services import Await, Net, Start, Wait
from ui.errors import generic_message, message_for
from ui.taskman import Latest, Outcome, TaskManager

WAIT = 5.0  # seconds a worker waits for an event before giving up (never reached)


@pytest.fixture
def tm(qtbot: Any) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown(timeout=WAIT)


def gui_thread() -> int:
    return threading.main_thread().ident or 0


def fail(exc: BaseException) -> None:
    raise exc


class Blocker:
    """A job that holds its thread until the test releases it."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self) -> str:
        self.started.set()
        assert self.release.wait(WAIT), "the test never released the job"
        return "released"


def test_db_jobs_run_one_at_a_time_on_one_worker_thread_in_order(
    tm: TaskManager, qtbot: Any
) -> None:
    lock = threading.Lock()
    active = 0
    max_active = 0
    ran: list[tuple[int, int, bool]] = []
    delivered: list[int] = []

    def job(i: int) -> int:
        nonlocal active, max_active
        with lock:
            active += 1
            max_active = max(max_active, active)
        if i % 5 == 0:
            time.sleep(0.002)  # give a second thread a chance to overlap, if one existed
        ran.append((i, threading.get_ident(), tm.in_db_thread()))
        with lock:
            active -= 1
        return i

    for i in range(20):
        tm.db(job, i).success(delivered.append).run()
    qtbot.waitUntil(lambda: len(delivered) == 20)

    assert [i for i, _, _ in ran] == list(range(20))
    assert delivered == list(range(20))
    threads = {ident for _, ident, _ in ran}
    assert len(threads) == 1 and gui_thread() not in threads
    assert all(on_db for _, _, on_db in ran)
    assert max_active == 1
    assert not tm.in_db_thread()  # the test itself runs on the GUI thread


def test_db_generators_share_the_one_db_thread_with_plain_jobs(tm: TaskManager, qtbot: Any) -> None:
    threads: list[int] = []

    def steps() -> Generator[int, None, None]:
        threads.append(threading.get_ident())
        yield 1

    done: list[object] = []
    tm.db(lambda: threads.append(threading.get_ident())).run()
    tm.db_generator(steps).success(done.append).run()
    qtbot.waitUntil(lambda: done == [None])
    assert len(threads) == 2 and len(set(threads)) == 1


def test_success_and_failure_callbacks_run_on_the_gui_thread(tm: TaskManager, qtbot: Any) -> None:
    seen: list[tuple[str, int]] = []
    tm.db(lambda: 42).success(lambda _: seen.append(("db ok", threading.get_ident()))).run()
    tm.db(fail, ValidationError("no")).failure(
        lambda _: seen.append(("db failed", threading.get_ident()))
    ).run()
    tm.network(lambda: 1).success(lambda _: seen.append(("net ok", threading.get_ident()))).run()
    qtbot.waitUntil(lambda: len(seen) == 3)
    assert {name for name, _ in seen} == {"db ok", "db failed", "net ok"}
    assert {ident for _, ident in seen} == {gui_thread()}


def test_success_receives_the_return_value(tm: TaskManager, qtbot: Any) -> None:
    def add(a: int, *, b: int) -> int:
        return a + b

    results: list[int] = []
    handle = tm.db(add, 2, b=3).success(results.append).run()
    qtbot.waitUntil(lambda: handle.done)
    assert results == [5]
    assert handle.outcome is Outcome.SUCCEEDED


def test_a_failure_goes_to_its_failure_callback_not_the_default_handler(
    tm: TaskManager, qtbot: Any
) -> None:
    defaulted: list[BaseException] = []
    tm.error_handler = defaulted.append
    error = ValidationError("a name is needed", field="name")
    caught: list[BaseException] = []
    succeeded: list[object] = []
    handle = tm.db(fail, error).success(succeeded.append).failure(caught.append).run()
    qtbot.waitUntil(lambda: handle.done)
    assert caught == [error]
    assert defaulted == [] and succeeded == []
    assert handle.outcome is Outcome.FAILED


def test_an_unhandled_failure_goes_to_the_default_handler(tm: TaskManager, qtbot: Any) -> None:
    defaulted: list[BaseException] = []
    tm.error_handler = defaulted.append
    error = VaultLocked("the vault is locked")
    tm.network(fail, error).run()
    qtbot.waitUntil(lambda: defaulted == [error])


def test_the_default_handler_logs_and_emits_one_sentence(
    tm: TaskManager, qtbot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="peerdesk.ui.taskman")
    with qtbot.waitSignal(tm.error, timeout=int(WAIT * 1000)) as signal:
        tm.db(fail, VaultLocked("the vault is locked")).run()
    assert signal.args == [message_for(VaultLocked())]
    assert "VaultLocked" in caplog.text


def test_an_unexpected_failure_is_reported_without_its_text(
    tm: TaskManager, qtbot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="peerdesk.ui.taskman")
    with qtbot.waitSignal(tm.error, timeout=int(WAIT * 1000)) as signal:
        tm.db(fail, RuntimeError("participant Jane Doe said something private")).run()
    assert signal.args == [generic_message()]
    assert "RuntimeError" in caplog.text
    assert "Jane" not in caplog.text and "private" not in caplog.text


def test_generator_progress_arrives_in_order_on_the_gui_thread(tm: TaskManager, qtbot: Any) -> None:
    def count(n: int) -> Generator[int, None, str]:
        yield from range(n)
        return f"counted {n}"

    progress: list[tuple[int, int]] = []
    results: list[str] = []
    handle = (
        tm.db_generator(count, 50)
        .progress(lambda value: progress.append((value, threading.get_ident())))
        .success(results.append)
        .run()
    )
    qtbot.waitUntil(lambda: handle.done)
    assert [value for value, _ in progress] == list(range(50))
    assert {ident for _, ident in progress} == {gui_thread()}
    assert results == ["counted 50"]
    assert handle.outcome is Outcome.SUCCEEDED


def test_cancel_stops_a_generator_between_yields(tm: TaskManager, qtbot: Any) -> None:
    steps: list[int] = []
    go_on = threading.Event()
    closed = threading.Event()

    def long_job() -> Generator[int, None, str]:
        try:
            for i in range(100):
                steps.append(i)
                yield i
                assert go_on.wait(WAIT)  # runs when the worker asks for the next step
        finally:
            closed.set()
        return "ran to the end"

    progress: list[int] = []
    results: list[str] = []
    cancelled: list[bool] = []
    handle = (
        tm.db_generator(long_job)
        .progress(progress.append)
        .success(results.append)
        .cancelled(lambda: cancelled.append(True))
        .run()
    )
    qtbot.waitUntil(lambda: progress == [0])
    assert handle.cancel() is True
    go_on.set()
    qtbot.waitUntil(lambda: handle.done)

    assert steps == [0, 1]  # it stopped at the yield after the cancel, not at the end
    assert closed.is_set()  # the generator was closed: its finally block ran
    assert progress == [0]  # nothing is reported after cancel()
    assert results == [] and cancelled == [True]
    assert handle.outcome is Outcome.CANCELLED


def test_a_queued_job_that_is_cancelled_never_runs(tm: TaskManager, qtbot: Any) -> None:
    blocker = Blocker()
    first = tm.db(blocker).run()
    ran: list[str] = []
    cancelled: list[bool] = []
    queued = tm.db(ran.append, "ran").cancelled(lambda: cancelled.append(True)).run()
    assert blocker.started.wait(WAIT)
    assert first.cancel() is False  # a running plain function cannot be interrupted
    assert queued.cancel() is True
    blocker.release.set()
    qtbot.waitUntil(lambda: queued.done)
    assert ran == [] and cancelled == [True]
    assert first.outcome is Outcome.SUCCEEDED
    assert queued.outcome is Outcome.CANCELLED


def test_a_generator_job_that_fails_goes_to_its_failure_callback(
    tm: TaskManager, qtbot: Any
) -> None:
    def broken() -> Generator[int, None, None]:
        yield 1
        raise ValidationError("row 2 has no date")

    progress: list[int] = []
    caught: list[BaseException] = []
    tm.db_generator(broken).progress(progress.append).failure(caught.append).run()
    qtbot.waitUntil(lambda: len(caught) == 1)
    assert progress == [1]
    assert isinstance(caught[0], ValidationError)


def test_network_jobs_run_while_the_db_thread_is_blocked(tm: TaskManager, qtbot: Any) -> None:
    blocker = Blocker()
    db_handle = tm.db(blocker).run()
    assert blocker.started.wait(WAIT)

    both_running = threading.Barrier(2, timeout=WAIT)
    threads: list[int] = []

    def fetch() -> int:
        both_running.wait()  # only passes if two network jobs run at the same time
        return threading.get_ident()

    for _ in range(2):
        tm.network(fetch).success(threads.append).run()
    qtbot.waitUntil(lambda: len(threads) == 2)

    assert not db_handle.done  # the DB job is still held
    assert len(set(threads)) == 2
    blocker.release.set()
    qtbot.waitUntil(lambda: db_handle.done)
    assert db_handle.outcome is Outcome.SUCCEEDED


def test_busy_and_activity_changed_follow_the_work(tm: TaskManager, qtbot: Any) -> None:
    changes: list[bool] = []
    tm.activity_changed.connect(changes.append)
    assert not tm.busy
    blocker = Blocker()
    tm.db(blocker).run()
    tm.network(lambda: None).run()
    assert tm.busy and changes == [True]
    blocker.release.set()
    with qtbot.waitSignal(tm.activity_changed, timeout=int(WAIT * 1000)) as signal:
        pass
    assert signal.args == [False]
    assert not tm.busy and changes == [True, False]


def test_a_callback_that_queues_more_work_keeps_the_manager_busy(
    tm: TaskManager, qtbot: Any
) -> None:
    changes: list[bool] = []
    tm.activity_changed.connect(changes.append)
    done: list[int] = []
    tm.db(lambda: 1).success(lambda _: tm.db(lambda: 2).success(done.append).run()).run()
    qtbot.waitUntil(lambda: done == [2])
    qtbot.waitUntil(lambda: not tm.busy)
    assert changes == [True, False]  # no flicker between the two jobs


def test_shutdown_waits_for_running_and_queued_db_jobs(tm: TaskManager) -> None:
    saved: list[str] = []

    def save(name: str) -> None:
        time.sleep(0.02)  # a write that takes a moment
        saved.append(name)

    tm.db(save, "first").run()
    tm.db(save, "second").run()
    assert tm.shutdown(timeout=WAIT) is True
    assert saved == ["first", "second"]
    with pytest.raises(RuntimeError, match="shut down"):
        tm.db(save, "too late").run()


def test_shutdown_reports_a_timeout_when_a_job_does_not_finish(tm: TaskManager) -> None:
    blocker = Blocker()
    tm.db(blocker).run()
    assert blocker.started.wait(WAIT)
    try:
        assert tm.shutdown(timeout=0.05) is False
    finally:
        blocker.release.set()
    assert tm.shutdown(timeout=WAIT) is True


def test_shutdown_cancels_long_jobs(tm: TaskManager) -> None:
    started = threading.Event()
    closed = threading.Event()

    def endless() -> Generator[int, None, None]:
        try:
            while True:
                started.set()
                yield 0
                time.sleep(0.001)
        finally:
            closed.set()

    tm.db_generator(endless).run()
    assert started.wait(WAIT)
    assert tm.shutdown(timeout=WAIT) is True
    assert closed.is_set()


def test_a_generator_job_must_be_given_a_generator(tm: TaskManager, qtbot: Any) -> None:
    caught: list[BaseException] = []
    not_a_generator: Any = lambda: 1  # noqa: E731
    tm.db_generator(not_a_generator).failure(caught.append).run()
    qtbot.waitUntil(lambda: len(caught) == 1)
    assert isinstance(caught[0], TypeError)


def test_an_op_runs_once_and_only_from_the_gui_thread(tm: TaskManager, qtbot: Any) -> None:
    op = tm.db(lambda: None)
    handle = op.run()
    with pytest.raises(RuntimeError, match="already run"):
        op.run()
    qtbot.waitUntil(lambda: handle.done)

    errors: list[BaseException] = []

    def submit_from_a_worker() -> None:
        try:
            tm.db(lambda: None).run()
        except RuntimeError as exc:
            errors.append(exc)

    thread = threading.Thread(target=submit_from_a_worker)
    thread.start()
    thread.join(WAIT)
    assert len(errors) == 1 and "GUI thread" in str(errors[0])


class _Emitter(QObject):
    ping = Signal(object)


def test_pyside_emit_keeps_the_reference_count_of_true(qtbot: Any) -> None:
    # PySide6 6.12.0 on Python 3.11 drops a reference to True on every emit() and
    # a few hundred emits abort the interpreter; pyproject.toml excludes it, and
    # this test fails if such a PySide is installed again.
    emitter = _Emitter()
    received: list[object] = []
    emitter.ping.connect(received.append)
    before = sys.getrefcount(True)
    for i in range(500):
        emitter.ping.emit(i)
    drift = sys.getrefcount(True) - before
    gc.enable()
    assert received == list(range(500))
    assert abs(drift) < 10  # -500 on PySide6 6.12.0


def test_many_results_do_not_wear_out_the_reference_to_true(tm: TaskManager, qtbot: Any) -> None:
    done: list[int] = []
    # Garbage of earlier tests (widgets in reference cycles holding True) must not
    # be collected in the middle of the count: collect it first, then hold off.
    gc.collect()
    gc.disable()
    try:
        before = sys.getrefcount(True)
        # waitSignal runs a Qt event loop (no polling from Python, which on the same
        # PySide version wears out None the same way).
        with qtbot.waitSignal(
            tm.activity_changed, timeout=int(WAIT * 1000), check_params_cb=lambda busy: not busy
        ):
            for i in range(300):
                tm.db(int, i).success(done.append).run()
        drift = sys.getrefcount(True) - before
    finally:
        gc.enable()
    assert len(done) == 300 and not tm.busy
    assert (
        drift > -150
    )  # about -300 or worse on PySide6 6.12.0; objects freed meanwhile move it a little


def test_a_step_job_is_advanced_on_the_db_thread_and_calls_the_network_off_it(
    tm: TaskManager, qtbot: Any
) -> None:
    db_thread = tm.run_on_db_thread(threading.get_ident)
    resumed_on: list[int] = []
    called_on: list[int] = []
    progress: list[str] = []
    result: list[str] = []

    def call(word: str) -> str:
        called_on.append(threading.get_ident())
        return word.upper()

    def steps(word: str) -> Generator[Any, Any, str]:
        resumed_on.append(threading.get_ident())
        yield "started"
        answer = yield Net(call, word)
        resumed_on.append(threading.get_ident())
        yield Wait(0.01)
        resumed_on.append(threading.get_ident())
        yield f"got {answer}"
        return answer + "!"

    handle = tm.steps(steps, "ping").progress(progress.append).success(result.append).run()
    qtbot.waitUntil(lambda: handle.done, timeout=int(WAIT * 1000))
    assert handle.outcome is Outcome.SUCCEEDED
    assert result == ["PING!"] and progress == ["started", "got PING"]
    assert set(resumed_on) == {db_thread} and len(resumed_on) == 3
    assert called_on and db_thread not in called_on and gui_thread() not in called_on


def test_started_calls_are_out_at_once_and_awaited_on_the_db_thread(
    tm: TaskManager, qtbot: Any
) -> None:
    """Two ``Start`` steps are on the network pool together (each waits for the
    other at a barrier: one after the other would break it); ``Await`` resumes
    the generator on the DB thread with each answer, or throws its failure in."""
    db_thread = tm.run_on_db_thread(threading.get_ident)
    both = threading.Barrier(2, timeout=WAIT)
    resumed_on: list[int] = []

    def call(word: str) -> str:
        both.wait()
        if word == "bad":
            raise ValidationError("refused", field="word")
        return word.upper()

    def steps() -> Generator[Any, Any, list[str]]:
        first = yield Start(call, "one")
        second = yield Start(call, "bad")
        resumed_on.append(threading.get_ident())
        got = [(yield Await(first))]
        resumed_on.append(threading.get_ident())
        try:
            yield Await(second)
        except ValidationError as exc:
            got.append(f"caught {exc.field}")
        resumed_on.append(threading.get_ident())
        return got

    result: list[list[str]] = []
    handle = tm.steps(steps).success(result.append).run()
    qtbot.waitUntil(lambda: handle.done, timeout=int(WAIT * 1000))
    assert handle.outcome is Outcome.SUCCEEDED
    assert result == [["ONE", "caught word"]]
    assert set(resumed_on) == {db_thread} and len(resumed_on) == 3


def test_a_failed_network_step_is_thrown_back_into_the_generator(
    tm: TaskManager, qtbot: Any
) -> None:
    def refuse() -> None:
        raise ValidationError("no", field="x")

    def steps() -> Generator[Any, Any, str]:
        try:
            yield Net(refuse)
        except ValidationError as exc:
            return f"caught {exc.field}"
        return "not thrown"

    result: list[str] = []
    handle = tm.steps(steps).success(result.append).run()
    qtbot.waitUntil(lambda: handle.done, timeout=int(WAIT * 1000))
    assert result == ["caught x"]


def test_cancel_ends_a_wait_at_once_and_closes_the_generator_on_the_db_thread(
    tm: TaskManager, qtbot: Any
) -> None:
    db_thread = tm.run_on_db_thread(threading.get_ident)
    closed_on: list[int] = []
    waiting = threading.Event()

    def steps() -> Generator[Any, Any, None]:
        try:
            waiting.set()
            yield Wait(60.0)
            yield "after the wait"
        finally:
            closed_on.append(threading.get_ident())

    cancelled: list[bool] = []
    handle = tm.steps(steps).cancelled(lambda: cancelled.append(True)).run()
    assert waiting.wait(WAIT)
    started = time.monotonic()
    assert handle.cancel()
    qtbot.waitUntil(lambda: handle.done, timeout=int(WAIT * 1000))
    assert time.monotonic() - started < WAIT
    assert handle.outcome is Outcome.CANCELLED and cancelled == [True]
    assert closed_on == [db_thread]


def test_latest_lets_only_the_newest_request_answer() -> None:
    latest = Latest()
    seen: list[str] = []
    first = latest.begin()
    old = first(seen.append)
    second = latest.begin()
    new = second(seen.append)
    old("stale")
    new("fresh")
    assert seen == ["fresh"]
    latest.drop()  # e.g. on lock
    new("after lock")
    assert seen == ["fresh"]

"""Background work for the Qt front end, with one writer thread for the profile.

Rule (ARCHITECTURE.md, "One writer"): every call that touches the profile
database or its keys runs on ONE worker thread, never on the GUI thread and
never on two threads at a time; network calls run on a small separate pool, so a
slow server never holds up a save. Work functions never touch widgets. Their
results come back to the GUI thread through one queued Qt signal, and all
callbacks run there.

A sync, a pull or an enrollment is a *step generator* (``peerdesk.services.Net``
and ``Wait``): :meth:`TaskManager.steps` advances it only on the DB thread; each
``Net`` step runs on the network pool and the generator resumes on the DB thread
with the answer (or the exception); each ``Wait`` is slept off on the network
pool and ends early on cancel. So a slow link never holds the DB thread, and
autosave goes on meanwhile.

Usage, from the GUI thread::

    tm = TaskManager(parent=window)
    tm.db(session.notes.get, note_id).success(editor.show_note).run()
    tm.network(client.push, batch).success(on_pushed).failure(on_push_failed).run()

    handle = (
        tm.db_generator(export_rows, target)   # a generator function
        .progress(bar.setValue)                 # each yielded value, in order
        .success(on_exported)                   # the generator's return value
        .cancelled(on_stopped)
        .run()
    )
    handle.cancel()   # stops it between two yields; its ``finally`` blocks run

    tm.steps(session.link.run, options).progress(show).success(done).run()

A failure without a ``.failure()`` handler goes to :attr:`TaskManager.error_handler`
(by default: log the error class, emit :attr:`TaskManager.error` with the one
sentence from :func:`ui.errors.message_for`). An exception raised by a callback
itself is not caught: it is a bug in the UI and goes to ``sys.excepthook``.

The job types are in :mod:`ui.jobs`, the step-generator runner in
:mod:`ui.step_runner`. Not superqt's ``thread_worker`` / ``GeneratorWorker``: they
run on ``QThreadPool.globalInstance()``, whose threads are many and
interchangeable, so a job could run beside the DB worker and break the
one-writer rule, and a step generator has to hop between one fixed DB thread and
the network pool, which they cannot do. Generators here are driven on the same
executor as every other DB job.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import threading
from collections.abc import Callable, Generator
from functools import partial
from typing import Any, ParamSpec, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

from ui.errors import message_for

# The job types live in ui.jobs; they are imported from here too.
from ui.jobs import GeneratorOp as GeneratorOp
from ui.jobs import Latest as Latest
from ui.jobs import Op as Op
from ui.jobs import Outcome as Outcome
from ui.jobs import Pool as Pool
from ui.jobs import StepsOp as StepsOp
from ui.jobs import TaskHandle as TaskHandle
from ui.jobs import _OpBase, log_failure
from ui.step_runner import StepRunner

__all__ = ["TaskManager"]

log = logging.getLogger("peerdesk.ui.taskman")


P = ParamSpec("P")
T = TypeVar("T")
Y = TypeVar("Y")
R = TypeVar("R")


class TaskManager(QObject):
    """Runs work off the GUI thread: one DB thread, a small network pool.

    Create it on the GUI thread and call its methods there; call
    :meth:`shutdown` at exit.
    """

    #: True when the first job is queued, False when the last one has finished
    #: and its callback has run (for a busy indicator)
    activity_changed = Signal(bool)
    #: one sentence for a failure nobody handled (emitted by the default handler)
    error = Signal(str)
    #: the one channel from the workers to the GUI thread: a closure to call there
    _deliver = Signal(object)

    def __init__(self, parent: QObject | None = None, *, network_workers: int = 2) -> None:
        super().__init__(parent)
        self._gui_thread = threading.get_ident()
        self._db_thread: int | None = None
        self._db_pool = cf.ThreadPoolExecutor(
            max_workers=1,
            thread_name_prefix="peerdesk-db",
            initializer=self._remember_db_thread,
        )
        self._network_pool = cf.ThreadPoolExecutor(
            max_workers=network_workers, thread_name_prefix="peerdesk-net"
        )
        self._lock = threading.Lock()
        self._live: dict[cf.Future[None], TaskHandle] = {}
        self._pending = 0  # jobs queued or running or not yet delivered (GUI thread)
        self._submitted = 0  # jobs ever queued (GUI thread)
        self._closed = False
        #: called on the GUI thread with every exception that has no ``.failure()``
        self.error_handler: Callable[[BaseException], object] = self.report_error
        self._steps = StepRunner(
            self._db_pool, self._network_pool, self._post, self._finish, self._progress
        )
        self._deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)

    # --- making jobs ------------------------------------------------------------------

    def db(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Op[T]:
        """A job for the DB thread: anything that touches the profile."""
        return Op(self, Pool.DB, fn, args, kwargs)

    def network(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Op[T]:
        """A job for the network pool. It must not touch the profile (hand what it
        needs over from a DB job, and save what it fetched with another one), and
        it should use timeouts: :meth:`shutdown` cannot interrupt it."""
        return Op(self, Pool.NETWORK, fn, args, kwargs)

    def db_generator(
        self, fn: Callable[P, Generator[Y, None, R]], /, *args: P.args, **kwargs: P.kwargs
    ) -> GeneratorOp[Y, R]:
        """A long job for the DB thread, as a generator function."""
        return GeneratorOp(self, Pool.DB, fn, args, kwargs)

    def network_generator(
        self, fn: Callable[P, Generator[Y, None, R]], /, *args: P.args, **kwargs: P.kwargs
    ) -> GeneratorOp[Y, R]:
        """A long job for the network pool, as a generator function."""
        return GeneratorOp(self, Pool.NETWORK, fn, args, kwargs)

    def steps(
        self, fn: Callable[P, Generator[Any, Any, R]], /, *args: P.args, **kwargs: P.kwargs
    ) -> StepsOp[Any, R]:
        """A step generator (``Net`` / ``Wait`` steps besides its progress values),
        advanced on the DB thread; its network calls and waits run on the network
        pool. ``.progress()`` gets the values that are not steps."""
        return StepsOp(self, Pool.DB, fn, args, kwargs)

    def run_on_db_thread(self, fn: Callable[[], T], timeout: float | None = 30.0) -> T:
        """Call ``fn()`` on the DB thread and wait for its result (tests, and code
        that must read the profile synchronously while jobs may run). After
        :meth:`shutdown` it is called here: the DB thread is idle then."""
        try:
            future = self._db_pool.submit(fn)
        except RuntimeError:
            return fn()
        return future.result(timeout)

    # --- state ------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether any job is queued, running, or waiting for its callback."""
        return self._pending > 0

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def jobs_submitted(self) -> int:
        """How many jobs were ever queued (GUI thread): a screen can tell whether
        anything but its own job ran since it last looked."""
        return self._submitted

    def in_db_thread(self) -> bool:
        """Whether the caller runs on the DB thread (for assertions in DB code)."""
        return self._db_thread is not None and threading.get_ident() == self._db_thread

    # --- failures ---------------------------------------------------------------------

    def report_error(self, exc: BaseException) -> None:
        """The default :attr:`error_handler`: log the failure, then emit
        :attr:`error` with one sentence a peer understands."""
        log_failure(exc)
        self.error.emit(message_for(exc))

    # --- shutdown ---------------------------------------------------------------------

    def shutdown(
        self,
        timeout: float | None = 10.0,
        *,
        cancel_long_jobs: bool = True,
        wait_for_network: bool = True,
    ) -> bool:
        """Stop taking jobs and wait up to ``timeout`` seconds (``None``: no
        limit) for the queued and running ones. Queued plain jobs still run, so a
        save that was asked for is not lost; with ``cancel_long_jobs``, generator
        jobs are cancelled (they stop at their next yield). Without
        ``wait_for_network`` only the DB thread's jobs are waited for (a request
        stuck on a slow link must not hold up a lock). Returns whether
        everything waited for finished in time. Callbacks are not called after
        this; failures that arrive later are only logged. Safe to call twice."""
        self._check_gui_thread()
        self._closed = True
        with self._lock:
            live = dict(self._live)
        if cancel_long_jobs:
            for handle in live.values():
                if handle.is_generator:
                    handle.cancel()
        # A step generator waiting for the network cannot be resumed once the DB
        # thread takes no more work: it is stopped there now, before the profile
        # is closed. VaultLocked is thrown in where it waits (it records that it
        # stopped, and why); the answer, when it comes, is dropped.
        self._steps.stop_waiting()
        self._db_pool.shutdown(wait=False)
        self._network_pool.shutdown(wait=False)
        waited = [f for f, h in live.items() if wait_for_network or h.pool is Pool.DB]
        _, not_done = cf.wait(waited, timeout=timeout)
        if not_done:
            log.warning("%d background job(s) still running at shutdown", len(not_done))
        return not not_done

    # --- internals --------------------------------------------------------------------

    def _remember_db_thread(self) -> None:
        self._db_thread = threading.get_ident()

    def _check_gui_thread(self) -> None:
        if threading.get_ident() != self._gui_thread:
            raise RuntimeError("TaskManager is used from the GUI thread only")

    def _submit(self, op: _OpBase) -> TaskHandle:
        self._check_gui_thread()
        if self._closed:
            raise RuntimeError(f"cannot run {op._name}: the TaskManager is shut down")
        handle = TaskHandle(op._name, op._pool, is_generator=op._is_generator)
        future: cf.Future[None]
        if isinstance(op, StepsOp):
            future = self._steps.start(op, handle)
        else:
            executor = self._db_pool if op._pool is Pool.DB else self._network_pool
            future = executor.submit(self._work, op, handle)
        self._pending += 1
        self._submitted += 1
        with self._lock:
            self._live[future] = handle
        future.add_done_callback(self._forget)
        if self._pending == 1:
            self.activity_changed.emit(True)
        return handle

    def _forget(self, future: cf.Future[None]) -> None:
        with self._lock:
            self._live.pop(future, None)

    def _work(self, op: _OpBase, handle: TaskHandle) -> None:
        """Run one job (on a worker thread) and post its outcome."""
        if not handle._begin():
            self._post(partial(self._finish, op, handle, Outcome.CANCELLED, None))
            return
        outcome: Outcome
        value: Any
        try:
            if op._is_generator:
                outcome, value = self._drive(op, handle)
            else:
                outcome, value = Outcome.SUCCEEDED, op._fn(*op._args, **op._kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure is handed to the GUI thread
            outcome, value = Outcome.FAILED, exc
        finally:
            handle._end()
        self._post(partial(self._finish, op, handle, outcome, value))

    def _drive(self, op: _OpBase, handle: TaskHandle) -> tuple[Outcome, Any]:
        """Step a generator, checking for cancellation before every step."""
        gen = op._fn(*op._args, **op._kwargs)
        if not isinstance(gen, Generator):
            raise TypeError(f"{op._name} did not return a generator")
        try:
            while True:
                if handle.cancel_requested:
                    gen.close()  # raises GeneratorExit at the paused yield
                    return Outcome.CANCELLED, None
                try:
                    value = next(gen)
                except StopIteration as stop:
                    return Outcome.SUCCEEDED, stop.value
                self._post(partial(self._progress, op, handle, value))
        finally:
            gen.close()  # no-op once finished; closes it if the loop was left early

    def _post(self, closure: Callable[[], None]) -> None:
        """Hand ``closure`` to the GUI thread (called from worker threads)."""
        try:
            self._deliver.emit(closure)
        except RuntimeError:
            # The Qt side of this object is gone (application torn down).
            log.debug("background result dropped: the task manager was deleted")

    @Slot(object)
    def _on_deliver(self, closure: Callable[[], None]) -> None:
        closure()

    def _progress(self, op: _OpBase, handle: TaskHandle, value: Any) -> None:
        if self._closed or handle.cancel_requested or op._on_progress is None:
            return
        op._on_progress(value)

    def _finish(self, op: _OpBase, handle: TaskHandle, outcome: Outcome, value: Any) -> None:
        handle._outcome = outcome
        try:
            if self._closed:
                if outcome is Outcome.FAILED:
                    log_failure(value)
            elif outcome is Outcome.SUCCEEDED:
                if op._on_success is not None:
                    op._on_success(value)
            elif outcome is Outcome.FAILED:
                log.debug("%s failed with %s", op._name, type(value).__name__)
                (op._on_failure or self.error_handler)(value)
            elif op._on_cancelled is not None:
                op._on_cancelled()
        finally:
            # After the callback, so a callback that queues the next job does not
            # make the busy indicator flicker.
            self._pending -= 1
            if self._pending == 0:
                self.activity_changed.emit(False)

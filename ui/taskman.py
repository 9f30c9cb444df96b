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

superqt's ``GeneratorWorker`` is not used for long jobs: ``start()`` always hands
it to ``QThreadPool.globalInstance()``, whose threads are many and
interchangeable, so it could run beside the DB worker and break the one-writer
rule; it also reports through signals of its own, and does not close the
generator when it quits. Generators here are driven on the same executor as
every other DB job.
"""

from __future__ import annotations

import concurrent.futures as cf
import enum
import logging
import threading
import traceback
from collections.abc import Callable, Generator
from functools import partial
from typing import Any, Generic, ParamSpec, Self, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

from peerdesk.errors import PeerDeskError, VaultLocked
from peerdesk.services import Net, Wait
from ui.errors import message_for

__all__ = ["GeneratorOp", "Op", "Outcome", "Pool", "StepsOp", "TaskHandle", "TaskManager"]

log = logging.getLogger("peerdesk.ui.taskman")


P = ParamSpec("P")
T = TypeVar("T")
Y = TypeVar("Y")
R = TypeVar("R")


class Pool(enum.Enum):
    """Where a job runs."""

    DB = "db"  #: the one thread that may touch the profile (database, vault)
    NETWORK = "network"  #: the small pool for sync and other network calls


class Outcome(enum.Enum):
    """How a job ended, as seen on the GUI thread."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class _State(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    ENDED = "ended"


class TaskHandle:
    """What :meth:`Op.run` returns: cancel the job and see how it ended.

    :meth:`cancel` may be called from any thread; :attr:`done` and
    :attr:`outcome` change on the GUI thread, just before the job's callback runs.
    """

    def __init__(self, name: str, pool: Pool, *, is_generator: bool) -> None:
        self.name = name
        self.pool = pool
        self.is_generator = is_generator
        self._lock = threading.Lock()
        self._state = _State.QUEUED
        self._cancel_requested = False
        self._outcome = Outcome.PENDING
        #: set on cancel: ends a step generator's ``Wait`` at once
        self._wake = threading.Event()

    def __repr__(self) -> str:
        return f"<TaskHandle {self.name} on {self.pool.value}: {self._outcome.value}>"

    def cancel(self) -> bool:
        """Ask the job to stop. Returns whether the request can take effect:

        - a job that has not started yet never runs (outcome ``CANCELLED``);
        - a running generator stops before its next step: it is closed, so its
          ``finally`` blocks and context managers run (outcome ``CANCELLED``,
          unless it returned first); no progress callback is made after this;
        - a running plain function cannot be interrupted: returns ``False`` and
          the job ends normally, so a write that happened is still reported.
        """
        with self._lock:
            if self._state is _State.QUEUED or (
                self._state is _State.RUNNING and self.is_generator
            ):
                self._cancel_requested = True
                self._wake.set()
                return True
            return False

    @property
    def cancel_requested(self) -> bool:
        with self._lock:
            return self._cancel_requested

    @property
    def done(self) -> bool:
        """True once the outcome has reached the GUI thread."""
        return self._outcome is not Outcome.PENDING

    @property
    def outcome(self) -> Outcome:
        return self._outcome

    # --- used by the worker thread ----------------------------------------------------

    def _begin(self) -> bool:
        """Mark the job as running; False if it was cancelled while queued."""
        with self._lock:
            if self._cancel_requested:
                self._state = _State.ENDED
                return False
            self._state = _State.RUNNING
            return True

    def _end(self) -> None:
        with self._lock:
            self._state = _State.ENDED


class _OpBase:
    """What every job has: the function, where it runs, how failure is handled."""

    _is_generator = False

    def __init__(
        self,
        manager: TaskManager,
        pool: Pool,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        self._manager = manager
        self._pool = pool
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self._name = getattr(fn, "__qualname__", None) or type(fn).__name__
        self._on_success: Callable[[Any], object] | None = None
        self._on_failure: Callable[[BaseException], object] | None = None
        self._on_cancelled: Callable[[], object] | None = None
        self._on_progress: Callable[[Any], object] | None = None
        self._handle: TaskHandle | None = None

    def failure(self, callback: Callable[[BaseException], object]) -> Self:
        """Call ``callback(exception)`` on the GUI thread if the job raises;
        without it, the manager's :attr:`~TaskManager.error_handler` is used."""
        self._on_failure = callback
        return self

    def cancelled(self, callback: Callable[[], object]) -> Self:
        """Call ``callback()`` on the GUI thread if the job was cancelled."""
        self._on_cancelled = callback
        return self

    def run(self) -> TaskHandle:
        """Queue the job (GUI thread only). An op runs once."""
        if self._handle is not None:
            raise RuntimeError(f"{self._name} was already run")
        self._handle = self._manager._submit(self)
        return self._handle


class Op(_OpBase, Generic[T]):
    """A function to run in the background; made by :meth:`TaskManager.db` or
    :meth:`TaskManager.network`."""

    def success(self, callback: Callable[[T], object]) -> Self:
        """Call ``callback(result)`` on the GUI thread when the function returns."""
        self._on_success = callback
        return self


class GeneratorOp(_OpBase, Generic[Y, R]):
    """A long job written as a generator; made by :meth:`TaskManager.db_generator`
    or :meth:`TaskManager.network_generator`. Each ``yield`` is a progress report
    and a point where the job can be cancelled."""

    _is_generator = True

    def progress(self, callback: Callable[[Y], object]) -> Self:
        """Call ``callback(value)`` on the GUI thread for each yielded value, in
        order (none after :meth:`TaskHandle.cancel`). Yield a few times a second
        at most: every value is delivered."""
        self._on_progress = callback
        return self

    def success(self, callback: Callable[[R], object]) -> Self:
        """Call ``callback(value)`` with the generator's return value."""
        self._on_success = callback
        return self


class StepsOp(GeneratorOp[Y, R]):
    """A step generator (a sync, a pull, an enrollment); made by
    :meth:`TaskManager.steps`. It is advanced on the DB thread only; its ``Net``
    steps run on the network pool and its ``Wait`` steps are slept off there."""


class _StepJob:
    """The state of one running :class:`StepsOp` (touched on the DB thread, except
    :attr:`done`, which the manager waits on)."""

    __slots__ = ("done", "ended", "gen", "handle", "op")

    def __init__(self, op: StepsOp[Any, Any], handle: TaskHandle) -> None:
        self.op = op
        self.handle = handle
        self.gen: Generator[Any, Any, Any] | None = None
        self.ended = False
        self.done: cf.Future[None] = cf.Future()


class Latest:
    """Only the newest answer of a request that is repeated (a search as you type,
    a screen read again) may reach the widgets.

    ``only = latest.begin()`` starts a request; wrap its callbacks with
    ``only(callback)``: they do nothing once a newer request began or
    :meth:`drop` was called (on lock, so nothing decrypted arrives late)."""

    def __init__(self) -> None:
        self._serial = 0

    def begin(self) -> Callable[[Callable[..., object]], Callable[..., None]]:
        self._serial += 1
        serial = self._serial

        def only(callback: Callable[..., object]) -> Callable[..., None]:
            def call(*args: Any) -> None:
                if serial == self._serial:
                    callback(*args)

            return call

        return only

    def drop(self) -> None:
        """Ignore every answer still on its way."""
        self._serial += 1


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
        self._step_jobs: set[_StepJob] = set()
        self._pending = 0  # jobs queued or running or not yet delivered (GUI thread)
        self._submitted = 0  # jobs ever queued (GUI thread)
        self._closed = False
        #: called on the GUI thread with every exception that has no ``.failure()``
        self.error_handler: Callable[[BaseException], object] = self.report_error
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
        _log_failure(exc)
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
        with self._lock:
            parked = list(self._step_jobs)
        for job in parked:
            try:
                self._db_pool.submit(self._stop_parked, job)
            except RuntimeError:
                break  # shut down before (a second call)
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
            job = _StepJob(op, handle)
            future = job.done
            with self._lock:
                self._step_jobs.add(job)
            self._db_pool.submit(self._advance, job, None, None)
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

    # --- step generators ----------------------------------------------------------

    def _advance(self, job: _StepJob, value: Any, error: BaseException | None) -> None:
        """On the DB thread: resume a step generator with ``value`` (or throw
        ``error`` in) and run it to its next step; hand that step to the network
        pool. Cancel is honoured after every resume."""
        if job.ended:
            return  # closed meanwhile (shutdown); a late answer is dropped
        handle = job.handle
        try:
            if job.gen is None:
                if not handle._begin():
                    self._end_steps(job, Outcome.CANCELLED, None)
                    return
                gen = job.op._fn(*job.op._args, **job.op._kwargs)
                if not isinstance(gen, Generator):
                    raise TypeError(f"{job.op._name} did not return a generator")
                job.gen = gen
            while True:
                try:
                    item = job.gen.throw(error) if error is not None else job.gen.send(value)
                except StopIteration as stop:
                    self._end_steps(job, Outcome.SUCCEEDED, stop.value)
                    return
                value, error = None, None
                if handle.cancel_requested:
                    self._close_steps(job)
                    return
                if isinstance(item, Net | Wait):
                    try:
                        if isinstance(item, Net):
                            self._network_pool.submit(self._net_step, job, item)
                        else:
                            self._network_pool.submit(self._wait_step, job, item.seconds)
                    except RuntimeError:  # shut down between the cancel check and here
                        self._close_steps(job)
                    return
                self._post(partial(self._progress, job.op, handle, item))
        except Exception as exc:  # noqa: BLE001 - every failure is handed to the GUI thread
            self._end_steps(job, Outcome.FAILED, exc)

    def _net_step(self, job: _StepJob, step: Net) -> None:
        """On the network pool: make the call, resume the generator on the DB thread."""
        value: Any = None
        error: BaseException | None = None
        try:
            value = step()
        except Exception as exc:  # noqa: BLE001 - thrown back into the generator
            error = exc
        self._resume(job, value, error)

    def _wait_step(self, job: _StepJob, seconds: float) -> None:
        """On the network pool: sleep off a back-off (ends at once on cancel)."""
        job.handle._wake.wait(seconds)
        self._resume(job, None, None)

    def _resume(self, job: _StepJob, value: Any, error: BaseException | None) -> None:
        try:
            self._db_pool.submit(self._advance, job, value, error)
        except RuntimeError:
            # Shut down: the generator was closed on the DB thread already.
            log.debug("%s: an answer came after shutdown and was dropped", job.op._name)

    def _close_steps(self, job: _StepJob) -> None:
        """On the DB thread: stop a step generator (its ``finally`` blocks run)."""
        if job.ended:
            return
        try:
            if job.gen is not None:
                job.gen.close()
        except Exception as exc:  # noqa: BLE001 - a failure while stopping is still reported
            self._end_steps(job, Outcome.FAILED, exc)
            return
        self._end_steps(job, Outcome.CANCELLED, None)

    def _stop_parked(self, job: _StepJob) -> None:
        """On the DB thread, at shutdown: a step generator still waiting for the
        network fails where it waits with :class:`VaultLocked` (the profile is
        being locked or closed)."""
        if job.ended:
            return
        if job.gen is None:
            self._close_steps(job)
            return
        stop = VaultLocked("the profile was locked while waiting for the agency")
        try:
            job.gen.throw(stop)
        except StopIteration as done:
            self._end_steps(job, Outcome.SUCCEEDED, done.value)
        except Exception as exc:  # noqa: BLE001 - the usual outcome: it fails with ``stop``
            self._end_steps(job, Outcome.FAILED, exc)
        else:
            self._close_steps(job)

    def _end_steps(self, job: _StepJob, outcome: Outcome, value: Any) -> None:
        job.ended = True
        job.handle._end()
        if job.gen is not None:
            try:
                job.gen.close()  # a no-op once it finished
            except Exception:  # noqa: BLE001 - it ended already; nothing more to report
                log.debug("%s: closing after its end failed", job.op._name)
        with self._lock:
            self._step_jobs.discard(job)
        job.done.set_result(None)
        self._post(partial(self._finish, job.op, job.handle, outcome, value))

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
                    _log_failure(value)
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


def _log_failure(exc: BaseException) -> None:
    """Log a failure without anything sensitive: PeerDesk errors carry no
    plaintext by design; for anything else, only the class and the stack (file,
    line, source), never the exception's text or the values of variables."""
    if isinstance(exc, PeerDeskError):
        log.warning("background job failed: %s: %s", type(exc).__name__, exc)
    else:
        stack = "".join(traceback.format_tb(exc.__traceback__))
        log.error(
            "background job failed with an unexpected %s\n%s",
            type(exc).__qualname__,
            stack.rstrip(),
        )

"""The task manager's runner of step generators (a sync, a pull, an enrollment, a
supervisor's decision: ``peerdesk.services.Net`` and ``Wait`` steps).

A generator is advanced only on the DB thread. When it yields a ``Net`` step,
the call runs on the network pool and the generator is resumed on the DB thread
with the answer (or the exception thrown in); a ``Start`` step is submitted to
the network pool and answered at once with its future, which a later ``Await``
step waits on the same way (a sync's pipelined batches); a ``Wait`` is slept off on the
network pool and ends at once on cancel. Cancel is honoured after every resume.
At shutdown a generator still waiting for the network is stopped on the DB
thread with :class:`~peerdesk.errors.VaultLocked` thrown in where it waits, and
the late answer is dropped. Every other value it yields is progress for the GUI.

:class:`~ui.taskman.TaskManager` owns one :class:`StepRunner` and hands it its
two pools and its way to the GUI thread; nothing here touches a widget.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import threading
from collections.abc import Callable, Generator
from functools import partial
from typing import Any

from peerdesk.errors import VaultLocked
from peerdesk.services import Await, Net, Start, Wait
from ui.jobs import Outcome, StepsOp, TaskHandle

__all__ = ["StepRunner"]

log = logging.getLogger("peerdesk.ui.taskman")

#: (op, handle, outcome, value) -> None, called on the GUI thread
Finish = Callable[[StepsOp[Any, Any], TaskHandle, Outcome, Any], None]
#: (op, handle, value) -> None, called on the GUI thread
Progress = Callable[[StepsOp[Any, Any], TaskHandle, Any], None]


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


class StepRunner:
    """Runs step generators between the DB thread and the network pool."""

    def __init__(
        self,
        db_pool: cf.ThreadPoolExecutor,
        network_pool: cf.ThreadPoolExecutor,
        post: Callable[[Callable[[], None]], None],
        finish: Finish,
        progress: Progress,
    ) -> None:
        self._db_pool = db_pool
        self._network_pool = network_pool
        self._post = post
        self._finish = finish
        self._progress = progress
        self._lock = threading.Lock()
        self._jobs: set[_StepJob] = set()

    def start(self, op: StepsOp[Any, Any], handle: TaskHandle) -> cf.Future[None]:
        """Queue the generator's first advance on the DB thread; the future is done
        once it has ended (however it ended)."""
        job = _StepJob(op, handle)
        with self._lock:
            self._jobs.add(job)
        self._db_pool.submit(self._advance, job, None, None)
        return job.done

    def stop_waiting(self) -> None:
        """At shutdown: stop, on the DB thread, every generator that waits for the
        network (queued before the DB thread takes no more work)."""
        with self._lock:
            parked = list(self._jobs)
        for job in parked:
            try:
                self._db_pool.submit(self._stop_parked, job)
            except RuntimeError:
                break  # shut down before (a second call)

    # --- on the DB thread -------------------------------------------------------------

    def _advance(self, job: _StepJob, value: Any, error: BaseException | None) -> None:
        """Resume a step generator with ``value`` (or throw ``error`` in) and run it
        to its next step; hand that step to the network pool. Cancel is honoured
        after every resume."""
        if job.ended:
            return  # closed meanwhile (shutdown); a late answer is dropped
        handle = job.handle
        try:
            if job.gen is None:
                if not handle._begin():
                    self._end(job, Outcome.CANCELLED, None)
                    return
                gen = job.op._fn(*job.op._args, **job.op._kwargs)
                if not isinstance(gen, Generator):
                    raise TypeError(f"{job.op._name} did not return a generator")
                job.gen = gen
            started = False
            while True:
                try:
                    item = job.gen.throw(error) if error is not None else job.gen.send(value)
                except StopIteration as stop:
                    self._end(job, Outcome.SUCCEEDED, stop.value)
                    return
                value, error = None, None
                # right after a Start the generator was not resumed with an answer: it
                # goes on to the step it waits at (where a shutdown finds it)
                if handle.cancel_requested and not started:
                    self._close(job)
                    return
                started = isinstance(item, Start)
                if started:
                    # started on the network pool; the generator goes on at once with
                    # the ticket and later awaits it
                    try:
                        value = self._network_pool.submit(item.net)
                    except RuntimeError:
                        self._close(job)
                        return
                    continue
                if isinstance(item, Await):
                    item.ticket.add_done_callback(partial(self._awaited, job))
                    return
                if isinstance(item, Net | Wait):
                    try:
                        if isinstance(item, Net):
                            self._network_pool.submit(self._net_step, job, item)
                        else:
                            self._network_pool.submit(self._wait_step, job, item.seconds)
                    except RuntimeError:  # shut down between the cancel check and here
                        self._close(job)
                    return
                self._post(partial(self._progress, job.op, handle, item))
        except Exception as exc:  # noqa: BLE001 - every failure is handed to the GUI thread
            self._end(job, Outcome.FAILED, exc)

    def _close(self, job: _StepJob) -> None:
        """Stop a step generator (its ``finally`` blocks run)."""
        if job.ended:
            return
        try:
            if job.gen is not None:
                job.gen.close()
        except Exception as exc:  # noqa: BLE001 - a failure while stopping is still reported
            self._end(job, Outcome.FAILED, exc)
            return
        self._end(job, Outcome.CANCELLED, None)

    def _stop_parked(self, job: _StepJob) -> None:
        """At shutdown: a step generator still waiting for the network fails where
        it waits with :class:`VaultLocked` (the profile is being locked or closed)."""
        if job.ended:
            return
        if job.gen is None:
            self._close(job)
            return
        stop = VaultLocked("the profile was locked while waiting for the agency")
        try:
            job.gen.throw(stop)
        except StopIteration as done:
            self._end(job, Outcome.SUCCEEDED, done.value)
        except Exception as exc:  # noqa: BLE001 - the usual outcome: it fails with ``stop``
            self._end(job, Outcome.FAILED, exc)
        else:
            self._close(job)

    def _end(self, job: _StepJob, outcome: Outcome, value: Any) -> None:
        job.ended = True
        job.handle._end()
        if job.gen is not None:
            try:
                job.gen.close()  # a no-op once it finished
            except Exception:  # noqa: BLE001 - it ended already; nothing more to report
                log.debug("%s: closing after its end failed", job.op._name)
        with self._lock:
            self._jobs.discard(job)
        job.done.set_result(None)
        self._post(partial(self._finish, job.op, job.handle, outcome, value))

    # --- on the network pool ----------------------------------------------------------

    def _net_step(self, job: _StepJob, step: Net) -> None:
        """Make the call, resume the generator on the DB thread."""
        value: Any = None
        error: BaseException | None = None
        try:
            value = step()
        except Exception as exc:  # noqa: BLE001 - thrown back into the generator
            error = exc
        self._resume(job, value, error)

    def _awaited(self, job: _StepJob, ticket: cf.Future[Any]) -> None:
        """A started call ended: resume the generator that awaits it on the DB thread."""
        if ticket.cancelled():
            self._resume(job, None, VaultLocked("the call was cancelled at shutdown"))
            return
        error = ticket.exception()
        self._resume(job, None if error else ticket.result(), error)

    def _wait_step(self, job: _StepJob, seconds: float) -> None:
        """Sleep off a back-off (ends at once on cancel)."""
        job.handle._wake.wait(seconds)
        self._resume(job, None, None)

    def _resume(self, job: _StepJob, value: Any, error: BaseException | None) -> None:
        try:
            self._db_pool.submit(self._advance, job, value, error)
        except RuntimeError:
            # Shut down: the generator was closed on the DB thread already.
            log.debug("%s: an answer came after shutdown and was dropped", job.op._name)

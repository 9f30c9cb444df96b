"""What the task manager (:mod:`ui.taskman`) runs and hands back: where a job runs
(:class:`Pool`), how it ended (:class:`Outcome`), the handle to cancel it
(:class:`TaskHandle`), the builders of a job (:class:`Op`, :class:`GeneratorOp`,
:class:`StepsOp`), and :class:`Latest`, which lets only the newest answer of a
repeated request reach the widgets.
"""

from __future__ import annotations

import enum
import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, Protocol, Self, TypeVar

from peerdesk.errors import PeerDeskError

__all__ = [
    "GeneratorOp",
    "Latest",
    "Op",
    "Outcome",
    "Pool",
    "StepsOp",
    "TaskHandle",
    "log_failure",
]

log = logging.getLogger("peerdesk.ui.taskman")

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


class _Submitter(Protocol):
    """What an op is queued on (the task manager)."""

    def _submit(self, op: _OpBase) -> TaskHandle: ...


class _OpBase:
    """What every job has: the function, where it runs, how failure is handled."""

    _is_generator = False

    def __init__(
        self,
        manager: _Submitter,
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


def log_failure(exc: BaseException) -> None:
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

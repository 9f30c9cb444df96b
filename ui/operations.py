"""Every data-changing service call of the UI, and the one signal that says what changed.

This is Anki's model (``aqt.operations``: ``CollectionOp(parent, op).success(...)``
and ``OpChanges`` broadcast through ``operation_did_execute(changes, handler)``)
on top of :mod:`ui.taskman`::

    change(self.taskman, session.notes.sign, note_id).origin(self).success(self._signed).run()

:func:`change` runs the service call on the DB thread (:func:`change_steps` runs
a step generator: an enrollment, a sync, a decision). When it returns, the
``success`` callback gets its result (an ``OpResult`` or ``Changes``) on the GUI
thread, and then the ``Changes`` go out on the session's :class:`ChangeBus` with
the ``origin``, the object that started the call. Read calls stay on
``taskman.db``: they change nothing.

Every screen follows the kinds of data it shows with a :class:`Follower`: when one of
them changed it reads itself again, at once when it is shown, else the next time
it is shown; not when it started the change itself (the origin is the screen, a
widget inside it or a dialog it opened), because it has updated itself already. No screen calls
another screen's ``refresh()``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Iterable
from dataclasses import fields
from typing import Any, Generic, ParamSpec, Self, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from peerdesk.services import Changes, OpResult
from ui.jobs import Op, StepsOp, TaskHandle
from ui.taskman import TaskManager

__all__ = ["KINDS", "ChangeBus", "ChangeOp", "Follower", "change", "change_steps"]

log = logging.getLogger("peerdesk.ui.operations")

P = ParamSpec("P")
#: what a data-changing service call returns
Result = TypeVar("Result", bound="OpResult[Any] | Changes")

#: the kinds of data a change can be about (the fields of ``Changes``)
KINDS = frozenset(f.name for f in fields(Changes))


class ChangeBus(QObject):
    """The one signal of a session's window that says what data changed.

    :attr:`changed` carries the :class:`~peerdesk.services.Changes` and the
    object that started the change (None: nobody in particular). There is one
    bus per task manager, and so per session: :meth:`of` finds it (or makes it,
    as the task manager's child, the first time), so it is gone with the session.
    """

    changed = Signal(object, object)

    @staticmethod
    def of(taskman: TaskManager) -> ChangeBus:
        bus = taskman.findChild(ChangeBus, "", Qt.FindChildOption.FindDirectChildrenOnly)
        return bus if isinstance(bus, ChangeBus) else ChangeBus(taskman)

    def broadcast(self, changes: Changes, origin: object | None = None) -> None:
        """Say that ``changes`` happened (nothing is said when nothing changed)."""
        if changes.any:
            log.debug("changed: %s", ", ".join(sorted(changes.kinds())))
            self.changed.emit(changes, origin)


class ChangeOp(Generic[Result]):
    """A data-changing call on its way to the DB thread (see the module docstring).
    Made by :func:`change` or :func:`change_steps`; runs once."""

    def __init__(self, taskman: TaskManager, job: Op[Result] | StepsOp[Any, Result]) -> None:
        self._taskman = taskman
        self._job = job
        self._origin: object | None = None
        self._on_success: Callable[[Result], object] | None = None

    def origin(self, who: object) -> Self:
        """Who starts the change: it is told as the origin, so it can skip it."""
        self._origin = who
        return self

    def success(self, callback: Callable[[Result], object]) -> Self:
        """``callback(result)`` on the GUI thread, before the change is broadcast."""
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], object]) -> Self:
        self._job.failure(callback)
        return self

    def cancelled(self, callback: Callable[[], object]) -> Self:
        self._job.cancelled(callback)
        return self

    def progress(self, callback: Callable[[Any], object]) -> Self:
        """Each progress value of a step generator (:func:`change_steps` only)."""
        if not isinstance(self._job, StepsOp):
            raise TypeError("only a step generator reports progress")
        self._job.progress(callback)
        return self

    def run(self) -> TaskHandle:
        self._job.success(self._succeeded)
        return self._job.run()

    def _succeeded(self, result: Result) -> None:
        try:
            if self._on_success is not None:
                self._on_success(result)
        finally:
            changes = result.changes if isinstance(result, OpResult) else result
            if not isinstance(changes, Changes):
                raise TypeError(f"{self._job._name} returned no Changes")
            ChangeBus.of(self._taskman).broadcast(changes, self._origin)


def change(
    taskman: TaskManager, fn: Callable[P, Result], /, *args: P.args, **kwargs: P.kwargs
) -> ChangeOp[Result]:
    """A service call that changes data (it returns ``OpResult`` or ``Changes``)."""
    return ChangeOp(taskman, taskman.db(fn, *args, **kwargs))


def change_steps(
    taskman: TaskManager,
    fn: Callable[P, Generator[Any, Any, Result]],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> ChangeOp[Result]:
    """A step generator that changes data and returns ``OpResult`` or ``Changes``."""
    return ChangeOp(taskman, taskman.steps(fn, *args, **kwargs))


class Follower(QObject):
    """Calls ``refresh()`` when data of ``kinds`` changed and ``widget`` did not
    start the change: at once when the widget is shown, else when it is next
    shown. With ``on_first_show`` the widget also reads itself the first time it
    is shown; with ``on_every_show``, every time."""

    def __init__(
        self,
        widget: QWidget,
        taskman: TaskManager,
        kinds: Iterable[str],
        refresh: Callable[[], object],
        *,
        on_first_show: bool = False,
        on_every_show: bool = False,
    ) -> None:
        super().__init__(widget)
        self.kinds = frozenset(kinds)
        if not self.kinds <= KINDS:
            raise ValueError(f"not kinds of data: {sorted(self.kinds - KINDS)}")
        self._widget = widget
        self._taskman = taskman
        self._refresh = refresh
        self._every_show = on_every_show
        #: a change (or the first show) is waiting for the widget to be shown
        self.stale = on_first_show
        ChangeBus.of(taskman).changed.connect(self._changed)
        widget.installEventFilter(self)

    def started(self, origin: object | None) -> bool:
        """Whether the widget started the change itself: the origin is the widget,
        a widget inside it or a dialog it opened."""
        while isinstance(origin, QWidget):
            if origin is self._widget:
                return True
            origin = origin.parentWidget()
        return origin is self._widget

    def _changed(self, changes: Changes, origin: object | None) -> None:
        if self._taskman.closed or not changes.kinds() & self.kinds or self.started(origin):
            return
        if self._widget.isVisible():
            self.stale = False
            self._refresh()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._widget
            and event.type() == QEvent.Type.Show
            and not event.spontaneous()
            and (self.stale or self._every_show)
            and not self._taskman.closed
        ):
            self.stale = False
            self._refresh()
        return False  # only watching

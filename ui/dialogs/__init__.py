"""Dialogs of the Qt front end.

Slow work (Argon2id key derivation: about half a second per create or unlock) goes
through a *runner*, so the dialogs do not care where it runs::

    runner(work, on_success, on_failure)

``work`` is a callable without arguments that never touches a widget; the runner
calls it and then, on the GUI thread, either ``on_success(result)`` or, for an
expected failure, ``on_failure(error)`` with the :class:`~peerdesk.errors.PeerDeskError`.
Anything else is a bug and is left to propagate. :func:`run_now` (the default)
runs the work at once on the calling thread; a task manager can hand the work to
a worker thread and call back later, while the dialog shows that it is busy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from peerdesk.errors import PeerDeskError

Runner = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[PeerDeskError], None]], None]


def run_now(
    work: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[PeerDeskError], None],
) -> None:
    """The default runner: do the work here and now."""
    try:
        result = work()
    except PeerDeskError as exc:
        on_failure(exc)
    else:
        on_success(result)


def grow_to_fit(window: QWidget, *, shrink: bool = False) -> None:
    """Make ``window`` taller when longer (word-wrapped) messages need room. It is
    made shorter only with ``shrink`` (when it is shown), so it does not jump
    while the user types."""
    layout = window.layout()
    if layout is None or not window.isVisible():
        return
    layout.activate()
    need = max(layout.totalHeightForWidth(window.width()), layout.totalMinimumSize().height())
    if need > window.height() or (shrink and need < window.height()):
        window.resize(window.width(), need)


__all__ = ["Runner", "grow_to_fit", "run_now"]

"""The one way a sync, a pull or a decision waits for the network: step generators.

A *step generator* touches the profile only while it runs, and it runs only
where its driver advances it (the desktop app: the one DB thread). When it needs
the network it yields a step instead of waiting itself:

* ``answer = yield Net(fn, *args)``: the driver calls ``fn(*args)`` off the DB
  thread and sends the result back (or throws the exception back in, where the
  generator catches it like any other);
* ``yield Wait(seconds)``: a back-off; the driver sleeps it off the DB thread
  (and may end it early when the run is cancelled);
* ``ticket = yield Start(fn, *args)``: the driver starts the call off the DB
  thread and resumes the generator at once with a ticket (a
  :class:`concurrent.futures.Future`); ``answer = yield Await(ticket)`` then
  waits for it like a ``Net`` step. So a generator keeps a bounded window of
  calls outstanding (a sync's pipelined batches) and still handles each answer
  on its own thread, in the order it chooses.

Everything else a step generator yields is a progress event for the user; its
return value is its result. :func:`run_inline` drives one on the current thread
(the CLI, the tests, the inline conveniences of the services) and yields only
the progress events; ``ui.taskman`` drives one across its DB thread and its
network pool. The only threads here are :func:`run_inline`'s for started calls,
which never touch a profile; there are no locks.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Generator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

E = TypeVar("E")
R = TypeVar("R")
P = ParamSpec("P")


class Net:
    """A network call for the driver to make: ``fn(*args, **kwargs)``. ``fn`` must
    not touch the profile (it gets everything it needs as arguments)."""

    __slots__ = ("args", "fn", "kwargs")

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.fn = fn
        self.args = args
        self.kwargs = kwargs

    def __call__(self) -> Any:
        return self.fn(*self.args, **self.kwargs)

    def __repr__(self) -> str:
        return f"Net({getattr(self.fn, '__qualname__', self.fn)!r})"


class Wait:
    """A back-off of ``seconds`` for the driver to sleep off."""

    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = max(0.0, float(seconds))

    def __repr__(self) -> str:
        return f"Wait({self.seconds:.3f})"


class Start:
    """A network call for the driver to start without waiting: answered at once
    with a ticket to :class:`Await`."""

    __slots__ = ("net",)

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.net = Net(fn, *args, **kwargs)

    def __repr__(self) -> str:
        return f"Start({self.net!r})"


class Await:
    """Wait for a started call: answered with its result (or its exception thrown in)."""

    __slots__ = ("ticket",)

    def __init__(self, ticket: Future[Any]) -> None:
        self.ticket = ticket

    def __repr__(self) -> str:
        return "Await()"


Step = Net | Wait | Start | Await
#: a step generator: yields progress events and steps, receives the answers of
#: its ``Net`` steps, returns its result
Steps = Generator[Any, Any, R]


def is_step(value: object) -> bool:
    return isinstance(value, Net | Wait | Start | Await)


def request(
    check: Callable[[], None], fn: Callable[..., Any], *args: Any, **kwargs: Any
) -> Generator[Net, Any, Any]:
    """``answer = yield from request(check, fn, ...)``: one ``Net`` step, then
    ``check()`` (which raises if the profile can no longer be used, e.g. it was
    locked while the request was out) whether the call worked or not."""
    try:
        answer = yield Net(fn, *args, **kwargs)
    except Exception:
        check()
        raise
    check()
    return answer


def awaiting(check: Callable[[], None], ticket: Future[Any]) -> Generator[Await, Any, Any]:
    """``answer = yield from awaiting(check, ticket)``: :func:`request` for a call
    started with :class:`Start`."""
    try:
        answer = yield Await(ticket)
    except Exception:
        check()
        raise
    check()
    return answer


def run_inline(
    steps: Generator[Any, Any, R], *, sleep: Callable[[float], None] = time.sleep
) -> Generator[Any, None, R]:
    """Drive ``steps`` on this thread: make each network call, sleep each wait,
    yield each progress event, return the generator's result. Calls started with
    :class:`Start` run on a small pool of this driver's own (they touch no
    profile). Closing this generator closes ``steps`` at the same point."""
    send: Any = None
    error: Exception | None = None
    pool: ThreadPoolExecutor | None = None
    try:
        while True:
            try:
                item = steps.throw(error) if error is not None else steps.send(send)
            except StopIteration as stop:
                return stop.value
            send, error = None, None
            if isinstance(item, Net):
                try:
                    send = item()
                except Exception as exc:  # noqa: BLE001 - handed back to the generator
                    error = exc
            elif isinstance(item, Wait):
                sleep(item.seconds)
            elif isinstance(item, Start):
                if pool is None:
                    pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="peerdesk-net")
                send = pool.submit(item.net)
            elif isinstance(item, Await):
                try:
                    send = item.ticket.result()
                except Exception as exc:  # noqa: BLE001 - handed back to the generator
                    error = exc
            else:
                yield item
    finally:
        steps.close()
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def finish(steps: Generator[Any, Any, R], *, sleep: Callable[[float], None] = time.sleep) -> R:
    """Drive ``steps`` inline to the end, dropping its progress events; its result."""
    driver = run_inline(steps, sleep=sleep)
    while True:
        try:
            next(driver)
        except StopIteration as stop:
            return stop.value


def inline(steps: Callable[P, Generator[Any, Any, R]]) -> Callable[P, R]:
    """The call ``steps`` makes (a step generator function or method), driven
    inline to its result by :func:`finish`, with the same parameters: in a class
    body, ``decide = inline(decide_steps)``."""

    @functools.wraps(steps)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        return finish(steps(*args, **kwargs))

    name = steps.__name__.removesuffix("_steps")
    call.__name__ = name
    call.__qualname__ = steps.__qualname__.removesuffix("_steps")
    call.__doc__ = f":meth:`{steps.__name__}`, driven inline to its result."
    return call


__all__ = [
    "Await",
    "Net",
    "Start",
    "Step",
    "Steps",
    "Wait",
    "awaiting",
    "finish",
    "inline",
    "is_step",
    "request",
    "run_inline",
]

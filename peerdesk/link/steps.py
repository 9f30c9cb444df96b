"""The one way a sync, a pull or a decision waits for the network: step generators.

A *step generator* touches the profile only while it runs, and it runs only
where its driver advances it (the desktop app: the one DB thread). When it needs
the network it yields a step instead of waiting itself:

* ``answer = yield Net(fn, *args)``: the driver calls ``fn(*args)`` off the DB
  thread and sends the result back (or throws the exception back in, where the
  generator catches it like any other);
* ``yield Wait(seconds)``: a back-off; the driver sleeps it off the DB thread
  (and may end it early when the run is cancelled).

Everything else a step generator yields is a progress event for the user; its
return value is its result. :func:`run_inline` drives one on the current thread
(the CLI, the tests, the inline conveniences of the services) and yields only
the progress events; ``ui.taskman`` drives one across its DB thread and its
network pool. There are no threads and no locks in here.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Generator
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


Step = Net | Wait
#: a step generator: yields progress events and steps, receives the answers of
#: its ``Net`` steps, returns its result
Steps = Generator[Any, Any, R]


def is_step(value: object) -> bool:
    return isinstance(value, Net | Wait)


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


def run_inline(
    steps: Generator[Any, Any, R], *, sleep: Callable[[float], None] = time.sleep
) -> Generator[Any, None, R]:
    """Drive ``steps`` on this thread: make each network call, sleep each wait,
    yield each progress event, return the generator's result. Closing this
    generator closes ``steps`` at the same point."""
    send: Any = None
    error: Exception | None = None
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
            else:
                yield item
    finally:
        steps.close()


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
    "Net",
    "Step",
    "Steps",
    "Wait",
    "finish",
    "inline",
    "is_step",
    "request",
    "run_inline",
]

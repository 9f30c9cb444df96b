"""``Start`` / ``Await`` steps driven inline (the CLI and the tests): started calls
are out together, answers and failures come back where they are awaited."""

from __future__ import annotations

import threading
from collections.abc import Generator
from typing import Any

import pytest

from peerdesk.errors import ValidationError
from peerdesk.link.steps import Await, Start, finish, is_step, run_inline


def test_started_calls_run_together_and_are_awaited_in_the_generator() -> None:
    both = threading.Barrier(2, timeout=10)  # one call after the other would break it

    def call(word: str) -> str:
        both.wait()
        if word == "bad":
            raise ValidationError("refused", field="word")
        return word.upper()

    def steps() -> Generator[Any, Any, list[str]]:
        first = yield Start(call, "one")
        second = yield Start(call, "bad")
        got = [(yield Await(first))]
        try:
            yield Await(second)
        except ValidationError as exc:
            got.append(f"caught {exc.field}")
        return got

    assert finish(steps()) == ["ONE", "caught word"]


def test_start_and_await_are_steps_not_progress() -> None:
    def steps() -> Generator[Any, Any, int]:
        ticket = yield Start(lambda: 41)
        yield "progress"
        return (yield Await(ticket)) + 1

    driver = run_inline(steps())
    assert next(driver) == "progress"
    with pytest.raises(StopIteration) as stop:
        next(driver)
    assert stop.value.value == 42
    assert is_step(Start(print)) and not is_step("progress")

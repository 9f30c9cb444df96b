"""What a supervisor's pull reports it changed (``session.link.run()``'s
``changes``): the review cache only when the pull stored something new, by the
one rule :func:`peerdesk.services.link.pull_changes`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("uvicorn")

from peerdesk.domain.review import PullProgress
from peerdesk.link.steps import finish
from peerdesk.services import Changes
from tests.conftest import drop_log_handlers
from tests.review.live import MARCH, signed, sync


@pytest.fixture(autouse=True)
def _no_log_handlers_left() -> Iterator[None]:
    yield
    drop_log_handlers()


def test_a_pull_changes_the_review_cache_only_when_it_brings_something_new(
    make_peer, make_supervisor, make_draft
) -> None:
    kim = make_peer("kim", "changes")
    person = kim.participants.add("Robin Vale").value.id
    signed(kim, make_draft, person, MARCH, 30)
    sync(kim)
    sam = make_supervisor("Sam Changes", "changes")

    first = finish(sam.link.run())
    assert isinstance(first.value, PullProgress) and first.value.records > 0
    assert first.changes == Changes(review=True)

    again = finish(sam.link.run())
    assert (again.value.records, again.value.events) == (0, 0)
    assert again.changes == Changes()

    signed(kim, make_draft, person, MARCH.replace(day=3), 45)
    sync(kim)
    assert finish(sam.link.run()).changes == Changes(review=True)

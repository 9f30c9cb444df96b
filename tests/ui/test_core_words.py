"""Sentences the core keeps as English text in the profile database (why a record
was set aside, why a pulled record does not open) are shown in the UI's language
through UI-side tables; these tests tie the tables to the core's own words."""

from __future__ import annotations

import ast
import inspect
from datetime import UTC, datetime

from peerdesk.domain.review import QueueItem
from peerdesk.link import pull
from peerdesk.wire.protocol import REJECT_CODES
from ui.models.review import broken_reasons, broken_text
from ui.screens.sync_details import quarantine_reasons

#: the codes this laptop sets itself (peerdesk.link.outbound and peerdesk.link.sync)
LOCAL_CODES = {"unsupported", "unreadable", "too_large"}


def _item(broken: str) -> QueueItem:
    now = datetime(2026, 3, 2, tzinfo=UTC)
    return QueueItem("dev1", "Sam", "n1", None, None, None, "submitted", now, 0, broken, 7)


def _pull_sentences() -> list[str]:
    """How each ``broken=`` sentence of peerdesk.link.pull.open_one starts."""
    tree = ast.parse(inspect.getsource(pull.open_one))
    starts = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "broken":
            value = node.value
            if isinstance(value, ast.JoinedStr):
                value = value.values[0]
            assert isinstance(value, ast.Constant), ast.unparse(node)
            starts.append(str(value.value))
    return starts


def test_every_quarantine_code_has_words(qapp: object) -> None:
    assert REJECT_CODES | LOCAL_CODES <= set(quarantine_reasons())


def test_every_reason_a_record_does_not_open_has_words(qapp: object) -> None:
    sentences = _pull_sentences()
    assert len(sentences) >= 5
    prefixes = [start for start, _ in broken_reasons()]
    for sentence in sentences:
        assert any(sentence.startswith(p) for p in prefixes), sentence


def test_the_reasons_are_spanish_in_spanish(spanish: list[object]) -> None:
    assert all(not words.startswith("The ") for words in quarantine_reasons().values())
    assert "clave" in quarantine_reasons()["unknown_key"]
    text = broken_text(_item("is sealed to review key 0a1b, which you were not granted"))
    assert "not granted" not in text and "clave de revisión" in text


def test_an_unknown_reason_is_shown_as_the_core_wrote_it(qapp: object) -> None:
    assert "was altered" in broken_text(_item("was altered: its seal does not open"))


def test_the_agency_codes_have_words_and_read_spanish(spanish: list[object]) -> None:
    import peerdesk.agency.app as agency_app
    from peerdesk.errors import AgencyRejected
    from ui.errors import agency_refusals, message_for

    source = inspect.getsource(agency_app._status_of)
    codes = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Tuple) and len(node.elts) == 3:
            code = node.elts[2]
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                codes.add(code.value)
    assert {"bad_code", "device_exists", "malformed"} <= codes
    assert codes <= set(agency_refusals())
    english = "this enrollment code is not valid (unknown, expired or already used)"
    text = message_for(AgencyRejected(403, "bad_code", english))
    assert text.startswith("La agencia rechazó") and english not in text
    # an unknown code keeps the server's words
    assert "try later" in message_for(AgencyRejected(429, "new_code", "try later"))

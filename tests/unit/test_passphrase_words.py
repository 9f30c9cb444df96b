"""The passphrase check speaks through Msgs, zxcvbn's advice included.

zxcvbn writes its feedback in English only. The core maps each of its fixed
sentences to a translatable Msg (:data:`ZXCVBN_FEEDBACK`), so the sentences the
installed library can produce are read here from its own source, at test time:
a new zxcvbn version with a new sentence fails this test instead of showing
English in a Spanish dialog.
"""

from __future__ import annotations

import ast
import inspect

import pytest
import zxcvbn.feedback
from zxcvbn.time_estimates import display_time

from peerdesk.crypto.passphrase import (
    ZXCVBN_FEEDBACK,
    ZXCVBN_OTHER,
    assess,
    feedback_msg,
    guess_time,
    policy_problems,
)
from peerdesk.errors import Msg


def zxcvbn_sentences() -> set[str]:
    """Every literal zxcvbn's feedback module passes to gettext (``_("...")``)."""
    tree = ast.parse(inspect.getsource(zxcvbn.feedback))
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "_"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def test_the_library_is_read() -> None:
    sentences = zxcvbn_sentences()
    assert len(sentences) >= 20
    assert "Avoid sequences." in sentences


def test_every_sentence_zxcvbn_can_give_has_a_msg() -> None:
    missing = sorted(zxcvbn_sentences() - set(ZXCVBN_FEEDBACK))
    assert missing == []


def test_each_table_entry_is_its_own_english_as_a_msg() -> None:
    for english, msg in ZXCVBN_FEEDBACK.items():
        assert isinstance(msg, Msg)
        assert msg == english and msg.template == english


def test_an_unknown_sentence_becomes_the_generic_tip_not_english() -> None:
    assert feedback_msg("Some sentence a newer zxcvbn added.") is ZXCVBN_OTHER
    assert feedback_msg("Avoid  sequences.") == "Avoid sequences."


@pytest.mark.parametrize(
    "passphrase",
    ["password1", "qwertyuiop", "abcabcabcabcabcabc", "Jennifer", "1987-03-12 x", "drowssap"],
)
def test_an_assessment_is_made_of_msgs(passphrase: str) -> None:
    result = assess(passphrase)
    assert result.feedback, "a weak passphrase gets advice"
    assert all(isinstance(x, Msg) for x in (*result.problems, *result.feedback))
    assert isinstance(result.crack_time, Msg)


@pytest.mark.parametrize(
    "seconds",
    [0, 0.5, 1, 1.4, 59, 60, 61, 3599, 3600, 7200, 86399, 86400, 2678399, 2678400, 3.2e7,
     3.3e7, 3.2e9, 3.3e9, 1e12],
)  # fmt: skip
def test_the_guessing_time_reads_as_zxcvbn_would_say_it(seconds: float) -> None:
    assert guess_time(seconds) == display_time(seconds)


def test_policy_problems_are_msgs_with_their_numbers() -> None:
    (short,) = policy_problems("too short")
    assert isinstance(short, Msg)
    assert short == "Use at least 15 characters (this has 9)."
    assert short.params == {"minimum": 15, "count": 9}

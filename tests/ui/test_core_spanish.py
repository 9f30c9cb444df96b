"""The domain's own validation sentences reach a Spanish-speaking peer in Spanish.

Each test calls a real domain check with bad input, as the screens do, and reads
the sentence the desktop would show (``ui.errors.message_for``) with the Spanish
catalogue installed: it is the catalogue's sentence, with the numbers and the
nested words (a field's name, a referral's status) filled in and translated, and
no word of the English sentence is left in it.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from peerdesk.domain.care_team import check_phone
from peerdesk.domain.record import check_intake
from peerdesk.domain.referrals import ReferralStatus, check_status_change
from peerdesk.errors import Msg, ValidationError
from ui.errors import message_for


def _raised(call: object, *args: object, **kwargs: object) -> ValidationError:
    assert callable(call)
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    assert isinstance(info.value.message, Msg)  # built translatable, not only worded
    return info.value


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]{3,}", text)}


def _no_english_left(english: str, shown: str) -> None:
    left = _words(english) & _words(shown)
    assert not left, f"English words in the Spanish sentence: {sorted(left)}"


def test_a_phone_number_too_short_is_refused_in_spanish(spanish: list[object]) -> None:
    error = _raised(check_phone, "555 12")
    assert str(error) == "the phone number is too short (at least 7 digits)"
    shown = message_for(error)
    assert shown == "El número de teléfono es demasiado corto (al menos 7 dígitos)."
    _no_english_left(str(error), shown)


def test_a_field_named_in_the_sentence_is_translated_too(spanish: list[object]) -> None:
    # the record's text check names the field with a Msg of its own
    error = _raised(check_intake, date(2026, 3, 2), "x" * 201, (), today=date(2026, 3, 3))
    assert str(error) == "how the person came to us is longer than 200 characters"
    shown = message_for(error)
    assert shown == "Cómo llegó la persona a nosotros: el texto tiene más de 200 caracteres."
    _no_english_left(str(error), shown)


def test_a_referral_that_cannot_go_back_says_so_in_spanish(spanish: list[object]) -> None:
    error = _raised(check_status_change, ReferralStatus.CONNECTED, ReferralStatus.MADE)
    assert str(error) == "a referral that is connected cannot go back to made"
    shown = message_for(error)
    assert shown == "Una derivación que está conectada no puede volver a estar hecha."
    _no_english_left(str(error), shown)


def test_without_the_catalogue_the_same_errors_read_english() -> None:
    error = _raised(check_status_change, ReferralStatus.NOT_CONNECTED, ReferralStatus.MADE)
    assert message_for(error) == "A referral that is not connected cannot go back to made."

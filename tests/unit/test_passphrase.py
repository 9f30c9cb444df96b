"""Passphrase policy after NIST SP 800-63B: length not composition, any Unicode
(NFKC), a blocklist of common passwords, context words, repetition and sequences."""

from __future__ import annotations

import unicodedata

import pytest

from peerdesk.crypto.kdf import KdfParams
from peerdesk.crypto.passphrase import (
    MAX_LENGTH,
    MIN_LENGTH,
    PassphraseAssessment,
    assess,
    check_new_passphrase,
    normalize,
    policy_problems,
)
from peerdesk.crypto.vault import Vault
from peerdesk.errors import PassphrasePolicyError
from peerdesk.resources import resource_path

GOOD = "lighthouse keepers whisper"


def refused(passphrase: str, context: tuple[str, ...] = ()) -> list[str]:
    problems = policy_problems(passphrase, context)
    assert problems, f"{passphrase!r} should have been refused"
    with pytest.raises(PassphrasePolicyError) as info:
        check_new_passphrase(passphrase, context)
    assert info.value.problems == problems
    return problems


def accepted(passphrase: str, context: tuple[str, ...] = ()) -> None:
    assert policy_problems(passphrase, context) == []
    assert check_new_passphrase(passphrase, context) == normalize(passphrase)


def _blocklist_lines() -> set[str]:
    text = resource_path("passwords", "common.txt").read_text("utf-8")
    return {line for line in text.splitlines() if line and not line.startswith("#")}


# --- length ----------------------------------------------------------------------------


def test_min_and_max_length_constants_follow_nist():
    assert MIN_LENGTH == 15
    assert MAX_LENGTH >= 64


def test_14_characters_are_refused_and_the_message_gives_the_count():
    text = "otter pebbles!"
    assert len(text) == 14
    problems = refused(text)
    assert any("15" in p and "14" in p for p in problems)


def test_15_characters_of_a_real_phrase_are_accepted():
    text = "otter pebbles 9"
    assert len(text) == 15
    accepted(text)


def test_15_letter_phrase_without_spaces_is_accepted():
    text = "quietotterfjord"
    assert len(text) == 15
    accepted(text)


def test_empty_passphrase_is_refused():
    refused("")


def test_64_characters_are_accepted():
    text = "seven amber lanterns drift over the harbour while gulls argue ok"
    assert len(text) == 64
    accepted(text)


def test_more_than_200_characters_are_accepted():
    words = "maple canyon violet river tunnel orbit saddle walrus pepper glacier".split()
    text = " ".join(w + str(i) for i, w in enumerate(words * 3))
    assert len(text) > 200
    accepted(text)


def test_exactly_max_length_is_accepted():
    base = "maple canyon violet river tunnel orbit saddle walrus pepper glacier "
    text = (base * (MAX_LENGTH // len(base) + 1))[:MAX_LENGTH]
    assert len(text) == MAX_LENGTH
    accepted(text)


def test_longer_than_max_length_is_refused():
    base = "maple canyon violet river tunnel orbit saddle walrus pepper glacier "
    text = (base * (MAX_LENGTH // len(base) + 2))[: MAX_LENGTH + 1]
    problems = refused(text)
    assert any(str(MAX_LENGTH) in p for p in problems)


def test_length_counts_characters_not_utf8_bytes():
    # 15 CJK characters are 45 bytes; 14 of them are still too short
    fifteen = "春の小川はさらさら行くよ岸のすみ"[:15]
    assert len(fifteen) == 15
    accepted(fifteen)
    refused(fifteen[:14])


# --- Unicode and normalisation -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "el pingüino comió mañana en León",
        "ÁRBOL VIEJO Y NIÑO CANSADO",
        "🐧🐧 penguins love ice 🧊❄️",
        "私の猫は毎朝窓辺で日向ぼっこをする",
        "Мой кот любит спать на окне",
        "قطتي تحب النوم على النافذة",
        "καλημέρα θάλασσα και ήλιος",
    ],
)
def test_any_unicode_is_accepted(text):
    accepted(text)


def test_fullwidth_letters_normalise_to_ascii():
    fullwidth = "ｌｉｇｈｔｈｏｕｓｅ ｋｅｅｐｅｒｓ ｗｈｉｓｐｅｒ"
    assert fullwidth != GOOD
    assert normalize(fullwidth) == GOOD


def test_composed_and_decomposed_accents_normalise_the_same():
    composed = unicodedata.normalize("NFC", "café résumé naïveté")
    decomposed = unicodedata.normalize("NFD", "café résumé naïveté")
    assert composed != decomposed
    assert normalize(composed) == normalize(decomposed)
    assert check_new_passphrase(decomposed) == check_new_passphrase(composed)


def test_normalize_changes_nothing_else():
    text = "  Mixed CASE,  spaces\tand punctuation!!  "
    assert normalize(text) == text


def test_fullwidth_blocklisted_password_is_still_refused():
    refused("ｃｏｒｒｅｃｔｈｏｒｓｅｂａｔｔｅｒｙｓｔａｐｌｅ")


def test_decomposed_accents_unlock_a_vault_made_with_composed_accents(tmp_path):
    composed = unicodedata.normalize("NFC", "el pingüino comió mañana en León")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    path = tmp_path / "vault.json"
    Vault.create(path, composed, profile_id="p1", kdf_params=KdfParams.new())
    vault = Vault.open(path)
    vault.unlock(decomposed)
    assert vault.is_unlocked


def test_fullwidth_typing_unlocks_a_vault_made_with_ascii(tmp_path):
    path = tmp_path / "vault.json"
    Vault.create(path, GOOD, profile_id="p1", kdf_params=KdfParams.new())
    vault = Vault.open(path)
    vault.unlock("ｌｉｇｈｔｈｏｕｓｅ ｋｅｅｐｅｒｓ ｗｈｉｓｐｅｒ")
    assert vault.is_unlocked


# --- blocklist ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    [
        "correcthorsebatterystaple",
        "thequickbrownfoxjumpsoverthelazydog",
        "maytheforcebewithyou",
        "supercalifragilisticexpialidocious",
        "iloveyoutothemoonandback",
    ],
)
def test_long_blocklisted_passwords_are_present_in_the_shipped_list(word):
    assert word in _blocklist_lines()


@pytest.mark.parametrize(
    "text",
    [
        "correcthorsebatterystaple",
        "correct horse battery staple",
        "Correct Horse Battery Staple",
        "CORRECT horse  battery STAPLE",
        "correct\thorse battery staple",
        "The quick brown fox jumps over the lazy dog",
        "May The Force Be With You",
        "supercalifragilisticexpialidocious",
        "passwordpassword",
    ],
)
def test_blocklisted_common_passwords_are_refused_whatever_the_spaces_or_case(text):
    problems = refused(text)
    assert any("common" in p for p in problems)


@pytest.mark.parametrize(
    "text",
    [
        "correcthorsebatterystaple2024",
        "correct horse battery staple 123!",
        "2024correcthorsebatterystaple",
        "password123456789",
        "Password!!!!!!!!2024",
        "monkey2024202420242024",
        "iloveyou_1234567890",
        "sunshine!!!!!!!!!!",
    ],
)
def test_common_password_with_digits_or_symbols_added_is_refused(text):
    problems = refused(text)
    assert any("common" in p for p in problems)


@pytest.mark.parametrize(
    "text",
    [
        "footballfootball",
        "butterflybutterfly",
        "liverpool liverpool",
        "correct horse battery staple correct horse battery staple",
    ],
)
def test_common_password_repeated_is_refused(text):
    problems = refused(text)
    assert any("common" in p for p in problems)


def test_a_blocklisted_word_inside_a_longer_phrase_is_fine():
    # the blocklist is for whole passwords, not every word of a passphrase
    accepted("my password is a purple walrus")


# --- repetition and sequences ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "aaaaaaaaaaaaaaaaaaaa",
        "zzzzzzzzzzzzzzz",
        "ééééééééééééééééé",
        "🐧🐧🐧🐧🐧🐧🐧🐧🐧🐧🐧🐧🐧🐧🐧",
        "abababababababab",
        "abcabcabcabcabcabc",
        "xyz1xyz1xyz1xyz1",
        "aabbaabbaabbaabb",
        "aaaa bbbb aaaa bbbb",
    ],
)
def test_repeated_characters_are_refused(text):
    refused(text)


def test_one_character_repeated_is_refused_with_a_repetition_message():
    problems = refused("qqqqqqqqqqqqqqqqqqqq")
    assert any("repeat" in p for p in problems)


@pytest.mark.parametrize(
    "text",
    [
        "abcdefghijklmnopqr",
        "zyxwvutsrqponmlkj",
        "qwertyuiopasdfghjklz",
        "9876543210987654",
        "3456789012345678",
        "1qaz2wsx3edc4rfv5tgb",
    ],
)
def test_keyboard_and_number_sequences_are_refused(text):
    refused(text)


# --- context words -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["peerdeskpeerdesk", "peer desk peer desk", "PeerDesk 2024!!!!!!", "peerdesk1234567890"],
)
def test_product_name_is_refused(text):
    problems = refused(text)
    assert problems


@pytest.mark.parametrize(
    "text",
    [
        "mariagonzalez2024",
        "Maria Gonzalez 2024!!",
        "maria gonzalez maria gonzalez",
        "MariaGonzalezMariaGonzalez",
    ],
)
def test_profile_name_is_refused(text):
    problems = refused(text, ("maria gonzalez",))
    assert any("profile" in p or "program" in p for p in problems)


def test_profile_name_inside_a_real_phrase_is_accepted():
    accepted("maria gonzalez walks her beagle at dawn", ("maria gonzalez",))


def test_same_text_is_fine_without_the_context_word():
    accepted("Maria Gonzalez 2024!!")


# --- no composition rules -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "purple elephants dance quietly",
        "lighthouse keepers whisper",
        "quietotterfjordsunset",
        "ALL CAPITALS ARE FINE TOO",
    ],
)
def test_no_composition_rules_letters_and_spaces_only_is_accepted(text):
    accepted(text)


# --- assess -----------------------------------------------------------------------------------


def test_assess_returns_score_feedback_and_crack_time_in_words():
    a = assess("purple elephants dance quietly")
    assert isinstance(a, PassphraseAssessment)
    assert a.acceptable
    assert a.problems == ()
    assert 0 <= a.score <= 4
    assert a.score >= 3
    assert isinstance(a.feedback, tuple)
    assert isinstance(a.crack_time, str)
    assert a.crack_time
    assert any(c.isalpha() for c in a.crack_time)


def test_assess_of_a_weak_password_gives_low_score_problems_and_feedback():
    a = assess("password")
    assert not a.acceptable
    assert a.problems
    assert a.score <= 1
    assert a.feedback
    assert all(isinstance(f, str) and f for f in a.feedback)
    assert a.crack_time


def test_assess_problems_match_the_policy():
    for text in ("short", "correcthorsebatterystaple", GOOD, "aaaaaaaaaaaaaaaaaaaa"):
        assert list(assess(text).problems) == policy_problems(text)


def test_assess_passes_context_words_to_the_policy():
    assert assess("mariagonzalez2024", ("maria gonzalez",)).problems
    assert not assess("mariagonzalez2024").problems


def test_assess_empty_passphrase_is_instant_and_not_acceptable():
    a = assess("")
    assert not a.acceptable
    assert a.score == 0
    assert a.crack_time == "instantly"


def test_assess_very_long_passphrase_is_fast_and_acceptable():
    text = "maple canyon violet river tunnel orbit saddle " * 20
    a = assess(text[:MAX_LENGTH])
    assert a.acceptable
    assert a.score == 4

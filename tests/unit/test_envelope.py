"""Field envelopes: AES-256-GCM with table, record id, field and schema version
bound in as AAD. Anything wrong with a stored value is CorruptData naming the
place, never another exception."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerdesk.crypto.envelope import (
    HEADER_LEN,
    MAGIC,
    MAX_PLAINTEXT,
    NONCE_LEN,
    OVERHEAD,
    TAG_LEN,
    VERSION,
    FieldCipher,
    Place,
    looks_like_envelope,
)
from peerdesk.errors import CorruptData, StorageError

KEY = bytes(range(32))
KEY_ID = b"\x01\x02\x03\x04"
PLACE = Place("notes", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "body", 1)
SECRET = b"Client said she relapsed on Friday; safety plan reviewed."


@pytest.fixture(scope="module")
def cipher() -> FieldCipher:
    return FieldCipher(KEY, KEY_ID)


@pytest.fixture(scope="module")
def sealed(cipher) -> bytes:
    return cipher.seal(SECRET, PLACE)


def assert_corrupt_here(info: pytest.ExceptionInfo, place: Place = PLACE) -> None:
    err = info.value
    assert isinstance(err, CorruptData)
    assert err.table == place.table
    assert err.record_id == place.record_id
    assert err.field == place.field
    text = str(err)
    assert place.table in text and place.record_id in text and place.field in text


# --- round trip and layout ------------------------------------------------------------------


def test_seal_then_open_returns_the_plaintext(cipher, sealed):
    assert cipher.open(sealed, PLACE) == SECRET


@pytest.mark.parametrize(
    "plaintext",
    [b"", b"x", "ñandú 🐧 猫".encode(), os.urandom(1000), b"\x00" * 70_000],
)
def test_round_trip_of_various_plaintexts(cipher, plaintext):
    assert cipher.open(cipher.seal(plaintext, PLACE), PLACE) == plaintext


@given(plaintext=st.binary(max_size=512), record=st.text(max_size=40), field=st.text(max_size=20))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_round_trip_for_any_plaintext_and_place(cipher, plaintext, record, field):
    place = Place("notes", record, field, 3)
    assert cipher.open(cipher.seal(plaintext, place), place) == plaintext


def test_envelope_layout_is_magic_version_key_id_nonce_ciphertext_tag(sealed):
    assert sealed[:2] == MAGIC == b"PE"
    assert sealed[2] == VERSION == 1
    assert sealed[3:7] == KEY_ID
    assert HEADER_LEN == 7
    assert len(sealed) == HEADER_LEN + NONCE_LEN + len(SECRET) + TAG_LEN
    assert OVERHEAD == 35


def test_ciphertext_does_not_contain_the_plaintext(sealed):
    assert SECRET not in sealed
    assert b"relapsed" not in sealed


def test_open_accepts_bytearray_and_memoryview(cipher, sealed):
    assert cipher.open(bytearray(sealed), PLACE) == SECRET
    assert cipher.open(memoryview(sealed), PLACE) == SECRET


def test_each_seal_uses_a_fresh_nonce(cipher):
    a = cipher.seal(SECRET, PLACE)
    b = cipher.seal(SECRET, PLACE)
    assert a != b
    assert a[HEADER_LEN : HEADER_LEN + NONCE_LEN] != b[HEADER_LEN : HEADER_LEN + NONCE_LEN]
    assert cipher.open(a, PLACE) == cipher.open(b, PLACE) == SECRET


def test_many_seals_never_repeat_a_nonce(cipher):
    nonces = {cipher.seal(b"", PLACE)[HEADER_LEN : HEADER_LEN + NONCE_LEN] for _ in range(2000)}
    assert len(nonces) == 2000


def test_seal_refuses_a_field_larger_than_the_limit(cipher):
    with pytest.raises(ValueError):
        cipher.seal(b"\x00" * (MAX_PLAINTEXT + 1), PLACE)


@pytest.mark.parametrize(
    ("key", "key_id"),
    [(b"\x00" * 16, KEY_ID), (b"\x00" * 31, KEY_ID), (KEY, b"\x01\x02\x03"), (KEY, b"12345")],
)
def test_cipher_needs_a_32_byte_key_and_4_byte_key_id(key, key_id):
    with pytest.raises(ValueError):
        FieldCipher(key, key_id)


# --- tampering -------------------------------------------------------------------------------


@given(data=st.data())
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_flipping_any_bits_of_any_byte_is_corrupt_data_naming_the_place(cipher, sealed, data):
    pos = data.draw(st.integers(0, len(sealed) - 1), label="position")
    xor = data.draw(st.integers(1, 255), label="xor")
    tampered = bytearray(sealed)
    tampered[pos] ^= xor
    with pytest.raises(CorruptData) as info:
        cipher.open(bytes(tampered), PLACE)
    assert_corrupt_here(info)


def test_every_single_byte_position_is_protected(cipher, sealed):
    for pos in range(len(sealed)):
        tampered = bytearray(sealed)
        tampered[pos] ^= 0x80
        with pytest.raises(CorruptData) as info:
            cipher.open(bytes(tampered), PLACE)
        assert_corrupt_here(info)


def test_appending_a_byte_is_corrupt_data(cipher, sealed):
    with pytest.raises(CorruptData) as info:
        cipher.open(sealed + b"\x00", PLACE)
    assert_corrupt_here(info)


def test_every_truncation_is_corrupt_data(cipher, sealed):
    for n in range(len(sealed)):
        with pytest.raises(CorruptData) as info:
            cipher.open(sealed[:n], PLACE)
        assert_corrupt_here(info)


def test_removing_the_tag_is_corrupt_data(cipher, sealed):
    with pytest.raises(CorruptData):
        cipher.open(sealed[:-TAG_LEN], PLACE)


def test_unknown_version_is_corrupt_data(cipher, sealed):
    future = sealed[:2] + bytes([VERSION + 1]) + sealed[3:]
    with pytest.raises(CorruptData, match="version"):
        cipher.open(future, PLACE)


# --- moved envelopes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "elsewhere",
    [
        Place(PLACE.table, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c", PLACE.field, 1),
        Place(PLACE.table, "", PLACE.field, 1),
        Place(PLACE.table, PLACE.record_id, "summary", 1),
        Place("trips", PLACE.record_id, PLACE.field, 1),
        Place(PLACE.table, PLACE.record_id, PLACE.field, 2),
        Place(PLACE.table, PLACE.record_id, PLACE.field, 0),
        Place("Notes", PLACE.record_id, PLACE.field, 1),
    ],
    ids=[
        "other-record",
        "empty-record",
        "other-field",
        "other-table",
        "schema-2",
        "schema-0",
        "case",
    ],
)
def test_envelope_moved_to_another_place_fails_naming_where_it_was_read(cipher, sealed, elsewhere):
    with pytest.raises(CorruptData) as info:
        cipher.open(sealed, elsewhere)
    assert_corrupt_here(info, elsewhere)


def test_place_parts_cannot_be_shifted_between_fields(cipher):
    # the AAD is a structured encoding, not a plain concatenation
    a = Place("notes", "ab", "c", 1)
    b = Place("notes", "a", "bc", 1)
    with pytest.raises(CorruptData):
        cipher.open(cipher.seal(SECRET, a), b)


def test_swapping_envelopes_between_two_records_fails(cipher):
    p1 = Place("notes", "r1", "body", 1)
    p2 = Place("notes", "r2", "body", 1)
    e1, e2 = cipher.seal(b"one", p1), cipher.seal(b"two", p2)
    with pytest.raises(CorruptData):
        cipher.open(e2, p1)
    with pytest.raises(CorruptData):
        cipher.open(e1, p2)


# --- wrong key -------------------------------------------------------------------------------------


def test_wrong_key_with_the_same_key_id_is_corrupt_data(sealed):
    other = FieldCipher(bytes(32), KEY_ID)
    with pytest.raises(CorruptData) as info:
        other.open(sealed, PLACE)
    assert_corrupt_here(info)


def test_wrong_key_id_is_corrupt_data_saying_another_key(sealed):
    other = FieldCipher(KEY, b"\x09\x09\x09\x09")
    with pytest.raises(CorruptData, match="another key") as info:
        other.open(sealed, PLACE)
    assert_corrupt_here(info)


def test_key_id_rewritten_to_match_another_cipher_still_fails(sealed):
    other = FieldCipher(KEY, b"\x09\x09\x09\x09")
    relabelled = sealed[:3] + other.key_id + sealed[7:]
    with pytest.raises(CorruptData):
        other.open(relabelled, PLACE)


# --- garbage in, CorruptData out -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [None, "", "PE\x01abcd", 12345, 3.14, [], {}, object(), b"", b"PE", bytes(OVERHEAD)],
    ids=lambda v: type(v).__name__ + ":" + repr(v)[:12],
)
def test_non_envelopes_are_corrupt_data(cipher, value):
    with pytest.raises(CorruptData) as info:
        cipher.open(value, PLACE)
    assert_corrupt_here(info)


def test_the_sealed_text_as_str_is_corrupt_data(cipher, sealed):
    with pytest.raises(CorruptData):
        cipher.open(sealed.hex(), PLACE)


@given(blob=st.binary(max_size=200))
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_arbitrary_bytes_are_corrupt_data_never_another_exception(cipher, blob):
    try:
        cipher.open(blob, PLACE)
    except CorruptData as err:
        assert (err.table, err.record_id, err.field) == (PLACE.table, PLACE.record_id, PLACE.field)
    else:  # pragma: no cover - 2**-128 odds
        pytest.fail("random bytes authenticated")


@given(body=st.binary(max_size=100))
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_well_formed_header_with_random_body_is_corrupt_data(cipher, body):
    blob = MAGIC + bytes([VERSION]) + KEY_ID + body
    with pytest.raises(CorruptData):
        cipher.open(blob, PLACE)


@given(value=st.one_of(st.none(), st.integers(), st.text(), st.lists(st.integers()), st.floats()))
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_arbitrary_non_bytes_values_are_corrupt_data(cipher, value):
    with pytest.raises(CorruptData):
        cipher.open(value, PLACE)


def test_corrupt_data_is_a_storage_error():
    assert issubclass(CorruptData, StorageError)


# --- looks_like_envelope ------------------------------------------------------------------------------


def test_looks_like_envelope_true_for_a_sealed_value(sealed, cipher):
    assert looks_like_envelope(sealed)
    assert looks_like_envelope(cipher.seal(b"", PLACE))


@pytest.mark.parametrize(
    "value",
    [
        None,
        "plain text note",
        "PE" + "\x01" * 40,
        12,
        b"",
        b"plain text note that is long enough to pass the size check",
        MAGIC + bytes([VERSION]) + b"\x00" * (OVERHEAD - 4),  # one byte too short
        b"XX" + bytes([VERSION]) + b"\x00" * OVERHEAD,
        MAGIC + bytes([VERSION + 1]) + b"\x00" * OVERHEAD,
    ],
)
def test_looks_like_envelope_false_for_plaintext_and_malformed_values(value):
    assert not looks_like_envelope(value)


def test_looks_like_envelope_false_for_a_truncated_envelope(sealed):
    assert not looks_like_envelope(sealed[: OVERHEAD - 1])

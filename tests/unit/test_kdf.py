"""Argon2id parameters: header round trip, bounds on what a header may ask for,
deterministic derivation and calibration that never goes below the floor."""

from __future__ import annotations

import pytest

from peerdesk.crypto import kdf
from peerdesk.crypto.kdf import (
    KEY_LEN,
    LANES,
    MAX_ITERATIONS,
    MAX_MEMORY_KIB,
    MIN_ITERATIONS,
    MIN_MEMORY_KIB,
    SALT_LEN,
    KdfParams,
    calibrate,
    derive_key,
)
from peerdesk.errors import CorruptData

# --- the floor itself ----------------------------------------------------------------


def test_floor_matches_design_64_mib_3_passes_4_lanes():
    assert MIN_MEMORY_KIB == 64 * 1024
    assert MIN_ITERATIONS == 3
    assert LANES == 4


def test_new_params_use_the_floor_and_a_random_salt_of_16_bytes():
    a, b = KdfParams.new(), KdfParams.new()
    assert (a.memory_kib, a.iterations, a.lanes) == (MIN_MEMORY_KIB, MIN_ITERATIONS, LANES)
    assert len(a.salt) == SALT_LEN
    assert a.salt != b.salt


def test_with_new_salt_keeps_cost_and_changes_only_the_salt():
    p = KdfParams.new(memory_kib=MIN_MEMORY_KIB * 2, iterations=7)
    q = p.with_new_salt()
    assert q.salt != p.salt
    assert len(q.salt) == SALT_LEN
    assert (q.memory_kib, q.iterations, q.lanes) == (p.memory_kib, p.iterations, p.lanes)


# --- header round trip ---------------------------------------------------------------


def test_params_round_trip_through_dict():
    p = KdfParams.new(memory_kib=MIN_MEMORY_KIB * 2, iterations=5)
    assert KdfParams.from_dict(p.to_dict()) == p


def test_to_dict_names_argon2id_and_stores_salt_as_hex():
    p = KdfParams.new()
    d = p.to_dict()
    assert d["alg"] == "argon2id"
    assert d["salt"] == p.salt.hex()
    assert d["memory_kib"] == p.memory_kib
    assert d["iterations"] == p.iterations
    assert d["lanes"] == p.lanes


def test_params_at_the_upper_bounds_are_still_accepted():
    d = KdfParams.new().to_dict() | {"memory_kib": MAX_MEMORY_KIB, "iterations": MAX_ITERATIONS}
    p = KdfParams.from_dict(d)
    assert (p.memory_kib, p.iterations) == (MAX_MEMORY_KIB, MAX_ITERATIONS)


def _good() -> dict:
    return KdfParams.new().to_dict()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("memory_kib", MIN_MEMORY_KIB - 1),
        ("memory_kib", 1024),
        ("memory_kib", 0),
        ("memory_kib", -1),
        ("memory_kib", MAX_MEMORY_KIB + 1),
        ("iterations", MIN_ITERATIONS - 1),
        ("iterations", 1),
        ("iterations", 0),
        ("iterations", MAX_ITERATIONS + 1),
        ("iterations", 10**9),
        ("lanes", 0),
        ("lanes", 17),
        ("salt", ""),
        ("salt", "00" * (SALT_LEN - 1)),
        ("salt", "00" * (SALT_LEN + 1)),
    ],
)
def test_from_dict_rejects_out_of_bounds_values_as_corrupt_data(key, value):
    with pytest.raises(CorruptData):
        KdfParams.from_dict(_good() | {key: value})


@pytest.mark.parametrize("alg", ["argon2i", "argon2d", "scrypt", "pbkdf2", "", None, "ARGON2ID"])
def test_from_dict_rejects_unknown_algorithm_as_corrupt_data(alg):
    with pytest.raises(CorruptData):
        KdfParams.from_dict(_good() | {"alg": alg})


@pytest.mark.parametrize("key", ["alg", "salt", "memory_kib", "iterations", "lanes"])
def test_from_dict_rejects_a_missing_field_as_corrupt_data(key):
    d = _good()
    del d[key]
    with pytest.raises(CorruptData):
        KdfParams.from_dict(d)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("salt", "not hex at all!"),
        ("salt", "abc"),  # odd length
        ("salt", 1234),
        ("salt", None),
        ("memory_kib", "lots"),
        ("memory_kib", None),
        ("memory_kib", [65536]),
        ("iterations", "three"),
        ("iterations", float("nan")),
        ("memory_kib", float("inf")),  # json.loads accepts "Infinity"
        ("iterations", float("-inf")),
        ("lanes", {}),
    ],
)
def test_from_dict_rejects_unreadable_values_as_corrupt_data(key, value):
    with pytest.raises(CorruptData):
        KdfParams.from_dict(_good() | {key: value})


@pytest.mark.parametrize("data", [None, "argon2id", 42, [], ["argon2id"], {}, b"{}"])
def test_from_dict_rejects_non_mappings_as_corrupt_data(data):
    with pytest.raises(CorruptData):
        KdfParams.from_dict(data)


# --- derivation ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def params() -> KdfParams:
    return KdfParams.new()


@pytest.fixture(scope="module")
def key_a(params) -> bytes:
    return derive_key("lighthouse keepers whisper", params)


def test_derive_key_returns_a_256_bit_key(key_a):
    assert isinstance(key_a, bytes)
    assert len(key_a) == KEY_LEN == 32


def test_derive_key_is_deterministic_for_same_passphrase_and_salt(params, key_a):
    assert derive_key("lighthouse keepers whisper", params) == key_a
    # a copy of the params made from the header gives the same key too
    assert derive_key("lighthouse keepers whisper", KdfParams.from_dict(params.to_dict())) == key_a


def test_derive_key_differs_for_another_salt(params, key_a):
    assert derive_key("lighthouse keepers whisper", params.with_new_salt()) != key_a


def test_derive_key_differs_for_another_passphrase(params, key_a):
    assert derive_key("lighthouse keepers whispers", params) != key_a


def test_derive_key_differs_for_more_iterations(params, key_a):
    stronger = KdfParams(params.salt, params.memory_kib, params.iterations + 1, params.lanes)
    assert derive_key("lighthouse keepers whisper", stronger) != key_a


# --- calibration -----------------------------------------------------------------------


def test_calibrate_with_tiny_target_returns_the_floor_not_less():
    p = calibrate(target_s=0.001)
    assert p.memory_kib >= MIN_MEMORY_KIB
    assert p.iterations >= MIN_ITERATIONS
    assert p.lanes == LANES
    assert len(p.salt) == SALT_LEN
    # and a header written from it can be read back (within bounds)
    assert KdfParams.from_dict(p.to_dict()) == p


def test_calibrate_never_goes_below_the_memory_floor_even_if_asked(monkeypatch):
    monkeypatch.setattr(kdf, "time_derivation", lambda params: 0.01)
    p = calibrate(target_s=0.001, memory_kib=1024)
    assert p.memory_kib >= MIN_MEMORY_KIB
    assert KdfParams.from_dict(p.to_dict()) == p


def test_calibrate_scales_passes_linearly_with_the_target(monkeypatch):
    # 0.03 s for the 3 floor passes = 0.01 s per pass; target 0.2 s -> 20 passes
    monkeypatch.setattr(kdf, "time_derivation", lambda params: 0.01 * params.iterations)
    p = calibrate(target_s=0.2)
    assert p.iterations == 20
    assert p.memory_kib == MIN_MEMORY_KIB


def test_calibrate_clamps_passes_to_the_maximum_a_header_may_hold(monkeypatch):
    monkeypatch.setattr(kdf, "time_derivation", lambda params: 1e-9)
    p = calibrate(target_s=10.0)
    assert p.iterations == MAX_ITERATIONS
    assert KdfParams.from_dict(p.to_dict()) == p


def test_calibrate_backs_off_when_the_check_measurement_is_far_too_slow(monkeypatch):
    # the first measurement is optimistic; the candidate turns out 4x slower
    calls = []

    def fake(params: KdfParams) -> float:
        calls.append(params.iterations)
        return 0.03 if len(calls) == 1 else 0.04 * params.iterations

    monkeypatch.setattr(kdf, "time_derivation", fake)
    p = calibrate(target_s=0.5)
    assert calls[1] == 50
    assert MIN_ITERATIONS <= p.iterations < 50
    assert p.iterations == round(50 * 0.5 / 2.0)

"""HPKE sealing, Ed25519 signed documents and passphrase-wrapped keys: every way a
blob can be altered, moved or misaddressed is refused with one error class."""

from __future__ import annotations

import msgpack
import pytest

from peerdesk.crypto.kdf import KdfParams
from peerdesk.crypto.seal import (
    MAX_SEALED,
    SEAL_OVERHEAD,
    BoxKeyPair,
    SigningKeyPair,
    key_id,
    open_document,
    open_sealed,
    seal,
    sign_document,
    unwrap_with_passphrase,
    verify,
    wrap_with_passphrase,
)
from peerdesk.errors import BadSignature, SealBroken

INFO = b"peerdesk/test|record-1"


@pytest.fixture(scope="module")
def box() -> BoxKeyPair:
    return BoxKeyPair.generate()


def test_seal_round_trip_with_48_bytes_of_overhead(box):
    blob = seal(b"hello", box.public_raw, INFO)
    assert len(blob) == 5 + SEAL_OVERHEAD
    assert open_sealed(blob, box, INFO) == b"hello"
    assert seal(b"hello", box.public_raw, INFO) != blob  # fresh ephemeral key each time


@pytest.mark.parametrize("position", [0, 31, 32, 40, -1])
def test_a_flipped_bit_anywhere_breaks_the_seal(box, position):
    blob = bytearray(seal(b"some sealed text", box.public_raw, INFO))
    blob[position] ^= 0x01
    with pytest.raises(SealBroken):
        open_sealed(bytes(blob), box, INFO)


def test_a_blob_moved_to_another_context_does_not_open(box):
    blob = seal(b"x", box.public_raw, INFO)
    with pytest.raises(SealBroken):
        open_sealed(blob, box, b"peerdesk/test|record-2")


def test_a_blob_sealed_to_another_key_does_not_open(box):
    blob = seal(b"x", BoxKeyPair.generate().public_raw, INFO)
    with pytest.raises(SealBroken):
        open_sealed(blob, box, INFO)


@pytest.mark.parametrize("size", [0, SEAL_OVERHEAD - 1, MAX_SEALED + 1])
def test_impossible_sizes_are_refused_before_any_crypto(box, size):
    with pytest.raises(SealBroken, match="impossible size"):
        open_sealed(b"\0" * size, box, INFO)


def test_bad_public_keys_are_refused():
    with pytest.raises(SealBroken):
        seal(b"x", b"short", INFO)


def test_key_ids_are_16_hex_characters_of_the_public_key(box):
    assert box.key_id == key_id(box.public_raw) and len(box.key_id) == 16
    assert BoxKeyPair.from_raw(box.private_raw()).key_id == box.key_id


# -- signatures and signed documents --------------------------------------------------------


@pytest.fixture(scope="module")
def signer() -> SigningKeyPair:
    return SigningKeyPair.generate()


def test_verify_refuses_altered_messages_and_bad_lengths(signer):
    sig = signer.sign(b"message")
    verify(signer.public_raw, sig, b"message")
    with pytest.raises(BadSignature):
        verify(signer.public_raw, sig, b"messagf")
    with pytest.raises(BadSignature):
        verify(signer.public_raw, sig[:-1], b"message")
    with pytest.raises(BadSignature):
        verify(b"short", sig, b"message")


def test_a_signed_document_opens_only_as_its_own_kind(signer):
    blob = sign_document(signer, "wipe", {"device": "d"})
    trusted = {signer.key_id: signer.public_raw}
    assert open_document(blob, "wipe", trusted) == {"device": "d"}
    with pytest.raises(BadSignature, match="expected a signed 'key-bundle'"):
        open_document(blob, "key-bundle", trusted)


def test_a_document_by_an_unknown_signer_is_refused(signer):
    blob = sign_document(SigningKeyPair.generate(), "wipe", {"device": "d"})
    with pytest.raises(BadSignature, match="unknown key"):
        open_document(blob, "wipe", {signer.key_id: signer.public_raw})


def test_a_document_claiming_a_trusted_key_id_but_signed_by_another_is_refused(signer):
    forger = SigningKeyPair.generate()
    outer = msgpack.unpackb(sign_document(forger, "wipe", {"device": "d"}))
    outer["kid"] = signer.key_id
    with pytest.raises(BadSignature, match="does not match"):
        open_document(msgpack.packb(outer), "wipe", {signer.key_id: signer.public_raw})


def test_an_altered_document_body_is_refused(signer):
    outer = msgpack.unpackb(sign_document(signer, "wipe", {"device": "d"}))
    outer["body"] = msgpack.packb(["wipe", {"device": "e"}])
    with pytest.raises(BadSignature):
        open_document(msgpack.packb(outer), "wipe", {signer.key_id: signer.public_raw})


@pytest.mark.parametrize(
    "blob",
    [b"", b"\xc1", msgpack.packb([1, 2]), msgpack.packb({"body": 1, "kid": "k", "sig": b""})],
)
def test_malformed_documents_are_bad_signatures_not_crashes(signer, blob):
    with pytest.raises(BadSignature):
        open_document(blob, "wipe", {signer.key_id: signer.public_raw})


# -- passphrase-wrapped private keys ----------------------------------------------------------


def test_passphrase_wrapped_key_round_trip_and_wrong_passphrase():
    wrapped = wrap_with_passphrase(
        b"k" * 32, "correct horse battery staple", "review", KdfParams.new()
    )
    assert unwrap_with_passphrase(wrapped, "correct horse battery staple", "review") == b"k" * 32
    with pytest.raises(SealBroken):
        unwrap_with_passphrase(wrapped, "incorrect horse battery staple", "review")
    with pytest.raises(SealBroken, match="not a wrapped recovery key"):
        unwrap_with_passphrase(wrapped, "correct horse battery staple", "recovery")

"""Signed directory updates: the agency signs snapshots and deltas, the device
verifies and applies them.

Both sides import this module. It never imports device storage: applying goes
through the :class:`DirectoryTarget` protocol, which
:class:`peerdesk.store.directory.DirectoryStore` implements, so the agency
server can use the signing half without pulling in ``peerdesk.store``.

Agency side::

    blob = sign_snapshot(signing_key, dataset, version=7)
    blob = sign_delta(signing_key, diff(old, new, base_version=7, version=8))

Device side (the sync engine, for an inbound item of kind ``"directory"``)::

    result = apply_directory_update(session.directory, item.payload, trusted_signers(bundle))

A blob that is not signed by a trusted key, is signed as another kind, or whose
content is malformed raises (:class:`~peerdesk.errors.BadSignature`,
:class:`~peerdesk.errors.DirectoryDataError`) before anything is written; a delta
for another base version raises :class:`~peerdesk.errors.DirectoryDataError`
(``field == "base_version"``: ask the agency for a snapshot); an update that is
not newer than the directory is a no-op (``applied=False``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from peerdesk.crypto.seal import SigningKeyPair, open_document, sign_document
from peerdesk.domain.directory import (
    Dataset,
    DirectoryDelta,
    DirectorySnapshot,
    DirectoryUpdate,
    UpdateResult,
)
from peerdesk.interop.hsds import update_from_doc, update_to_doc

#: the kind signed documents carry (the inbound item kind of the sync protocol too)
KIND = "directory"


class DirectoryTarget(Protocol):
    """Where a verified update goes (the device's directory store)."""

    def apply_update(self, update: DirectoryUpdate) -> UpdateResult: ...

    def version(self) -> int: ...


def sign_update(signer: SigningKeyPair, update: DirectoryUpdate) -> bytes:
    return sign_document(signer, KIND, update_to_doc(update))


def sign_snapshot(
    signer: SigningKeyPair, dataset: Dataset, *, version: int, issued_at: str = ""
) -> bytes:
    return sign_update(signer, DirectorySnapshot(version, dataset, issued_at))


def sign_delta(signer: SigningKeyPair, delta: DirectoryDelta) -> bytes:
    return sign_update(signer, delta)


def open_directory_update(blob: bytes, trusted: Mapping[str, bytes]) -> DirectoryUpdate:
    """Verify ``blob`` against ``trusted`` (key id -> Ed25519 public key) and read
    it. :class:`BadSignature` or :class:`DirectoryDataError`; nothing is applied."""
    doc = open_document(blob, KIND, dict(trusted))
    return update_from_doc(doc)


def apply_directory_update(
    target: DirectoryTarget, blob: bytes, trusted: Mapping[str, bytes]
) -> UpdateResult:
    """Verify, read and apply a signed update in one go (one transaction)."""
    return target.apply_update(open_directory_update(blob, trusted))

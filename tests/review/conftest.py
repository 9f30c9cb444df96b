"""Fixtures of the review tests: a supervisor profile (role "supervisor"), the
same profile with a generated review cache, and helpers to make pulled records
sealed with a review key the test holds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from peerdesk.crypto.kdf import KdfParams
from peerdesk.crypto.seal import BoxKeyPair
from peerdesk.demo.review import SeedResult, seed_review_cache
from peerdesk.domain.review import PulledRecord, TeamDevice
from peerdesk.ids import new_id
from peerdesk.services import ProfileManager, Session
from peerdesk.wire.protocol import seal_record
from tests.conftest import PASSPHRASE
from tests.review.live import live, make_peer, make_supervisor  # noqa: F401 - fixtures

SUPERVISOR_PROFILE = "sam-supervisor"


@pytest.fixture
def supervisor(manager: ProfileManager) -> Iterator[Session]:
    """A new supervisor profile, open and unlocked."""
    s = manager.create(
        SUPERVISOR_PROFILE, PASSPHRASE, kdf_params=KdfParams.new(), role="supervisor"
    )
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def seeded(supervisor: Session) -> tuple[Session, SeedResult]:
    """The supervisor profile with a small generated cache (4 laptops, 300 notes)."""
    return supervisor, seed_review_cache(supervisor, devices=4, notes=300, trips=60, seed=3)


class Sealer:
    """Makes records the way a laptop does, sealed to a review key the test holds."""

    def __init__(self) -> None:
        self.review = BoxKeyPair.generate()
        self.device = TeamDevice(
            new_id(),
            "Jordan Reyes",
            BoxKeyPair.generate().public_raw,
            False,
            "2026-01-01T00:00:00.000+00:00",
        )
        self.seq = 0

    def record(
        self,
        kind: str,
        entity_id: str,
        payload: dict[str, Any],
        *,
        key: BoxKeyPair | None = None,
        received_at: str = "2026-03-02T10:00:00.000+00:00",
    ) -> PulledRecord:
        key = key or self.review
        op_id = new_id()
        rec = seal_record(
            payload,
            device_id=self.device.device_id,
            kind=kind,
            entity_id=entity_id,
            op_id=op_id,
            key_id=key.key_id,
            recipient_public=key.public_raw,
        )
        self.seq += 1
        return PulledRecord(
            self.seq,
            self.device.device_id,
            op_id,
            kind,
            entity_id,
            rec.key_id,
            rec.dictionary,
            rec.sealed,
            received_at,
        )

    @property
    def keys(self) -> dict[str, BoxKeyPair]:
        return {self.review.key_id: self.review}


@pytest.fixture
def sealer() -> Sealer:
    return Sealer()

"""The storage contract: supervisors, invites and review grants."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta

import pytest

from peerdesk.agency.errors import BadEnrollmentCode, SupervisorExists
from peerdesk.agency.models import (
    REVIEW,
    AgencyKeyInfo,
    AuditEntry,
    NewDevice,
    NewSupervisor,
    ReviewGrant,
    Supervisor,
)
from peerdesk.agency.server import hash_code, hash_credential
from peerdesk.agency.storage import Storage
from peerdesk.errors import NotFound, ValidationError
from peerdesk.ids import new_id, to_iso
from tests.agency.storage_suite.base import StorageBase
from tests.agency.support import FakeClock


class SupervisorTests(StorageBase):
    def invite(
        self, storage: Storage, clock: FakeClock, team: str = "north", name: str = "Sam Okafor"
    ) -> str:
        code = secrets.token_hex(8)
        storage.codes.add(
            hash_code(code),
            created_at=to_iso(clock()),
            expires_at=to_iso(clock() + timedelta(hours=1)),
            role="supervisor",
            team=team,
            name=name,
        )
        return code

    def supervisor(
        self, storage: Storage, clock: FakeClock, team: str = "north", asked: str = "Sam"
    ) -> Supervisor:
        new = NewSupervisor(new_id(), asked, os.urandom(32), os.urandom(32))
        return storage.supervisors.enroll(
            hash_code(self.invite(storage, clock, team)),
            new,
            hash_credential(new.supervisor_id),
            clock(),
        )

    def test_an_invite_enrolls_a_supervisor_of_its_team_once(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        code = self.invite(storage, clock, "north", "Sam Okafor")
        new = NewSupervisor(new_id(), "sam", b"s" * 32, b"b" * 32)
        made = storage.supervisors.enroll(hash_code(code), new, b"c" * 32, clock())
        assert (made.team, made.name, made.removed) == ("north", "Sam Okafor", False)
        assert storage.supervisors.get(new.supervisor_id) == made
        assert storage.supervisors.by_credential(b"c" * 32) == made
        assert storage.supervisors.by_credential(b"d" * 32) is None
        with pytest.raises(BadEnrollmentCode):
            storage.supervisors.enroll(
                hash_code(code), NewSupervisor(new_id(), "x", b"s" * 32, b"b" * 32), b"e" * 32,
                clock(),
            )  # fmt: skip

    def test_invite_without_a_name_takes_the_name_the_supervisor_gave(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        code = self.invite(storage, clock, "north", "")
        new = NewSupervisor(new_id(), "Kim Lee", b"s" * 32, b"b" * 32)
        assert (
            storage.supervisors.enroll(hash_code(code), new, b"c" * 32, clock()).name == "Kim Lee"
        )

    def test_device_codes_and_invites_enroll_only_their_own_kind(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_code = self.code(storage, clock)
        invite = self.invite(storage, clock)
        with pytest.raises(BadEnrollmentCode):
            storage.supervisors.enroll(
                hash_code(device_code), NewSupervisor(new_id(), "x", b"s" * 32, b"b" * 32),
                b"c" * 32, clock(),
            )  # fmt: skip
        with pytest.raises(BadEnrollmentCode):
            storage.devices.enroll(
                hash_code(invite), NewDevice(new_id(), "A", b"s" * 32, b"b" * 32), b"1" * 32,
                clock(),
            )  # fmt: skip
        # both stay usable for their own kind
        self.enroll(storage, clock)  # (a fresh code) - and the refused one still works:
        storage.devices.enroll(
            hash_code(device_code), NewDevice(new_id(), "A", b"s" * 32, b"b" * 32), b"2" * 32,
            clock(),
        )  # fmt: skip
        storage.supervisors.enroll(
            hash_code(invite), NewSupervisor(new_id(), "x", b"s" * 32, b"b" * 32), b"c" * 32,
            clock(),
        )  # fmt: skip

    def test_expired_invite_and_taken_supervisor_id_are_refused(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        expired = self.invite(storage, clock)
        clock.advance(hours=1)
        with pytest.raises(BadEnrollmentCode):
            storage.supervisors.enroll(
                hash_code(expired), NewSupervisor(new_id(), "x", b"s" * 32, b"b" * 32),
                b"c" * 32, clock(),
            )  # fmt: skip
        first = self.supervisor(storage, clock)
        code = self.invite(storage, clock)
        with pytest.raises(SupervisorExists):
            storage.supervisors.enroll(
                hash_code(code), NewSupervisor(first.supervisor_id, "x", b"s" * 32, b"b" * 32),
                b"z" * 32, clock(),
            )  # fmt: skip
        assert len(storage.supervisors.all()) == 1

    def test_an_unknown_role_is_refused(self, storage: Storage, clock: FakeClock) -> None:
        with pytest.raises(ValidationError, match="role"):
            storage.codes.add(b"h" * 32, created_at="a", expires_at="b", role="admin", team="north")

    def test_grants_are_stored_replaced_and_listed_with_the_key_expiry(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        old = AgencyKeyInfo("00000000000000a1", REVIEW, b"k" * 32, to_iso(clock()), "2030-01-01")
        clock.advance(seconds=1)
        new = AgencyKeyInfo("00000000000000a2", REVIEW, b"l" * 32, to_iso(clock()))
        storage.keys.change(add=[old, new], bundle=b"b", issued_at=to_iso(clock()))
        sup = self.supervisor(storage, clock)
        sid = sup.supervisor_id
        storage.supervisors.put_grants(
            [ReviewGrant(sid, new.key_id, b"new"), ReviewGrant(sid, old.key_id, b"old")], clock()
        )
        storage.supervisors.put_grants([ReviewGrant(sid, new.key_id, b"new again")], clock())
        assert [(g.key_id, g.sealed, g.not_after) for g in storage.supervisors.grants(sid)] == [
            (old.key_id, b"old", "2030-01-01"),
            (new.key_id, b"new again", ""),
        ]
        assert storage.supervisors.grants(new_id()) == []

    def test_removing_a_supervisor_deletes_their_grants_and_is_audited(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        key = AgencyKeyInfo("00000000000000a1", REVIEW, b"k" * 32, to_iso(clock()))
        storage.keys.change(add=[key], bundle=b"b", issued_at=to_iso(clock()))
        sam, kim = self.supervisor(storage, clock), self.supervisor(storage, clock)
        storage.supervisors.put_grants(
            [ReviewGrant(s.supervisor_id, key.key_id, b"g") for s in (sam, kim)], clock()
        )
        audit = AuditEntry("it@host", "supervisor-remove", sam.supervisor_id)
        removed = storage.supervisors.remove(sam.supervisor_id, clock(), audit=audit)
        assert removed.removed_at == to_iso(clock())
        assert storage.supervisors.get(sam.supervisor_id).removed
        assert (
            storage.supervisors.grants(sam.supervisor_id) == []
            and len(storage.supervisors.grants(kim.supervisor_id)) == 1
        )
        assert [s.supervisor_id for s in storage.supervisors.all(active_only=True)] == [
            kim.supervisor_id
        ]
        assert len(storage.supervisors.all()) == 2
        with pytest.raises(ValidationError, match="already removed"):
            storage.supervisors.remove(sam.supervisor_id, clock(), audit=audit)
        with pytest.raises(NotFound):
            storage.supervisors.remove(new_id(), clock())
        with pytest.raises(ValidationError, match="removed or unknown"):
            storage.supervisors.put_grants(
                [ReviewGrant(sam.supervisor_id, key.key_id, b"g")], clock()
            )
        assert [(r.action, r.target) for r in storage.audit.entries()] == [
            ("supervisor-remove", sam.supervisor_id)
        ]

    def test_a_rotation_grants_the_new_key_to_active_supervisors_with_the_bundle(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        sam, kim = self.supervisor(storage, clock), self.supervisor(storage, clock)
        storage.supervisors.remove(kim.supervisor_id, clock())
        key = AgencyKeyInfo("00000000000000b1", REVIEW, b"k" * 32, to_iso(clock()))
        storage.keys.change(
            add=[key],
            bundle=b"bundle",
            issued_at=to_iso(clock()),
            # the removed one is skipped (a rotation racing a removal), not an error
            grants=[ReviewGrant(s.supervisor_id, key.key_id, b"g") for s in (sam, kim)],
            audit=AuditEntry("it@host", "rotate-review-key", ""),
        )
        assert [g.key_id for g in storage.supervisors.grants(sam.supervisor_id)] == [key.key_id]
        assert storage.supervisors.grants(kim.supervisor_id) == []
        assert [r.action for r in storage.audit.entries()] == ["rotate-review-key"]

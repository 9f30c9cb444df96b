"""The storage contract: enrollment codes, devices and their teams."""

from __future__ import annotations

import pytest

from peerdesk.agency.errors import BadEnrollmentCode, DeviceExists
from peerdesk.agency.models import NewDevice
from peerdesk.agency.server import hash_code, hash_credential
from peerdesk.agency.storage import Storage
from peerdesk.errors import NotFound, ValidationError
from peerdesk.ids import new_id
from tests.agency.storage_suite.base import StorageBase, StorageFactory, fake_record, run_together
from tests.agency.support import FakeClock


class EnrollmentTests(StorageBase):
    def test_enrollment_code_works_once(self, storage: Storage, clock: FakeClock) -> None:
        code = self.code(storage, clock)
        storage.devices.enroll(
            hash_code(code), NewDevice(new_id(), "A", b"s" * 32, b"b" * 32), b"1" * 32, clock()
        )
        with pytest.raises(BadEnrollmentCode):
            storage.devices.enroll(
                hash_code(code), NewDevice(new_id(), "B", b"s" * 32, b"b" * 32), b"2" * 32, clock()
            )
        assert len(storage.devices.summaries()) == 1

    def test_expired_enrollment_code_is_refused(self, storage: Storage, clock: FakeClock) -> None:
        code = self.code(storage, clock, hours=1)
        clock.advance(hours=1)
        with pytest.raises(BadEnrollmentCode):
            storage.devices.enroll(
                hash_code(code), NewDevice(new_id(), "A", b"s" * 32, b"b" * 32), b"1" * 32, clock()
            )
        assert storage.devices.summaries() == []

    def test_unknown_enrollment_code_is_refused(self, storage: Storage, clock: FakeClock) -> None:
        with pytest.raises(BadEnrollmentCode):
            storage.devices.enroll(
                hash_code("NOSUCHCODE"),
                NewDevice(new_id(), "A", b"s" * 32, b"b" * 32),
                b"1" * 32,
                clock(),
            )

    def test_taken_device_id_is_refused_and_leaves_the_code_unused(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        code = self.code(storage, clock)
        with pytest.raises(DeviceExists):
            storage.devices.enroll(
                hash_code(code), NewDevice(device_id, "A", b"s" * 32, b"b" * 32), b"9" * 32, clock()
            )
        storage.devices.enroll(
            hash_code(code), NewDevice(new_id(), "B", b"s" * 32, b"b" * 32), b"8" * 32, clock()
        )
        assert len(storage.devices.summaries()) == 2

    def test_concurrent_enrollments_with_one_code_enroll_one_device(
        self, storage_factory: StorageFactory, storage: Storage, clock: FakeClock
    ) -> None:
        code = self.code(storage, clock)
        others = [storage_factory(), storage_factory()]

        def enroll(store: Storage, marker: bytes) -> str:
            device = NewDevice(new_id(), "A", b"s" * 32, b"b" * 32)
            store.devices.enroll(hash_code(code), device, marker * 32, clock())
            return device.device_id

        results = run_together(lambda: enroll(others[0], b"1"), lambda: enroll(others[1], b"2"))
        assert sum(isinstance(r, str) for r in results) == 1
        assert sum(isinstance(r, BadEnrollmentCode) for r in results) == 1
        assert len(storage.devices.summaries()) == 1


class DeviceTests(StorageBase):
    def test_device_is_found_by_its_credential_hash(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        found = storage.devices.by_credential(hash_credential(device_id + "-credential"))
        assert found is not None and found.device_id == device_id and not found.revoked
        assert storage.devices.by_credential(hash_credential("someone else")) is None

    def test_revoking_keeps_the_wipe_order_and_queues_it_for_the_device(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        seq = storage.devices.revoke(device_id, b"signed wipe order", clock())
        device = storage.devices.get(device_id)
        assert device.revoked and device.wipe_order == b"signed wipe order"
        items, more = storage.outbound.inbound(device_id, 0)
        assert [(i.seq, i.kind, i.payload) for i in items] == [(seq, "wipe", b"signed wipe order")]
        assert not more

    def test_revoking_twice_or_an_unknown_device_is_refused(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        storage.devices.revoke(device_id, b"order", clock())
        with pytest.raises(ValidationError, match="already revoked"):
            storage.devices.revoke(device_id, b"order", clock())
        with pytest.raises(NotFound):
            storage.devices.revoke(new_id(), b"order", clock())

    def test_device_list_counts_each_devices_records(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        a, b = self.enroll(storage, clock), self.enroll(storage, clock)
        self.ingest(storage, clock, a, [fake_record(), fake_record()])
        counts = {s.device.device_id: s.records for s in storage.devices.summaries()}
        assert counts == {a: 2, b: 0}


class TeamTests(StorageBase):
    def test_a_device_code_puts_the_device_in_its_team(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        north = self.enroll(storage, clock, team="north")
        none = self.enroll(storage, clock)
        assert storage.devices.get(north).team == "north" and storage.devices.get(none).team == ""
        assert [s.device.device_id for s in storage.devices.summaries(team="north")] == [north]
        assert [d.device_id for d in storage.devices.of_team("north")] == [north]
        assert [d.device_id for d in storage.devices.of_team("")] == [none]

    def test_moving_a_device_to_another_team(self, storage: Storage, clock: FakeClock) -> None:
        device_id = self.enroll(storage, clock, team="north")
        moved = storage.devices.set_team(device_id, "south", clock())
        assert moved.team == "south" and storage.devices.of_team("north") == []
        with pytest.raises(NotFound):
            storage.devices.set_team(new_id(), "south", clock())

    def test_team_records_hold_only_the_teams_devices_and_the_kinds_asked(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        north = self.enroll(storage, clock, team="north")
        south = self.enroll(storage, clock, team="south")
        mine = [fake_record(kind=k) for k in ("note", "trip", "escrow", "correction", "referral")]
        self.ingest(storage, clock, north, mine)
        self.ingest(storage, clock, south, [fake_record(), fake_record(kind="trip")])
        found, more = storage.records.of_team("north", ("note", "trip", "referral"))
        assert not more
        assert [(r.device_id, r.kind, r.op_id, r.sealed) for r in found] == [
            (north, r.kind, r.op_id, r.sealed)
            for r in mine
            if r.kind in ("note", "trip", "referral")
        ]
        assert storage.records.of_team("east", ("note",)) == ([], False)

    def test_team_records_and_events_page_by_seq(self, storage: Storage, clock: FakeClock) -> None:
        north = self.enroll(storage, clock, team="north")
        south = self.enroll(storage, clock, team="south")
        for i in range(5):
            self.ingest(storage, clock, north if i % 2 == 0 else south, [fake_record()])
        pages: list[list[int]] = []
        after = 0
        while True:
            found, more = storage.records.of_team("north", ("note",), after_seq=after, limit=2)
            pages.append([r.seq for r in found])
            if not more:
                break
            after = found[-1].seq
        assert [len(p) for p in pages] == [2, 1]
        events, more = storage.reviews.events(team="north", limit=2)
        assert more and [e.device_id for e in events] == [north, north]
        rest, more = storage.reviews.events(team="north", after_seq=events[-1].seq)
        assert not more and [e.device_id for e in rest] == [north]
        everyone, _ = storage.reviews.events()
        assert len(everyone) == 5

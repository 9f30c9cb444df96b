"""The storage contract: migrations, keys and bundles, the admin audit log."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from peerdesk.agency import migrations
from peerdesk.agency.errors import SchemaMismatch
from peerdesk.agency.models import REVIEW, AgencyKeyInfo, AuditEntry
from peerdesk.agency.storage import Storage
from peerdesk.agency.tables import metadata
from peerdesk.errors import NotFound, ValidationError
from peerdesk.ids import new_id, to_iso
from tests.agency.storage_suite.base import StorageBase
from tests.agency.support import FakeClock


class MigrationTests(StorageBase):
    def test_migrating_an_empty_database_creates_exactly_the_declared_schema(
        self, empty: Storage
    ) -> None:
        status = empty.migrate()
        assert status.up_to_date and status.current == migrations.heads()
        with empty.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(ctx, metadata) == []

    def test_schema_check_refuses_an_empty_database_as_behind(self, empty: Storage) -> None:
        with pytest.raises(SchemaMismatch, match="behind.*peerdesk-agency migrate") as err:
            empty.check_schema()
        assert err.value.current == () and err.value.head == migrations.heads()

    def test_schema_check_and_migrate_refuse_a_database_from_a_newer_version(
        self, storage: Storage
    ) -> None:
        with storage.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        with pytest.raises(SchemaMismatch, match="newer"):
            storage.check_schema()
        with pytest.raises(SchemaMismatch, match="newer"):
            storage.migrate()

    def test_downgrade_to_nothing_and_upgrade_again_round_trips(self, storage: Storage) -> None:
        migrations.downgrade(storage.engine, "base")
        assert storage.schema_status().current == ()
        assert storage.migrate().up_to_date


class AuditTests(StorageBase):
    def test_admin_actions_append_audit_rows_in_order(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        device_id = self.enroll(storage, clock)
        storage.codes.add(
            b"h" * 32, created_at=to_iso(clock()), expires_at=to_iso(clock()), team="north",
            audit=AuditEntry("it@host", "enroll", "north", "device code"),
        )  # fmt: skip
        clock.advance(minutes=1)
        storage.devices.set_team(
            device_id, "north", clock(), audit=AuditEntry("it@host", "device-team", device_id)
        )
        storage.devices.revoke(
            device_id, b"order", clock(), audit=AuditEntry("it@host", "revoke", device_id)
        )
        storage.audit.add(AuditEntry("x" * 300, "y" * 50, "z" * 300, "d" * 900), clock())
        rows = storage.audit.entries()
        assert [(r.action, r.target) for r in rows[:3]] == [
            ("enroll", "north"),
            ("device-team", device_id),
            ("revoke", device_id),
        ]
        assert rows[0].detail == "device code" and rows[1].at == to_iso(clock())
        assert [r.seq for r in rows] == sorted(r.seq for r in rows)
        # over-long values are cut to the column sizes, not refused
        assert (len(rows[3].actor), len(rows[3].action), len(rows[3].detail)) == (100, 32, 500)
        assert [r.seq for r in storage.audit.entries(after_seq=rows[1].seq, limit=1)] == [
            rows[2].seq
        ]

    def test_a_refused_action_leaves_no_audit_row(self, storage: Storage, clock: FakeClock) -> None:
        device_id = self.enroll(storage, clock)
        storage.devices.revoke(device_id, b"order", clock())
        with pytest.raises(ValidationError):
            storage.devices.revoke(
                device_id, b"order", clock(), audit=AuditEntry("it@host", "revoke", device_id)
            )
        with pytest.raises(NotFound):
            storage.devices.set_team(
                new_id(), "x", clock(), audit=AuditEntry("it@host", "device-team", "x")
            )
        assert storage.audit.entries() == []


class MigrationDataTests(StorageBase):
    def test_upgrade_to_0003_keeps_the_review_state_of_stored_notes(
        self, empty: Storage, clock: FakeClock
    ) -> None:
        migrations.upgrade(empty.engine, "0002")
        dev, approved, plain = new_id(), new_id(), new_id()
        with empty.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO devices (device_id, label, sign_pub, box_pub, credential_hash, "
                    "enrolled_at) VALUES (:d, 'L', :k, :k, :k, '2026-01-01')"
                ),
                {"d": dev, "k": b"k" * 32},
            )
            for seq, (kind, entity, state) in enumerate(
                [("note", approved, "approved"), ("note", plain, None), ("trip", new_id(), None)],
                start=1,
            ):
                conn.execute(
                    text(
                        "INSERT INTO records (seq, device_id, op_id, kind, entity_id, key_id, "
                        "dictionary, sealed, size, batch_id, received_at, review_state) VALUES "
                        "(:s, :d, :op, :kind, :e, 'k', '', :b, 1, 'b', :at, :st)"
                    ),
                    {
                        "s": seq,
                        "d": dev,
                        "op": new_id(),
                        "kind": kind,
                        "e": entity,
                        "b": b"x",
                        "at": f"2026-01-0{seq}",
                        "st": state,
                    },  # fmt: skip
                )
            conn.execute(
                text(
                    "INSERT INTO outbound (device_id, kind, ref, payload, created_at) "
                    "VALUES (:d, 'feedback', :n, :p, '2026-02-01')"
                ),
                {"d": dev, "n": approved, "p": b"sealed"},
            )
        assert empty.migrate().up_to_date
        assert empty.reviews.get(dev, approved).state == "approved"
        assert (empty.reviews.get(dev, plain).state, empty.reviews.get(dev, plain).last_seq) == (
            "received",
            2,
        )
        assert [(e.state, e.at, e.actor) for e in empty.reviews.history(dev, approved)] == [
            ("received", "2026-01-01", "peer"),
            ("approved", "2026-02-01", "supervisor"),
        ]
        assert empty.devices.get(dev).team == ""
        # and back: the decision returns to the note record
        migrations.downgrade(empty.engine, "0002")
        with empty.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT entity_id, review_state FROM records WHERE kind = 'note'")
            ).all()
        assert {entity: state for entity, state in rows} == {approved: "approved", plain: None}


class KeyTests(StorageBase):
    def test_keys_and_bundles_change_together_and_the_latest_bundle_is_served(
        self, storage: Storage, clock: FakeClock
    ) -> None:
        assert storage.keys.latest_bundle() is None
        first = AgencyKeyInfo("00000000000000a1", REVIEW, b"k" * 32, to_iso(clock()))
        storage.keys.change(add=[first], bundle=b"bundle 1", issued_at=to_iso(clock()))
        second = AgencyKeyInfo("00000000000000a2", REVIEW, b"l" * 32, to_iso(clock()))
        storage.keys.change(
            add=[second], not_after={first.key_id: "2030-01-01"}, bundle=b"bundle 2", issued_at="x"
        )
        assert storage.keys.latest_bundle() == b"bundle 2"
        assert {(k.key_id, k.not_after) for k in storage.keys.all(REVIEW)} == {
            (first.key_id, "2030-01-01"),
            (second.key_id, ""),
        }

"""Initial agency schema: keys, key bundles, enrollment codes, devices, records,
idempotent batches and the outbound queue.

Revision ID: 0001
Revises:
Create Date: 2026-05-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None

# BIGSERIAL on PostgreSQL; INTEGER PRIMARY KEY AUTOINCREMENT (the 64-bit rowid) on SQLite.
Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "agency_keys",
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("public", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("not_after", sa.String(40), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_agency_keys")),
    )
    op.create_table(
        "key_bundles",
        sa.Column("seq", Seq, autoincrement=True, nullable=False),
        sa.Column("issued_at", sa.String(40), nullable=False),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_key_bundles")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "enrollment_codes",
        sa.Column("code_hash", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("expires_at", sa.String(40), nullable=False),
        sa.Column("used_at", sa.String(40), nullable=True),
        sa.Column("device_id", sa.String(36), nullable=True),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_enrollment_codes")),
    )
    op.create_table(
        "devices",
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("sign_pub", sa.LargeBinary(), nullable=False),
        sa.Column("box_pub", sa.LargeBinary(), nullable=False),
        sa.Column("credential_hash", sa.LargeBinary(), nullable=False),
        sa.Column("enrolled_at", sa.String(40), nullable=False),
        sa.Column("last_seen_at", sa.String(40), nullable=True),
        sa.Column("revoked_at", sa.String(40), nullable=True),
        sa.Column("wipe_order", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_devices")),
        sa.UniqueConstraint("credential_hash", name=op.f("uq_devices_credential_hash")),
    )
    op.create_table(
        "records",
        sa.Column("seq", Seq, autoincrement=True, nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("op_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("dictionary", sa.String(32), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.String(36), nullable=False),
        sa.Column("received_at", sa.String(40), nullable=False),
        sa.Column("review_state", sa.String(16), nullable=True),
        sa.Column("used_at", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_records")),
        sa.UniqueConstraint("device_id", "op_id", name=op.f("uq_records_device_id_op_id")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_records_device_id_seq", "records", ["device_id", "seq"])
    op.create_index("ix_records_kind_seq", "records", ["kind", "seq"])
    op.create_table(
        "batches",
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("batch_id", sa.String(36), nullable=False),
        sa.Column("body_hash", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("claim", sa.String(32), nullable=False),
        sa.Column("started_at", sa.String(40), nullable=False),
        sa.Column("finished_at", sa.String(40), nullable=True),
        sa.Column("response", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.device_id"], name=op.f("fk_batches_device_id_devices")
        ),
        sa.PrimaryKeyConstraint("device_id", "batch_id", name=op.f("pk_batches")),
    )
    op.create_table(
        "outbound",
        sa.Column("seq", Seq, autoincrement=True, nullable=False),
        sa.Column("device_id", sa.String(36), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref", sa.String(36), server_default="", nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.device_id"], name=op.f("fk_outbound_device_id_devices")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbound")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbound_device_id_seq", "outbound", ["device_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_outbound_device_id_seq", table_name="outbound")
    op.drop_table("outbound")
    op.drop_table("batches")
    op.drop_index("ix_records_kind_seq", table_name="records")
    op.drop_index("ix_records_device_id_seq", table_name="records")
    op.drop_table("records")
    op.drop_table("devices")
    op.drop_table("enrollment_codes")
    op.drop_table("key_bundles")
    op.drop_table("agency_keys")

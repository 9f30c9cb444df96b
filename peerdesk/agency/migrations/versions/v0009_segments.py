"""Sealed batch segments (issue 17): many records of one kind compressed together
and sealed once.

* ``segments``: one row per sealed segment (its kind, key id, dictionary, the
  manifest of op and entity ids, the ciphertext).
* ``records.segment`` / ``records.part``: a record that came in a segment points
  at it (its own ``sealed`` is empty); rows stored before keep NULL and their own
  ciphertext, and are read as before.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision: str | None = "0008"
branch_labels = None
depends_on = None

Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "segments",
        sa.Column("seq", Seq, autoincrement=True, nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("dictionary", sa.String(32), nullable=False),
        sa.Column("ids", sa.LargeBinary(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.String(36), nullable=False),
        sa.Column("received_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_segments")),
        sqlite_autoincrement=True,
    )
    op.add_column("records", sa.Column("segment", Seq, nullable=True))
    op.add_column("records", sa.Column("part", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_column("part")
        batch.drop_column("segment")
    op.drop_table("segments")

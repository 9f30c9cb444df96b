"""Peers' suggested corrections to the resource directory: what the agency decided
(accepted, with an optional edit of the service, or dismissed) and the directory
version an accepted one went out in. A correction without a row is open.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None

Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "directory_corrections",
        sa.Column("record_seq", Seq, autoincrement=False, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("field", sa.String(64), nullable=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("service_id", sa.String(128), server_default="", nullable=False),
        sa.Column("decided_at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("published_in", Seq, nullable=True),
        sa.ForeignKeyConstraint(
            ["record_seq"],
            ["records.seq"],
            name=op.f("fk_directory_corrections_record_seq_records"),
        ),
        sa.PrimaryKeyConstraint("record_seq", name=op.f("pk_directory_corrections")),
    )


def downgrade() -> None:
    op.drop_table("directory_corrections")

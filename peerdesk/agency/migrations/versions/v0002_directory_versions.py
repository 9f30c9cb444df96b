"""Published resource directory versions (the dataset each signed update was made
from, so the next publication can be a delta).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None

Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "directory_versions",
        sa.Column("version", Seq, autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("dataset", sa.LargeBinary(), nullable=False),
        sa.Column("services", sa.Integer(), nullable=False),
        sa.Column("outbound_seq", Seq, nullable=False),
        sa.Column("published_at", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(
            ["outbound_seq"],
            ["outbound.seq"],
            name=op.f("fk_directory_versions_outbound_seq_outbound"),
        ),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_directory_versions")),
    )


def downgrade() -> None:
    op.drop_table("directory_versions")

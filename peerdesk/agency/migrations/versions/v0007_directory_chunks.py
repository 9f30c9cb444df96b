"""Directory downloads in chunks (issue 17): per published version the signed
manifests (the full directory, and the delta from the version before) and the
content-addressed compressed chunks they name.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision: str | None = "0006"
branch_labels = None
depends_on = None

Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "directory_manifests",
        sa.Column("version", Seq, autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("signed", sa.LargeBinary(), nullable=False),
        sa.Column("wire_bytes", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version"],
            ["directory_versions.version"],
            name=op.f("fk_directory_manifests_version_directory_versions"),
        ),
        sa.PrimaryKeyConstraint("version", "kind", name=op.f("pk_directory_manifests")),
    )
    op.create_table(
        "directory_chunks",
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("hash", name=op.f("pk_directory_chunks")),
    )


def downgrade() -> None:
    op.drop_table("directory_chunks")
    op.drop_table("directory_manifests")

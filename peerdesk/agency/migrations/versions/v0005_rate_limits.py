"""Operations hardening (issue 22): rate limits every API worker shares, and
keyed hashes of enrollment codes.

* ``rate_limits``: refused enrollment attempts per bucket (an address, a code)
  and fixed window, so N workers count together and a restart forgets nothing.
* ``enrollment_codes.hash_kind``: ``hmac`` (HMAC-SHA256 with the agency's code
  key, a file beside the settings) for codes issued from now on; rows already
  stored keep ``sha256`` (the unkeyed hash they were made with) and are still
  accepted until they expire (at most 30 days), since their codes are unknown.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "enrollment_codes",
        sa.Column("hash_kind", sa.String(16), server_default="sha256", nullable=False),
    )
    op.create_table(
        "rate_limits",
        sa.Column("bucket", sa.String(80), nullable=False),
        sa.Column("window_start", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "window_start", name=op.f("pk_rate_limits")),
    )
    op.create_index(
        op.f("ix_rate_limits_window_start"), "rate_limits", ["window_start"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_rate_limits_window_start"), table_name="rate_limits")
    op.drop_table("rate_limits")
    with op.batch_alter_table("enrollment_codes") as batch:
        batch.drop_column("hash_kind")

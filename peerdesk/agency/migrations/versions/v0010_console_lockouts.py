"""The console's sign-in lock per account and client address (an IPv6 address by
its /64): failures from one address lock that address out of that account for a
while, and no longer the account as a whole (an attacker could keep re-locking an
admin). An attempt is counted before its password is hashed, so parallel guesses
cannot get past the limit.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision: str | None = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_lockouts",
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("bucket", sa.String(80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("username", "bucket"),
    )


def downgrade() -> None:
    op.drop_table("console_lockouts")

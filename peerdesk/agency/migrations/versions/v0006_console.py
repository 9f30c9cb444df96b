"""The web console for agency IT (issue 22): its accounts and sessions.

* ``console_admins``: an account (admin or auditor) with its Argon2id password
  record, its TOTP secret and the last TOTP step used (a code is good once), the
  failed sign-ins and a lock that always ends.
* ``console_sessions``: signed-in sessions, kept by the SHA-256 of the cookie's id,
  with the session's CSRF token and when it began and was last used.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision: str | None = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_admins",
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password", sa.String(400), nullable=False),
        sa.Column("totp_secret", sa.String(64), nullable=False),
        sa.Column("totp_last_step", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", sa.String(40), nullable=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("removed_at", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_console_admins")),
    )
    op.create_table(
        "console_sessions",
        sa.Column("id_hash", sa.LargeBinary(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("seen_at", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(
            ["username"],
            ["console_admins.username"],
            name=op.f("fk_console_sessions_username_console_admins"),
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_console_sessions")),
    )
    op.create_index(
        op.f("ix_console_sessions_username"), "console_sessions", ["username"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_console_sessions_username"), table_name="console_sessions")
    op.drop_table("console_sessions")
    op.drop_table("console_admins")

"""What each laptop last reported about itself (the ``PeerDesk-Client`` header of
its sync requests): its app version and the records waiting (pending) and held
back (quarantined) in its outbox. Counts and a version only; NULL until a laptop
sends them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision: str | None = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("devices", sa.Column("client_version", sa.String(32), nullable=True))
    op.add_column("devices", sa.Column("client_pending", sa.Integer(), nullable=True))
    op.add_column("devices", sa.Column("client_held", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("devices", "client_held")
    op.drop_column("devices", "client_pending")
    op.drop_column("devices", "client_version")

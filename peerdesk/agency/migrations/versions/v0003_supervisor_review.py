"""Supervisor review: teams, supervisors and their review-key grants, the review
state of each note with its history, and the admin audit log.

* ``devices.team``; ``enrollment_codes.role`` / ``team`` / ``name`` (a code is a
  device code or a supervisor invite, for one team).
* ``supervisors``, ``review_grants`` (review private keys sealed to a supervisor).
* ``note_reviews`` (one row per note: state and the last record seq of the note)
  and ``review_events`` (its history). Filled here from the stored note records;
  ``records.review_state`` moves into ``note_reviews`` and is dropped.
* ``admin_audit``: one row per admin action.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None

Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("devices", sa.Column("team", sa.String(64), server_default="", nullable=False))
    op.add_column(
        "enrollment_codes",
        sa.Column("role", sa.String(16), server_default="device", nullable=False),
    )
    op.add_column(
        "enrollment_codes", sa.Column("team", sa.String(64), server_default="", nullable=False)
    )
    op.add_column(
        "enrollment_codes", sa.Column("name", sa.String(100), server_default="", nullable=False)
    )
    op.create_table(
        "supervisors",
        sa.Column("supervisor_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("team", sa.String(64), nullable=False),
        sa.Column("sign_pub", sa.LargeBinary(), nullable=False),
        sa.Column("box_pub", sa.LargeBinary(), nullable=False),
        sa.Column("credential_hash", sa.LargeBinary(), nullable=False),
        sa.Column("enrolled_at", sa.String(40), nullable=False),
        sa.Column("removed_at", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("supervisor_id", name=op.f("pk_supervisors")),
        sa.UniqueConstraint("credential_hash", name=op.f("uq_supervisors_credential_hash")),
    )
    op.create_table(
        "review_grants",
        sa.Column("supervisor_id", sa.String(36), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("granted_at", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(
            ["supervisor_id"],
            ["supervisors.supervisor_id"],
            name=op.f("fk_review_grants_supervisor_id_supervisors"),
        ),
        sa.ForeignKeyConstraint(
            ["key_id"], ["agency_keys.key_id"], name=op.f("fk_review_grants_key_id_agency_keys")
        ),
        sa.PrimaryKeyConstraint("supervisor_id", "key_id", name=op.f("pk_review_grants")),
    )
    op.create_table(
        "note_reviews",
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("note_id", sa.String(36), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("last_seq", Seq, nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "note_id", name=op.f("pk_note_reviews")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "review_events",
        sa.Column("seq", Seq, autoincrement=True, nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("note_id", sa.String(36), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("record_seq", Seq, nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_review_events")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "admin_audit",
        sa.Column("seq", Seq, autoincrement=True, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(100), nullable=False),
        sa.Column("detail", sa.String(500), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_admin_audit")),
        sqlite_autoincrement=True,
    )
    # The notes stored so far: their state (the decision kept on the note record, or
    # received) and history (received when stored; the decision when its feedback
    # was queued).
    op.execute(
        "INSERT INTO note_reviews (device_id, note_id, state, last_seq, updated_at) "
        "SELECT device_id, entity_id, COALESCE(MAX(review_state), 'received'), MAX(seq), "
        "MAX(received_at) FROM records WHERE kind = 'note' GROUP BY device_id, entity_id"
    )
    op.execute(
        "INSERT INTO review_events (device_id, note_id, state, at, actor, record_seq) "
        "SELECT device_id, entity_id, 'received', MIN(received_at), 'peer', MIN(seq) "
        "FROM records WHERE kind = 'note' GROUP BY device_id, entity_id ORDER BY MIN(seq)"
    )
    op.execute(
        "INSERT INTO review_events (device_id, note_id, state, at, actor, record_seq) "
        "SELECT n.device_id, n.note_id, n.state, COALESCE((SELECT MAX(o.created_at) FROM "
        "outbound o WHERE o.kind = 'feedback' AND o.device_id = n.device_id "
        "AND o.ref = n.note_id), n.updated_at), 'supervisor', NULL FROM note_reviews n "
        "WHERE n.state <> 'received' ORDER BY n.last_seq"
    )
    op.drop_column("records", "review_state")


def downgrade() -> None:
    op.add_column("records", sa.Column("review_state", sa.String(16), nullable=True))
    op.execute(
        "UPDATE records SET review_state = (SELECT n.state FROM note_reviews n "
        "WHERE n.device_id = records.device_id AND n.note_id = records.entity_id "
        "AND n.state IN ('approved', 'returned')) WHERE kind = 'note'"
    )
    op.drop_table("admin_audit")
    op.drop_table("review_events")
    op.drop_table("note_reviews")
    op.drop_table("review_grants")
    op.drop_table("supervisors")
    op.drop_column("enrollment_codes", "name")
    op.drop_column("enrollment_codes", "team")
    op.drop_column("enrollment_codes", "role")
    op.drop_column("devices", "team")

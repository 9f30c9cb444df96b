"""Alembic environment of the agency database.

Run only through :func:`peerdesk.agency.migrations.upgrade` (``peerdesk-agency
migrate``), which hands over an open connection; there is no alembic.ini.
"""

from __future__ import annotations

from alembic import context

from peerdesk.agency.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable by calling alembic directly
    raise RuntimeError("run agency migrations with `peerdesk-agency migrate`")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

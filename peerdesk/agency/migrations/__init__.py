"""Alembic migrations of the agency database, configured in code (no alembic.ini).

``peerdesk-agency migrate`` calls :func:`upgrade`; the app calls :func:`status`
at start-up and refuses a database that is behind or ahead of :func:`heads`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine

SCRIPT_LOCATION = Path(__file__).resolve().parent


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    cfg.set_main_option("path_separator", "os")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def heads() -> tuple[str, ...]:
    """The revision(s) this code expects."""
    return tuple(_scripts().get_heads())


def known(revision: str) -> bool:
    """Whether this code knows ``revision`` (one of its migrations)."""
    try:
        return _scripts().get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown id
        return False


@dataclass(frozen=True, slots=True)
class SchemaStatus:
    current: tuple[str, ...]
    head: tuple[str, ...]
    unknown: tuple[str, ...]  # revisions in the database this code does not know

    @property
    def up_to_date(self) -> bool:
        return set(self.current) == set(self.head)

    @property
    def ahead(self) -> bool:
        return bool(self.unknown)

    @property
    def behind(self) -> bool:
        return not self.up_to_date and not self.ahead

    def describe(self) -> str:
        cur = ", ".join(self.current) or "empty"
        head = ", ".join(self.head)
        if self.up_to_date:
            return f"the database schema is up to date (revision {head})"
        if self.ahead:
            return (
                f"the database schema (revision {cur}) is newer than this peerdesk-agency "
                f"knows (latest {head}); update peerdesk-agency"
            )
        return (
            f"the database schema is behind (revision {cur}, this peerdesk-agency needs "
            f"{head}); run `peerdesk-agency migrate`"
        )


def status(engine: Engine) -> SchemaStatus:
    scripts = _scripts()
    with engine.connect() as conn:
        current = tuple(MigrationContext.configure(conn).get_current_heads())
    unknown: list[str] = []
    for rev in current:
        try:
            if scripts.get_revision(rev) is None:
                unknown.append(rev)
        except CommandError:
            unknown.append(rev)
    return SchemaStatus(current, tuple(scripts.get_heads()), tuple(unknown))


def upgrade(engine: Engine, target: str = "head") -> None:
    """Apply pending migrations in one transaction."""
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), target)


def downgrade(engine: Engine, target: str) -> None:
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), target)

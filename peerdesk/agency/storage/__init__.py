"""All SQL of the agency server: one repository per aggregate over a shared
:class:`~peerdesk.agency.storage.db.Database`, and :class:`Storage`, which owns
the engine and the schema and hands the repositories out.

Portable between SQLite (a small agency, the demo) and PostgreSQL (psycopg 3; any
number of API workers). The rules that make that safe:

* Every write runs in one transaction (:meth:`Database.write`; on SQLite it
  begins ``IMMEDIATE``, so writers queue on the lock instead of failing half-way).
* Races between workers on PostgreSQL are settled by the unique keys, never by
  reading first: ``INSERT ... ON CONFLICT DO NOTHING`` for records and batches,
  and conditional ``UPDATE ... WHERE`` for one-time things (enrollment codes,
  escrow use, claims) and for review decisions (of two supervisors deciding at
  once exactly one wins).
* Ingest of a batch, with the review state of its notes, is one transaction
  (:mod:`~peerdesk.agency.storage.ingest`, :mod:`~peerdesk.agency.storage.reviews`).
* Admin actions take an optional :class:`~peerdesk.agency.models.AuditEntry`,
  appended to ``admin_audit`` in the same transaction as the action.

==========================  ===========================================================
``storage.keys``            agency public keys and the signed key bundle (:mod:`.keys`)
``storage.codes``           one-time enrollment codes and supervisor invites (:mod:`.devices`)
``storage.devices``         laptops: enrollment, lookup, teams, revocation (:mod:`.devices`)
``storage.supervisors``     supervisors and their review grants (:mod:`.supervisors`)
``storage.outbound``        what devices receive (:mod:`.outbound`)
``storage.sync``            batch claims and ingest (:mod:`.ingest`)
``storage.records``         stored records, read side, and escrows (:mod:`.records`)
``storage.reviews``         review state, history and decisions (:mod:`.reviews`)
``storage.directory``       published resource directory versions (:mod:`.directory`)
``storage.corrections``     decisions on peers' directory corrections (:mod:`.corrections`)
``storage.audit``           the admin audit log (:mod:`.audit`)
``storage.limits``          refused attempts per address and per code (:mod:`.limits`)
``storage.admins``          the web console's accounts and sessions (:mod:`.admins`)
==========================  ===========================================================
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, literal, select
from sqlalchemy.exc import OperationalError

from peerdesk.agency import migrations
from peerdesk.agency.errors import SchemaMismatch
from peerdesk.agency.storage.admins import ConsoleAdmins
from peerdesk.agency.storage.audit import AuditLog
from peerdesk.agency.storage.corrections import Corrections
from peerdesk.agency.storage.db import Database, make_engine
from peerdesk.agency.storage.devices import Devices, EnrollmentCodes
from peerdesk.agency.storage.directory import DirectoryVersions
from peerdesk.agency.storage.ingest import STALE_IN_FLIGHT, SyncIngest
from peerdesk.agency.storage.keys import AgencyKeys
from peerdesk.agency.storage.limits import RateLimits
from peerdesk.agency.storage.outbound import Outbound
from peerdesk.agency.storage.records import Records
from peerdesk.agency.storage.reviews import Reviews
from peerdesk.agency.storage.supervisors import Supervisors
from peerdesk.errors import StorageUnavailable

__all__ = ["STALE_IN_FLIGHT", "Storage", "make_engine"]


class Storage:
    """The agency database: the engine, its schema, and the repositories.
    Thread-safe: every repository method takes its own connection."""

    def __init__(self, engine: Engine) -> None:
        self.db = Database(engine)
        self.engine = engine
        self.dialect = self.db.dialect
        self.keys = AgencyKeys(self.db)
        self.codes = EnrollmentCodes(self.db)
        self.devices = Devices(self.db)
        self.supervisors = Supervisors(self.db)
        self.outbound = Outbound(self.db)
        self.sync = SyncIngest(self.db)
        self.records = Records(self.db)
        self.reviews = Reviews(self.db)
        self.directory = DirectoryVersions(self.db)
        self.corrections = Corrections(self.db)
        self.audit = AuditLog(self.db)
        self.limits = RateLimits(self.db)
        self.admins = ConsoleAdmins(self.db)

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Storage:
        return cls(make_engine(url, **kwargs))

    def close(self) -> None:
        self.engine.dispose()

    def ready(self) -> bool:
        """Whether the database answers a query now (``/readyz``)."""
        try:
            return self.db.scalar(select(literal(1))) == 1
        except Exception:  # noqa: BLE001 - whatever fails, the database is not ready
            return False

    # --- schema -----------------------------------------------------------------------

    def schema_status(self) -> migrations.SchemaStatus:
        try:
            return migrations.status(self.engine)
        except OperationalError as exc:
            raise StorageUnavailable(
                f"cannot open the agency database ({type(exc.orig).__name__})"
            ) from exc

    def check_schema(self) -> None:
        """Raise :class:`SchemaMismatch` unless the database is at the code's head."""
        st = self.schema_status()
        if not st.up_to_date:
            raise SchemaMismatch(st.current, st.head, st.describe())

    def migrate(self) -> migrations.SchemaStatus:
        """Apply pending migrations; refuses a database that is ahead of the code."""
        st = self.schema_status()
        if st.ahead:
            raise SchemaMismatch(st.current, st.head, st.describe())
        if not st.up_to_date:
            migrations.upgrade(self.engine)
        return self.schema_status()

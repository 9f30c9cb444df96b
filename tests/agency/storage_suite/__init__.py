"""The agency storage contract, written once (Kinto's ``storage/testing.py`` is the
model) and run by one concrete class per backend (test_storage_backends.py).

A concrete class provides the ``storage_factory`` fixture (each call gives a new
:class:`Storage` with its own connection pool on the *same* database) and says
whether its writers queue on one lock (SQLite) or race (PostgreSQL).

The contract is split by aggregate (one module each); :class:`StorageContract`
puts the parts together.
"""

from __future__ import annotations

from tests.agency.storage_suite.base import StorageBase, StorageFactory
from tests.agency.storage_suite.devices import DeviceTests, EnrollmentTests, TeamTests
from tests.agency.storage_suite.ingest import (
    BatchTests,
    ConcurrencyTests,
    EscrowTests,
    InboundTests,
    IngestTests,
)
from tests.agency.storage_suite.limits import CodeHashTests, LimitTests
from tests.agency.storage_suite.review import ReviewTests
from tests.agency.storage_suite.schema import (
    AuditTests,
    KeyTests,
    MigrationDataTests,
    MigrationTests,
)
from tests.agency.storage_suite.segments import SegmentTests
from tests.agency.storage_suite.supervisors import SupervisorTests

__all__ = ["StorageBase", "StorageContract", "StorageFactory"]


class StorageContract(
    MigrationTests,
    EnrollmentTests,
    DeviceTests,
    IngestTests,
    SegmentTests,
    BatchTests,
    InboundTests,
    ConcurrencyTests,
    EscrowTests,
    ReviewTests,
    TeamTests,
    SupervisorTests,
    AuditTests,
    MigrationDataTests,
    KeyTests,
    LimitTests,
    CodeHashTests,
):
    """Everything a storage backend must do."""

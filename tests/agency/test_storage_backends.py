"""The storage contract (storage_suite.py) on each backend."""

from __future__ import annotations

import pytest

from tests.agency.storage_suite import StorageContract, StorageFactory


class TestSQLiteStorage(StorageContract):
    """SQLite file; writers queue on the database lock (BEGIN IMMEDIATE)."""

    writers_serialize = True

    @pytest.fixture
    def storage_factory(self, sqlite_factory: StorageFactory) -> StorageFactory:
        return sqlite_factory


class TestPostgresStorage(StorageContract):
    """PostgreSQL, one fresh schema per test; concurrent writers really race."""

    writers_serialize = False

    @pytest.fixture
    def storage_factory(self, pg_factory: StorageFactory) -> StorageFactory:
        return pg_factory

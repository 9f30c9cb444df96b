"""Fixtures of the agency tests: backends (SQLite file, PostgreSQL schema), a fake
clock, agency keys made once per session, and a whole agency with an HTTP client.

PostgreSQL: each test gets its own uniquely named schema on
``$PEERDESK_TEST_PG_URL`` (default postgres@127.0.0.1:5432/test), dropped after.
If the server is unreachable the PostgreSQL tests skip with the reason; under
``CI=true`` they fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from peerdesk.agency import cli, keys
from peerdesk.agency.app import create_app
from peerdesk.agency.settings import AgencySettings
from peerdesk.agency.storage import Storage
from peerdesk.domain.directory import Dataset
from peerdesk.interop import hsds
from tests.agency.support import (
    PG_URL,
    SEED_DIRECTORY,
    Agency,
    ASGIClient,
    FakeClock,
    KeyTemplate,
    Result,
    Run,
    agency_from_template,
    make_key_template,
    postgres_problem,
    postgres_schema,
    sqlite_file,
)

StorageFactory = Callable[[], Storage]


@pytest.fixture(scope="session")
def pg_url() -> str:
    problem = postgres_problem(PG_URL)
    if problem is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{problem}; CI=true requires the PostgreSQL tests to run")
        pytest.skip(problem)
    return PG_URL


@pytest.fixture(scope="session")
def key_template(tmp_path_factory: pytest.TempPathFactory) -> KeyTemplate:
    return make_key_template(tmp_path_factory.mktemp("key-template") / "agency")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def agency_dir(tmp_path: Path) -> Path:
    return tmp_path / "agency"


@pytest.fixture
def sqlite_factory(agency_dir: Path) -> Iterator[StorageFactory]:
    """Storage objects on one SQLite file (the agency directory's default database)."""
    with sqlite_file(agency_dir / "agency.db") as factory:
        yield factory


@pytest.fixture
def pg_factory(pg_url: str) -> Iterator[StorageFactory]:
    """Storage objects on one fresh PostgreSQL schema."""
    with postgres_schema(pg_url) as factory:
        yield factory


@pytest.fixture(params=["sqlite"])
def backend(request: pytest.FixtureRequest) -> str:
    """Which database the test runs on; ``@BOTH_BACKENDS`` adds PostgreSQL."""
    return str(request.param)


@pytest.fixture
def storage_factory(request: pytest.FixtureRequest, backend: str) -> StorageFactory:
    name = "sqlite_factory" if backend == "sqlite" else "pg_factory"
    factory: StorageFactory = request.getfixturevalue(name)
    return factory


@pytest.fixture
def storage(storage_factory: StorageFactory) -> Storage:
    """A migrated, empty agency database."""
    store = storage_factory()
    store.migrate()
    return store


@pytest.fixture
def settings(key_template: KeyTemplate, agency_dir: Path) -> AgencySettings:
    """An agency directory with key files (copied from the session's template)."""
    return agency_from_template(key_template, agency_dir)


@pytest.fixture
def agency(
    settings: AgencySettings, storage: Storage, clock: FakeClock, key_template: KeyTemplate
) -> Iterator[Agency]:
    keys.register_keys(settings, storage, clock())
    app = create_app(settings, storage=storage, clock=clock)
    with ASGIClient(app) as client:
        yield Agency(
            settings,
            storage,
            clock,
            app,
            client,
            key_template.result.root_public,
            key_template.result.root_key_id,
        )


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Runs one ``peerdesk-agency`` command in-process and captures what it printed."""

    def _run(*argv: str) -> Result:
        code = cli.main(list(argv))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


@pytest.fixture
def seed() -> Dataset:
    """The shipped demo directory, read."""
    return hsds.load(SEED_DIRECTORY)

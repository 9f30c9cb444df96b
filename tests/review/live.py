"""A real agency for review tests: the ``peerdesk-agency`` CLI and the FastAPI
app under uvicorn, HTTPS on 127.0.0.1 with a throwaway CA, plus peer and
supervisor profiles enrolled with it. Shared by tests/review and tests/ui."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from peerdesk.agency import cli as agency_cli
from peerdesk.agency import keys as agency_keys
from peerdesk.agency.settings import AgencySettings
from peerdesk.agency.storage import Storage
from peerdesk.config import Provisioning
from peerdesk.crypto.kdf import KdfParams
from peerdesk.domain.models import ContactType, NoteTemplate
from peerdesk.services import ProfileManager, Session
from tests.conftest import PASSPHRASE, drop_log_handlers
from tests.sync.https_agency import https_agency

SUPERVISOR_KEYS = "supervisor reads notes at the river office"
RECOVERY = "offline recovery key kept in the county safe"
MARCH = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@dataclass
class LiveAgency:
    directory: Path
    url: str
    ca_pem: str
    settings: AgencySettings
    passphrase_file: Path

    def cli(self, *args: str) -> str:
        out = io.StringIO()
        code = agency_cli.main([*args, "--dir", str(self.directory)], out=out)
        drop_log_handlers()
        assert code == 0, f"peerdesk-agency {' '.join(args[:2])} failed: {out.getvalue()}"
        return out.getvalue()

    def device_code(self, team: str) -> str:
        found = re.search(r"Enrollment code: (\S+)", self.cli("enroll", "--team", team))
        assert found
        return found.group(1)

    def invite(self, name: str, team: str) -> str:
        out = self.cli("supervisor", "invite", "--name", name, "--team", team)
        found = re.search(r"Supervisor invite: (\S+)", out)
        assert found
        return found.group(1)

    def grant(self, supervisor_id: str) -> None:
        self.cli(
            "supervisor", "grant", supervisor_id, "--passphrase-file", str(self.passphrase_file)
        )

    def provisioning(self) -> Provisioning:
        root = agency_keys.load_root(self.settings)
        return Provisioning(self.settings.name, self.url, root.public_raw, root.key_id, self.ca_pem)

    def execute(self, sql: str, **params: object) -> None:
        storage = Storage.from_url(self.settings.database_url)
        try:
            with storage.engine.begin() as conn:
                conn.execute(text(sql), params)
        finally:
            storage.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveAgency]:
    base = tmp_path_factory.mktemp("review-agency")
    with https_agency(base, SUPERVISOR_KEYS, RECOVERY) as agency:
        yield LiveAgency(
            agency.directory, agency.url, agency.pki.ca_pem, agency.settings,
            agency.passphrase_file,
        )  # fmt: skip


def _no_retries(delay: float) -> None:
    raise AssertionError(f"the loopback agency should not need a retry ({delay:.1f} s)")


def sync(session: Session) -> None:
    list(session.link.sync(sleep=_no_retries))


def pull(session: Session, **kw: object) -> list:
    return list(session.link.pull(**kw))


@pytest.fixture
def make_peer(manager: ProfileManager, live: LiveAgency):
    def _make(name: str, team: str) -> Session:
        s = manager.create(name, PASSPHRASE, kdf_params=KdfParams.new())
        s.link.enroll(live.provisioning(), live.device_code(team), f"{name.title()}'s laptop")
        return s

    made: list[Session] = []

    def tracked(name: str, team: str) -> Session:
        made.append(_make(name, team))
        return made[-1]

    yield tracked
    for s in made:
        s.close()


@pytest.fixture
def make_supervisor(manager: ProfileManager, live: LiveAgency):
    made: list[Session] = []

    def _make(name: str, team: str, *, grant: bool = True) -> Session:
        s = manager.create(
            name.lower().replace(" ", "-"),
            PASSPHRASE,
            kdf_params=KdfParams.new(),
            role="supervisor",
        )
        made.append(s)
        info = s.link.enroll(live.provisioning(), live.invite(name, team), name).value
        assert (info.team, info.name) == (team, name)
        if grant:
            live.grant(info.supervisor_id)
        return s

    yield _make
    for s in made:
        s.close()


def signed(
    session: Session,
    make_draft,
    person_id: str,
    start: datetime,
    minutes: int,
    contact: ContactType = ContactType.IN_PERSON,
) -> str:
    draft = make_draft(
        person_id,
        NoteTemplate.FREE,
        body={"text": f"met {start:%d %b}"},
        start=start,
        minutes=minutes,
        contact_type=contact,
    )
    return session.notes.sign(session.notes.create_draft(draft).value.id).value.id

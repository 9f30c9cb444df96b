"""The agency restored from a backup, with a real laptop (the device client over
HTTPS against a real agency): nothing the laptop sent is lost, nothing is
stored twice.

The laptop sends A, the agency is backed up, the laptop sends B (acknowledged),
the agency is restored (it lost B). ``restore`` queues a signed notice with the
highest record number it kept; at its next sync the laptop puts B back in its
queue and sends it again; A is not sent again; C, written after the restore,
goes up as usual. The agency then holds every record of the laptop once.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from peerdesk.agency import cli as agency_cli
from peerdesk.agency.storage import Storage
from peerdesk.agency.tables import records
from peerdesk.config import load_provisioning
from peerdesk.domain.models import NoteTemplate
from tests.conftest import drop_log_handlers
from tests.sync.https_agency import HttpsAgency, https_agency

SUPERVISOR = "supervisor reads notes at the river office"
RECOVERY = "offline recovery key kept in the county safe"


@pytest.fixture
def agency(tmp_path: Path) -> Iterator[HttpsAgency]:
    with https_agency(tmp_path / "agency-base", SUPERVISOR, RECOVERY) as running:
        yield running
    drop_log_handlers()


def _cli(agency: HttpsAgency, *args: str) -> str:
    out = io.StringIO()
    code = agency_cli.main([args[0], "--dir", str(agency.directory), *args[1:]], out=out)
    assert code == 0, f"peerdesk-agency {args[0]} failed: {out.getvalue()}"
    return out.getvalue()


def _stored(agency: HttpsAgency, device_id: str) -> list[tuple[str, str]]:
    """(op id, entity id) of every record the agency holds from the device."""
    storage = Storage.from_url(agency.settings.database_url)
    try:
        rows = storage.db.rows(
            select(records.c.op_id, records.c.entity_id).where(records.c.device_id == device_id)
        )
    finally:
        storage.close()
    return [(r.op_id, r.entity_id) for r in rows]


def _no_retries(delay: float) -> None:
    raise AssertionError(f"the loopback agency should not need a retry ({delay:.1f} s)")


def test_after_a_restore_the_laptop_sends_again_what_the_agency_lost(
    agency: HttpsAgency, session, make_draft, tmp_path: Path
) -> None:
    import re

    code = re.search(r"Enrollment code: (\S+)", _cli(agency, "enroll"))[1]  # type: ignore[index]
    prov_file = tmp_path / "provisioning.toml"
    _cli(agency, "provisioning", "--url", agency.url, "--ca", str(agency.ca_file),
         "--code", code, "--out", str(prov_file))  # fmt: skip
    s = session
    s.link.enroll(load_provisioning(prov_file), label="field laptop 3")
    device_id = s._device.get().device_id
    person = s.participants.add("Rosa Delgado").value

    def note(text: str) -> str:
        draft = make_draft(person.id, NoteTemplate.FREE, body={"text": text})
        return s.notes.sign(s.notes.create_draft(draft).value.id).value.id

    def sync() -> list:
        return list(s.link.sync(sleep=_no_retries))

    a = [note("before the backup 1"), note("before the backup 2")]
    sync()
    _cli(agency, "backup", "--out", str(tmp_path / "backup"))
    b = [note("after the backup 1"), note("after the backup 2")]
    sync()
    held_before = _stored(agency, device_id)
    assert {e for _, e in held_before} >= {*a, *b}

    restored = _cli(agency, "restore", str(tmp_path / "backup"))
    assert "Every laptop will send again" in restored
    lost = {e for _, e in held_before} - {e for _, e in _stored(agency, device_id)}
    assert lost == set(b)

    events = sync()  # brings the notice: B goes back in the queue
    summary = events[-1].summary
    assert summary.reopened == 2
    sync()  # and B goes up (if the first run had not sent it already)
    c = note("after the restore")
    sync()

    held = _stored(agency, device_id)
    ops = [op for op, _ in held]
    assert len(ops) == len(set(ops)), "a record is stored twice"
    assert {e for _, e in held} >= {*a, *b, c, person.id}
    assert sorted(held) == sorted({*held_before, *[r for r in held if r[1] == c]})
    counts = s._outbox.counts()
    assert counts.pending == 0 and counts.quarantined == 0

"""The care team end to end (issue 23), against a real agency (the CLI and the
FastAPI app under uvicorn, HTTPS on loopback): a peer puts a clinician and a
sponsor on a participant's care team, records a consent naming the clinic and
signs a note coordinated with the clinician; after a sync and a pull the
supervisor's session sees the entries (with whether a current consent covers
each) and the note's coordination contact by name; the agency stores the
entries as sealed ``care_member`` records and holds none of their words."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

uvicorn = pytest.importorskip("uvicorn")

from sqlalchemy import text  # noqa: E402

from peerdesk.agency.storage import Storage  # noqa: E402
from peerdesk.domain.care_team import CareRole, CareTeamMember  # noqa: E402
from peerdesk.domain.models import NoteTemplate  # noqa: E402
from peerdesk.domain.record import Consent, ConsentState, InfoCategory  # noqa: E402
from tests.conftest import drop_log_handlers  # noqa: E402
from tests.review.live import pull, sync  # noqa: E402

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_log_handlers_left() -> Iterator[None]:
    yield
    drop_log_handlers()


def files_holding(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_care_team_and_a_coordination_contact_reach_the_supervisor_sealed(
    live, make_peer, make_supervisor, make_draft
):
    canary = "cnry" + secrets.token_hex(8)
    today = date.today()
    ana = make_peer("ana", "care")
    person = ana.participants.add("Jordan Team").value
    clinician = ana.record.add_member(
        CareTeamMember(
            "",
            person.id,
            f"Dana Ruiz {canary}",
            CareRole.CLINICIAN,
            T0,
            T0,
            organisation="Harbor Clinic",
            phone="555-201-0134",
            contact_notes=f"mornings {canary}",
        )  # fmt: skip
    ).value
    sponsor = ana.record.add_member(
        CareTeamMember("", person.id, "Alex Pike", CareRole.SPONSOR, T0, T0, email="a@pike.org")
    ).value
    ana.record.add_consent(
        Consent(
            "",
            person.id,
            "East Peer Center",
            "Harbor Clinic",
            frozenset({InfoCategory.ATTENDANCE}),
            "",
            "coordinate care",
            "Jordan Team",
            today - timedelta(days=10),
            T0,
            T0,
            expires_on=today + timedelta(days=300),
            revocation_explained=True,
        )  # fmt: skip
    )
    start = datetime.combine(today - timedelta(days=2), datetime.min.time(), tzinfo=UTC)
    draft = make_draft(
        person.id, NoteTemplate.FREE, body={"text": "called the clinic together"},
        start=start.replace(hour=11), minutes=30,
    )  # fmt: skip
    note = ana.notes.create_draft(replace(draft, coordinated_with=clinician.id)).value
    ana.notes.sign(note.id)
    ana.record.end_member(sponsor.id, today)
    sync(ana)
    status = ana.link.status()
    assert status.pending == 0 and status.quarantined == 0

    sam = make_supervisor("Sam Care", "care")
    progress = pull(sam)
    assert progress[-1].broken == 0
    device_id = next(p.device_id for p in sam.review.peers())
    seen = sam.review.person_record(device_id, person.id)
    by_name = {m.name: m for m in seen.care_team}
    assert set(by_name) == {f"Dana Ruiz {canary}", "Alex Pike"}
    assert by_name[f"Dana Ruiz {canary}"].phone == "555-201-0134"
    assert by_name[f"Dana Ruiz {canary}"].contact_notes == f"mornings {canary}"
    assert by_name["Alex Pike"].ended_on == today and not by_name["Alex Pike"].active
    view = sam.review.person_overview(device_id, person.id)
    links = {m.name: link for m, link in view.care_team}
    assert links[f"Dana Ruiz {canary}"].ok  # the consent names Harbor Clinic
    assert not links["Alex Pike"].ok and links["Alex Pike"].closest is None
    # the note's coordination contact: an id on the wire, a name in the reader
    reviewed = sam.review.note(device_id, note.id, tz=UTC)
    assert reviewed.note["coordinated_with"] == f"Dana Ruiz {canary} (Harbor Clinic)"

    # a revocation travels too: the supervisor's view shows the consent not current
    c = ana.record.consents(person.id).items[0]
    ana.record.revoke_consent(c.id, today)
    sync(ana)
    pull(sam)
    links = {m.name: link for m, link in sam.review.person_overview(device_id, person.id).care_team}
    assert links[f"Dana Ruiz {canary}"].closest is ConsentState.REVOKED

    # the agency relayed them sealed: stored by kind, none of their words
    storage = Storage.from_url(live.settings.database_url)
    try:
        with storage.engine.connect() as conn:
            kinds = [r[0] for r in conn.execute(text("SELECT kind FROM records"))]
            stored = [repr(tuple(r)) for r in conn.execute(text("SELECT * FROM records"))]
    finally:
        storage.close()
    assert kinds.count("care_member") >= 3  # two entries and the end of one
    assert stored and not any(canary in row or "555-201-0134" in row for row in stored)
    assert files_holding(live.directory, canary.encode()) == []
    assert files_holding(live.directory, b"555-201-0134") == []
    assert files_holding(live.directory, b"Alex Pike") == []

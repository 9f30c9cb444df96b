"""One billing engine: on every hand-computed day of tests/fixtures/billing_days.toml,
``peerdesk-cli list-notes``, the note editor's live figure and the reports give
each note the same units, code and modifiers.

Each peer of a case is a real profile on its own laptop (notes signed there);
the CLI runs in-process on that profile, the editor opens each signed note and
shows its figure, and the peer's own billing report splits the same units by code
and modifier. A laptop cannot see another peer's notes, so there the figures are
what that laptop's notes come to (for a one-peer case: the hand-computed ones).
The supervisor's side holds the whole team: a review cache filled with the case's
notes gives the hand-computed figures across peers (the daily cap per Medicaid
id), per peer and per code and modifier.
"""

from __future__ import annotations

import re
import tomllib
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from peerdesk import cli
from peerdesk.crypto.kdf import KdfParams
from peerdesk.crypto.seal import BoxKeyPair
from peerdesk.domain.day_rules import ServiceFact, bill_services, counted
from peerdesk.domain.models import ContactType, LocationType, NoteDraft, NoteTemplate
from peerdesk.domain.review import AgencyEvent, PulledRecord, TeamDevice
from peerdesk.ids import to_iso
from peerdesk.services import ProfileManager, Session
from peerdesk.services.payers import load_payer_profiles
from peerdesk.store.review import Opened
from tests.conftest import PASSPHRASE, drop_log_handlers
from ui.screens.note_editor import NoteEditor
from ui.taskman import TaskManager

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "billing_days.toml"
CASES: list[dict[str, Any]] = tomllib.loads(FIXTURE.read_text("utf-8"))["case"]
FIGURE = re.compile(r"^Billable: (\d+) units? of ")
#: the billing code is in the figure's tooltip (issue 21: plain words in the text)
CODE = re.compile(r"^Billing code: ([A-Z0-9-]+)$")


@pytest.fixture(autouse=True)
def _utc(local_zone: Callable[[str], None]) -> None:
    """The fixture's days are UTC days; so is "local" here."""
    local_zone("UTC")


@pytest.fixture
def tm(qtbot) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


def notes_of(case: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for note_id, peer, medicaid, pid, contact, place, start, minutes, state in case["notes"]:
        begin = datetime.fromisoformat(start).replace(tzinfo=UTC)
        out.append(
            {
                "id": note_id,
                "peer": peer,
                "medicaid": medicaid or None,
                "pid": pid,
                "contact": contact,
                "place": place,
                "start": begin,
                "end": begin + timedelta(minutes=minutes),
                "state": state,
            }
        )
    return out


def laptop(manager: ProfileManager, peer: str, notes: list[dict[str, Any]]) -> dict[str, str]:
    """A peer's profile with the case's notes of this peer, signed; fixture id ->
    the note's id on the laptop."""
    session = manager.create(peer.lower(), PASSPHRASE, kdf_params=KdfParams.new())
    try:
        people: dict[str, str] = {}
        ids: dict[str, str] = {}
        for n in notes:
            if n["pid"] not in people:
                people[n["pid"]] = session.participants.add(
                    f"Person {n['pid']}", medicaid_id=n["medicaid"]
                ).value.id
            draft = NoteDraft(
                participant_id=people[n["pid"]],
                template=NoteTemplate.FREE,
                contact_type=ContactType(n["contact"]),
                location_type=LocationType(n["place"]),
                start_at=n["start"],
                end_at=n["end"],
                body={"text": "walked over the plan for the week"},
                goals=(),
            )
            note = session.notes.create_draft(draft).value
            ids[n["id"]] = session.notes.sign(note.id).value.id
    finally:
        session.close()
    return ids


def cli_figures(data: Path, peer: str, payer: str, capsys) -> dict[str, tuple[int, str]]:
    secret = data / f"{peer}.pass"
    secret.write_text(PASSPHRASE + "\n")
    capsys.readouterr()
    argv = ["--data-dir", str(data), "list-notes", "--profile", peer.lower()]
    code = cli.main([*argv, "--passphrase-file", str(secret), "--payer", payer])
    drop_log_handlers()
    out = capsys.readouterr().out
    assert code == 0, out
    figures = {}
    for line in out.splitlines():
        parts = line.split()
        # id, date, time, minutes, "min", units, "u", procedure ("not billed": 2 words)
        figures[parts[0]] = (int(parts[5]), parts[7] if parts[7] != "not" else "")
    return figures


def editor_figure(qtbot, editor: NoteEditor, note_id: str) -> tuple[int, str]:
    editor.open_note(note_id)
    qtbot.waitUntil(
        lambda: (
            editor.note is not None
            and editor.note.id == note_id
            and editor.day_figure.context is not None
        )
    )
    text = editor.units_label.text()
    if text.startswith("Not billable"):
        return 0, ""
    found = FIGURE.match(text)
    code = CODE.match(editor.units_label.toolTip())
    assert found and code, (text, editor.units_label.toolTip())
    return int(found.group(1)), code.group(1)


def supervisor_cache(manager: ProfileManager, notes: list[dict[str, Any]]) -> Session:
    """A supervisor profile whose review cache holds the case's notes as a pull
    would have left them (one laptop per peer, one participant record per person)."""
    sup = manager.create("sam", PASSPHRASE, kdf_params=KdfParams.new(), role="supervisor")
    inbox = sup._stores.review_inbox
    peers = sorted({n["peer"] for n in notes})
    devices = {p: str(uuid.uuid4()) for p in peers}
    inbox.save_devices(
        [
            TeamDevice(devices[p], p, BoxKeyPair.generate().public_raw, False, "2026-01-01")
            for p in peers
        ]
    )
    opened: list[Opened] = []
    events: list[AgencyEvent] = []
    seq = 0
    at = to_iso(datetime(2026, 3, 20, tzinfo=UTC))

    def record(peer: str, kind: str, entity: str, payload: dict[str, Any]) -> None:
        nonlocal seq
        seq += 1
        rec = PulledRecord(seq, devices[peer], str(uuid.uuid4()), kind, entity, "k", "v1", b"", at)
        opened.append(Opened(rec, payload=payload))

    for peer, pid in sorted({(n["peer"], n["pid"]) for n in notes}):
        medicaid = next(n["medicaid"] for n in notes if (n["peer"], n["pid"]) == (peer, pid))
        record(
            peer,
            "participant",
            pid,
            {
                "display_name": f"Person {pid}",
                "date_of_birth": "1980-01-01",
                "phone": None,
                "medicaid_id": medicaid,
                "details": "",
                "active": True,
                "created_at": at,
                "updated_at": at,
            },
        )
    for n in notes:
        record(
            n["peer"],
            "note",
            n["id"],
            {
                "participant_id": n["pid"],
                "template": "free",
                "contact_type": n["contact"],
                "location_type": n["place"],
                "start_at": to_iso(n["start"]),
                "end_at": to_iso(n["end"]),
                "body": {"text": "walked over the plan for the week"},
                "goals": [],
                "created_at": to_iso(n["start"]),
                "signed_at": to_iso(n["end"]),
            },
        )
        if n["state"] == "approved":
            events.append(
                AgencyEvent(len(events) + 1, devices[n["peer"]], n["id"], "approved", at, "Sam")
            )
    inbox.store_records(opened, seq)
    inbox.store_events(events, len(events))
    return sup


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_cli_editor_and_reports_agree(case, qtbot, tm, data_dir, manager, capsys):
    payer_key = case["profile"]
    payer = load_payer_profiles()[payer_key]
    notes = notes_of(case)
    peers = sorted({n["peer"] for n in notes})
    for peer in peers:
        mine = [n for n in notes if n["peer"] == peer]
        ids = laptop(manager, peer, mine)
        # what this laptop's notes come to, by the engine (one peer: the hand figures)
        alone = bill_services(
            counted(
                ServiceFact(
                    n["id"],
                    n["pid"],
                    n["contact"],
                    n["start"],
                    n["end"],
                    n["place"],
                    "signed",
                    peer,
                    "laptop",
                    n["medicaid"],
                )  # fmt: skip
                for n in mine
            ),
            payer,
            UTC,
        ).by_note()
        if len(peers) == 1:
            assert {k: v.units for k, v in alone.items()} == case["expect"]["notes"]

        by_cli = cli_figures(data_dir, peer, payer_key, capsys)
        session = manager.open(peer.lower())
        session.unlock(PASSPHRASE)
        try:
            editor = NoteEditor(session, tm, payer, autosave_ms=50, confirm=lambda: True)
            qtbot.addWidget(editor)
            editor.show()
            qtbot.waitUntil(lambda e=editor: e.participant_combo.count() > 0)
            per_code: dict[str, int] = defaultdict(int)
            for n in mine:
                local = ids[n["id"]]
                billed = alone[n["id"]]
                want = (billed.units, billed.procedure if billed.units_before_cap else "")
                assert by_cli[local] == want, (n["id"], "cli")
                got = editor_figure(qtbot, editor, local)
                assert got[0] == billed.units, (n["id"], "editor")
                if billed.units_before_cap:
                    assert got[1] == billed.procedure, (n["id"], "editor")
                if billed.units:
                    per_code[billed.procedure] += billed.units
            editor.close()
            report = session.reports.billing_report(2026, 3, payer, tz=UTC)
        finally:
            session.close()
        assert sum(r.units for r in report.rows) == sum(u for u, _ in by_cli.values())
        assert {c.procedure: c.units for c in report.codes if c.units} == dict(per_code)

    # the supervisor's side: the whole team, capped per Medicaid id across peers
    sup = supervisor_cache(manager, notes)
    try:
        report = sup.reports.billing_report(2026, 3, payer, tz=UTC)
    finally:
        sup.close()
    want_peer: dict[str, int] = defaultdict(int)
    for n in notes:
        want_peer[n["peer"]] += case["expect"]["notes"][n["id"]]
    assert {r.peer: r.units for r in report.rows} == dict(want_peer)
    lines: dict[str, int] = defaultdict(int)
    for proc, units, _place in case["expect"]["lines"]:
        lines[proc] += units
    codes: dict[str, int] = defaultdict(int)
    for c in report.codes:
        codes[c.procedure] += c.units
    assert {k: v for k, v in codes.items() if v} == dict(lines)
    assert sum(r.approved_units for r in report.rows) == case["expect"]["claimable"]

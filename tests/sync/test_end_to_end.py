"""End to end: a real agency (``peerdesk-agency`` CLI, FastAPI app under uvicorn,
HTTPS on 127.0.0.1 with a throwaway CA) and the real device client.

Enroll with a provisioning file and a one-time code, write notes offline, sync;
the agency holds ciphertext only; the supervisor decrypts with the review key
and returns a note; the next sync brings the feedback and the note's state; a
revoked laptop wipes itself at its next sync; a peer who forgot the passphrase
recovers with the code IT makes with the offline recovery key. The agency is
started by :func:`tests.sync.https_agency.https_agency`.
"""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

uvicorn = pytest.importorskip("uvicorn")

from peerdesk import cli as device_cli  # noqa: E402
from peerdesk.agency import cli as agency_cli  # noqa: E402
from peerdesk.agency.review import Reviewer  # noqa: E402
from peerdesk.agency.settings import AgencySettings  # noqa: E402
from peerdesk.agency.storage import Storage  # noqa: E402
from peerdesk.config import load_provisioning  # noqa: E402
from peerdesk.domain.models import NoteState, NoteTemplate  # noqa: E402
from peerdesk.errors import (  # noqa: E402
    AgencyUnreachable,
    DeviceRevoked,
    ProfileWiped,
    WrongPassphrase,
)
from peerdesk.link.client import AgencyClient  # noqa: E402
from tests.conftest import drop_log_handlers  # noqa: E402
from tests.sync.https_agency import https_agency  # noqa: E402

SUPERVISOR = "supervisor reads notes at the river office"
RECOVERY = "offline recovery key kept in the county safe"
NEW_PASSPHRASE = "the porch light is on again tonight"


@dataclass
class RunningAgency:
    directory: Path
    url: str
    ca_file: Path
    settings: AgencySettings

    def cli(self, *args: str) -> str:
        out = io.StringIO()
        code = agency_cli.main([args[0], "--dir", str(self.directory), *args[1:]], out=out)
        assert code == 0, f"peerdesk-agency {args[0]} failed"
        return out.getvalue()

    def enrollment_code(self) -> str:
        match = re.search(r"Enrollment code: (\S+)", self.cli("enroll"))
        assert match
        return match.group(1)

    def provisioning(self, target: Path, code: str) -> Path:
        self.cli(
            "provisioning", "--url", self.url, "--ca", str(self.ca_file), "--code", code,
            "--out", str(target),
        )  # fmt: skip
        return target

    def files_containing(self, needle: str) -> list[str]:
        forms = [needle.encode(), needle.encode("utf-16-le"), needle.encode("utf-16-be")]
        return [
            str(p.relative_to(self.directory))
            for p in self.directory.rglob("*")
            if p.is_file() and any(f in p.read_bytes() for f in forms)
        ]


@pytest.fixture(scope="module")
def running_agency(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAgency]:
    with https_agency(tmp_path_factory.mktemp("e2e"), SUPERVISOR, RECOVERY) as agency:
        yield RunningAgency(agency.directory, agency.url, agency.ca_file, agency.settings)


@pytest.fixture(autouse=True)
def _no_log_handlers_left() -> Iterator[None]:
    yield
    drop_log_handlers()


def _no_retries(delay: float) -> None:
    raise AssertionError(f"the loopback agency should not need a retry ({delay:.1f} s)")


def _sync(session) -> list:
    return list(session.link.sync(sleep=_no_retries))


def _device_cli(data_dir: Path, *args: str) -> int:
    return device_cli.main(["--data-dir", str(data_dir), *args])


@pytest.fixture
def enrolled_laptop(running_agency, session, tmp_path):
    prov = load_provisioning(
        running_agency.provisioning(
            tmp_path / "provisioning.toml", running_agency.enrollment_code()
        )
    )
    assert prov.ca_cert_pem and prov.agency_url == running_agency.url
    session.link.enroll(prov, label="field laptop 12")
    return session


def test_enroll_sync_review_and_feedback(running_agency, enrolled_laptop, make_draft):
    s = enrolled_laptop
    canary = "cnry" + secrets.token_hex(10)
    person = s.participants.add(f"Canary {canary}", details=f"likes {canary}").value
    note = s.notes.sign(
        s.notes.create_draft(
            make_draft(person.id, NoteTemplate.FREE, body={"text": f"talked about {canary}"})
        ).value.id
    ).value
    s.trips.add(
        date(2024, 5, 6), "medical", "clinic", miles=Decimal(9), destination=f"clinic {canary}"
    )

    _sync(s)

    assert s._outbox.counts().pending == 0 and s.link.quarantine() == []
    assert s.notes.get(note.id).state is NoteState.SUBMITTED
    status = s.link.status()
    assert status.last_success_at and status.last_error is None
    # The agency stores ciphertext only: no canary in any of its files.
    assert (running_agency.directory / "agency.db").exists()
    assert running_agency.files_containing(canary) == []

    storage = Storage.from_url(running_agency.settings.database_url)
    try:
        reviewer = Reviewer.from_key_files(running_agency.settings, storage, SUPERVISOR)
        device_id = s._device.get().device_id
        opened = {
            r.entity_id: reviewer.open(r).payload
            for r in reviewer.queue(device_id=device_id, pending_only=False)
        }
        assert opened[note.id]["body"] == {"text": f"talked about {canary}"}
        assert opened[person.id]["display_name"] == f"Canary {canary}"
        reviewer.send_feedback(device_id, note.id, "returned", "Add the plan.", "Sam Okafor")
    finally:
        storage.close()

    events = _sync(s)

    assert s.notes.get(note.id).state is NoteState.RETURNED
    [fb] = s.notes.feedback_for(note.id).items
    assert (fb.decision, fb.comment, fb.reviewer) == ("returned", "Add the plan.", "Sam Okafor")
    assert events[-1].summary.feedback == 1
    assert running_agency.files_containing("Add the plan.") == []  # sealed to the laptop


def test_the_device_cli_enrolls_syncs_and_reports(
    running_agency, manager, data_dir, tmp_path, capsys, passphrase
):
    secret = tmp_path / "pass.txt"
    secret.write_text(passphrase + "\n")
    manager.create("cli-peer", passphrase).close()
    prov = running_agency.provisioning(tmp_path / "p.toml", running_agency.enrollment_code())
    pf = ("--profile", "cli-peer", "--passphrase-file", str(secret))

    assert _device_cli(data_dir, "enroll", *pf, "--provisioning", str(prov)) == 0
    assert _device_cli(data_dir, "sync", *pf) == 0
    assert _device_cli(data_dir, "sync-status", "--profile", "cli-peer") == 0

    out = capsys.readouterr().out
    assert "enrolled with River Valley Peer Services" in out
    assert "sync done: 1 sent and acknowledged" in out  # the recovery escrow
    assert "pending: 0, in quarantine: 0" in out


def test_a_revoked_laptop_wipes_itself_at_its_next_sync(
    running_agency, enrolled_laptop, manager, profile_name, passphrase
):
    s = enrolled_laptop
    _sync(s)
    running_agency.cli("revoke", s._device.get().device_id)

    with pytest.raises(DeviceRevoked, match="erased"):
        _sync(s)

    assert s._vault.is_wiped
    s.close()
    again = manager.open(profile_name)
    try:
        with pytest.raises(ProfileWiped):
            again.unlock(passphrase)
    finally:
        again.close()


def test_recovery_with_the_code_from_the_agency_cli(
    running_agency,
    enrolled_laptop,
    manager,
    profile_name,
    passphrase,
    data_dir,
    tmp_path,
    make_draft,
):
    s = enrolled_laptop
    person = s.participants.add("Remembered Person").value
    _sync(s)  # the recovery escrow reaches the agency
    device_id = s._device.get().device_id
    s.close()

    (tmp_path / "rec.txt").write_text(RECOVERY + "\n")
    printed = running_agency.cli(
        "recover", device_id,
        "--recovery-key", str(running_agency.settings.default_recovery_path),
        "--passphrase-file", str(tmp_path / "rec.txt"),
    )  # fmt: skip
    code = re.search(r"^\s+([0-9A-Z]{4}(?:-[0-9A-Z*~$=]{1,4})+)\s*$", printed, re.M)
    assert code, printed
    (tmp_path / "new.txt").write_text(NEW_PASSPHRASE + "\n")

    args = ("recover", "--profile", profile_name, "--code", code.group(1))
    assert _device_cli(data_dir, *args, "--new-passphrase-file", str(tmp_path / "new.txt")) == 0

    s2 = manager.open(profile_name)
    try:
        s2.unlock(NEW_PASSPHRASE)
        assert s2.participants.get(person.id).display_name == "Remembered Person"
        assert any(e.event == "recovery" for e in s2._audit.entries())
        _sync(s2)  # a new escrow goes to the agency
        assert s2._device.pending_escrow_ids() == []
    finally:
        s2.close()
    # the code was used: once more, refused
    assert _device_cli(data_dir, *args, "--new-passphrase-file", str(tmp_path / "new.txt")) == 1
    # and the agency has the new escrow ready for another recovery
    running_agency.cli(
        "recover", device_id,
        "--recovery-key", str(running_agency.settings.default_recovery_path),
        "--passphrase-file", str(tmp_path / "rec.txt"),
    )  # fmt: skip
    old = manager.open(profile_name)
    try:
        with pytest.raises(WrongPassphrase):
            old.unlock(passphrase)
    finally:
        old.close()


def test_tls_is_checked_against_the_provisioned_ca(running_agency):
    with AgencyClient(running_agency.url) as client:  # system trust store only
        with pytest.raises(AgencyUnreachable, match="TLS certificate"):
            client.ping()
    ca = running_agency.ca_file.read_text()
    with AgencyClient(running_agency.url, ca_pem=ca) as client:
        info = client.ping()
    assert info.ok and info.protocol == 1 and info.agency == "River Valley Peer Services"


def test_referrals_and_corrections_reach_the_reviewer(running_agency, enrolled_laptop):
    s = enrolled_laptop
    s.directory.seed_if_empty()
    person = s.participants.add("Referred Person").value
    service = s.directory.search("food pantry").hits[0]
    referral = s.directory.refer(person.id, service.id, follow_up="bring ID").value
    correction = s.directory.suggest_correction(service.id, "The phone number changed.").value

    _sync(s)

    assert s._outbox.counts().pending == 0 and s.link.quarantine() == []
    storage = Storage.from_url(running_agency.settings.database_url)
    try:
        reviewer = Reviewer.from_key_files(running_agency.settings, storage, SUPERVISOR)
        device_id = s._device.get().device_id
        opened = {
            (r.kind, r.entity_id): reviewer.open(r).payload
            for r in reviewer.queue(device_id=device_id, pending_only=False)
        }
    finally:
        storage.close()
    assert opened[("referral", referral.id)]["service_name"] == service.name
    assert opened[("referral", referral.id)]["follow_up"] == "bring ID"
    assert opened[("correction", correction.id)]["suggestion"] == "The phone number changed."
    assert running_agency.files_containing("The phone number changed.") == []


def test_a_published_directory_reaches_the_laptop_and_a_forged_one_does_not(
    running_agency, enrolled_laptop, tmp_path
):
    from dataclasses import replace

    from peerdesk.crypto.seal import SigningKeyPair
    from peerdesk.ids import now_utc
    from peerdesk.interop import hsds
    from peerdesk.services.directory import SEED_DIRECTORY
    from peerdesk.wire.directory_updates import sign_snapshot

    s = enrolled_laptop
    s.directory.seed_if_empty()
    assert s.directory.version() == 0
    seed = hsds.load(SEED_DIRECTORY)
    pantry = next(x for x in seed.services if x.name == "Alder Falls Food Pantry")
    published = replace(
        seed,
        services=tuple(
            replace(x, name="Alder Falls Community Food Shelf") if x is pantry else x
            for x in seed.services
        ),
    )
    hsds.save_json(published, tmp_path / "directory.json")
    out = io.StringIO()
    argv = ["directory", "import", "--dir", str(running_agency.directory)]
    assert agency_cli.main([*argv, str(tmp_path / "directory.json")], out=out) == 0
    assert "Published directory version" in out.getvalue()
    # a snapshot signed by a key the laptop does not trust, queued for everyone
    forged = replace(seed, services=seed.services[:1])
    blob = sign_snapshot(SigningKeyPair.generate(), forged, version=999)
    storage = Storage.from_url(running_agency.settings.database_url)
    try:
        storage.outbound.queue(None, "directory", "", blob, now_utc())
        published_version = storage.directory.latest().version
    finally:
        storage.close()

    events = _sync(s)

    summary = events[-1].summary
    assert summary.directory_updates == 1 and summary.ignored_inbound >= 1
    assert s.directory.version() == published_version
    assert s.directory.count() == 42
    names = [h.name for h in s.directory.search("food shelf").hits]
    assert "Alder Falls Community Food Shelf" in names
    assert s.directory.search("Alder Falls Food Pantry").hits[0].name != "Alder Falls Food Pantry"

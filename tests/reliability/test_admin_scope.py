"""Who sees what at the agency, and what the agency remembers of its admins.

* A supervisor sees only their team: across three teams (and laptops with no
  team), paging every review view to the end (devices, records, events), each
  supervisor gets exactly the items of their own team's laptops, never an escrow,
  and a decision on another team's note is 404 and changes nothing. When IT moves
  a laptop to another team, its notes move with it; a removed supervisor gets 403.
* The server's audit log records every admin action made with ``peerdesk-agency``
  (codes and invites issued, team changes, revocation, recovery, supervisor
  grants and removals, key rotation, directory publication), each with the
  actor, the action and its target, and never the secret the action printed
  (an enrollment code, an invite, a recovery code, a passphrase).
"""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path
from typing import Any

from peerdesk.agency import cli as agency_cli
from peerdesk.crypto.recovery import encode_code
from tests.agency.conftest import (  # noqa: F401 - fixtures used by name
    agency,
    agency_dir,
    backend,
    clock,
    key_template,
    pg_factory,
    pg_url,
    settings,
    sqlite_factory,
    storage,
    storage_factory,
)
from tests.agency.support import (
    BOTH_BACKENDS,
    RECOVERY_PASSPHRASE,
    SUPERVISOR_PASSPHRASE,
    Agency,
    FieldDevice,
    FieldSupervisor,
)

TEAMS = ("north", "south", "east")


def _all_pages(
    api: Agency, supervisor: FieldSupervisor, path: str, key: str
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    after = 0
    while True:
        answer = api.review_get(supervisor, path, after=after, limit=3)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        items += page[key]
        if not page["more"]:
            return items
        after = page[key][-1]["seq"]


def _views(api: Agency, supervisor: FieldSupervisor) -> tuple[set[str], set[str], set[str]]:
    devices = api.review_get(supervisor, "/v1/review/devices")
    assert devices.status_code == 200
    records = _all_pages(api, supervisor, "/v1/review/records", "records")
    events = _all_pages(api, supervisor, "/v1/review/events", "events")
    assert all(r["kind"] != "escrow" for r in records)
    return (
        {d["device_id"] for d in devices.json()["devices"]},
        {r["device_id"] for r in records} | {e["device_id"] for e in events},
        {r["entity_id"] for r in records if r["kind"] == "note"},
    )


@BOTH_BACKENDS
def test_each_supervisor_sees_only_the_own_team_across_every_view(agency: Agency) -> None:  # noqa: F811
    laptops: dict[str, list[FieldDevice]] = defaultdict(list)
    notes: dict[str, set[str]] = defaultdict(set)
    for i, team in enumerate([*TEAMS, *TEAMS, "", "north"]):
        device = agency.enrolled_device(f"laptop {i}", team=team)
        batch = [device.note(f"note {i}.{j}") for j in range(2)] + [device.escrow(bytes(16))]
        assert agency.sync(device, device.batch(batch)).status_code == 200
        laptops[team].append(device)
        notes[team] |= {r.entity_id for r in batch if r.kind == "note"}
    supervisors = {team: agency.enrolled_supervisor(team, f"Lead {team}") for team in TEAMS}
    for team, supervisor in supervisors.items():
        own = {d.device_id for d in laptops[team]}
        devices, seen, seen_notes = _views(agency, supervisor)
        assert devices == own, team
        assert seen == own, team
        assert seen_notes == notes[team], team
        # a decision on every other team's (and no team's) note is 404 and changes nothing
        for other, other_notes in notes.items():
            if other == team:
                continue
            owner = laptops[other][0]
            note_id = sorted(other_notes)[0]
            answer = agency.client.post(
                "/v1/review/decisions",
                json={
                    "device_id": owner.device_id,
                    "note_id": note_id,
                    "decision": "approved",
                    "seen_seq": 10**6,
                    "reviewer": supervisor.name,
                    "sealed_feedback": supervisor.feedback(
                        owner.box.public_raw, owner.device_id, note_id, "approved", "ok"
                    ),
                },
                headers=supervisor.headers(),
            )
            assert answer.status_code == 404, (team, other, answer.text)
    # IT moves a laptop from north to south (`peerdesk-agency device team`): its notes
    # move with it
    moved = laptops["north"][0]
    agency.storage.devices.set_team(moved.device_id, "south", agency.clock())
    north, _, north_notes = _views(agency, supervisors["north"])
    south, _, south_notes = _views(agency, supervisors["south"])
    assert moved.device_id not in north and moved.device_id in south
    moved_notes = {n for n in notes["north"] if n in south_notes}
    assert moved_notes and not moved_notes & north_notes
    # a removed supervisor gets 403 on every route
    agency.storage.supervisors.remove(supervisors["east"].supervisor_id, agency.clock())
    for path in (
        "/v1/review/keys",
        "/v1/review/devices",
        "/v1/review/records",
        "/v1/review/events",
    ):
        assert agency.review_get(supervisors["east"], path).status_code == 403, path


# --- the server's audit log of admin actions ---------------------------------------------


def _run(directory: Path, *args: str) -> str:
    out = io.StringIO()
    code = agency_cli.main([*args, "--dir", str(directory)], out=out)
    assert code == 0, out.getvalue()
    return out.getvalue()


def test_every_admin_action_is_in_the_servers_audit_log_without_its_secret(
    agency: Agency,  # noqa: F811
    tmp_path: Path,
) -> None:
    directory = agency.settings.directory
    sup_file, rec_file = tmp_path / "sup.txt", tmp_path / "rec.txt"
    sup_file.write_text(SUPERVISOR_PASSPHRASE + "\n")
    rec_file.write_text(RECOVERY_PASSPHRASE + "\n")
    before = len(agency.storage.audit.entries())
    printed: list[str] = []

    code = _run(directory, "enroll", "--team", "north").split("Enrollment code:")[1].split()[0]
    printed.append(code)
    invite_out = _run(directory, "supervisor", "invite", "--name", "Dana Lee", "--team", "north")
    printed.append(invite_out.split("Supervisor invite:")[1].split()[0])
    device = agency.new_device("audited laptop")
    answer = agency.enroll(device, code)
    assert answer.status_code == 200
    device.accept_enrollment(answer.json())
    secret = bytes(range(16))
    assert agency.sync(device, device.batch([device.escrow(secret)])).status_code == 200
    _run(directory, "device", "team", device.device_id, "south")
    recovered = _run(
        directory, "recover", device.device_id,
        "--recovery-key", str(agency.settings.default_recovery_path),
        "--passphrase-file", str(rec_file),
    )  # fmt: skip
    assert encode_code(secret) in recovered
    printed.append(encode_code(secret))
    supervisor = agency.enrolled_supervisor("south", "Sam Okafor", grant=False)
    _run(
        directory,
        "supervisor",
        "grant",
        supervisor.supervisor_id,
        "--passphrase-file",
        str(sup_file),
    )
    _run(directory, "rotate-review-key", "--passphrase-file", str(sup_file))
    _run(directory, "supervisor", "remove", supervisor.supervisor_id)
    _run(directory, "revoke", device.device_id)
    hsds_file = Path(__file__).parents[2] / "resources" / "directory" / "seed.json"
    _run(directory, "directory", "import", str(hsds_file))

    rows = agency.storage.audit.entries()[before:]
    actions = [r.action for r in rows]
    assert actions == [
        "enroll",
        "supervisor-invite",
        "device-team",
        "recover",
        "supervisor-grant",
        "rotate-review-key",
        "supervisor-remove",
        "revoke",
        "directory-import",
    ]
    by_action = {r.action: r for r in rows}
    assert by_action["revoke"].target == device.device_id
    assert by_action["recover"].target == device.device_id
    assert by_action["supervisor-grant"].target == supervisor.supervisor_id
    assert all(r.actor and r.at for r in rows)
    assert [r.seq for r in rows] == sorted(r.seq for r in rows)
    text = "\n".join(f"{r.actor} {r.action} {r.target} {r.detail}" for r in rows).upper()
    for secret_text in [*printed, SUPERVISOR_PASSPHRASE, RECOVERY_PASSPHRASE, secret.hex()]:
        assert secret_text.upper() not in text, "a secret is in the audit log"
    listed = _run(directory, "audit")
    for action in actions:
        assert action in listed

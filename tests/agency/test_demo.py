"""The embedded demo agency (``python -m peerdesk.demo.agency``) that ``make run``
starts as a child process."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from peerdesk.agency.app import create_app
from peerdesk.agency.storage import Storage
from peerdesk.config import load_provisioning
from peerdesk.demo import agency as demo
from peerdesk.ids import now_utc
from peerdesk.wire.protocol import decode_response
from tests.agency.support import ASGIClient, FieldDevice, FieldSupervisor

REPO = Path(__file__).resolve().parents[2]


def test_prepare_makes_the_agency_once_and_a_fresh_code_each_start(tmp_path: Path) -> None:
    first = demo.prepare(tmp_path / "demo", 8765)
    second = demo.prepare(tmp_path / "demo", 8766)
    assert first.enrollment_code != second.enrollment_code
    provisioning = load_provisioning(second.provisioning_path)
    assert provisioning.agency_url == "http://127.0.0.1:8766"
    assert provisioning.agency_name == demo.DEMO_NAME
    assert provisioning.enrollment_code == second.enrollment_code
    # the keys were made once: the first start's root key still signs the bundle
    assert (
        provisioning.root_public_key == load_provisioning(first.provisioning_path).root_public_key
    )

    app = create_app(second.settings)
    with ASGIClient(app) as client:
        for code in (first.enrollment_code, second.enrollment_code):
            device = FieldDevice(provisioning.root_public_key, provisioning.root_key_id)
            answer = client.post("/v1/enroll", json=device.enroll_json(code))
            assert answer.status_code == 200, answer.text
            device.accept_enrollment(answer.json())
    line = json.loads(second.ready_line())
    assert line["event"] == "ready" and line["port"] == 8766
    assert line["enrollment_code"] == second.enrollment_code


def test_demo_laptops_join_team_demo_and_its_supervisor_invite_gets_the_review_keys(
    tmp_path: Path,
) -> None:
    first = demo.prepare(tmp_path / "demo", 8765)
    provisioning = load_provisioning(first.provisioning_path)
    line = json.loads(first.ready_line())
    assert line["team"] == "demo" and line["supervisor_code"] == first.supervisor_code
    app = create_app(first.settings, after_supervisor_enroll=demo.grant_review_keys(first.settings))
    with ASGIClient(app) as client:
        device = FieldDevice(provisioning.root_public_key, provisioning.root_key_id)
        answer = client.post("/v1/enroll", json=device.enroll_json(first.enrollment_code))
        assert answer.status_code == 200, answer.text
        device.accept_enrollment(answer.json())
        note = device.note()
        synced = client.post("/v1/sync", content=device.batch([note]), headers=device.headers())
        assert synced.status_code == 200
        supervisor = FieldSupervisor("Anyone")
        answer = client.post(
            "/v1/supervisor/enroll", json=supervisor.enroll_json(first.supervisor_code)
        )
        assert answer.status_code == 200, answer.text
        assert (answer.json()["team"], answer.json()["name"]) == ("demo", demo.DEMO_SUPERVISOR_NAME)
        supervisor.accept_enrollment(answer.json())
        grants = client.get("/v1/review/keys", headers=supervisor.headers()).json()["grants"]
        held = supervisor.open_grants(grants)  # granted at enrollment: no IT step in a demo
        [record] = client.get("/v1/review/records", headers=supervisor.headers()).json()["records"]
        assert record["entity_id"] == note.entity_id
        assert supervisor.open_record(record, held)["body"]
    # a laptop enrolled before teams existed joins team demo at the next start
    storage = Storage.from_url(first.settings.database_url)
    try:
        storage.devices.set_team(device.device_id, "", now_utc())
    finally:
        storage.close()
    demo.prepare(tmp_path / "demo", 8766)
    storage = Storage.from_url(first.settings.database_url)
    try:
        assert storage.devices.get(device.device_id).team == "demo"
    finally:
        storage.close()


@pytest.mark.slow
def test_demo_process_announces_itself_serves_and_stops(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "peerdesk.demo.agency",
            "--dir",
            str(tmp_path / "demo"),
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    try:
        assert proc.stdout is not None
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            assert sel.select(timeout=60), "the demo agency did not announce itself"
        ready = json.loads(proc.stdout.readline())
        assert ready["event"] == "ready" and ready["url"].startswith("http://127.0.0.1:")
        assert ready["team"] == "demo" and len(ready["supervisor_code"]) == 11
        provisioning = load_provisioning(ready["provisioning"])
        with httpx.Client(base_url=ready["url"], timeout=30) as client:
            assert client.get("/v1/ping").json()["agency"] == demo.DEMO_NAME
            device = FieldDevice(provisioning.root_public_key, provisioning.root_key_id)
            answer = client.post("/v1/enroll", json=device.enroll_json(ready["enrollment_code"]))
            assert answer.status_code == 200, answer.text
            device.accept_enrollment(answer.json())
            note = device.note()
            synced = client.post("/v1/sync", content=device.batch([note]), headers=device.headers())
            assert synced.status_code == 200
            assert [a.op_id for a in decode_response(synced.content).acks] == [note.op_id]
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    # uvicorn shuts down gracefully, then re-raises SIGTERM (exit status -15)
    assert proc.returncode in (0, -signal.SIGTERM), err.decode(errors="replace")
    assert b"Traceback" not in err

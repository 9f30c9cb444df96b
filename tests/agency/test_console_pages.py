"""The web console's pages and actions: CSRF refusals (no token, another
session's token, a foreign Origin), the auditor's read-only role, codes, revoking,
the audit log and its CSV, the devices filter, directory publishing, corrections;
metadata only."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator, Iterator

import pytest

from peerdesk.agency.models import AuditEntry
from peerdesk.agency.server import normalize_code
from tests.agency.console_support import Browser, make_account
from tests.agency.support import BOTH_BACKENDS, NOTE_TEXT, SEED_DIRECTORY, Agency

_CODE = re.compile(r'<p class="code" id="code">([0-9A-Z]{5}-[0-9A-Z]{5})</p>')


@pytest.fixture
def admin(agency: Agency) -> Iterator[Browser]:
    b = Browser(agency)
    assert b.sign_in(make_account(agency, "alice", "admin")).status_code == 303
    yield b
    b.close()


@pytest.fixture
def auditor(agency: Agency) -> Iterator[Browser]:
    b = Browser(agency)
    assert b.sign_in(make_account(agency, "audrey", "auditor")).status_code == 303
    yield b
    b.close()


def _audit(agency: Agency, action: str) -> list[AuditEntry]:
    return [
        AuditEntry(r.actor, r.action, r.target, r.detail)
        for r in agency.storage.audit.entries()
        if r.action == action
    ]


def _codes(agency: Agency) -> int:
    from sqlalchemy import func, select

    from peerdesk.agency.tables import enrollment_codes

    return int(agency.storage.db.scalar(select(func.count()).select_from(enrollment_codes)))


def _new_code(browser: Browser, **form: str) -> str:
    answer = browser.post("/console/codes", {"csrf": browser.token(), "hours": "48", **form})
    assert answer.status_code == 200, answer.text
    found = _CODE.search(answer.text)
    assert found is not None, answer.text
    return found[1]


# --- codes ----------------------------------------------------------------------------


def test_a_device_code_from_the_console_enrolls_a_laptop(agency: Agency, admin: Browser) -> None:
    code = _new_code(admin, kind="device", team="north")
    assert [(e.actor, e.target) for e in _audit(agency, "enroll")] == [("console:alice", "north")]
    laptop = agency.new_device()
    answer = agency.enroll(laptop, code)
    assert answer.status_code == 200
    assert agency.storage.devices.get(laptop.device_id).team == "north"
    # the sheet is not cached and the code is not stored in clear
    assert (
        normalize_code(code).encode() not in (agency.settings.directory / "agency.db").read_bytes()
    )


def test_a_supervisor_invite_needs_a_team(agency: Agency, admin: Browser) -> None:
    answer = admin.post(
        "/console/codes", {"csrf": admin.token(), "kind": "supervisor", "name": "Sam", "team": ""}
    )
    assert answer.status_code == 422 and "team" in answer.text
    assert _codes(agency) == 0
    _new_code(admin, kind="supervisor", team="north", name="Sam Okafor")
    assert _audit(agency, "supervisor-invite")[0].actor == "console:alice"


# --- CSRF -----------------------------------------------------------------------------


@BOTH_BACKENDS
def test_a_post_without_the_token_changes_nothing(agency: Agency, admin: Browser) -> None:
    answer = admin.post("/console/codes", {"kind": "device", "team": "north"})
    assert answer.status_code == 403
    assert _codes(agency) == 0 and not _audit(agency, "enroll")


def test_another_sessions_token_is_refused(agency: Agency, admin: Browser) -> None:
    other = Browser(agency)
    try:
        assert other.sign_in(make_account(agency, "bob", "admin")).status_code == 303
        bobs = other.token()
        answer = admin.post("/console/codes", {"csrf": bobs, "kind": "device", "team": "x"})
        assert answer.status_code == 403
        assert _codes(agency) == 0
        # and the sign-in form's token is no session token either
        sign_in_token = Browser(agency).token("/console/sign-in")
        answer = admin.post("/console/codes", {"csrf": sign_in_token, "kind": "device"})
        assert answer.status_code == 403 and _codes(agency) == 0
    finally:
        other.close()


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://agency.test.evil"])
def test_a_foreign_origin_is_refused_even_with_the_token(
    agency: Agency, admin: Browser, origin: str
) -> None:
    laptop = agency.enrolled_device()
    codes = _codes(agency)
    token = admin.token()
    answer = admin.post(
        f"/console/devices/{laptop.device_id}/revoke",
        {"csrf": token, "confirm": "revoke"},
        origin=origin,
    )
    assert answer.status_code == 403
    assert not agency.storage.devices.get(laptop.device_id).revoked
    answer = admin.post("/console/codes", {"csrf": token, "kind": "device"}, origin=origin)
    assert answer.status_code == 403 and _codes(agency) == codes


def test_no_origin_and_no_referer_is_refused(agency: Agency, admin: Browser) -> None:
    answer = admin.post("/console/codes", {"csrf": admin.token(), "kind": "device"}, origin=None)
    assert answer.status_code == 403 and _codes(agency) == 0
    answer = admin.post(
        "/console/codes",
        {"csrf": admin.token(), "kind": "device"},
        origin=None,
        headers={"Referer": "http://agency.test/console/codes"},
    )
    assert answer.status_code == 200 and _codes(agency) == 1


def test_sign_in_form_needs_its_token_and_origin(agency: Agency) -> None:
    alice = make_account(agency)
    b = Browser(agency)
    try:
        b.get("/console/sign-in")
        fields = {"username": "alice", "password": "x" * 20, "code": "000000"}
        assert b.post("/console/sign-in", fields).status_code == 403
        token = b.token("/console/sign-in")
        assert (
            b.post(
                "/console/sign-in", {**fields, "csrf": token}, origin="https://evil.example"
            ).status_code
            == 403
        )
        # a refused form costs the account no failure
        assert agency.storage.admins.get(alice.username).failures == 0  # type: ignore[union-attr]
    finally:
        b.close()


# --- roles ----------------------------------------------------------------------------


def test_an_auditor_reads_but_every_change_is_refused(agency: Agency, auditor: Browser) -> None:
    laptop = agency.enrolled_device()
    for page in ("devices", "codes", "teams", "audit", "directory", "corrections"):
        answer = auditor.get(f"/console/{page}")
        assert answer.status_code == 200, page
    assert auditor.get("/console/audit.csv").status_code == 200
    assert "Revoke…" not in auditor.get("/console/devices").text
    token = auditor.token("/console/devices")
    refused = [
        auditor.post("/console/codes", {"csrf": token, "kind": "device"}),
        auditor.post(
            f"/console/devices/{laptop.device_id}/revoke", {"csrf": token, "confirm": "revoke"}
        ),
        auditor.post("/console/directory/publish", {"csrf": token, "token": "0" * 32}),
        auditor.client.post(
            "/console/directory/preview",
            files={"file": ("d.json", SEED_DIRECTORY.read_bytes(), "application/json")},
            data={"csrf": token},
            headers={"Origin": "http://agency.test"},
        ),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert _codes(agency) == 1  # the laptop's own, made by the test
    assert not agency.storage.devices.get(laptop.device_id).revoked
    assert agency.storage.directory.latest() is None
    # signing out is no change: an auditor may
    assert auditor.post("/console/sign-out", {"csrf": token}).status_code == 303


# --- devices and revoking -------------------------------------------------------------


@BOTH_BACKENDS
def test_revoke_needs_the_confirmation_then_is_audited(agency: Agency, admin: Browser) -> None:
    laptop = agency.enrolled_device(team="north")
    page = admin.get(f"/console/devices/{laptop.device_id}/revoke")
    assert page.status_code == 200 and "cannot be undone" in page.text
    token = admin.token("/console/devices")
    unconfirmed = admin.post(f"/console/devices/{laptop.device_id}/revoke", {"csrf": token})
    assert unconfirmed.status_code == 400
    assert not agency.storage.devices.get(laptop.device_id).revoked
    done = admin.post(
        f"/console/devices/{laptop.device_id}/revoke", {"csrf": token, "confirm": "revoke"}
    )
    assert done.status_code == 303
    device = agency.storage.devices.get(laptop.device_id)
    assert device.revoked and device.wipe_order
    assert [(e.actor, e.target) for e in _audit(agency, "revoke")] == [
        ("console:alice", laptop.device_id)
    ]
    # the laptop's next sync gets the wipe order
    answer = agency.sync(laptop, laptop.batch([]))
    assert answer.status_code == 403
    again = admin.post(
        f"/console/devices/{laptop.device_id}/revoke", {"csrf": token, "confirm": "revoke"}
    )
    assert again.status_code == 409
    assert admin.get("/console/devices/not-a-uuid/revoke").status_code == 404


def test_devices_page_filters_by_team_and_by_days_unseen(agency: Agency) -> None:
    north = agency.enrolled_device("North laptop", team="north")
    south = agency.enrolled_device("South laptop", team="south")
    agency.sync(north, north.batch([north.note(NOTE_TEXT)]))
    agency.clock.advance(days=10)
    agency.sync(south, south.batch([]))
    admin = Browser(agency)
    assert admin.sign_in(make_account(agency)).status_code == 303
    page = admin.get("/console/devices").text
    assert "North laptop" in page and "South laptop" in page
    assert NOTE_TEXT[:30] not in page  # metadata only
    only_north = admin.get("/console/devices", params={"team": "north"}).text
    assert "North laptop" in only_north and "South laptop" not in only_north
    unseen = admin.get("/console/devices", params={"unseen": "7"}, headers={"HX-Request": "true"})
    assert unseen.text.lstrip().startswith('<div id="devices-table">')  # the htmx partial
    assert "North laptop" in unseen.text and "South laptop" not in unseen.text
    # the note waiting for a supervisor is counted
    assert re.search(r'<td class="num">1</td>\s*<td class="num">1</td>', only_north)


def test_teams_page_lists_supervisors(agency: Agency, admin: Browser) -> None:
    agency.enrolled_device(team="north")
    agency.enrolled_supervisor("north", "Sam Okafor", grant=False)
    page = admin.get("/console/teams").text
    assert "north" in page and "Sam Okafor" in page


# --- the audit log --------------------------------------------------------------------


@BOTH_BACKENDS
def test_audit_filters_and_csv_export(agency: Agency, admin: Browser) -> None:
    agency.storage.audit.add(
        AuditEntry("it@host", "enroll", "north", "=HYPERLINK(1)"), agency.clock()
    )
    _new_code(admin, kind="device", team="south")
    page = admin.get("/console/audit", params={"action": "enroll", "actor": "console:"})
    assert page.status_code == 200
    assert "south" in page.text and "HYPERLINK" not in page.text
    exported = admin.get("/console/audit.csv", params={"action": "enroll"})
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == ["seq", "at", "actor", "action", "target", "detail"]
    assert {r[4] for r in rows[1:]} == {"north", "south"}
    assert "'=HYPERLINK(1)" in [r[5] for r in rows[1:]]  # no formula for a spreadsheet
    day = agency.clock().date()
    later = admin.get(
        "/console/audit", params={"since": (day.replace(year=day.year + 1)).isoformat()}
    )
    assert "Nothing matches." in later.text
    same_day = admin.get(
        "/console/audit", params={"since": day.isoformat(), "until": day.isoformat()}
    )
    assert "south" in same_day.text


def test_the_csv_export_holds_every_matching_entry_not_one_page(
    agency: Agency, admin: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peerdesk.agency.console import pages

    for i in range(1500):
        agency.storage.audit.add(AuditEntry("it@host", "enroll", f"t{i}", ""), agency.clock())
    rows = list(csv.reader(io.StringIO(admin.get("/console/audit.csv").text)))
    targets = [r[4] for r in rows[1:] if r[3] == "enroll"]
    assert len(targets) == 1500 and len(set(targets)) == 1500
    assert targets[0] == "t1499" and "truncated" not in [r[3] for r in rows]
    # over the hard cap: cut there, with a last row that says so
    monkeypatch.setattr(pages, "EXPORT_LIMIT", 1200)
    rows = list(csv.reader(io.StringIO(admin.get("/console/audit.csv").text)))
    assert len(rows) == 1 + 1200 + 1 and rows[-1][3] == "truncated"


# --- directory ------------------------------------------------------------------------


def test_directory_preview_then_publish(agency: Agency, admin: Browser) -> None:
    token = admin.token("/console/directory")
    preview = admin.client.post(
        "/console/directory/preview",
        files={"file": ("seed.json", SEED_DIRECTORY.read_bytes(), "application/json")},
        data={"csrf": token},
        headers={"Origin": "http://agency.test"},
    )
    assert preview.status_code == 200, preview.text
    assert "services added" in preview.text and "Publish version 1" in preview.text
    assert agency.storage.directory.latest() is None  # a preview publishes nothing
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', preview.text))
    # another session cannot publish this preview
    other = Browser(agency)
    try:
        other.sign_in(make_account(agency, "bob", "admin"))
        stolen = other.post("/console/directory/publish", {**fields, "csrf": other.token()})
        assert stolen.status_code == 410
    finally:
        other.close()
    done = admin.post("/console/directory/publish", fields)
    assert done.status_code == 303, done.text
    latest = agency.storage.directory.latest()
    assert latest is not None and latest.version == 1
    assert _audit(agency, "directory-import")[0].actor == "console:alice"
    assert (
        "Published" in admin.get("/console/directory").text
        or "published" in admin.get("/console/directory?done=published").text
    )
    # the same preview cannot be published twice
    assert admin.post("/console/directory/publish", fields).status_code == 410


def test_a_file_that_is_not_hsds_is_refused(agency: Agency, admin: Browser) -> None:
    answer = admin.client.post(
        "/console/directory/preview",
        files={"file": ("x.json", b"not json at all", "application/json")},
        data={"csrf": admin.token("/console/directory")},
        headers={"Origin": "http://agency.test"},
    )
    assert answer.status_code == 422
    assert agency.storage.directory.latest() is None
    assert not any((agency.settings.directory / "console-uploads").glob("*.json"))


def test_corrections_page_shows_metadata_only(agency: Agency, admin: Browser) -> None:
    laptop = agency.enrolled_device("Van laptop", team="north")
    secret = "the crisis line number is wrong, call 555-0199 instead"
    record = laptop.record(
        {"service_id": "svc-1", "suggestion": secret, "created_at": "2026-12-01T10:00:00Z"},
        kind="correction",
    )
    assert agency.sync(laptop, laptop.batch([record])).status_code == 200
    page = admin.get("/console/corrections").text
    assert "Van laptop" in page and "open" in page
    assert "555-0199" not in page and "svc-1" not in page


def test_without_a_session_pages_send_to_sign_in(agency: Agency) -> None:
    b = Browser(agency)
    try:
        assert b.get("/console/devices").headers["location"] == "/console/sign-in"
        partial = b.get("/console/devices", headers={"HX-Request": "true"})
        assert partial.status_code == 401 and partial.headers["hx-redirect"] == "/console/sign-in"
        assert b.get("/console/audit.csv").status_code == 303
        token = b.token("/console/sign-in")
        assert b.post("/console/codes", {"csrf": token, "kind": "device"}).status_code == 303
        assert _codes(agency) == 0
    finally:
        b.close()


@pytest.mark.parametrize("who", ["nobody", "auditor", "foreign origin", "admin"])
def test_the_upload_body_is_not_read_before_the_session_role_and_origin(
    agency: Agency, who: str
) -> None:
    b = Browser(agency)
    read: list[bytes] = []

    async def body() -> AsyncIterator[bytes]:
        read.append(b"x")
        yield b"--b\r\n" + b"x" * 1024

    try:
        if who != "nobody":
            role = "auditor" if who == "auditor" else "admin"
            assert b.sign_in(make_account(agency, "someone", role)).status_code == 303
        origin = "https://evil.example" if who == "foreign origin" else "http://agency.test"
        answer = b.client.post(
            "/console/directory/preview",
            content=body(),
            headers={"Origin": origin, "Content-Type": "multipart/form-data; boundary=b"},
        )
        assert answer.status_code in (303, 403)
        if who == "admin":  # the control: a signed-in admin's body is read (no token: 403)
            assert read and answer.status_code == 403
        else:
            assert read == []  # the body was never asked for
    finally:
        b.close()


def test_an_upload_over_the_cap_is_refused_by_its_length(agency: Agency, admin: Browser) -> None:
    answer = admin.client.post(
        "/console/directory/preview",
        content=b"x",
        headers={"Origin": "http://agency.test", "Content-Length": str(64 * 1024 * 1024)},
    )
    assert answer.status_code == 413

"""The web console in a real browser: Debian's chromium driven by Playwright
against a real uvicorn serving the agency app (port 0, in a thread). Signs in with
password + TOTP, creates an enrollment code, revokes a laptop, sees both in the
audit log, uses the htmx filter; no Content-Security-Policy violation on the way.
Screenshots of the sign-in, devices, code sheet and audit pages (1280 x 800 viewport) go to
resources/screenshots/console-*.png under PEERDESK_UPDATE_SCREENSHOTS=1.

No browser can be downloaded here: Playwright launches ``/usr/bin/chromium``
(packaging/system-deps.sh, group check); without it the test skips, or fails
under CI=true (tests/system.py)."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pyotp
import pytest
import uvicorn

from peerdesk.agency import keys
from peerdesk.agency.app import create_app
from peerdesk.agency.console.auth import add_account
from peerdesk.agency.files import load_code_key
from peerdesk.agency.server import issue_enrollment_code
from peerdesk.agency.settings import AgencySettings
from peerdesk.agency.storage import Storage
from peerdesk.ids import now_utc
from tests.agency.console_support import PASSWORD
from tests.agency.serve_process import wait_for
from tests.agency.support import FieldDevice, KeyTemplate
from tests.system import require_program, under_ci

try:
    from playwright import sync_api as playwright_sync
except ImportError:  # pragma: no cover - the dev extra installs it
    if under_ci():
        raise  # CI=true: a missing Playwright fails, it does not skip
    pytest.skip("playwright is not installed (pip install -e .[dev])", allow_module_level=True)

VIEWPORT = {"width": 1280, "height": 800}


class LiveAgency:
    """The agency app on a real uvicorn in a thread, on a port the OS chose."""

    def __init__(self, app: object) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan="on")  # type: ignore[arg-type]
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveAgency:
        self.thread.start()
        wait_for(lambda: self.server.started, "uvicorn to start")
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.sock.close()


def _enroll(url: str, template: KeyTemplate, code: str, label: str) -> FieldDevice:
    device = FieldDevice(template.result.root_public, template.result.root_key_id, label)
    answer = httpx.post(f"{url}/v1/enroll", json=device.enroll_json(code), timeout=30)
    assert answer.status_code == 200, answer.text
    device.accept_enrollment(answer.json())
    return device


@pytest.fixture
def live(
    settings: AgencySettings, storage: Storage, key_template: KeyTemplate
) -> Iterator[tuple[LiveAgency, dict[str, FieldDevice], str]]:
    keys.register_keys(settings, storage, now_utc())
    account = add_account(
        storage,
        username="alice",
        role="admin",
        password=PASSWORD,
        agency=settings.name,
        now=now_utc(),
        actor="it@server",
    )
    app = create_app(settings, storage=storage)
    with LiveAgency(app) as agency:
        code_key = load_code_key(settings)
        laptops = {}
        # what each laptop reports of itself (the office laptop is older: no header)
        for label, team, client in [
            ("Riverside laptop 1", "riverside", "v=0.1.0; pending=0; held=0"),
            ("Riverside laptop 2", "riverside", "v=0.1.0; pending=12; held=1"),
            ("Hill county van", "hill", "v=0.1.0; pending=3; held=0"),
            ("Hill county office", "hill", None),
        ]:
            code = issue_enrollment_code(storage, now_utc(), key=code_key, team=team)[0]
            device = _enroll(agency.url, key_template, code, label)
            laptops[label] = device
            batch = device.batch([device.note(), device.note()])
            headers = device.headers() | ({"PeerDesk-Client": client} if client else {})
            answer = httpx.post(f"{agency.url}/v1/sync", content=batch, headers=headers, timeout=30)
            assert answer.status_code == 200, answer.text
        yield agency, laptops, account.totp_secret


def test_sign_in_create_code_revoke_and_audit_in_chromium(
    live: tuple[LiveAgency, dict[str, FieldDevice], str],
    screenshot_path: Callable[[str], Path],
) -> None:
    chromium = require_program("chromium", "chromium")
    agency, laptops, secret = live
    violations: list[str] = []
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
            page.on(
                "console",
                lambda m: (
                    violations.append(m.text)
                    if "Content Security Policy" in m.text or m.type == "error"
                    else None
                ),
            )
            page.on(
                "response",
                lambda r: violations.append(f"{r.status} {r.url}") if r.status == 404 else None,
            )
            page.set_default_timeout(30_000)

            # --- sign in (password + TOTP computed from the account's secret)
            page.goto(f"{agency.url}/console")
            assert page.url.endswith("/console/sign-in")
            page.fill("input[name=username]", "alice")
            page.fill("input[name=password]", PASSWORD)
            page.screenshot(path=str(screenshot_path("console-sign-in.png")))
            page.fill("input[name=code]", pyotp.TOTP(secret).now())
            page.click("button[type=submit]")
            page.wait_for_url(re.compile(r"/console/devices$"))
            assert page.is_visible("text=Sign out")
            for label in laptops:
                assert page.is_visible(f"text={label}")
            row = page.locator("#devices-table tr", has_text="Riverside laptop 2")
            cells = [c.strip() for c in row.locator("td").all_text_contents()]
            assert cells[6:9] == ["0.1.0", "12", "1"]  # version, waiting, held back
            row = page.locator("#devices-table tr", has_text="Hill county office")
            assert [c.strip() for c in row.locator("td").all_text_contents()][6:9] == ["—"] * 3

            # --- an htmx partial update: the team filter swaps only the table
            page.select_option("select[name=team]", "hill")
            page.wait_for_function(
                "() => !document.querySelector('#devices-table').textContent"
                ".includes('Riverside laptop 1')"
            )
            assert page.is_visible("text=Hill county van")
            assert "team=hill" in page.url  # hx-push-url
            page.select_option("select[name=team]", "")
            page.wait_for_selector("#devices-table >> text=Riverside laptop 1")

            # --- create an enrollment code, on its printable sheet
            page.click("nav >> text=Enrollment codes")
            page.fill("input[name=team]", "riverside")
            page.click("text=Create the code")
            code = page.text_content("#code") or ""
            assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", code.strip()), code
            page.screenshot(path=str(screenshot_path("console-code-sheet.png")))

            # --- revoke a laptop, with its confirmation step
            page.click("nav >> text=Devices")
            van = laptops["Hill county van"]
            page.click(f"a[href='/console/devices/{van.device_id}/revoke']")
            page.wait_for_selector("text=This cannot be undone", state="attached")
            page.click("text=Revoke the laptop")  # the box is required: nothing happens
            assert "/revoke" in page.url
            page.check("input[name=confirm]")
            page.click("text=Revoke the laptop")
            page.wait_for_selector("text=The laptop is revoked")
            page.screenshot(path=str(screenshot_path("console-devices.png")), full_page=True)

            # --- both actions in the audit log, by the signed-in account
            page.click("nav >> text=Audit log")
            rows = page.locator("#audit-table tbody tr")
            texts = [rows.nth(i).text_content() or "" for i in range(rows.count())]
            assert any("revoke" in t and van.device_id in t and "console:alice" in t for t in texts)
            assert any("enroll" in t and "riverside" in t and "console:alice" in t for t in texts)
            assert any("console-sign-in" in t for t in texts)
            page.select_option("select[name=action]", "revoke")
            page.wait_for_function(
                "() => document.querySelectorAll('#audit-table tbody tr').length === 1"
            )
            page.select_option("select[name=action]", "")
            page.wait_for_function(
                "() => document.querySelectorAll('#audit-table tbody tr').length > 1"
            )
            page.screenshot(path=str(screenshot_path("console-audit.png")), full_page=True)
        finally:
            browser.close()
    assert violations == []

"""``peerdesk-agency admin add|list|remove``: the console's first account is made
on the server, its TOTP secret printed once; that account then signs in."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pyotp

from peerdesk.agency.cli.admins import qr_code
from tests.agency.console_support import PASSWORD, Browser, csrf_of
from tests.agency.support import Agency, Run


def _password_file(tmp_path: Path, text: str = PASSWORD) -> str:
    path = tmp_path / "password.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def test_admin_add_prints_the_secret_once_and_the_account_signs_in(
    run: Run, agency: Agency, tmp_path: Path
) -> None:
    directory = str(agency.settings.directory)
    result = run(
        "admin", "add", "Alice", "--role", "admin", "--dir", directory,
        "--password-file", _password_file(tmp_path),
    )  # fmt: skip
    assert result.code == 0, result.err
    secret = re.search(r"TOTP secret: ([A-Z2-7]+)", result.out)
    uri = re.search(r"URI: (otpauth://\S+)", result.out)
    assert secret and uri and pyotp.parse_uri(uri[1]).secret == secret[1]
    assert PASSWORD not in result.out
    account = agency.storage.admins.get("alice")
    assert account is not None and account.role == "admin"
    assert PASSWORD not in account.password and secret[1] not in result.err
    entry = [r for r in agency.storage.audit.entries() if r.action == "console-account"]
    assert entry and entry[0].target == "alice" and "secret" not in entry[0].detail.lower()

    browser = Browser(agency)
    try:
        page = browser.get("/console/sign-in")
        answer = browser.post(
            "/console/sign-in",
            {
                "csrf": csrf_of(page),
                "username": "alice",
                "password": PASSWORD,
                "code": pyotp.TOTP(secret[1]).at(agency.clock()),
            },
        )
        assert answer.status_code == 303
    finally:
        browser.close()

    listing = run("admin", "list", "--dir", directory)
    assert listing.code == 0 and "alice" in listing.out and "admin" in listing.out
    again = run(
        "admin", "add", "alice", "--role", "auditor", "--dir", directory,
        "--password-file", _password_file(tmp_path),
    )  # fmt: skip
    assert again.code == 1 and "already" in again.err
    removed = run("admin", "remove", "alice", "--dir", directory)
    assert removed.code == 0
    assert "removed" in run("admin", "list", "--dir", directory).out


def test_admin_add_qr_is_the_uri(run: Run, agency: Agency, tmp_path: Path) -> None:
    result = run(
        "admin", "add", "carol", "--role", "auditor", "--qr",
        "--dir", str(agency.settings.directory), "--password-file", _password_file(tmp_path),
    )  # fmt: skip
    assert result.code == 0, result.err
    uri = re.search(r"URI: (otpauth://\S+)", result.out)
    assert uri is not None
    expected = io.StringIO()
    qr_code(uri[1]).terminal(out=expected, compact=True)
    assert expected.getvalue() in result.out
    assert qr_code(uri[1]).designator.endswith("-M")  # not a micro code; level M


def test_admin_add_refuses_a_short_password_and_a_bad_role(
    run: Run, agency: Agency, tmp_path: Path
) -> None:
    directory = str(agency.settings.directory)
    short = run(
        "admin", "add", "bob", "--role", "admin", "--dir", directory,
        "--password-file", _password_file(tmp_path, "short"),
    )  # fmt: skip
    assert short.code == 1 and "12" in short.err
    bad_role = run("admin", "add", "bob", "--role", "root", "--dir", directory)
    assert bad_role.code == 2
    assert agency.storage.admins.get("bob") is None


def test_admin_unlock_and_reset_are_audited_and_work(
    run: Run, agency: Agency, tmp_path: Path
) -> None:
    from peerdesk.agency.console import auth
    from tests.agency.console_support import code_now, make_account

    directory = str(agency.settings.directory)
    alice = make_account(agency)
    for _ in range(auth.MAX_FAILURES):
        auth.sign_in(agency.storage, "alice", "wrong password here", "000000", agency.clock(),
                     "203.0.113.5")  # fmt: skip
    assert agency.storage.admins.locked("alice", "a:203.0.113.5", agency.clock())
    # (the command uses the real time; the agency's clock is the test's)
    result = run("admin", "unlock", "alice", "--dir", directory)
    assert result.code == 0, result.err
    assert "locked address(es) unlocked" in result.out
    assert not agency.storage.admins.locked("alice", "a:203.0.113.5", agency.clock())
    agency.clock.advance(seconds=30)
    assert auth.sign_in(agency.storage, "alice", PASSWORD, code_now(alice, agency),
                        agency.clock(), "203.0.113.5").account is not None  # fmt: skip

    new_password = "another long console password, 2"
    result = run("admin", "reset", "alice", "--dir", directory,
                 "--password-file", _password_file(tmp_path, new_password))  # fmt: skip
    assert result.code == 0, result.err
    secret = re.search(r"TOTP secret: ([A-Z2-7]+)", result.out)
    assert secret and secret[1] != alice.totp_secret and new_password not in result.out
    agency.clock.advance(seconds=60)
    old = auth.sign_in(agency.storage, "alice", PASSWORD, code_now(alice, agency),
                       agency.clock(), "203.0.113.5")  # fmt: skip
    assert old.account is None
    agency.clock.advance(seconds=30)
    new = auth.sign_in(agency.storage, "alice", new_password,
                       pyotp.TOTP(secret[1]).at(agency.clock()), agency.clock(), "203.0.113.5")  # fmt: skip
    assert new.account is not None
    actions = [(r.action, r.target) for r in agency.storage.audit.entries()]
    assert ("console-unlock", "alice") in actions and ("console-reset", "alice") in actions
    assert run("admin", "unlock", "nobody", "--dir", directory).code != 0

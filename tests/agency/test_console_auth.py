"""The web console's sign-in and sessions: password + TOTP, replayed codes, the
lockout (an injected clock), session fixation, sign-out, timeouts, cookies and
the security headers."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyotp
import pytest

from peerdesk.agency.console import auth
from peerdesk.agency.console.auth import LOCK_FOR, MAX_FAILURES, hash_password, verify_password
from peerdesk.agency.console.web import ABSOLUTE, IDLE, TLS_COOKIE, id_hash
from tests.agency.conftest import ASGIClient
from tests.agency.console_support import PASSWORD, Browser, code_now, csrf_of, make_account
from tests.agency.support import BOTH_BACKENDS, Agency


@pytest.fixture
def browser(agency: Agency) -> Iterator[Browser]:
    b = Browser(agency)
    yield b
    b.close()


def _actions(agency: Agency) -> list[tuple[str, str, str]]:
    """(action, actor, the detail's reason) of every audit row."""
    return [(r.action, r.actor, r.detail.split(",")[0]) for r in agency.storage.audit.entries()]


def test_password_record_is_argon2id_with_its_salt_and_parameters() -> None:
    record = hash_password(PASSWORD)
    assert '"alg": "argon2id"' in record and '"memory_kib": 65536' in record
    assert PASSWORD not in record
    assert verify_password(PASSWORD, record)
    assert not verify_password(PASSWORD + "x", record)
    assert hash_password(PASSWORD) != record  # a new salt each time
    assert not verify_password(PASSWORD, '{"alg": "argon2id"}')


def test_sign_in_with_password_and_totp(agency: Agency, browser: Browser) -> None:
    alice = make_account(agency)
    assert not browser.signed_in()
    answer = browser.sign_in(alice)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/console/devices"
    assert browser.signed_in()
    assert ("console-sign-in", "console:alice", "") in _actions(agency)


@pytest.mark.parametrize("what", ["password", "code", "name"])
def test_a_wrong_part_is_refused_with_the_same_words(
    agency: Agency, browser: Browser, what: str
) -> None:
    alice = make_account(agency)
    if what == "password":
        answer = browser.sign_in(alice, password=PASSWORD + "!")
    elif what == "code":
        good = code_now(alice, agency)
        answer = browser.sign_in(alice, code=f"{(int(good) + 1) % 1_000_000:06d}")
    else:
        bob = make_account(agency, "bob")
        answer = browser.sign_in(alice, code=code_now(bob, agency), password=PASSWORD + "?")
    assert answer.status_code == 401
    assert "wrong name, password or code" in answer.text
    assert not browser.signed_in()
    failed = [a for a in _actions(agency) if a[0] == "console-sign-in-failed"]
    assert len(failed) == 1 and failed[0][1] == "console:alice"


def test_an_unknown_name_is_audited_as_unknown(agency: Agency, browser: Browser) -> None:
    alice = make_account(agency)
    page = browser.get("/console/sign-in")
    answer = browser.post(
        "/console/sign-in",
        {"csrf": csrf_of(page), "username": "mallory", "password": PASSWORD, "code": "123456"},
    )
    assert answer.status_code == 401 and "wrong name, password or code" in answer.text
    assert ("console-sign-in-failed", "console:(unknown)", "unknown") in _actions(agency)
    assert agency.storage.admins.get(alice.username).failures == 0  # type: ignore[union-attr]


def test_sign_in_attempts_per_address_are_limited(
    agency: Agency, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "ATTEMPTS_PER_ADDRESS", 3)
    alice = make_account(agency)
    for _ in range(3):
        assert browser.sign_in(alice, password="wrong password here").status_code == 401
    # the fourth, right this time, is not even checked
    answer = browser.sign_in(alice)
    assert answer.status_code == 429 and "Too many" in answer.text
    assert answer.headers["retry-after"] == str(auth.ATTEMPT_WINDOW_S)
    # the next window lets it in again
    agency.clock.advance(seconds=auth.ATTEMPT_WINDOW_S)
    assert browser.sign_in(alice).status_code == 303


@BOTH_BACKENDS
def test_a_totp_code_is_good_once(agency: Agency, browser: Browser) -> None:
    alice = make_account(agency)
    code = code_now(alice, agency)
    assert browser.sign_in(alice, code=code).status_code == 303
    other = Browser(agency)
    try:
        # the same code again, within its 30 s step: refused (replay)
        answer = other.sign_in(alice, code=code)
        assert answer.status_code == 401
        assert not other.signed_in()
        assert ("console-sign-in-failed", "console:alice", "replay") in _actions(agency)
        # also 10 s later, still the same step and inside the drift window
        agency.clock.advance(seconds=10)
        assert other.sign_in(alice, code=code).status_code == 401
        # the next step's code works
        agency.clock.advance(seconds=30)
        assert other.sign_in(alice).status_code == 303
    finally:
        other.close()


def test_a_code_of_an_earlier_step_is_refused_after_a_later_one_was_used(
    agency: Agency, browser: Browser
) -> None:
    alice = make_account(agency)
    earlier = code_now(alice, agency)
    agency.clock.advance(seconds=30)
    assert browser.sign_in(alice).status_code == 303
    other = Browser(agency)
    try:
        # "earlier" is still within the drift window, but its step is older
        assert other.sign_in(alice, code=earlier).status_code == 401
    finally:
        other.close()


@BOTH_BACKENDS
def test_lockout_after_failures_is_shared_and_ends_by_itself(
    agency: Agency, browser: Browser
) -> None:
    alice = make_account(agency)
    for _ in range(MAX_FAILURES):
        assert browser.sign_in(alice, password="not the password at all").status_code == 401
    assert agency.storage.admins.locked("alice", "a:127.0.0.1", agency.clock())
    # the right password and a fresh code are refused while locked, from any browser
    agency.clock.advance(seconds=30)
    other = Browser(agency)
    try:
        assert other.sign_in(alice).status_code == 401
        assert ("console-sign-in-failed", "console:alice", "locked") in _actions(agency)
        # a minute before the lock ends: still refused
        agency.clock.advance(seconds=LOCK_FOR.total_seconds() - 90)
        assert other.sign_in(alice).status_code == 401
        # the lock ends by itself (an attacker cannot keep an admin out for good)
        agency.clock.advance(seconds=90)
        assert other.sign_in(alice).status_code == 303
        assert other.signed_in()
    finally:
        other.close()
    assert agency.storage.admins.get("alice").failures == 0  # type: ignore[union-attr]


def test_failures_below_the_limit_do_not_lock(agency: Agency, browser: Browser) -> None:
    alice = make_account(agency)
    for _ in range(MAX_FAILURES - 1):
        browser.sign_in(alice, password="wrong wrong wrong")
    assert browser.sign_in(alice).status_code == 303


@BOTH_BACKENDS
def test_session_id_before_sign_in_is_not_the_one_after(agency: Agency, browser: Browser) -> None:
    alice = make_account(agency)
    browser.get("/console/sign-in")
    before = browser.cookie()
    assert before
    assert browser.sign_in(alice).status_code == 303
    after = browser.cookie()
    assert after and after != before
    assert agency.storage.admins.session(id_hash(before)) is None
    assert agency.storage.admins.session(id_hash(after)) is not None


def test_a_planted_session_id_never_becomes_a_session(agency: Agency, browser: Browser) -> None:
    alice = make_account(agency)
    planted = "attacker-chose-this-session-id-0123456789"
    browser.set_cookie(planted)
    assert browser.sign_in(alice).status_code == 303
    assert browser.cookie() != planted
    assert agency.storage.admins.session(id_hash(planted)) is None
    attacker = Browser(agency)
    try:
        attacker.set_cookie(planted)
        assert not attacker.signed_in()
    finally:
        attacker.close()


@BOTH_BACKENDS
def test_sign_out_ends_the_server_side_session(agency: Agency, browser: Browser) -> None:
    alice = make_account(agency)
    browser.sign_in(alice)
    sid = browser.cookie()
    assert sid is not None
    answer = browser.post("/console/sign-out", {"csrf": browser.token("/console/devices")})
    assert answer.status_code == 303
    assert agency.storage.admins.session(id_hash(sid)) is None
    # the old cookie, kept by someone, opens nothing
    replay = Browser(agency)
    try:
        replay.set_cookie(sid)
        assert not replay.signed_in()
    finally:
        replay.close()
    assert ("console-sign-out", "console:alice", "") in _actions(agency)


def test_idle_and_absolute_timeouts(agency: Agency, browser: Browser) -> None:
    alice = make_account(agency)
    browser.sign_in(alice)
    agency.clock.advance(seconds=IDLE.total_seconds() - 60)
    assert browser.signed_in()  # used again: the idle time starts over
    agency.clock.advance(seconds=IDLE.total_seconds() - 60)
    assert browser.signed_in()
    agency.clock.advance(seconds=IDLE.total_seconds() + 1)
    assert not browser.signed_in()

    agency.clock.advance(seconds=60)
    browser.sign_in(alice)
    step = IDLE - (IDLE / 6)
    used = step * 0
    while used + step < ABSOLUTE:
        agency.clock.advance(seconds=step.total_seconds())
        used += step
        assert browser.signed_in()
    agency.clock.advance(seconds=(ABSOLUTE - used).total_seconds() + 1)
    assert not browser.signed_in()


def test_cookie_flags_and_security_headers(agency: Agency, browser: Browser) -> None:
    alice = make_account(agency)
    page = browser.get("/console/sign-in")
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # plain HTTP (loopback): a Secure cookie would not come back
    browser.sign_in(alice)
    devices = browser.get("/console/devices")
    csp = devices.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert devices.headers["x-frame-options"] == "DENY"
    assert devices.headers["cache-control"] == "no-store"
    assert devices.headers["referrer-policy"] == "same-origin"
    assert "<script>" not in devices.text and " on" + "click=" not in devices.text
    js = browser.get("/console/static/htmx.min.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert browser.get("/console/static/..%2Fweb.py").status_code == 404


def test_over_tls_the_cookie_is_secure_and_host_prefixed(agency: Agency) -> None:
    make_account(agency)
    tls = ASGIClient(agency.app, base_url="https://agency.test")
    try:
        page = tls.get("/console/sign-in")
        cookie = page.headers["set-cookie"]
        assert cookie.startswith(f"{TLS_COOKIE}=")
        assert "Secure" in cookie and "HttpOnly" in cookie
    finally:
        tls.close()


def test_a_removed_account_cannot_sign_in_and_loses_its_sessions(
    agency: Agency, browser: Browser
) -> None:
    alice = make_account(agency)
    browser.sign_in(alice)
    agency.storage.admins.remove("alice", agency.clock())
    assert not browser.signed_in()
    agency.clock.advance(seconds=30)
    assert browser.sign_in(alice).status_code == 401


def test_totp_uri_names_the_agency_and_account(agency: Agency) -> None:
    alice = make_account(agency)
    parsed = pyotp.parse_uri(alice.totp_uri)
    assert parsed.secret == alice.totp_secret
    assert "alice" in alice.totp_uri and "PeerDesk" in alice.totp_uri


# --- behind the README's nginx --------------------------------------------------------


def _readme_proxy_headers(client_address: str) -> dict[str, str]:
    """The headers the README's nginx recipe sets, with its variables filled in as
    nginx would for https://agency.example.org from ``client_address``."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    recipe = readme.split("```nginx", 1)[1].split("```", 1)[0]
    values = {"$host": "agency.example.org", "$scheme": "https", "$remote_addr": client_address}
    headers = {}
    for name, value in re.findall(r"^\s*proxy_set_header\s+(\S+)\s+(\S+);", recipe, re.M):
        headers[name] = values.get(value, value)
    assert "proxy_pass http://127.0.0.1:8443;" in recipe
    return headers


def test_sign_in_through_the_readmes_nginx_recipe(agency: Agency) -> None:
    """nginx connects from 127.0.0.1 to http://127.0.0.1:8443 (a trusted proxy, as
    the README says to configure); the browser's page is https://agency.example.org.
    The sign-in must pass the same-origin check and set a Secure __Host- cookie."""
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    alice = make_account(agency)
    app = ProxyHeadersMiddleware(agency.app, trusted_hosts="127.0.0.1")
    proxied = _readme_proxy_headers("203.0.113.7")
    with ASGIClient(app, base_url="http://127.0.0.1:8443") as client:
        page = client.get("/console/sign-in", headers=proxied)
        assert page.status_code == 200
        # the pre-sign-in cookie is Secure too: httpx, talking http, would not send it
        pre = page.headers["set-cookie"]
        assert pre.startswith(TLS_COOKIE + "=") and "secure" in pre.lower()
        client._client.cookies.clear()
        proxied["Cookie"] = pre.split(";", 1)[0]
        answer = client.post(
            "/console/sign-in",
            data={
                "csrf": csrf_of(page),
                "username": alice.username,
                "password": PASSWORD,
                "code": code_now(alice, agency),
            },  # fmt: skip
            headers={**proxied, "Origin": "https://agency.example.org"},
        )
        assert answer.status_code == 303, answer.text
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith(TLS_COOKIE + "=") and "secure" in cookie.lower()
        value = cookie.split(";", 1)[0].split("=", 1)[1]
        client._client.cookies.clear()
        devices = client.get(
            "/console/devices", headers={**proxied, "Cookie": f"{TLS_COOKIE}={value}"}
        )
        assert devices.status_code == 200 and "Sign out" in devices.text


# --- the lock per (account, address), counted before the hash ---------------------------


def test_failures_from_another_address_do_not_lock_the_admins_own_address(
    agency: Agency,
) -> None:
    alice = make_account(agency)
    attacker, own = "198.51.100.66", "203.0.113.5"
    for _ in range(MAX_FAILURES):
        out = auth.sign_in(agency.storage, "alice", "wrong password here", "000000",
                           agency.clock(), attacker)  # fmt: skip
        assert out.account is None
    assert agency.storage.admins.locked("alice", "a:" + attacker, agency.clock())
    # the attacker is locked out, even with the right password and code
    agency.clock.advance(seconds=30)
    assert auth.sign_in(agency.storage, "alice", PASSWORD, code_now(alice, agency),
                        agency.clock(), attacker).reason == "locked"  # fmt: skip
    # the admin's own address is not
    agency.clock.advance(seconds=30)
    mine = auth.sign_in(agency.storage, "alice", PASSWORD, code_now(alice, agency),
                        agency.clock(), own)  # fmt: skip
    assert mine.account is not None
    # the attacker's lock ends by itself after LOCK_FOR (clock injected)
    agency.clock.advance(seconds=LOCK_FOR.total_seconds())
    assert not agency.storage.admins.locked("alice", "a:" + attacker, agency.clock())


@BOTH_BACKENDS
def test_parallel_guesses_are_counted_before_the_hash(
    agency: Agency, monkeypatch: pytest.MonkeyPatch
) -> None:
    """20 guesses at once from one address: only MAX_FAILURES reach the (slow, fake)
    password check; the others are refused as locked without it."""
    import threading

    alice = make_account(agency)
    dummy = auth._dummy_record()
    release = threading.Event()
    lock = threading.Lock()
    checked: list[str] = []
    done: list[str] = []

    def slow_verify(password: str, record: str) -> bool:
        if record == dummy:
            return False
        with lock:
            checked.append(password)
        release.wait(30)  # a slow hash: everything else happens meanwhile
        return password == PASSWORD

    monkeypatch.setattr(auth, "verify_password", slow_verify)

    def guess(i: int) -> None:
        out = auth.sign_in(agency.storage, "alice", f"guess number {i:02d}",
                           code_now(alice, agency), agency.clock(), "198.51.100.7")  # fmt: skip
        with lock:
            done.append(out.reason)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    deadline = 300
    while deadline and len(checked) + len(done) < 20:
        release.wait(0.1)
        deadline -= 1
    release.set()
    for t in threads:
        t.join(30)
    assert len(checked) == MAX_FAILURES, checked
    assert sorted(done).count("locked") == 20 - MAX_FAILURES
    assert agency.storage.admins.locked("alice", "a:198.51.100.7", agency.clock())


def test_a_success_in_flight_does_not_lift_another_addresss_lock(agency: Agency) -> None:
    alice = make_account(agency)
    for _ in range(MAX_FAILURES):
        auth.sign_in(agency.storage, "alice", "wrong password here", "000000", agency.clock(),
                     "198.51.100.8")  # fmt: skip
    ok = auth.sign_in(agency.storage, "alice", PASSWORD, code_now(alice, agency),
                      agency.clock(), "203.0.113.9")  # fmt: skip
    assert ok.account is not None
    assert agency.storage.admins.locked("alice", "a:198.51.100.8", agency.clock())


def test_two_addresses_of_one_ipv6_64_share_the_sign_in_rate_limit(
    agency: Agency, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "ATTEMPTS_PER_ADDRESS", 3)
    now = agency.clock()
    for i in range(3):
        assert auth.take_attempt(agency.storage, f"2001:db8:1:2::{i + 1}", now)
    # another address of the same /64: over the limit
    assert not auth.take_attempt(agency.storage, "2001:db8:1:2:ffff::9", now)
    # another /64: its own count
    assert auth.take_attempt(agency.storage, "2001:db8:1:3::1", now)


def test_an_over_long_password_is_refused_before_the_account_lookup(
    agency: Agency, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same refusal, without any lookup or hash, for a known and an unknown name
    (verify_password skipping the hash for a long password was a timing hint)."""
    make_account(agency)
    lookups: list[str] = []
    hashes: list[str] = []
    real_get = agency.storage.admins.get
    monkeypatch.setattr(agency.storage.admins, "get", lambda n: lookups.append(n) or real_get(n))
    monkeypatch.setattr(auth, "verify_password", lambda p, r: hashes.append(r) or False)
    for name in ("alice", "mallory"):
        page = browser.get("/console/sign-in")
        answer = browser.post("/console/sign-in", {"csrf": csrf_of(page), "username": name,
                              "password": "x" * 1025, "code": "123456"})  # fmt: skip
        assert answer.status_code == 401 and "wrong name, password or code" in answer.text
    assert lookups == [] and hashes == []
    reasons = [a for a in _actions(agency) if a[0] == "console-sign-in-failed"]
    assert reasons == [("console-sign-in-failed", "console:(unknown)", "too long")] * 2

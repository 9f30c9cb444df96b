"""Helpers for the web console's tests: accounts, a signed-in client, the CSRF
token of a page."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pyotp

from peerdesk.agency.console.auth import NewAccount, add_account
from peerdesk.agency.console.web import COOKIE
from tests.agency.conftest import ASGIClient
from tests.agency.support import Agency

PASSWORD = "a long console password, 42 chars or so"
ORIGIN = "http://agency.test"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def make_account(agency: Agency, username: str = "alice", role: str = "admin") -> NewAccount:
    return add_account(
        agency.storage,
        username=username,
        role=role,
        password=PASSWORD,
        agency=agency.settings.name,
        now=agency.clock(),
        actor="test",
    )


def code_now(account: NewAccount, agency: Agency) -> str:
    return pyotp.TOTP(account.totp_secret).at(agency.clock())


def csrf_of(page: httpx.Response) -> str:
    found = _CSRF.search(page.text)
    assert found is not None, page.text[:2000]
    return found[1]


class Browser:
    """One browser's cookie jar on the agency app (an :class:`ASGIClient`), sending
    the console's own Origin unless told otherwise."""

    def __init__(self, agency: Agency, client: ASGIClient | None = None) -> None:
        self.agency = agency
        self.client = client or ASGIClient(agency.app)

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.client.get(path, **kw)

    def post(self, path: str, data: dict[str, str], origin: str | None = ORIGIN, **kw: Any) -> Any:
        headers = dict(kw.pop("headers", {}))
        if origin is not None:
            headers["Origin"] = origin
        return self.client.post(path, data=data, headers=headers, **kw)

    def cookie(self) -> str | None:
        jar = self.client._client.cookies
        return jar.get(COOKIE)

    def set_cookie(self, value: str) -> None:
        self.client._client.cookies.set(COOKIE, value, domain="agency.test", path="/")

    def sign_in(
        self, account: NewAccount, *, password: str = PASSWORD, code: str | None = None
    ) -> httpx.Response:
        page = self.get("/console/sign-in")
        return self.post(
            "/console/sign-in",
            {
                "csrf": csrf_of(page),
                "username": account.username,
                "password": password,
                "code": code if code is not None else code_now(account, self.agency),
            },
        )

    def signed_in(self) -> bool:
        answer = self.get("/console/devices")
        return answer.status_code == 200 and "Sign out" in answer.text

    def token(self, path: str = "/console/codes") -> str:
        return csrf_of(self.get(path))

    def close(self) -> None:
        self.client.close()

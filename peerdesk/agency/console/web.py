"""What every console page shares: the session cookie, the server-side session and
its timeouts, the CSRF checks, the security headers and the templates.

* The cookie holds a random 256-bit id; the database keeps only its SHA-256
  (``console_sessions``). Signing in always makes a new id (the one the browser
  had is dropped: no session fixation); signing out deletes the row. A session
  ends after :data:`IDLE` without a request and :data:`ABSOLUTE` after sign-in.
* Cookie: ``HttpOnly``, ``SameSite=Strict``, ``Path=/``; over TLS also ``Secure``
  and the ``__Host-`` prefix (the browser then refuses it from plain HTTP or
  another host).
* Every state-changing request (every POST) must carry the session's synchronizer
  token (form field ``csrf`` or header ``X-CSRF-Token``) and come from this origin
  (``Origin``, else ``Referer``); the sign-in form's token is an HMAC of the
  pre-sign-in cookie id with a key derived from the agency's code key, so
  anonymous visitors cost no database row.
* Pages carry a strict Content-Security-Policy (scripts from this origin only:
  htmx and console.js, no inline script or style), ``X-Frame-Options: DENY``,
  ``Referrer-Policy: same-origin`` (see SECURITY.md: ``no-referrer`` makes
  browsers send ``Origin: null`` on the console's own form posts) and
  ``Cache-Control: no-store``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from peerdesk.agency.console.auth import may_change
from peerdesk.agency.models import AuditEntry
from peerdesk.agency.settings import AgencySettings
from peerdesk.agency.storage import Storage
from peerdesk.ids import from_iso, to_iso

PREFIX = "/console"
IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
#: how often a session's last use is written (not on every request)
TOUCH_EVERY = timedelta(minutes=1)
COOKIE = "peerdesk-console"
TLS_COOKIE = "__Host-peerdesk-console"
HERE = Path(__file__).resolve().parent

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class Signed:
    """The signed-in user of a request."""

    username: str
    role: str
    csrf: str
    id_hash: bytes

    @property
    def actor(self) -> str:
        return f"console:{self.username}"

    @property
    def may_change(self) -> bool:
        return may_change(self.role)

    def audit(self, action: str, target: str, detail: str = "") -> AuditEntry:
        return AuditEntry(self.actor, action, target, detail)


class Refused(Exception):
    """A request the console refuses (answered with ``status`` and a page)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def id_hash(session_id: str) -> bytes:
    return hashlib.sha256(b"peerdesk-console|" + session_id.encode()).digest()


def is_tls(request: Request) -> bool:
    return request.url.scheme == "https"


def cookie_name(request: Request) -> str:
    return TLS_COOKIE if is_tls(request) else COOKIE


def same_origin(request: Request) -> bool:
    """Whether the request says it comes from a page of this origin."""
    expected = f"{request.url.scheme}://{request.url.netloc}"
    origin = request.headers.get("origin")
    if origin is not None:
        return hmac.compare_digest(origin, expected)
    referer = request.headers.get("referer", "")
    return referer == expected or referer.startswith(expected + "/")


class Console:
    """The console's state: storage, settings, clock, templates and the key of the
    sign-in form's token."""

    def __init__(
        self, storage: Storage, settings: AgencySettings, clock: Clock, code_key: bytes
    ) -> None:
        self.storage = storage
        self.settings = settings
        self.clock = clock
        self._form_key = hmac.new(code_key, b"peerdesk-console-sign-in-form", "sha256").digest()
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
        )

    # --- sessions -----------------------------------------------------------------------

    def cookie_id(self, request: Request) -> str | None:
        value = request.cookies.get(cookie_name(request))
        if value is None or not 20 <= len(value) <= 100:
            return None
        return value

    def signed(self, request: Request) -> Signed | None:
        """The request's live session, or None (an ended one is deleted)."""
        sid = self.cookie_id(request)
        if sid is None:
            return None
        hashed = id_hash(sid)
        found = self.storage.admins.session(hashed)
        if found is None:
            return None
        now = self.clock()
        seen = from_iso(found.seen_at)
        if now - seen > IDLE or now - from_iso(found.created_at) > ABSOLUTE:
            self.storage.admins.end_session(hashed)
            return None
        if now - seen > TOUCH_EVERY:
            self.storage.admins.touch(hashed, now)
        return Signed(found.username, found.role, found.csrf, hashed)

    def require(self, request: Request) -> Signed:
        signed = self.signed(request)
        if signed is None:
            raise Refused(401, "Please sign in.")
        return signed

    def form_token(self, pre_id: str) -> str:
        return hmac.new(self._form_key, pre_id.encode(), "sha256").hexdigest()

    def start_session(self, request: Request, username: str) -> tuple[str, str]:
        """A new session id and CSRF token for ``username``; the id the browser had
        (if any) is dropped in the same transaction."""
        old = self.cookie_id(request)
        sid = new_id()
        csrf = secrets.token_urlsafe(32)
        now = self.clock()
        self.storage.admins.open_session(
            id_hash(sid),
            username,
            csrf,
            now,
            replaces=id_hash(old) if old else None,
            expired_before=now - IDLE,
            audit=AuditEntry(f"console:{username}", "console-sign-in", username),
        )
        return sid, csrf

    # --- CSRF ---------------------------------------------------------------------------

    async def checked_form(
        self, request: Request, signed: Signed, *, change: bool = True, **limits: Any
    ) -> Mapping[str, Any]:
        """The form of a state-changing request of ``signed``, after the origin and
        the synchronizer token were checked (:class:`Refused` 403 otherwise) and,
        with ``change``, that the role may change things (an auditor: 403)."""
        self.check_origin_and_role(request, signed, change=change)
        form = await request.form(**limits)
        token = str(request.headers.get("x-csrf-token") or form.get("csrf") or "")
        if not hmac.compare_digest(token.encode(), signed.csrf.encode()):
            raise Refused(403, "Refused: the form expired or did not come from this console.")
        return form

    def check_origin_and_role(self, request: Request, signed: Signed, *, change: bool) -> None:
        """What is checked before a state-changing request's body is read."""
        if not same_origin(request):
            raise Refused(403, "Refused: the request did not come from this console.")
        if change and not signed.may_change:
            raise Refused(403, "Refused: an auditor account can look but not change anything.")

    async def checked_sign_in_form(self, request: Request) -> Mapping[str, Any]:
        """The sign-in form, after its origin and its token (tied to the cookie the
        sign-in page set) were checked."""
        pre_id = self.cookie_id(request)
        if pre_id is None or not same_origin(request):
            raise Refused(403, "Refused: the sign-in form expired or did not come from here.")
        form = await request.form()
        token = str(form.get("csrf") or "")
        if not hmac.compare_digest(token.encode(), self.form_token(pre_id).encode()):
            raise Refused(403, "Refused: the sign-in form expired or did not come from here.")
        return form

    # --- answers ------------------------------------------------------------------------

    def render(
        self,
        request: Request,
        template: str,
        signed: Signed | None,
        status: int = 200,
        **values: Any,
    ) -> HTMLResponse:
        page = self.templates.get_template(template).render(
            prefix=PREFIX,
            agency=self.settings.name,
            user=signed,
            **values,
        )
        return secure(HTMLResponse(page, status_code=status))

    def refused(self, request: Request, exc: Refused) -> Response:
        if exc.status == 401:
            if request.headers.get("hx-request") == "true":  # htmx: the whole page goes
                return secure(
                    Response(status_code=401, headers={"HX-Redirect": f"{PREFIX}/sign-in"})
                )
            return secure(RedirectResponse(f"{PREFIX}/sign-in", status_code=303))
        return self.render(
            request, "refused.html", self.signed(request), status=exc.status, message=exc.message
        )


_R = TypeVar("_R", bound=Response)


def secure(response: _R) -> _R:
    """The console's security headers, and no caching of anything it answers."""
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    response.headers["Cache-Control"] = "no-store"
    return response


def set_cookie(request: Request, response: Response, value: str, max_age: int | None) -> None:
    response.set_cookie(
        cookie_name(request),
        value,
        max_age=max_age,
        path="/",
        secure=is_tls(request),
        httponly=True,
        samesite="strict",
    )


def clear_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        cookie_name(request), path="/", secure=is_tls(request), httponly=True, samesite="strict"
    )


def new_id() -> str:
    """A session id (or the id of a browser before sign-in): 256 random bits."""
    return secrets.token_urlsafe(32)


def redirect(to: str) -> Response:
    return secure(RedirectResponse(f"{PREFIX}{to}", status_code=303))


def since_days(now: datetime, days: int) -> str:
    return to_iso(now - timedelta(days=days))

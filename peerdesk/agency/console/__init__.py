"""The web console for agency IT (issue 22), served by the agency server under
``/console``: server-rendered pages (Jinja2) with htmx for the small partial
updates (filters), no build step, nothing from a CDN.

Pages: devices (team, last contact, records received, notes waiting for a
supervisor, revoked; a filter for the laptops not seen for N days), revoking a
laptop (a confirmation step first), enrollment codes and supervisor invites (a
printable sheet), supervisors and teams, the audit log (filters, CSV export),
directory publishing (upload, the diff preview, publish) and the peers'
suggested corrections (metadata). Metadata only: the console never reads, shows
or offers a sealed record (the server cannot open one anyway).

Signing in: an account (``peerdesk-agency admin add``), its password (Argon2id)
and a TOTP code (:mod:`.auth`); sessions, cookies, CSRF and the security headers
are :mod:`.web`. Roles: ``admin`` (everything) and ``auditor`` (reads; every
change is refused with 403). Every action, and every sign-in, failed or not, is
written to the audit log with its actor (``console:<name>``).

``htmx.min.js`` is htmx 2.0.11 from the npm registry (``npm pack htmx.org@2``),
licence 0BSD (``static/htmx.LICENSE.txt``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI
from fastapi.responses import Response

from peerdesk.agency.console.directory_pages import MAX_UPLOAD_BYTES, UPLOAD_PATH, directory_router
from peerdesk.agency.console.pages import console_router
from peerdesk.agency.console.web import HERE, PREFIX, Console
from peerdesk.agency.settings import AgencySettings
from peerdesk.agency.storage import Storage

__all__ = ["MAX_UPLOAD_BYTES", "PREFIX", "UPLOAD_PATH", "mount_console"]

#: the static files, by name: (media type, how long a browser may keep it)
_STATIC = {
    "htmx.min.js": "text/javascript; charset=utf-8",
    "console.js": "text/javascript; charset=utf-8",
    "console.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",  # PeerDesk's icon (resources/icons/peerdesk.svg)
}


def mount_console(
    app: FastAPI,
    storage: Storage,
    settings: AgencySettings,
    *,
    clock: Callable[[], datetime],
    code_key: bytes,
) -> Console:
    """Add the console's routes to the agency app."""
    console = Console(storage, settings, clock, code_key)
    app.include_router(console_router(console))
    app.include_router(directory_router(console))
    files = {name: (HERE / "static" / name).read_bytes() for name in _STATIC}

    @app.get(f"{PREFIX}/static/{{name}}", include_in_schema=False)
    async def static(name: str) -> Response:
        if name not in files:
            return Response(status_code=404)
        return Response(
            files[name],
            media_type=_STATIC[name],
            headers={"Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff"},
        )

    return console

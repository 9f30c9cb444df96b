"""The console's pages: sign-in, devices (and the laptops not seen for a while),
revoking a laptop, enrollment codes and their printable sheet, supervisors and
teams, and the audit log with its CSV export. Metadata only: nothing here reads
or shows a sealed record. The directory pages are :mod:`.directory_pages`.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from peerdesk.agency import keys
from peerdesk.agency.console.auth import ATTEMPT_WINDOW_S, REFUSED, sign_in, take_attempt
from peerdesk.agency.console.web import (
    PREFIX,
    Console,
    Refused,
    clear_cookie,
    new_id,
    redirect,
    secure,
    set_cookie,
    since_days,
)
from peerdesk.agency.files import load_code_key
from peerdesk.agency.models import AuditEntry
from peerdesk.agency.ratelimit import client_address
from peerdesk.agency.server import check_device_id, check_team, issue_enrollment_code
from peerdesk.agency.supervisors import issue_supervisor_invite
from peerdesk.errors import NotFound, PeerDeskError, ValidationError
from peerdesk.ids import to_iso

#: what a finished action says on the next page (a fixed text: nothing is echoed)
DONE = {
    "revoked": "The laptop is revoked. It erases its keys at its next contact.",
    "signed-out": "You are signed out.",
    "published": "The directory was published. Every laptop receives it at its next sync.",
}
TOO_MANY = "Too many sign-in attempts from this address: try again in 15 minutes."
#: the audit page lists at most this many entries
AUDIT_LIMIT = 1000
#: the CSV export streams every matching entry, page by page, up to this many (then
#: a last row says it was cut)
EXPORT_LIMIT = 1_000_000
EXPORT_PAGE = 1000
MAX_CODE_HOURS = 720

Handler = Callable[..., Awaitable[Response]]


def _guarded(console: Console, handler: Handler) -> Handler:
    """``handler`` with :class:`Refused` and the core's errors as pages."""

    @functools.wraps(handler)
    async def run(request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return await handler(request, *args, **kwargs)
        except Refused as exc:
            return await run_in_threadpool(console.refused, request, exc)

    return run


def _text(form: Any, name: str, limit: int = 200) -> str:
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def _int(value: Any, default: int, low: int, high: int) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return default
    return min(max(number, low), high)


def _partial(request: Request) -> bool:
    """An htmx request for the table only (not its history restore, which wants the
    whole page)."""
    headers = request.headers
    return headers.get("hx-request") == "true" and not headers.get("hx-history-restore-request")


def _csv_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def console_router(console: Console) -> APIRouter:
    router = APIRouter(prefix=PREFIX, include_in_schema=False)
    storage, clock, settings = console.storage, console.clock, console.settings

    def route(method: str, path: str) -> Callable[[Handler], Handler]:
        def add(handler: Handler) -> Handler:
            guarded = _guarded(console, handler)
            router.add_api_route(path, guarded, methods=[method])
            return guarded

        return add

    # --- signing in and out -------------------------------------------------------------

    @route("GET", "")
    async def home(request: Request) -> Response:
        return redirect("/devices")

    @route("GET", "/sign-in")
    async def sign_in_page(request: Request) -> Response:
        if await run_in_threadpool(console.signed, request) is not None:
            return redirect("/devices")
        return _sign_in_form(request, None)

    def _sign_in_form(request: Request, problem: str | None, status: int = 200) -> Response:
        pre_id = console.cookie_id(request)
        fresh = pre_id is None
        if pre_id is None:
            pre_id = new_id()
        done = DONE.get(request.query_params.get("done", ""))
        page = console.render(
            request,
            "sign_in.html",
            None,
            status=status,
            csrf=console.form_token(pre_id),
            problem=problem,
            done=done,
        )
        if fresh:
            set_cookie(request, page, pre_id, None)
        return page

    @route("POST", "/sign-in")
    async def sign_in_post(request: Request) -> Response:
        form = await console.checked_sign_in_form(request)
        username = _text(form, "username", 64)
        password = form.get("password", "")
        code = _text(form, "code", 20)
        now = clock()
        address = client_address(request.scope)
        if not await run_in_threadpool(take_attempt, storage, address, now):
            page = _sign_in_form(request, TOO_MANY, status=429)
            page.headers["Retry-After"] = str(ATTEMPT_WINDOW_S)
            return page
        outcome = await run_in_threadpool(
            sign_in,
            storage,
            username,
            password if isinstance(password, str) else "",
            code,
            now,
            address,
        )
        if outcome.account is None:
            name = username.lower()[:64] or "?"
            known = outcome.reason not in ("unknown", "too long")
            entry = AuditEntry(
                f"console:{name}" if known else "console:(unknown)",
                "console-sign-in-failed",
                name,
                f"{outcome.reason}, from {address}",
            )
            await run_in_threadpool(storage.audit.add, entry, now)
            return _sign_in_form(request, REFUSED, status=401)
        sid, _csrf = await run_in_threadpool(
            console.start_session, request, outcome.account.username
        )
        answer = redirect("/devices")
        set_cookie(request, answer, sid, None)
        return answer

    @route("POST", "/sign-out")
    async def sign_out(request: Request) -> Response:
        signed = await run_in_threadpool(console.require, request)
        await console.checked_form(request, signed, change=False)  # an auditor signs out too
        await run_in_threadpool(
            storage.admins.end_session,
            signed.id_hash,
            clock(),
            signed.audit("console-sign-out", signed.username),
        )
        answer = redirect("/sign-in?done=signed-out")
        clear_cookie(request, answer)
        return answer

    # --- devices ------------------------------------------------------------------------

    @route("GET", "/devices")
    async def devices(request: Request) -> Response:
        signed = await run_in_threadpool(console.require, request)
        team = request.query_params.get("team", "").strip()[:64]
        unseen = _int(request.query_params.get("unseen", "0"), 0, 0, 3650)
        summaries, waiting = await run_in_threadpool(
            lambda: (storage.devices.summaries(), storage.reviews.waiting_by_device())
        )
        cutoff = since_days(clock(), unseen) if unseen else ""
        rows = []
        for s in summaries:
            d = s.device
            if team and d.team != team:
                continue
            if cutoff and (d.revoked or (d.last_seen_at or d.enrolled_at) >= cutoff):
                continue
            rows.append((d, s.records, waiting.get(d.device_id, 0)))
        teams = sorted({s.device.team for s in summaries if s.device.team})
        template = "devices_table.html" if _partial(request) else "devices.html"
        return console.render(
            request,
            template,
            signed,
            rows=rows,
            teams=teams,
            team=team,
            unseen=unseen,
            done=DONE.get(request.query_params.get("done", "")),
        )

    @route("GET", "/devices/{device_id}/revoke")
    async def revoke_confirm(request: Request, device_id: str) -> Response:
        signed = await run_in_threadpool(console.require, request)
        device = await run_in_threadpool(_device, device_id)
        return console.render(request, "revoke.html", signed, device=device)

    def _device(device_id: str) -> Any:
        try:
            return storage.devices.get(check_device_id(device_id))
        except (ValidationError, NotFound):
            raise Refused(404, "There is no such laptop.") from None

    @route("POST", "/devices/{device_id}/revoke")
    async def revoke(request: Request, device_id: str) -> Response:
        signed = await run_in_threadpool(console.require, request)
        form = await console.checked_form(request, signed)
        device = await run_in_threadpool(_device, device_id)
        if _text(form, "confirm", 40) != "revoke":
            raise Refused(400, "Tick the box to confirm the revocation.")
        if device.revoked:
            raise Refused(409, f"That laptop was already revoked at {device.revoked_at}.")

        def do() -> None:
            now = clock()
            order = keys.make_wipe_order(settings, device.device_id, now)
            storage.devices.revoke(
                device.device_id, order, now, audit=signed.audit("revoke", device.device_id)
            )

        await run_in_threadpool(do)
        return redirect("/devices?done=revoked")

    # --- enrollment codes ---------------------------------------------------------------

    @route("GET", "/codes")
    async def codes(request: Request) -> Response:
        signed = await run_in_threadpool(console.require, request)
        teams = await run_in_threadpool(_teams)
        return console.render(request, "codes.html", signed, teams=sorted(teams), problem=None)

    @route("POST", "/codes")
    async def code_create(request: Request) -> Response:
        signed = await run_in_threadpool(console.require, request)
        form = await console.checked_form(request, signed)
        kind = _text(form, "kind", 20)
        hours = _int(form.get("hours", "72"), 72, 1, MAX_CODE_HOURS)
        team_text, name = _text(form, "team", 64), _text(form, "name", 100)

        def issue() -> tuple[str, str, str]:
            now = clock()
            key = load_code_key(settings)
            valid = timedelta(hours=hours)
            if kind == "supervisor":
                team = check_team(team_text, allow_none=False)
                audit = signed.audit("supervisor-invite", team, f"{name}, valid {hours} h")
                code, expires = issue_supervisor_invite(
                    storage, name=name, team=team, now=now, key=key, valid_for=valid, audit=audit
                )
            else:
                team = check_team(team_text)
                audit = signed.audit("enroll", team, f"device code valid for {hours} h")
                code, expires = issue_enrollment_code(
                    storage, now, valid, key=key, team=team, audit=audit
                )
            return code, expires, team

        try:
            code, expires, team = await run_in_threadpool(issue)
        except PeerDeskError as exc:
            teams = await run_in_threadpool(_teams)
            return console.render(
                request, "codes.html", signed, status=422, teams=sorted(teams), problem=str(exc)
            )
        return console.render(
            request,
            "code_sheet.html",
            signed,
            code=code,
            expires=expires,
            team=team,
            kind="supervisor" if kind == "supervisor" else "device",
            name=name,
            agency_url=settings.public_url,
        )

    def _teams() -> set[str]:
        teams = {d.device.team for d in storage.devices.summaries() if d.device.team}
        return teams | {s.team for s in storage.supervisors.all()}

    # --- supervisors and teams ----------------------------------------------------------

    @route("GET", "/teams")
    async def teams(request: Request) -> Response:
        signed = await run_in_threadpool(console.require, request)

        def read() -> dict[str, Any]:
            summaries = storage.devices.summaries()
            people = storage.supervisors.all()
            names = sorted({s.device.team for s in summaries} | {p.team for p in people})
            out = []
            for name in names:
                laptops = [s.device for s in summaries if s.device.team == name]
                out.append(
                    {
                        "team": name,
                        "laptops": sum(1 for d in laptops if not d.revoked),
                        "revoked": sum(1 for d in laptops if d.revoked),
                        "supervisors": [p for p in people if p.team == name],
                    }
                )
            return {"teams": out}

        return console.render(request, "teams.html", signed, **await run_in_threadpool(read))

    # --- the audit log ------------------------------------------------------------------

    def _audit_filter(request: Request) -> dict[str, str]:
        q = request.query_params
        return {
            "action": q.get("action", "").strip()[:32],
            "actor": q.get("actor", "").strip()[:100],
            "since": _day(q.get("since", "")),
            "until": _day(q.get("until", "")),
        }

    def _day(value: str) -> str:
        value = value.strip()[:10]
        return value if len(value) == 10 and value[4] == "-" and value[7] == "-" else ""

    def _audit_rows(
        f: dict[str, str], limit: int = AUDIT_LIMIT, before_seq: int | None = None
    ) -> list[Any]:
        until = ""
        if f["until"]:  # the whole "until" day is in
            try:
                day = date.fromisoformat(f["until"]) + timedelta(days=1)
            except ValueError:
                day = None
            until = day.isoformat() if day else ""
        return storage.audit.search(
            action=f["action"],
            actor=f["actor"],
            since=f["since"],
            until=until,
            limit=limit,
            before_seq=before_seq,
        )

    @route("GET", "/audit")
    async def audit(request: Request) -> Response:
        signed = await run_in_threadpool(console.require, request)
        f = _audit_filter(request)
        rows, actions = await run_in_threadpool(lambda: (_audit_rows(f), storage.audit.actions()))
        template = "audit_table.html" if _partial(request) else "audit.html"
        return console.render(
            request, template, signed, rows=rows, actions=actions, f=f, limit=AUDIT_LIMIT
        )

    @route("GET", "/audit.csv")
    async def audit_csv(request: Request) -> Response:
        signed = await run_in_threadpool(console.require, request)
        f = _audit_filter(request)
        del signed

        def line(row: list[Any]) -> str:
            out = io.StringIO()
            csv.writer(out).writerow(row)
            return out.getvalue()

        async def lines() -> AsyncIterator[str]:
            """Every matching entry, newest first, a page at a time (no page limit)."""
            yield line(["seq", "at", "actor", "action", "target", "detail"])
            sent, before = 0, None
            while sent < EXPORT_LIMIT:
                size = min(EXPORT_PAGE, EXPORT_LIMIT - sent)
                page = await run_in_threadpool(_audit_rows, f, size, before)
                for r in page:
                    yield line(
                        [
                            r.seq,
                            r.at,
                            *(_csv_cell(v) for v in (r.actor, r.action, r.target, r.detail)),
                        ]
                    )
                sent += len(page)
                if len(page) < size:
                    return
                before = page[-1].seq
            more = await run_in_threadpool(_audit_rows, f, 1, before)
            if more:
                yield line(
                    ["", "", "", "truncated", "", f"the export stops at {EXPORT_LIMIT} rows"]
                )

        stamp = to_iso(clock())[:10]
        return secure(
            StreamingResponse(
                lines(),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'},
            )
        )

    return router

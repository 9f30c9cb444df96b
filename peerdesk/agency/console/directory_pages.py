"""The console's directory pages: the published versions, an HSDS JSON file
uploaded and previewed as the diff from the published directory (the publication
plan of :func:`peerdesk.agency.directory.plan_publication`, the same as
``directory import --dry-run``), then published; and the peers' suggested
corrections, as metadata.

A suggested correction is a sealed record: its text opens only with the review
keys (the supervisor passphrase), which the server never holds. The console lists
when each arrived, from which laptop, and what was decided; reading and deciding
stay with ``peerdesk-agency directory corrections|accept|dismiss``.

The uploaded file waits for the "Publish" click in the agency directory
(``console-uploads/``, 0600, named after the session, deleted after an hour);
publishing plans it again and refuses when the published version moved on since
the preview. The console offers no override of a refused plan (removing more
than the allowed share, an empty directory): that stays a deliberate CLI flag.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from peerdesk.agency import keys
from peerdesk.agency.bodies import TooLarge, TooSlow, read_capped, replaying
from peerdesk.agency.console.web import PREFIX, Console, Refused, redirect
from peerdesk.agency.directory import Plan, plan_publication, publish_plan
from peerdesk.errors import PeerDeskError
from peerdesk.interop import hsds

#: the largest file the console takes (the API's body cap for this route)
MAX_UPLOAD_BYTES = 16 * 1024 * 1024
UPLOAD_PATH = f"{PREFIX}/directory/preview"
KEEP_UPLOAD_S = 3600
#: names listed per group before "... and N more"
SHOWN = 50
_TOKEN = re.compile(r"[0-9a-f]{32}")


def _uploads(console: Console) -> Path:
    folder = console.settings.directory / "console-uploads"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _upload_path(console: Console, id_hash: bytes, token: str) -> Path:
    if not _TOKEN.fullmatch(token):
        raise Refused(400, "That preview is unknown; upload the file again.")
    return _uploads(console) / f"{id_hash.hex()[:16]}-{token}.json"


def _forget_old(folder: Path) -> None:
    limit = time.time() - KEEP_UPLOAD_S
    for path in folder.glob("*.json"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


def _plan_of(console: Console, path: Path, name: str) -> Plan:
    imported = hsds.import_json(path.read_bytes(), source=name)
    return plan_publication(console.storage, imported)


def directory_router(console: Console) -> APIRouter:
    router = APIRouter(prefix=PREFIX, include_in_schema=False)
    storage = console.storage

    async def guarded(request: Request, work: Any) -> Response:
        try:
            answer: Response = await work()
            return answer
        except Refused as exc:
            return await run_in_threadpool(console.refused, request, exc)

    @router.get("/directory")
    async def directory(request: Request) -> Response:
        async def work() -> Response:
            signed = await run_in_threadpool(console.require, request)
            history = await run_in_threadpool(storage.directory.history)
            return console.render(
                request,
                "directory.html",
                signed,
                history=list(reversed(history)),
                max_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
                done=request.query_params.get("done") == "published",
            )

        return await guarded(request, work)

    @router.post("/directory/preview")
    async def preview(request: Request) -> Response:
        async def work() -> Response:
            # the session first: without one, no body is read
            signed = await run_in_threadpool(console.require, request)
            console.check_origin_and_role(request, signed, change=True)
            try:
                body = await read_capped(
                    request, MAX_UPLOAD_BYTES + 64 * 1024, console.settings.body_read_timeout_s
                )
            except TooLarge:
                raise Refused(413, "The file is too large for the console; use the CLI.") from None
            except TooSlow:
                raise Refused(408, "The file did not arrive in time; try again.") from None
            if body is None:
                return Response(status_code=400)
            form = await console.checked_form(
                Request(request.scope, replaying(body, request.receive)),
                signed,
                max_files=1,
                max_fields=5,
                max_part_size=MAX_UPLOAD_BYTES,
            )
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise Refused(400, "Choose an HSDS JSON file to preview.")
            data = await upload.read(MAX_UPLOAD_BYTES + 1)
            if len(data) > MAX_UPLOAD_BYTES:
                raise Refused(413, "The file is too large for the console; use the CLI.")
            name = Path(upload.filename or "directory.json").name[:100] or "directory.json"
            token = os.urandom(16).hex()
            path = _upload_path(console, signed.id_hash, token)

            def save_and_plan() -> Plan:
                _forget_old(path.parent)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                try:
                    return _plan_of(console, path, name)
                except BaseException:
                    path.unlink(missing_ok=True)
                    raise

            try:
                plan = await run_in_threadpool(save_and_plan)
            except PeerDeskError as exc:
                raise Refused(422, f"The file cannot be published: {exc}") from None
            return console.render(
                request,
                "directory_preview.html",
                signed,
                plan=plan,
                name=name,
                token=token,
                shown=SHOWN,
                skipped=[p for p in plan.problems if not p.kept],
                kept=[p for p in plan.problems if p.kept],
            )

        return await guarded(request, work)

    @router.post("/directory/publish")
    async def publish(request: Request) -> Response:
        async def work() -> Response:
            signed = await run_in_threadpool(console.require, request)
            form = await console.checked_form(request, signed)
            path = _upload_path(console, signed.id_hash, str(form.get("token", "")))
            name = str(form.get("name", "directory.json"))[:100]
            base = str(form.get("base", ""))

            def do() -> None:
                if not path.is_file():
                    raise Refused(410, "That preview expired; upload the file again.")
                plan = _plan_of(console, path, name)
                if str(plan.base_version or "") != base:
                    raise Refused(
                        409, "The published directory changed since the preview: preview again."
                    )
                signer = keys.load_signing(console.settings)
                publish_plan(
                    storage, plan, signer, console.clock(), actor=signed.actor, source=name
                )
                path.unlink(missing_ok=True)

            try:
                await run_in_threadpool(do)
            except PeerDeskError as exc:
                raise Refused(422, f"Not published: {exc}") from None
            return redirect("/directory?done=published")

        return await guarded(request, work)

    @router.get("/corrections")
    async def corrections(request: Request) -> Response:
        async def work() -> Response:
            signed = await run_in_threadpool(console.require, request)
            rows = await run_in_threadpool(_correction_rows, console)
            return console.render(request, "corrections.html", signed, rows=rows)

        return await guarded(request, work)

    return router


def _correction_rows(console: Console, limit: int = 2000) -> list[dict[str, Any]]:
    """Every suggested correction's metadata (never its sealed text), newest first."""
    storage = console.storage
    decisions = storage.corrections.decisions()
    labels = {s.device.device_id: s.device for s in storage.devices.summaries()}
    rows: list[dict[str, Any]] = []
    after = 0
    while len(rows) < limit:
        batch = storage.records.find(kinds=("correction",), after_seq=after, limit=500)
        if not batch:
            break
        after = batch[-1].seq
        for record in batch:
            device = labels.get(record.device_id)
            rows.append(
                {
                    "seq": record.seq,
                    "received_at": record.received_at,
                    "device": device.label if device else record.device_id,
                    "team": device.team if device else "",
                    "decision": decisions.get(record.seq),
                }
            )
    return list(reversed(rows[:limit]))

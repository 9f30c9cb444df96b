"""The directory download of the agency API (issue 17): which signed manifest a
laptop at a given version gets, and the content-addressed chunks.

Every publication stores, beside the version, a **full** download (the whole
directory) and, from the second version on, a **delta** download (the changes
from the version before), each a signed manifest and its zstd chunks
(:mod:`peerdesk.wire.directory_chunks`, :func:`downloads`).

``GET /v1/directory/manifest?have=N`` (a device's credential) answers 204 when
``N`` is the newest version; otherwise the manifest of the next step: the delta
from ``N`` when the laptop has a published version not more than
:data:`MAX_DELTA_STEPS` behind and the deltas up to the newest weigh less than
the full download; the full download of the newest version otherwise (a laptop
with no published version, the seed's 0, or too far behind). The laptop
applies it and asks again. ``GET /v1/directory/chunks/{sha256}`` answers one
chunk (immutable: named by its hash).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from peerdesk.agency.models import Device
from peerdesk.agency.storage import Storage
from peerdesk.agency.storage.directory import Download, ManifestRow
from peerdesk.crypto.seal import SigningKeyPair
from peerdesk.domain.directory import Dataset, DirectoryDelta, DirectorySnapshot
from peerdesk.errors import PeerDeskError
from peerdesk.wire.directory_chunks import CHUNKS_PATH, MANIFEST_PATH, make_parts

#: a laptop more versions behind than this takes the full download
MAX_DELTA_STEPS = 30
_HASH = re.compile(r"[0-9a-f]{64}")
_DIGITS = re.compile(r"[0-9]{1,18}")


def downloads(
    signer: SigningKeyPair,
    dataset: Dataset,
    delta: DirectoryDelta | None,
    *,
    version: int,
    issued_at: str,
) -> list[Download]:
    """The full download of ``dataset`` as ``version`` and, with ``delta``, the
    delta download, signed with ``signer``."""
    full = make_parts(signer, DirectorySnapshot(version, dataset, issued_at))
    out = [Download("full", full.signed, full.chunks)]
    if delta is not None:
        part = make_parts(signer, delta)
        out.append(Download("delta", part.signed, part.chunks))
    return out


def next_step(rows: Sequence[ManifestRow], have: int) -> tuple[int, str] | None:
    """Which manifest a laptop at version ``have`` takes next (version, kind), from
    the manifests of the versions after it; None: it is up to date."""
    if not rows:
        return None
    newest = max(r.version for r in rows)
    full = {r.version: r.wire_bytes for r in rows if r.kind == "full"}
    deltas = {r.version: r.wire_bytes for r in rows if r.kind == "delta"}
    steps = range(have + 1, newest + 1)
    if (
        have >= 1
        and newest - have <= MAX_DELTA_STEPS
        and all(v in deltas for v in steps)
        and sum(deltas[v] for v in steps) < full.get(newest, 0)
    ):
        return have + 1, "delta"
    if newest in full:
        return newest, "full"
    return None


def manifest_for(storage: Storage, have: int) -> bytes | None:
    step = next_step(storage.directory.manifests_after(have), have)
    return storage.directory.manifest(*step) if step is not None else None


def directory_router(
    storage: Storage,
    authenticate: Callable[[list[str]], Device],
    *,
    failed: Callable[[PeerDeskError, str], JSONResponse],
    refuse: Callable[[int, str, str], JSONResponse],
    errors: Callable[..., dict[int | str, dict[str, Any]]],
) -> APIRouter:
    """The two routes, each behind a device's credential (``authenticate``: the
    server's check; ``failed``/``refuse``: the app's JSON error answers)."""
    router = APIRouter(tags=["sync"])
    binary = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
    security: dict[str, Any] = {"security": [{"deviceCredential": []}]}

    async def _refused(request: Request) -> Response | None:
        try:
            device = await run_in_threadpool(authenticate, request.headers.getlist("authorization"))
        except PeerDeskError as exc:
            return failed(exc, "directory download")
        if device.revoked:
            return refuse(403, "revoked", "this laptop was revoked")
        return None

    @router.get(
        MANIFEST_PATH,
        response_class=Response,
        responses={
            200: {"description": "the signed manifest", "content": binary},
            204: {"description": "this version is the newest"},
            **errors(401, 403, 422),
        },
        openapi_extra=security,
    )
    async def manifest(
        request: Request, have: Annotated[str, Query(pattern=r"^[0-9]{1,18}$")] = "0"
    ) -> Response:
        """The signed manifest a laptop at directory version ``have`` takes next
        (204: it has the newest)."""
        refused = await _refused(request)
        if refused is not None:
            return refused
        if not _DIGITS.fullmatch(have):
            return refuse(422, "invalid", "have must be a directory version number")
        blob = await run_in_threadpool(manifest_for, storage, int(have))
        if blob is None:
            return Response(status_code=204)
        return Response(blob, media_type="application/octet-stream")

    @router.get(
        CHUNKS_PATH + "/{chunk_hash}",
        response_class=Response,
        responses={
            200: {"description": "one compressed chunk", "content": binary},
            **errors(401, 403, 404, 422),
        },
        openapi_extra=security,
    )
    async def chunk(
        request: Request, chunk_hash: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]
    ) -> Response:
        """One compressed chunk, by the SHA-256 (hex) of its bytes."""
        refused = await _refused(request)
        if refused is not None:
            return refused
        if not _HASH.fullmatch(chunk_hash):
            return refuse(422, "invalid", "a chunk is named by 64 hex characters")
        data = await run_in_threadpool(storage.directory.chunk, chunk_hash)
        if data is None:
            return refuse(404, "not_found", "no such directory chunk")
        return Response(
            data,
            media_type="application/octet-stream",
            headers={"Cache-Control": "public, max-age=31536000, immutable"},
        )

    return router

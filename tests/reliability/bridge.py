"""A laptop's HTTP client talking to the real agency app in-process: an httpx
transport that hands each request to an :class:`tests.agency.support.ASGIClient`
(so the full FastAPI app answers: body limits, rate limits, error mapping)."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.agency.support import ASGIClient

#: the request headers the agency reads
FORWARDED = ("content-type", "authorization", "content-length", "peerdesk-client")


def forward(client: ASGIClient, request: httpx.Request) -> httpx.Response:
    answer = client.request(
        request.method,
        request.url.path,
        params=request.url.params,
        content=request.read() or None,
        headers={k: v for k, v in request.headers.items() if k in FORWARDED},
    )
    return httpx.Response(
        answer.status_code,
        headers={k: v for k, v in answer.headers.items() if k in ("content-type", "retry-after")},
        content=answer.content,
    )


def asgi_transport(client: ASGIClient | Callable[[], ASGIClient]) -> httpx.MockTransport:
    """A transport for ``Session.enroll``/``Session.sync`` that reaches ``client``
    (or whatever client the callable returns now, for an agency that restarts)."""

    def handle(request: httpx.Request) -> httpx.Response:
        return forward(client if isinstance(client, ASGIClient) else client(), request)

    return httpx.MockTransport(handle)

"""The one HTTP core every call to the agency goes through (httpx).

Errors, drawn like httpx's own tree::

    AgencyUnreachable   no route, DNS, connect/read/write/pool timeout, TLS failure,
                        connection cut, redirect (a sign-in page), HTTP 408/425/429/5xx
    AgencyRejected      any other 4xx: .status and the agency's .code (401
                        "unauthorized", 403 "bad_signature"/"bad_code", 409
                        "device_exists"/"in_flight", 413, 415, 422 ...)
    ProtocolError       a 2xx answer that cannot be read, or one over the size cap
    ConfigError         an agency URL or CA certificate that cannot be used

Only ``https://`` is used, except plain ``http://`` to 127.0.0.1/localhost (the
demo and the tests). With a CA PEM from provisioning, TLS trusts that CA only.
Timeouts are split so a slow 2G upload is not cut by a short connect timeout.
Bodies are read with a size cap. Nothing here logs a body, a key or the
credential. The endpoints are in :mod:`peerdesk.link.client`.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Mapping
from typing import Any, Self

import httpx

from peerdesk import __version__
from peerdesk.config import check_agency_url
from peerdesk.errors import (
    AgencyRejected,
    AgencyUnreachable,
    ConfigError,
    Msg,
    ProtocolError,
)

#: connect / read / write / pool, in seconds. A 256 KiB batch over a 35 kbit/s
#: uplink takes about a minute; httpx applies the write timeout per write.
DEFAULT_TIMEOUTS = httpx.Timeout(connect=20.0, read=90.0, write=90.0, pool=10.0)
#: the largest JSON answer (ping, enroll, keys, devices, decisions)
MAX_JSON_BYTES = 256 * 1024
RETRYABLE_STATUS = frozenset({408, 425, 429})
JSON = "application/json"


def _tls_context(ca_pem: str) -> ssl.SSLContext:
    try:
        return ssl.create_default_context(cadata=ca_pem)
    except (ssl.SSLError, ValueError) as exc:
        raise ConfigError(
            Msg("the agency CA certificate is not usable ({problem})", problem=str(exc))
        ) from None


def cause_in_words(exc: httpx.HTTPError) -> str:
    """An httpx failure in words a peer (and a log) can read; no body, no secret."""
    text = str(exc)[:160]
    if isinstance(exc, httpx.ConnectTimeout):
        return "the connection could not be opened in time (connect timeout)"
    if isinstance(exc, httpx.ReadTimeout):
        return "the agency did not answer in time (read timeout)"
    if isinstance(exc, httpx.WriteTimeout):
        return "sending took too long (write timeout)"
    if isinstance(exc, httpx.PoolTimeout):
        return "no connection was free in time (pool timeout)"
    if isinstance(exc, httpx.TimeoutException):
        return "the network timed out"
    if isinstance(exc, httpx.ConnectError):
        if "CERTIFICATE" in text.upper() or "SSL" in text.upper() or "TLS" in text.upper():
            return f"the agency's TLS certificate could not be verified ({text})"
        return f"could not connect to the agency ({text or 'no network'})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the connection was cut before the answer was complete"
    if isinstance(exc, httpx.ReadError):
        return "the connection dropped while receiving"
    if isinstance(exc, httpx.WriteError):
        return "the connection dropped while sending"
    if isinstance(exc, httpx.ProxyError):
        return f"the proxy refused the connection ({text})"
    return f"network error ({type(exc).__name__})"


def transient(status: int) -> AgencyUnreachable | None:
    """The error for a status that is worth trying again later (a redirect, the
    agency busy or failing), else None."""
    if 300 <= status < 400:
        return AgencyUnreachable(
            f"the network redirected the request (HTTP {status}); a sign-in page "
            "of a public network may be in the way"
        )
    if status >= 500:
        return AgencyUnreachable(f"the agency server had a problem (HTTP {status})")
    if status in RETRYABLE_STATUS:
        return AgencyUnreachable(f"the agency is busy (HTTP {status})")
    return None


def decode_body(raw: bytes) -> Any:
    """A JSON answer decoded, or None if it cannot be read."""
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None


def rejection(status: int, data: Any) -> AgencyRejected:
    """The :class:`AgencyRejected` for a 4xx answer: the agency's code and detail
    (FastAPI's ``{"detail": {"code", "detail"}}`` too), or ``http_<status>``."""
    code, detail = f"http_{status}", f"HTTP {status}"
    if isinstance(data, dict):
        inner = data.get("detail")
        if isinstance(data.get("code"), str):
            code = data["code"][:64]
        if isinstance(inner, str):
            detail = inner[:500]
        elif isinstance(inner, dict):
            code = str(inner.get("code", code))[:64]
            detail = str(inner.get("detail", detail))[:500]
        elif status == 422:
            detail = "the agency found the request malformed"
    return AgencyRejected(status, code, detail)


class AgencyHttp:
    """One agency, one connection pool. Use as a context manager or call :meth:`close`.

    ``transport`` replaces the network (``httpx.MockTransport`` in unit tests);
    ``credential`` (a device's or a supervisor's) is sent as ``Bearer`` on the
    calls that need it.
    """

    def __init__(
        self,
        base_url: str,
        *,
        ca_pem: str | None = None,
        credential: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeouts: httpx.Timeout = DEFAULT_TIMEOUTS,
    ) -> None:
        self.base_url = check_agency_url(base_url)
        self._credential = credential
        verify: ssl.SSLContext | bool = _tls_context(ca_pem) if ca_pem else True
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeouts,
            verify=verify,
            transport=transport,
            follow_redirects=False,
            trust_env=transport is None,
            headers={"User-Agent": f"PeerDesk/{__version__}"},
        )
        #: bytes sent and received in request and response bodies, for the status
        self.bytes_sent = 0
        self.bytes_received = 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_url!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _bearer(self) -> dict[str, str]:
        if not self._credential:
            raise ConfigError(Msg("the agency client has no credential for this call"))
        return {"Authorization": f"Bearer {self._credential}"}

    def _exchange(
        self,
        method: str,
        path: str,
        *,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        limit: int,
    ) -> tuple[int, str, bytes]:
        """Send one request; return (status, content type, body read up to ``limit``).
        A redirect or a busy or failing agency raises (:func:`transient`); other
        statuses are the caller's to read."""
        try:
            with self._http.stream(method, path, content=content, headers=headers) as resp:
                self.bytes_sent += len(content or b"")
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise ProtocolError(f"the agency's answer is larger than {limit} bytes")
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise ProtocolError(f"the agency's answer is larger than {limit} bytes")
                    chunks.append(chunk)
                self.bytes_received += size
                status, ctype = resp.status_code, resp.headers.get("content-type", "")
        except httpx.UnsupportedProtocol as exc:
            raise ConfigError(
                Msg("the agency URL is not usable ({problem})", problem=str(exc))
            ) from None
        except httpx.HTTPError as exc:
            raise AgencyUnreachable(cause_in_words(exc)) from None
        failure = transient(status)
        if failure is not None:
            raise failure
        return status, ctype, b"".join(chunks)

    def _call(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
        *,
        limit: int = MAX_JSON_BYTES,
        auth: bool = True,
    ) -> Any:
        """One request with a JSON body (or none); the decoded JSON answer. See
        the module docstring for the errors."""
        headers = {"Accept": JSON}
        if auth:
            headers.update(self._bearer())
        content = None
        if body is not None:
            content = json.dumps(dict(body)).encode()
            headers["Content-Type"] = JSON
        status, _, raw = self._exchange(method, path, content=content, headers=headers, limit=limit)
        data = decode_body(raw)
        if status >= 400:
            raise rejection(status, data)
        if data is None:
            raise ProtocolError(f"the answer to {path.split('?')[0]} is not readable")
        return data


__all__ = ["DEFAULT_TIMEOUTS", "MAX_JSON_BYTES", "AgencyHttp"]

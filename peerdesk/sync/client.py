"""The device's HTTP client for the agency (httpx, sync contract v1).

Errors, drawn like httpx's own tree::

    AgencyUnreachable   no route, DNS, connect/read/write/pool timeout, TLS failure,
                        connection cut, redirect (a sign-in page), HTTP 408/429/5xx
    AgencyRejected      any other 4xx: .status and the agency's .code (401
                        "unauthorized", 403 "bad_signature"/"bad_code", 409
                        "device_exists"/"in_flight", 413, 415, 422 ...)
    RevokedByAgency     403 "revoked" (a DeviceRevoked) with the signed wipe order
                        bytes, if any, in .wipe_order; the engine verifies it
    ProtocolError       a 2xx answer that does not follow the protocol

Only ``https://`` is used, except plain ``http://`` to 127.0.0.1/localhost (the
demo and the tests). With a CA PEM from provisioning, TLS trusts that CA only.
Timeouts are split so a slow 2G upload is not cut by a short connect timeout.
Bodies are read with a size cap. Nothing here logs a body, a key or the
credential.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from peerdesk import __version__
from peerdesk.config import check_agency_url
from peerdesk.crypto.seal import MAX_DOCUMENT
from peerdesk.errors import (
    AgencyRejected,
    AgencyUnreachable,
    ConfigError,
    DeviceRevoked,
    ProtocolError,
)
from peerdesk.sync.protocol import (
    CONTENT_TYPE,
    SyncResponse,
    decode_error,
    decode_response,
)

#: connect / read / write / pool, in seconds. A 256 KiB batch over a 35 kbit/s
#: uplink takes about a minute; httpx applies the write timeout per write.
DEFAULT_TIMEOUTS = httpx.Timeout(connect=20.0, read=90.0, write=90.0, pool=10.0)
#: the largest answer read from /v1/sync (500 inbound items plus slack)
MAX_RESPONSE_BYTES = 32 * 1024 * 1024
#: the largest JSON answer (ping, enroll)
MAX_JSON_BYTES = 256 * 1024
RETRYABLE_STATUS = frozenset({408, 425, 429})


class RevokedByAgency(DeviceRevoked):
    """The agency answered 403 "revoked". ``wipe_order`` is the signed wipe order
    it sent (unverified bytes, or ``None``); nothing has been erased yet."""

    def __init__(self, detail: str, wipe_order: bytes | None) -> None:
        self.wipe_order = wipe_order
        super().__init__(f"the agency revoked this laptop: {detail}")


@dataclass(frozen=True, slots=True)
class PingInfo:
    ok: bool
    protocol: int
    agency: str


@dataclass(frozen=True, slots=True)
class Enrollment:
    """What ``POST /v1/enroll`` returned. ``bundle`` is not verified yet."""

    device_id: str
    credential: str = field(repr=False)
    bundle: bytes


def _tls_context(ca_pem: str) -> ssl.SSLContext:
    try:
        return ssl.create_default_context(cadata=ca_pem)
    except (ssl.SSLError, ValueError) as exc:
        raise ConfigError(f"the agency CA certificate is not usable ({exc})") from None


def _cause(exc: httpx.HTTPError) -> str:
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


class AgencyClient:
    """One agency, one connection pool. Use as a context manager or call :meth:`close`.

    ``transport`` replaces the network (``httpx.MockTransport`` in unit tests);
    ``credential`` is needed for :meth:`sync` only.
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
        return f"AgencyClient({self.base_url!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> AgencyClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing --------------------------------------------------------------------------

    def _exchange(
        self,
        method: str,
        path: str,
        *,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        limit: int,
    ) -> tuple[int, str, bytes]:
        """Send one request; return (status, content type, body read up to ``limit``)."""
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
                return resp.status_code, resp.headers.get("content-type", ""), b"".join(chunks)
        except httpx.UnsupportedProtocol as exc:
            raise ConfigError(f"the agency URL is not usable ({exc})") from None
        except httpx.HTTPError as exc:
            raise AgencyUnreachable(_cause(exc)) from None

    @staticmethod
    def _transient(status: int) -> AgencyUnreachable | None:
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

    def _json(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        content = None if body is None else json.dumps(body).encode()
        headers = {"Accept": "application/json"}
        if content is not None:
            headers["Content-Type"] = "application/json"
        status, _, raw = self._exchange(
            method, path, content=content, headers=headers, limit=MAX_JSON_BYTES
        )
        transient = self._transient(status)
        if transient is not None:
            raise transient
        try:
            data = json.loads(raw) if raw else None
        except (ValueError, UnicodeDecodeError):
            data = None
        if status >= 400:
            code, detail = f"http_{status}", f"HTTP {status}"
            if isinstance(data, dict):
                if isinstance(data.get("code"), str):
                    code = data["code"][:64]
                if isinstance(data.get("detail"), str):
                    detail = data["detail"][:500]
                elif status == 422:
                    detail = "the agency found the request malformed"
            raise AgencyRejected(status, code, detail)
        if data is None:
            raise ProtocolError(f"the answer to {path} is not JSON")
        return data

    # -- API -------------------------------------------------------------------------------

    def ping(self) -> PingInfo:
        """``GET /v1/ping``: a cheap probe (no auth)."""
        data = self._json("GET", "/v1/ping")
        if not isinstance(data, dict) or not isinstance(data.get("agency"), str):
            raise ProtocolError("the ping answer has the wrong shape")
        proto = data.get("protocol")
        if not isinstance(proto, int) or isinstance(proto, bool):
            raise ProtocolError("the ping answer has no protocol version")
        return PingInfo(data.get("ok") is True, proto, data["agency"][:200])

    def bundle(self) -> bytes:
        """``GET /v1/bundle``: the signed key bundle (verify it with the root key)."""
        status, _, raw = self._exchange("GET", "/v1/bundle", limit=MAX_DOCUMENT)
        transient = self._transient(status)
        if transient is not None:
            raise transient
        if status >= 400:
            raise AgencyRejected(status, f"http_{status}", "the agency did not give its keys")
        return raw

    def enroll(
        self, *, code: str, device_id: str, label: str, sign_pub: bytes, box_pub: bytes
    ) -> Enrollment:
        """``POST /v1/enroll`` with a one-time code. The bundle is returned unverified."""
        data = self._json(
            "POST",
            "/v1/enroll",
            {
                "code": code,
                "device_id": device_id,
                "label": label,
                "sign_pub": sign_pub.hex(),
                "box_pub": box_pub.hex(),
            },
        )
        if not isinstance(data, dict):
            raise ProtocolError("the enrollment answer has the wrong shape")
        did, cred, bundle = data.get("device_id"), data.get("credential"), data.get("bundle")
        if not isinstance(did, str) or not isinstance(cred, str) or not isinstance(bundle, str):
            raise ProtocolError("the enrollment answer has the wrong shape")
        if not 32 <= len(cred) <= 512 or not cred.isascii() or not cred.isprintable():
            raise ProtocolError("the enrollment answer holds an unusable credential")
        try:
            raw_bundle = bytes.fromhex(bundle)
        except ValueError:
            raise ProtocolError("the enrollment answer's key bundle is not hex") from None
        return Enrollment(did, cred, raw_bundle)

    def sync(self, body: bytes) -> SyncResponse:
        """``POST /v1/sync`` with an encoded, signed batch; the decoded answer."""
        if not self._credential:
            raise ConfigError("the sync client has no device credential")
        status, ctype, raw = self._exchange(
            "POST",
            "/v1/sync",
            content=body,
            headers={
                "Content-Type": CONTENT_TYPE,
                "Accept": CONTENT_TYPE,
                "Authorization": f"Bearer {self._credential}",
            },
            limit=MAX_RESPONSE_BYTES,
        )
        if 200 <= status < 300:
            if ctype.startswith("text/html"):
                raise AgencyUnreachable(
                    "the answer came from a web page, not the agency; a sign-in page of a "
                    "public network may be in the way"
                )
            return decode_response(raw)
        transient = self._transient(status)
        if transient is not None:
            raise transient
        try:
            err = decode_error(raw)
            code, detail, wipe = err.code, err.detail, err.wipe
        except ProtocolError:
            code, detail, wipe = f"http_{status}", f"HTTP {status}", None
        if status == 403 and code == "revoked":
            raise RevokedByAgency(detail, wipe)
        raise AgencyRejected(status, code, detail)


__all__ = [
    "DEFAULT_TIMEOUTS",
    "AgencyClient",
    "Enrollment",
    "PingInfo",
    "RevokedByAgency",
]

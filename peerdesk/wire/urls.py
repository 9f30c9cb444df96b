"""The agency URL rules, shared by the laptop (``agency_url``) and the agency
(``public_url``): ``https://`` anywhere, plain ``http://`` only to this computer."""

from __future__ import annotations

from urllib.parse import urlsplit

from peerdesk.errors import ConfigError, Msg

#: the hosts plain ``http://`` may go to (the demo agency, tests)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def check_service_url(url: object, *, name: str, path: str | None = None) -> str:
    """Return ``url`` without a trailing slash if it may carry sync traffic:
    ``https://`` anywhere, plain ``http://`` only to this computer (demo, tests).
    ``name`` is the setting's name for the messages. Raises :class:`ConfigError`
    otherwise. Shared by the laptop (``agency_url``) and the agency (``public_url``)."""
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(
            Msg("{name} must be a URL such as https://agency.example.org", name=name), path=path
        )
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise ConfigError(
            Msg("{name} is not a valid URL ({problem})", name=name, problem=str(exc)), path=path
        ) from None
    if parts.scheme not in ("https", "http") or not host:
        raise ConfigError(
            Msg("{name} must start with https:// and name a host", name=name), path=path
        )
    if parts.scheme == "http" and host not in LOOPBACK_HOSTS:
        raise ConfigError(
            Msg(
                "{name} must use https:// (plain http is only allowed to 127.0.0.1 or localhost, for the demo)",
                name=name,
            ),
            path=path,
        )
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ConfigError(
            Msg("{name} must not carry a user name, password, query or fragment", name=name),
            path=path,
        )
    return url.rstrip("/")


def check_agency_url(url: object, *, path: str | None = None) -> str:
    """The laptop's ``agency_url`` (see :func:`check_service_url`)."""
    return check_service_url(url, name="agency_url", path=path)

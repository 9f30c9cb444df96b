"""Where an agency lives: one directory with ``agency.toml``, its keys and (by
default) its SQLite database.

::

    <agency dir>/
      agency.toml          name, public_url; optional: database_url,
                           forwarded_allow_ips, sync_body_slots,
                           body_read_timeout_s, metrics_allow_ips
      agency.db            the SQLite database (default database_url)
      enrollment-code.key  the key of the enrollment codes' hashes (made by init)
      keys/                root.key, signing.key, review-<key id>.key, recovery.pub
      logs/                peerdesk.log (refusals as JSON lines)
      recovery-key.json    the passphrase-wrapped recovery key: move it offline after init

Everything in it is the service account's only: directories 0700, files 0600
(:mod:`peerdesk.agency.files`).

``forwarded_allow_ips``: the addresses of the reverse proxies whose
``X-Forwarded-For`` is believed (a list of IP addresses or networks; default
none: the header is ignored and the client is the connection's address).
``sync_body_slots``: how many sync bodies one worker reads and processes at once
(default 8; up to 8 per slot more wait, unread, up to 10 s; beyond that the
answer is 503 ``busy`` with ``Retry-After``); one device holds at most
:data:`PER_DEVICE_BODY_SLOTS` of them (holding or waiting) at once, a further one
is 503 ``busy`` at once. ``body_read_timeout_s``: how long a request body may take
to arrive whole (default 240 s: a 256 KiB batch over 2G); a slower one is answered 408 ``timeout`` and
its slot is freed (a client that sends headers and then trickles its body cannot
hold a slot longer than that). ``metrics_allow_ips``: who may read ``GET
/metrics`` (addresses or networks; default loopback only; see
:mod:`peerdesk.agency.metrics`).

The directory comes from ``--dir`` or the environment variable
``PEERDESK_AGENCY_DIR``. ``PEERDESK_AGENCY_DATABASE_URL`` overrides the database URL
(so a PostgreSQL password can live in the service environment, not in a file).
"""

from __future__ import annotations

import ipaddress
import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from peerdesk.errors import ConfigError
from peerdesk.wire.urls import check_service_url

ENV_DIR = "PEERDESK_AGENCY_DIR"
ENV_DATABASE_URL = "PEERDESK_AGENCY_DATABASE_URL"
SETTINGS_FILE = "agency.toml"
MAX_NAME = 200
KNOWN = frozenset(
    {
        "name",
        "public_url",
        "database_url",
        "forwarded_allow_ips",
        "sync_body_slots",
        "body_read_timeout_s",
        "metrics_allow_ips",
    }
)
DEFAULT_BODY_SLOTS = 8
#: who may read GET /metrics unless agency.toml says otherwise: loopback only
DEFAULT_METRICS_ALLOW = ("127.0.0.0/8", "::1/128")
#: how many body slots one device may hold (or wait for) at once
PER_DEVICE_BODY_SLOTS = 2
#: how long a whole request body may take to arrive, in seconds: the slowest link
#: PeerDesk is built for (2G, 32 kbit/s up) moves a laptop's default 256 KiB batch
#: in about 66 s, so 240 s leaves room for a flaky link's stalls (a trickling
#: laptop still holds at most PER_DEVICE_BODY_SLOTS slots, and no longer)
DEFAULT_BODY_READ_TIMEOUT_S = 240.0


def default_database_url(directory: Path) -> str:
    return f"sqlite:///{directory.resolve() / 'agency.db'}"


def check_public_url(url: object, *, path: str | None = None) -> str:
    """``https://host[:port][/path]``; plain http only to this computer (the demo)."""
    return check_service_url(url, name="public_url", path=path)


def check_database_url(url: object, *, path: str | None = None) -> str:
    if not isinstance(url, str) or not url.strip():
        raise ConfigError("database_url must be a database URL", path=path)
    scheme = url.split(":", 1)[0].lower()
    if not (scheme == "sqlite" or scheme.startswith("sqlite+") or scheme.startswith("postgresql")):
        raise ConfigError(
            "database_url must be sqlite:///path or postgresql+psycopg://user@host/db", path=path
        )
    return url.strip()


def check_forwarded_allow_ips(value: object, *, path: str | None = None) -> tuple[str, ...]:
    """Trusted proxies: IP addresses or networks (a list, or one comma-separated text)."""
    return check_networks(value, "forwarded_allow_ips", path=path)


def check_networks(value: object, what: str, *, path: str | None = None) -> tuple[str, ...]:
    """IP addresses or networks (a list, or one comma-separated text), normalised."""
    if isinstance(value, str):
        value = [v for v in (p.strip() for p in value.split(",")) if v]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{what} must be a list of IP addresses", path=path)
    out = []
    for item in value:
        try:
            out.append(str(ipaddress.ip_network(item.strip(), strict=False)))
        except ValueError:
            raise ConfigError(
                f"{what}: {item[:60]!r} is not an IP address or network", path=path
            ) from None
    return tuple(out)


def _metrics_allow(value: object, *, path: str | None = None) -> tuple[str, ...]:
    return check_networks(value, "metrics_allow_ips", path=path)


def check_body_slots(value: object, *, path: str | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1024:
        raise ConfigError("sync_body_slots must be a whole number from 1 to 1024", path=path)
    return value


def check_body_read_timeout(value: object, *, path: str | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= 600:
        raise ConfigError(
            "body_read_timeout_s must be a number of seconds from 1 to 600", path=path
        )
    return float(value)


def check_name(name: object, *, path: str | None = None) -> str:
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise ConfigError(f"name must be the agency's name (1-{MAX_NAME} characters)", path=path)
    if any(ord(ch) < 32 for ch in name):
        raise ConfigError("name must not contain control characters", path=path)
    return name.strip()


def _toml_string(value: str) -> str:
    # A JSON string without ASCII escaping is a valid TOML basic string: JSON escapes
    # only ", \ and control characters, with escapes TOML also knows.
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class AgencySettings:
    directory: Path
    name: str
    public_url: str
    database_url: str
    forwarded_allow_ips: tuple[str, ...] = ()
    sync_body_slots: int = DEFAULT_BODY_SLOTS
    body_read_timeout_s: float = DEFAULT_BODY_READ_TIMEOUT_S
    metrics_allow_ips: tuple[str, ...] = DEFAULT_METRICS_ALLOW

    @property
    def settings_path(self) -> Path:
        return self.directory / SETTINGS_FILE

    @property
    def keys_dir(self) -> Path:
        return self.directory / "keys"

    @property
    def default_recovery_path(self) -> Path:
        return self.directory / "recovery-key.json"

    @staticmethod
    def resolve_directory(directory: Path | str | None = None) -> Path:
        if directory is None:
            env = os.environ.get(ENV_DIR)
            if not env:
                raise ConfigError(f"no agency directory: pass --dir or set {ENV_DIR}")
            directory = env
        return Path(directory).expanduser().resolve()

    @classmethod
    def load(cls, directory: Path | str | None = None) -> AgencySettings:
        """Read ``agency.toml`` from ``directory`` (or ``$PEERDESK_AGENCY_DIR``)."""
        root = cls.resolve_directory(directory)
        path = root / SETTINGS_FILE
        where = str(path)
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise ConfigError(
                "no agency here: run `peerdesk-agency init` first", path=where
            ) from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read the settings ({exc})", path=where) from None
        unknown = sorted(set(data) - KNOWN)
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(unknown)}", path=where)
        database_url = os.environ.get(ENV_DATABASE_URL) or data.get(
            "database_url", default_database_url(root)
        )
        return cls(
            directory=root,
            name=check_name(data.get("name"), path=where),
            public_url=check_public_url(data.get("public_url"), path=where),
            database_url=check_database_url(database_url, path=where),
            forwarded_allow_ips=check_forwarded_allow_ips(
                data.get("forwarded_allow_ips", []), path=where
            ),
            sync_body_slots=check_body_slots(
                data.get("sync_body_slots", DEFAULT_BODY_SLOTS), path=where
            ),
            body_read_timeout_s=check_body_read_timeout(
                data.get("body_read_timeout_s", DEFAULT_BODY_READ_TIMEOUT_S), path=where
            ),
            metrics_allow_ips=_metrics_allow(
                data.get("metrics_allow_ips", list(DEFAULT_METRICS_ALLOW)), path=where
            ),
        )

    @classmethod
    def create(
        cls,
        directory: Path | str,
        *,
        name: str,
        public_url: str,
        database_url: str | None = None,
    ) -> AgencySettings:
        """Write a new ``agency.toml``; refuses to overwrite one."""
        root = Path(directory).expanduser().resolve()
        settings = cls(
            directory=root,
            name=check_name(name),
            public_url=check_public_url(public_url),
            database_url=check_database_url(database_url or default_database_url(root)),
        )
        lines = [
            "# PeerDesk agency settings (see `peerdesk-agency --help`)",
            f"name = {_toml_string(settings.name)}",
            f"public_url = {_toml_string(settings.public_url)}",
        ]
        if database_url:
            lines.append(f"database_url = {_toml_string(settings.database_url)}")
        try:
            root.mkdir(parents=True, exist_ok=True, mode=0o700)
            # 0600: a database_url may carry a password
            fd = os.open(settings.settings_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write("\n".join(lines) + "\n")
        except FileExistsError:
            raise ConfigError(
                "settings already exist; edit them instead", path=str(settings.settings_path)
            ) from None
        except OSError as exc:
            raise ConfigError(
                f"cannot write the settings ({exc.strerror})", path=str(settings.settings_path)
            ) from None
        return settings

"""The provisioning file: a contract between the agency, which writes it
(``peerdesk-agency provisioning``), and the laptop, which reads it. Its format
lives here, once: the :class:`Provisioning` it describes, the parser (every
problem named by its key) and the TOML writer. Where the file sits on a laptop
and what the desktop makes of its policy stay in :mod:`peerdesk.config`.
"""

from __future__ import annotations

import difflib
import ssl
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from peerdesk.crypto.seal import key_id
from peerdesk.errors import ConfigError, Msg
from peerdesk.wire.urls import check_service_url

# One TOML file per laptop, written by `peerdesk-agency provisioning`, at the
# system path of the OS (see peerdesk.config.system_provisioning_path) or given with
# `peerdesk --provisioning PATH` / PEERDESK_PROVISIONING:
#
#     format = 1
#     [agency]
#     name = "River Valley Peer Services"
#     url = "https://peerdesk.example.org"
#     root_public_key = "<64 hex>"      # the agency root key, pinned
#     root_key_id = "<16 hex>"          # its fingerprint, as `peerdesk-agency init` printed it
#     ca_cert = '''-----BEGIN CERTIFICATE-----...'''   # optional: trust only this CA
#     enrollment_code = "XXXXX-XXXXX"   # optional
#     [policy]                          # optional; every key has a default
#     auto_lock_minutes = 10
#     failed_attempt_limit = 10
#     retention_days = 365
#     metered_sync = false
#     locked = ["auto_lock_minutes", "metered_sync"]
#
# There is no JSON reader any more: the JSON format never left the development
# tree, and a JSON file gets an error that says so.

PROVISIONING_FORMAT = 1
PROVISIONING_FILE = "provisioning.toml"
#: the largest provisioning file read (a CA certificate chain fits many times over)
MAX_PROVISIONING_BYTES = 256 * 1024

#: settings a user may change (user settings file, the Sync screen's metered
#: switch) unless the provisioning file lists them under ``policy.locked``
LOCKABLE_SETTINGS = ("auto_lock_minutes", "metered_sync")
#: policy keys only the agency sets: never read from user settings
AGENCY_ONLY_SETTINGS = ("failed_attempt_limit", "retention_days")
#: (lowest, highest) for the whole-number policy keys
POLICY_RANGES: dict[str, tuple[int, int]] = {
    "auto_lock_minutes": (1, 480),
    "failed_attempt_limit": (3, 100),
    "retention_days": (1, 3650),
}


@dataclass(frozen=True, slots=True)
class ProvisionedPolicy:
    """The ``[policy]`` table of a provisioning file (defaults when left out)."""

    auto_lock_minutes: int = 10
    #: failed unlocks after which the profile's key is destroyed (crypto-erase)
    failed_attempt_limit: int = 10
    #: days synced records stay on the laptop (carried and shown; this version
    #: does not purge yet)
    retention_days: int = 365
    #: sync by itself also on metered (mobile data) connections
    metered_sync: bool = False
    #: settings in :data:`LOCKABLE_SETTINGS` users cannot change
    locked: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Provisioning:
    """The agency a laptop is set up for (see the sync contract, "Provisioning")."""

    agency_name: str
    agency_url: str
    root_public_key: bytes
    root_key_id: str
    ca_cert_pem: str | None = None
    enrollment_code: str | None = field(default=None, repr=False)
    policy: ProvisionedPolicy = field(default_factory=ProvisionedPolicy)


class _Table:
    """One table of the file: hands out its keys by name and complains, naming
    the key, about what is missing, mistyped or unknown."""

    def __init__(self, data: object, prefix: str, known: Sequence[str], path: str | None):
        self.prefix, self.path = prefix, path
        where = Msg("[{prefix}]", prefix=prefix) if prefix else Msg("at the top of the file")
        if not isinstance(data, dict):
            what = (
                Msg("[{prefix}] must be a table", prefix=prefix)
                if prefix
                else Msg("the file must hold key = value lines")
            )
            raise ConfigError(what, path=path)
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            hints: str | None = None
            for key in unknown:
                close = difflib.get_close_matches(key, known, n=1)
                hint = (
                    Msg("{key} (did you mean {close}?)", key=self.key(key), close=close[0])
                    if close
                    else self.key(key)
                )
                # a Msg of Msgs, so each "did you mean" is translated too
                hints = hint if hints is None else Msg("{list}, {item}", list=hints, item=hint)
            raise ConfigError(
                Msg(
                    "unknown key(s): {hints}; known {where}: {known}",
                    hints=hints,
                    where=where,
                    known=", ".join(known),
                ),
                path=path,
            )
        self.data: dict[str, object] = data

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def fail(self, name: str, problem: Msg) -> NoReturn:
        raise ConfigError(
            Msg("{key} {problem}", key=self.key(name), problem=problem), path=self.path
        )

    def text(self, name: str, *, required: bool, max_len: int) -> str | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.fail(name, Msg("is missing"))
            return None
        if not isinstance(value, str) or not value.strip() or len(value) > max_len:
            self.fail(name, Msg("must be a text of 1-{max_len} characters", max_len=max_len))
        if any(unicodedata.category(ch) == "Cc" for ch in value if ch not in "\n\t"):
            self.fail(name, Msg("must not contain control characters"))
        return value

    def number(self, name: str, default: int) -> int:
        low, high = POLICY_RANGES[name]
        value = self.data.get(name, default)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.fail(name, Msg("must be a whole number from {low} to {high}", low=low, high=high))
        return value

    def flag(self, name: str, default: bool) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            self.fail(name, Msg("must be true or false"))
        return value


_TOP_KEYS = ("format", "agency", "policy")
_AGENCY_KEYS = (
    "name",
    "url",
    "root_public_key",
    "root_key_id",
    "ca_cert",
    "enrollment_code",
)
_POLICY_KEYS = (
    "auto_lock_minutes",
    "failed_attempt_limit",
    "retention_days",
    "metered_sync",
    "locked",
)


def _root_key(agency: _Table) -> tuple[bytes, str]:
    raw = agency.text("root_public_key", required=True, max_len=1024) or ""
    try:
        key = bytes.fromhex(raw)
        if len(key) != 32:
            raise ValueError
    except ValueError:
        agency.fail(
            "root_public_key",
            Msg("must be the agency's Ed25519 root public key: 64 hexadecimal characters"),
        )
    if not any(key):
        agency.fail(
            "root_public_key",
            Msg("is the example's placeholder: use the file `peerdesk-agency provisioning` writes"),
        )
    kid = agency.text("root_key_id", required=True, max_len=1024) or ""
    if len(kid) != 16 or any(ch not in "0123456789abcdefABCDEF" for ch in kid):
        agency.fail("root_key_id", Msg("must be 16 hexadecimal characters"))
    if kid.lower() != key_id(key):
        agency.fail(
            "root_key_id",
            Msg("does not match root_public_key (check both against `peerdesk-agency init`)"),
        )
    return key, kid.lower()


def _ca_cert(agency: _Table) -> str | None:
    ca = agency.text("ca_cert", required=False, max_len=64 * 1024)
    if ca is None:
        return None
    if "-----BEGIN CERTIFICATE-----" not in ca:
        agency.fail("ca_cert", Msg("must be a PEM certificate (-----BEGIN CERTIFICATE-----)"))
    try:
        ssl.create_default_context(cadata=ca)
    except (ssl.SSLError, ValueError) as exc:
        agency.fail("ca_cert", Msg("is not a usable certificate ({problem})", problem=str(exc)))
    return ca


def _policy(data: object, path: str | None) -> ProvisionedPolicy:
    table = _Table({} if data is None else data, "policy", _POLICY_KEYS, path)
    default = ProvisionedPolicy()
    locked = table.data.get("locked", [])
    if not isinstance(locked, list) or not all(isinstance(s, str) for s in locked):
        table.fail(
            "locked",
            Msg("must be a list of setting names ({names})", names=", ".join(LOCKABLE_SETTINGS)),
        )
    for name in locked:
        if name not in LOCKABLE_SETTINGS:
            why = (
                Msg("is always set by the agency")
                if name in AGENCY_ONLY_SETTINGS
                else Msg("is unknown")
            )
            table.fail(
                "locked",
                Msg(
                    "names {name}, which {why}; lockable: {names}",
                    name=repr(name),
                    why=why,
                    names=", ".join(LOCKABLE_SETTINGS),
                ),
            )
    return ProvisionedPolicy(
        auto_lock_minutes=table.number("auto_lock_minutes", default.auto_lock_minutes),
        failed_attempt_limit=table.number("failed_attempt_limit", default.failed_attempt_limit),
        retention_days=table.number("retention_days", default.retention_days),
        metered_sync=table.flag("metered_sync", default.metered_sync),
        locked=frozenset(locked),
    )


def parse_provisioning(data: object, *, path: str | None = None) -> Provisioning:
    """Validate a decoded provisioning document (the TOML file as a dict);
    :class:`ConfigError` names the bad key (``agency.url``, ``policy.locked``...)."""
    top = _Table(data, "", _TOP_KEYS, path)
    fmt = top.data.get("format")
    if fmt is None:
        top.fail(
            "format",
            Msg(
                "is missing (format = {provisioning_format})",
                provisioning_format=PROVISIONING_FORMAT,
            ),
        )
    if fmt != PROVISIONING_FORMAT or isinstance(fmt, bool):
        top.fail(
            "format",
            Msg(
                "must be {provisioning_format} (this file is for another PeerDesk version)",
                provisioning_format=PROVISIONING_FORMAT,
            ),
        )
    if "agency" not in top.data:
        top.fail("agency", Msg("is missing: the file needs an [agency] table"))
    agency = _Table(top.data["agency"], "agency", _AGENCY_KEYS, path)
    name = agency.text("name", required=True, max_len=200) or ""
    if "\n" in name:
        agency.fail("name", Msg("must be one line"))
    if "url" not in agency.data:
        agency.fail("url", Msg("is missing"))
    url = check_service_url(agency.data["url"], name="agency.url", path=path)
    root, kid = _root_key(agency)
    ca = _ca_cert(agency)
    code = agency.text("enrollment_code", required=False, max_len=64)
    return Provisioning(
        agency_name=name.strip(),
        agency_url=url,
        root_public_key=root,
        root_key_id=kid,
        ca_cert_pem=ca,
        enrollment_code=code.strip() if code else None,
        policy=_policy(top.data.get("policy"), path),
    )


def load_provisioning(path: Path | str) -> Provisioning:
    """Read and validate the provisioning file IT put on the laptop. A missing,
    unreadable or malformed file raises :class:`ConfigError` naming the file and
    the key: there is no fallback (an agency is never trusted without its pinned key)."""
    where = str(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_PROVISIONING_BYTES + 1)
    except OSError as exc:
        raise ConfigError(
            Msg("cannot read the provisioning file: {problem}", problem=exc.strerror or str(exc)),
            path=where,
        ) from None
    if len(raw) > MAX_PROVISIONING_BYTES:
        raise ConfigError(Msg("the provisioning file is too large"), path=where)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(Msg("the provisioning file is not UTF-8 text"), path=where) from None
    if text.lstrip().startswith("{"):
        raise ConfigError(
            Msg(
                "this is a JSON provisioning file from a development version; make a new one "
                "with `peerdesk-agency provisioning` (TOML)"
            ),
            path=where,
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            Msg("the provisioning file is not valid TOML ({problem})", problem=str(exc)), path=where
        ) from None
    return parse_provisioning(data, path=where)


def _toml_text(value: str) -> str:
    """A TOML basic string (quotes, backslashes and control characters escaped)."""
    out = ['"']
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif unicodedata.category(ch) == "Cc":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _toml_pem(pem: str) -> str:
    """A PEM block as a multi-line literal string when it can be one (readable),
    else as a basic string."""
    text = pem.replace("\r\n", "\n")
    if "'''" not in text and all(ch == "\n" or " " <= ch <= "~" for ch in text):
        return "'''\n" + text + "'''"
    return _toml_text(pem)


def provisioning_toml(prov: Provisioning) -> str:
    """The provisioning file for ``prov``, with comments for IT. Reading it back
    with :func:`parse_provisioning` gives ``prov`` again."""
    policy = prov.policy
    locked = ", ".join(_toml_text(s) for s in sorted(policy.locked))
    lines = [
        f"# PeerDesk provisioning file, format {PROVISIONING_FORMAT} "
        "(made by `peerdesk-agency provisioning`).",
        "# Put it at /etc/peerdesk/provisioning.toml (Linux),",
        "# %ProgramData%\\PeerDesk\\provisioning.toml (Windows) or",
        "# /Library/Application Support/PeerDesk/provisioning.toml (macOS),",
        "# readable by every user and writable by administrators only.",
        f"format = {PROVISIONING_FORMAT}",
        "",
        "[agency]",
        f"name = {_toml_text(prov.agency_name)}",
        f"url = {_toml_text(prov.agency_url)}",
        "# The agency's root public key: every key the agency sends must be signed by it.",
        f"root_public_key = {_toml_text(prov.root_public_key.hex())}",
        "# Its fingerprint, as `peerdesk-agency init` printed it (a check against typos).",
        f"root_key_id = {_toml_text(prov.root_key_id)}",
    ]
    if prov.ca_cert_pem is not None:
        lines += [
            "# TLS: trust only this CA for the agency's address.",
            f"ca_cert = {_toml_pem(prov.ca_cert_pem)}",
        ]
    if prov.enrollment_code is not None:
        lines += [
            "# One-time code: works for one laptop, once.",
            f"enrollment_code = {_toml_text(prov.enrollment_code)}",
        ]
    lines += [
        "",
        "[policy]",
        "# Lock the app after this many idle minutes.",
        f"auto_lock_minutes = {policy.auto_lock_minutes}",
        "# Failed unlocks after which the profile's key is destroyed (data gone for good).",
        f"failed_attempt_limit = {policy.failed_attempt_limit}",
        "# Days synced records stay on the laptop.",
        f"retention_days = {policy.retention_days}",
        "# Sync by itself on metered (mobile data) connections.",
        f"metered_sync = {'true' if policy.metered_sync else 'false'}",
        f"# Settings users cannot change (any of: {', '.join(LOCKABLE_SETTINGS)}).",
        f"locked = [{locked}]",
        "",
    ]
    return "\n".join(lines)

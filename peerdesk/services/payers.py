"""The payer profile files: the examples that ship in ``resources/payers/`` or an
agency's own folder, read from disk and checked by
:func:`peerdesk.domain.payer_file.parse_payer_profile` (the rules stay in the domain;
only the reading is here)."""

from __future__ import annotations

from pathlib import Path

from peerdesk.domain.billing import PayerProfile
from peerdesk.domain.claims import BillingProvider, parse_billing_provider
from peerdesk.domain.payer_file import parse_payer_profile, payer_file_error
from peerdesk.errors import ConfigError, Msg
from peerdesk.resources import resource_path


def shipped_payers_dir() -> Path:
    """The folder of example payer profiles that ship with PeerDesk."""
    return resource_path("payers")


def load_payer_profile(path: str | Path) -> PayerProfile:
    """Read and check one payer profile TOML file.

    Any problem (unreadable file, bad TOML, unknown, missing or mistyped key,
    invalid value) raises :class:`ConfigError` naming the file and the key.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            Msg("cannot read payer profile: {problem}", problem=exc.strerror or str(exc)),
            path=str(path),
        ) from exc
    return parse_payer_profile(raw, str(path))


def load_payer_profiles(directory: str | Path | None = None) -> dict[str, PayerProfile]:
    """Load every ``*.toml`` payer profile in ``directory`` (default: the shipped
    examples), keyed by file name without ``.toml``, in name order.

    A missing or empty folder, any invalid file, or two files with the same payer
    ``name`` raise :class:`ConfigError`.
    """
    folder = Path(directory) if directory is not None else shipped_payers_dir()
    if not folder.is_dir():
        raise ConfigError(Msg("payer profile folder does not exist"), path=str(folder))
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise ConfigError(Msg("no payer profiles (*.toml) in this folder"), path=str(folder))
    profiles: dict[str, PayerProfile] = {}
    names: dict[str, Path] = {}
    for file in files:
        profile = load_payer_profile(file)
        if profile.name in names:
            raise payer_file_error(
                str(file),
                "name",
                Msg(
                    "payer name {name} is also used by {other}",
                    name=repr(profile.name),
                    other=names[profile.name].name,
                ),
            )
        names[profile.name] = file
        profiles[file.stem] = profile
    return profiles


def load_billing_provider(path: str | Path) -> BillingProvider:
    """Read and check the billing provider file (the agency's NPI, address, EIN,
    clearinghouse ids and each peer's rendering NPI; see
    :mod:`peerdesk.domain.claims`). Problems raise :class:`ConfigError`."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            Msg(
                "cannot read the billing provider file: {problem}", problem=exc.strerror or str(exc)
            ),
            path=str(path),
        ) from exc
    return parse_billing_provider(raw, str(path))

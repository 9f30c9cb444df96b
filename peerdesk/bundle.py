"""What an installed PeerDesk knows about itself: its version, and the SHA-256 of
every resource file it was built with.

The PyInstaller spec (``packaging/peerdesk.spec``) calls :func:`write_build_info`,
which writes a module ``peerdesk_build_info`` into the bundle's code archive (the
PYZ inside the executable)::

    VERSION = "0.1.0"
    RESOURCES = {"directory/seed.json": "<sha256 hex>", "icons/lock.svg": ..., ...}

At start and in ``--self-test`` the app compares the files under ``resources/``
with that list (:func:`verify_resources`): a file edited, missing or added after
the build (a changed directory seed, a swapped translation or password list)
raises :class:`~peerdesk.errors.IntegrityError` naming it, and the app does not
start. The list is as trustworthy as the executable that carries it: on Windows
and macOS the executable is code-signed (Authenticode, codesign + notarization),
so the signature covers the list and the list covers the resources; on Linux the
files are root-owned and ``dpkg --verify peerdesk`` checks them against the
package. Run from a source checkout there is no list and nothing to check.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import sys
from collections.abc import Mapping
from pathlib import Path

from peerdesk.errors import IntegrityError
from peerdesk.resources import RESOURCES_DIR

BUILD_INFO_MODULE = "peerdesk_build_info"
DISTRIBUTION = "peerdesk"


def app_version() -> str:
    """The installed version, from the package metadata (the bundle carries it)."""
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def is_bundle() -> bool:
    """True when running from a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False))


def resource_digests(root: Path) -> dict[str, str]:
    """``{"directory/seed.json": sha256 hex, ...}`` for every file under ``root``."""
    digests: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digests[path.relative_to(root).as_posix()] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    return digests


def build_info_source(version: str, resources: Mapping[str, str]) -> str:
    """The text of the ``peerdesk_build_info`` module."""
    lines = [
        '"""Written by packaging/peerdesk.spec at build time; see peerdesk/bundle.py."""',
        "",
        f"VERSION = {version!r}",
        "RESOURCES = {",
        *(f"    {name!r}: {digest!r}," for name, digest in sorted(resources.items())),
        "}",
        "",
    ]
    return "\n".join(lines)


def write_build_info(target_dir: Path, resources_root: Path, version: str) -> Path:
    """Write ``peerdesk_build_info.py`` for the files under ``resources_root``
    into ``target_dir`` (the spec puts that folder on the analysis path)."""
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / f"{BUILD_INFO_MODULE}.py"
    path.write_text(build_info_source(version, resource_digests(resources_root)), encoding="utf-8")
    return path


def bundled_manifest() -> Mapping[str, str] | None:
    """The resource list of this bundle; None when running from source. A bundle
    without its list is itself a tampered bundle."""
    if not is_bundle():
        return None
    try:
        module = importlib.import_module(BUILD_INFO_MODULE)
    except ImportError:
        raise IntegrityError(
            "this PeerDesk bundle has no resource list; reinstall PeerDesk"
        ) from None
    resources: Mapping[str, str] = module.RESOURCES
    return resources


def verify_resources(root: Path = RESOURCES_DIR, manifest: Mapping[str, str] | None = None) -> int:
    """Check the files under ``root`` against ``manifest`` (default: this
    bundle's). Returns how many files were checked (0 from a source checkout);
    :class:`IntegrityError` names every file changed, missing or added."""
    if manifest is None:
        manifest = bundled_manifest()
        if manifest is None:
            return 0
    found = resource_digests(root) if root.is_dir() else {}
    changed = sorted(n for n in manifest if n in found and found[n] != manifest[n])
    missing = sorted(n for n in manifest if n not in found)
    added = sorted(n for n in found if n not in manifest)
    problems = [
        *(f"{n} was changed" for n in changed),
        *(f"{n} is missing" for n in missing),
        *(f"{n} was added" for n in added),
    ]
    if problems:
        raise IntegrityError(
            f"PeerDesk's resource files do not match this build ({'; '.join(problems)}); "
            "reinstall PeerDesk"
        )
    return len(manifest)

"""``peerdesk --self-test``, the part without Qt: checks that an installed
PeerDesk can do its work on this computer, without a screen, a network or a real
profile. :mod:`ui.selftest` adds the Qt check and prints the report.

Checks, each timed and reported in words:

- ``resources``: the bundled resource files match the build's list
  (:func:`peerdesk.bundle.verify_resources`; skipped from a source checkout);
- ``provisioning``: the agency's file (``--provisioning``, ``PEERDESK_PROVISIONING``
  or the system path) loads, its pinned root key matches its fingerprint and is
  usable for Ed25519 verification, and the policy in force is shown;
- ``profile``: a throwaway profile in a temporary folder is created, a participant
  written, the profile closed, reopened and unlocked, the name read back, and no
  file of the profile holds the name in plaintext; then the folder is deleted;
- ``directory``: the bundled directory seed imports and full-text search finds
  a crisis line (SQLite FTS5 in this build);
- ``sync crypto``: HPKE seal/open, an Ed25519-signed document verified and an
  altered one refused, and the shipped zstd dictionary round trip.

Nothing here contacts the agency.
"""

from __future__ import annotations

import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from peerdesk.bundle import app_version, is_bundle, verify_resources
from peerdesk.config import Setup, load_setup, system_provisioning_path
from peerdesk.crypto.kdf import KdfParams
from peerdesk.crypto.seal import (
    BoxKeyPair,
    SigningKeyPair,
    open_document,
    open_sealed,
    seal,
    sign_document,
    verify,
)
from peerdesk.errors import BadSignature
from peerdesk.services.profiles import ProfileManager
from peerdesk.wire.protocol import decode_payload, encode_payload

__all__ = ["CheckResult", "SelfTestFailed", "report", "run_checks"]


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    seconds: float


class SelfTestFailed(Exception):
    """A self-test check found a problem; the message says which."""


def _timed(name: str, check: Callable[[], str]) -> CheckResult:
    start = time.perf_counter()
    try:
        detail = check()
        ok = True
    # a self-test reports every failure as a line of its report instead of stopping
    except Exception as exc:  # noqa: BLE001
        detail = f"{type(exc).__name__}: {exc}"
        ok = False
    return CheckResult(name, ok, detail, time.perf_counter() - start)


def check_resources() -> str:
    checked = verify_resources()
    if not is_bundle():
        return "running from source: no build list to compare (skipped)"
    return f"{checked} bundled files match the build"


def check_provisioning(setup: Setup) -> str:
    policy = setup.policy
    in_force = (
        f"auto-lock {policy.auto_lock_minutes} min, wipe after "
        f"{policy.vault.wipe_after_failures} failed unlocks, retention "
        f"{policy.retention_days} days, metered sync {'on' if policy.sync_on_metered else 'off'}"
        f", locked: {', '.join(sorted(policy.locked)) or 'nothing'}"
    )
    prov, source = setup.provisioning, setup.source
    if prov is None or source is None:
        return f"not provisioned (no file at {system_provisioning_path()}); defaults: {in_force}"
    try:
        verify(prov.root_public_key, bytes(64), b"peerdesk self-test")
    except BadSignature:
        pass  # expected: the key loads and refuses a signature it did not make
    else:
        raise SelfTestFailed("the pinned root key accepted a forged signature")
    return (
        f"{prov.agency_name} at {prov.agency_url}, root key {prov.root_key_id} pinned "
        f"({source.origin}: {source.path}); {in_force}"
    )


def check_profile(setup: Setup) -> str:
    canary = "Selftest " + secrets.token_hex(8)
    passphrase = "self-test passphrase " + secrets.token_hex(12)
    with tempfile.TemporaryDirectory(prefix="peerdesk-selftest-") as tmp:
        root = Path(tmp)
        manager = ProfileManager(root=root, policy=setup.policy)
        session = manager.create("self-test", passphrase, kdf_params=KdfParams.new())
        try:
            participant_id = session.participants.add(canary).value.id
        finally:
            session.close()
        session = manager.open("self-test")
        try:
            session.unlock(passphrase)
            read_back = session.participants.get(participant_id).display_name
            session.lock()
        finally:
            session.close()
        if read_back != canary:
            raise SelfTestFailed("the name read back is not the name written")
        leaks = [
            p.name
            for p in root.rglob("*")
            if p.is_file() and canary.encode("utf-8") in p.read_bytes()
        ]
        if leaks:
            raise SelfTestFailed(f"plaintext found in {', '.join(sorted(leaks))}")
        files = sum(1 for p in root.rglob("*") if p.is_file())
    return f"created, written, reopened and read back encrypted; {files} files, no plaintext"


def check_directory(setup: Setup) -> str:
    passphrase = "self-test passphrase " + secrets.token_hex(12)
    with tempfile.TemporaryDirectory(prefix="peerdesk-selftest-") as tmp:
        manager = ProfileManager(root=Path(tmp), policy=setup.policy)
        session = manager.create("directory", passphrase, kdf_params=KdfParams.new())
        try:
            imported = session.directory.seed_if_empty().value
            crisis = session.directory.crisis_lines()
            found = session.directory.search("food")
        finally:
            session.close()
    if not imported or not crisis or not found.hits:
        raise SelfTestFailed(
            f"directory seed: {imported} services, {len(crisis)} crisis lines, "
            f"{len(found.hits)} found for 'food'"
        )
    return f"seed imported ({imported} services), {len(crisis)} crisis lines, search works"


def check_sync_crypto() -> str:
    box = BoxKeyPair.generate()
    info = b"peerdesk/self-test"
    if open_sealed(seal(b"sealed", box.public_raw, info), box, info) != b"sealed":
        raise SelfTestFailed("HPKE round trip gave other bytes")
    signer = SigningKeyPair.generate()
    blob = sign_document(signer, "self-test", {"n": 1})
    if open_document(blob, "self-test", {signer.key_id: signer.public_raw}) != {"n": 1}:
        raise SelfTestFailed("signed document round trip gave another document")
    tampered = bytearray(blob)
    tampered[len(blob) // 2] ^= 0x01
    try:
        open_document(bytes(tampered), "self-test", {signer.key_id: signer.public_raw})
    except BadSignature:
        pass
    else:
        raise SelfTestFailed("an altered signed document was accepted")
    payload = {"text": "self-test " * 20}
    if decode_payload(encode_payload(payload), "notes-v1") != payload:
        raise SelfTestFailed("zstd dictionary round trip gave another payload")
    return "HPKE seal/open, Ed25519 sign/verify (altered copy refused), zstd dictionary"


def run_checks(provisioning: Path | str | None = None) -> list[CheckResult]:
    """Run every core check. A provisioning file that does not load fails the
    ``provisioning`` check and the checks that need the policy are not run."""
    results = [_timed("resources", check_resources)]
    setup: Setup | None = None

    def provisioned() -> str:
        nonlocal setup
        setup = load_setup(provisioning)
        return check_provisioning(setup)

    results.append(_timed("provisioning", provisioned))
    if setup is None:
        return results
    ready: Setup = setup
    results.append(_timed("profile", lambda: check_profile(ready)))
    results.append(_timed("directory", lambda: check_directory(ready)))
    results.append(_timed("sync crypto", check_sync_crypto))
    return results


def report(results: list[CheckResult], total_s: float) -> str:
    """The report as text: one line per check, then the verdict."""
    lines = [f"PeerDesk {app_version()} self-test"]
    for r in results:
        lines.append(f"  [{'ok' if r.ok else 'FAIL'}] {r.name} ({r.seconds:.2f} s): {r.detail}")
    failed = [r.name for r in results if not r.ok]
    verdict = f"FAILED: {', '.join(failed)}" if failed else "all checks passed"
    lines.append(f"{verdict} in {total_s:.2f} s")
    return "\n".join(lines)

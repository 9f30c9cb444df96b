"""The parsers of hostile input, as fuzz targets shared by Hypothesis and atheris.

Each :class:`Target` takes bytes and feeds them to one parser of PeerDesk the way
the product does (from the network, a file or a database column). The rule for
every target is the same: the parser returns, or raises an error from the
:mod:`peerdesk.errors` tree; any other exception, a hang or a memory blow-up is
a bug. ``seeds`` are valid inputs (mutated by the fuzzers to get past the first
checks); ``structured`` optionally wraps fuzz bytes into a valid outer layer
(a signature by a trusted key, a msgpack frame) so the fuzzers also reach the
parsing behind it.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgpack

from peerdesk import config
from peerdesk.crypto import recovery
from peerdesk.crypto.envelope import FieldCipher, Place
from peerdesk.crypto.seal import BoxKeyPair, SigningKeyPair, seal, sign_document
from peerdesk.crypto.vault import Vault
from peerdesk.domain.directory import Dataset, DirectorySnapshot, check_dataset
from peerdesk.ids import new_id
from peerdesk.interop import hsds
from peerdesk.resources import resource_path
from peerdesk.wire import protocol as proto
from peerdesk.wire.directory_updates import open_directory_update, sign_update

SIGNER = SigningKeyPair.generate()
ROOT = SigningKeyPair.generate()
BOX = BoxKeyPair.generate()
CIPHER = FieldCipher(os.urandom(32), b"fuzz")
PLACE = Place("notes", "0190f0c0-0000-7000-8000-000000000001", "body")
DEVICE = "0190f0c0-0000-7000-8000-00000000000d"


@dataclass(frozen=True)
class Target:
    name: str
    #: what it parses, for the report
    what: str
    run: Callable[[bytes], Any]
    seeds: Callable[[], list[bytes]]
    #: optional: wrap fuzz bytes into a valid outer layer (signature, frame)
    structured: Callable[[bytes], bytes] | None = None


# --- field envelopes and the vault header -------------------------------------------------


def _envelope(data: bytes) -> None:
    CIPHER.open(data, PLACE)


def _envelope_seeds() -> list[bytes]:
    return [CIPHER.seal(b"met at the library", PLACE), CIPHER.seal(b"", PLACE)]


#: where file-level targets write their input (``PEERDESK_FUZZ_SCRATCH`` or a temp dir)
_SCRATCH = Path(os.environ.get("PEERDESK_FUZZ_SCRATCH") or tempfile.mkdtemp(prefix="pd-fuzz-"))
_SCRATCH.mkdir(parents=True, exist_ok=True)
if "PEERDESK_FUZZ_SCRATCH" not in os.environ:
    atexit.register(shutil.rmtree, _SCRATCH, True)


def _vault_header(data: bytes) -> None:
    path = _SCRATCH / "vault.json"
    path.write_bytes(data)
    vault = Vault.open(path)
    vault.attempts_left()
    vault.retry_after()
    vault.recovery_retry_after()
    if not vault.is_wiped:
        vault.kdf_params  # noqa: B018 - parses the KDF parameters again


@functools.cache
def _vault_seed() -> bytes:
    from peerdesk.crypto.kdf import KdfParams

    path = _SCRATCH / "seed" / "vault.json"
    path.parent.mkdir(exist_ok=True)
    path.unlink(missing_ok=True)
    vault = Vault.create(path, "river stones and quiet mornings", profile_id=new_id(),
                         kdf_params=KdfParams.new())  # fmt: skip
    vault.add_recovery_slot("slot-1", os.urandom(16))
    return path.read_bytes()


# --- the sync wire format -------------------------------------------------------------------


def _records(n: int = 2) -> list[proto.Record]:
    return [
        proto.seal_record(
            {"body": {"goal": f"note {i}"}, "goals": ["x"]},
            device_id=DEVICE,
            kind="note",
            entity_id=new_id(),
            op_id=new_id(),
            key_id=BOX.key_id,
            recipient_public=BOX.public_raw,
        )
        for i in range(n)
    ]


@functools.cache
def _batch_seeds() -> list[bytes]:
    empty = proto.Batch(DEVICE, new_id(), 0, (), "2026-01-01T00:00:00Z")
    full = proto.Batch(DEVICE, new_id(), 17, tuple(_records()), "2026-01-01T00:00:00Z")
    return [empty.encode(SIGNER), full.encode(SIGNER)]


def _batch(data: bytes) -> None:
    proto.decode_batch(data)


def _batch_frame(body: bytes) -> bytes:
    """A valid outer frame around fuzzed body bytes (the signature is checked later)."""
    return msgpack.packb({"v": 1, "b": body, "s": bytes(64)}, use_bin_type=True)


@functools.cache
def _response_seeds() -> list[bytes]:
    acks = tuple(proto.Ack(new_id(), i + 1) for i in range(3))
    rej = (proto.Reject(new_id(), "unknown_key", "sealed to an old key"),)
    inbound = (
        proto.Inbound(4, "feedback", new_id(), b"\x01" * 40),
        proto.Inbound(5, "directory", "", b"\x02" * 20),
    )
    return [
        proto.SyncResponse(new_id(), acks, rej, inbound, 5, True).encode(),
        proto.SyncResponse(new_id(), (), (), (), 0, False).encode(),
    ]


def _response(data: bytes) -> None:
    proto.decode_response(data)


def _error(data: bytes) -> None:
    proto.decode_error(data)


def _error_seeds() -> list[bytes]:
    return [
        proto.ErrorBody("revoked", "this device was revoked", b"\x00" * 80).encode(),
        proto.ErrorBody("malformed", "no", None).encode(),
    ]


def _payload(data: bytes) -> None:
    proto.decode_payload(data, proto.DEFAULT_DICTIONARY)
    proto.decode_payload(data, "")


def _payload_seeds() -> list[bytes]:
    return [
        proto.encode_payload({"body": {"goal": "met at the library " * 20}, "n": 3}),
        proto.encode_payload({"x": b"\x00" * 100}, ""),
    ]


RECORD_OP = "0190f0c0-0000-7000-8000-0000000000a1"
RECORD_ENTITY = "0190f0c0-0000-7000-8000-0000000000b2"
_RECORD_INFO = proto.record_info(
    DEVICE, "note", RECORD_ENTITY, RECORD_OP, BOX.key_id, proto.DEFAULT_DICTIONARY
)


def _record_open(data: bytes) -> None:
    """A record as the reviewer opens it: sealed bytes from the agency database."""
    rec = proto.Record(RECORD_OP, "note", RECORD_ENTITY, BOX.key_id, proto.DEFAULT_DICTIONARY, data)
    proto.open_record(rec, DEVICE, BOX)


def _record_sealed(payload: bytes) -> bytes:
    """Seal fuzzed payload bytes for real, so what is behind the seal (zstd with
    the dictionary, msgpack) is reached."""
    return seal(payload, BOX.public_raw, _RECORD_INFO)


def _record_open_seeds() -> list[bytes]:
    return [_record_sealed(p) for p in _payload_seeds()]


@functools.cache
def _trusted_bundle() -> proto.KeyBundle:
    return proto.KeyBundle(
        agency="Fuzz Agency",
        issued_at="2026-01-01T00:00:00.000+00:00",
        signing=proto.AgencyKey(SIGNER.key_id, SIGNER.public_raw, ""),
        review=(proto.AgencyKey(BOX.key_id, BOX.public_raw, ""),),
        recovery=proto.AgencyKey(BOX.key_id, BOX.public_raw, ""),
    )


def _bundle(data: bytes) -> None:
    proto.open_bundle(data, ROOT.public_raw, ROOT.key_id)


def _bundle_seeds() -> list[bytes]:
    return [sign_document(ROOT, "key-bundle", _trusted_bundle().to_doc())]


def _signed_by(signer: SigningKeyPair, kind: str) -> Callable[[bytes], bytes]:
    """Sign whatever msgpack the fuzz bytes decode to (or the bytes as a string):
    the document passes the signature check and its contents are fuzzed."""

    def wrap(data: bytes) -> bytes:
        try:
            doc = msgpack.unpackb(data, raw=False, strict_map_key=False)
        except Exception:  # noqa: BLE001 - any undecodable input becomes a string doc
            doc = {"raw": data}
        body = msgpack.packb([kind, doc], use_bin_type=True)
        return msgpack.packb(
            {"body": body, "kid": signer.key_id, "sig": signer.sign(body)}, use_bin_type=True
        )

    return wrap


def _wipe(data: bytes) -> None:
    proto.open_wipe_order(data, _trusted_bundle(), DEVICE)


def _wipe_seeds() -> list[bytes]:
    doc = proto.wipe_order_doc(DEVICE, new_id(), "2026-01-01T00:00:00Z")
    return [sign_document(SIGNER, "wipe", doc)]


# --- the resource directory (HSDS) ------------------------------------------------------------


def _hsds_json(data: bytes) -> None:
    hsds.parse_json(data, source="fuzz.json")


@functools.cache
def _hsds_seed_dataset() -> Dataset:
    full = hsds.load(resource_path("directory", "seed.json"))
    # a small slice keeps each fuzz run fast; references stay consistent
    services = full.services[:3]
    places = {sal.location_id for s in services for sal in s.service_at_locations}
    locations = tuple(loc for loc in full.locations if loc.id in places)
    orgs = {s.organization_id for s in services} | {loc.organization_id for loc in locations}
    return Dataset(
        organizations=tuple(o for o in full.organizations if o.id in orgs),
        services=services,
        locations=locations,
        taxonomies=full.taxonomies,
        taxonomy_terms=full.taxonomy_terms,
        towns=full.towns[:3],
    )


def _hsds_json_seeds() -> list[bytes]:
    try:
        dataset = _hsds_seed_dataset()
        check_dataset(dataset)
        text = hsds.dump_json(dataset)
    except Exception:  # noqa: BLE001 - a slice that does not check: use the whole seed
        text = resource_path("directory", "seed.json").read_text("utf-8")
    return [text.encode(), b'{"services": []}']


def _hsds_csv(data: bytes) -> None:
    """The fuzz bytes are one CSV file of an otherwise valid package (which one is
    chosen by the first byte), so the table readers and the cross-references run."""
    package = _hsds_csv_package()
    if not data:
        hsds.parse_csv_package(package)
        return
    names = sorted(package)
    name = names[data[0] % len(names)]
    hsds.parse_csv_package({**package, name: data[1:]})


def _hsds_import_json(data: bytes) -> None:
    """The lenient import (issue 18): any shape, bad records reported and left out."""
    hsds.import_json(data, source="fuzz.json")


def _hsds_import_json_seeds() -> list[bytes]:
    examples = resource_path("directory", "seed.json").parents[2] / "tests" / "fixtures"
    found = [p.read_bytes() for p in sorted((examples / "hsds3" / "examples").glob("*.json"))]
    return [*_hsds_json_seeds(), *found]


def _hsds_import_csv(data: bytes) -> None:
    package = _hsds_csv_package()
    names = sorted(package)
    name = names[data[0] % len(names)] if data else names[0]
    hsds.import_csv({**package, name: data[1:]})


@functools.cache
def _hsds_csv_package() -> dict[str, str]:
    try:
        dataset = _hsds_seed_dataset()
        check_dataset(dataset)
    except Exception:  # noqa: BLE001
        dataset = hsds.load(resource_path("directory", "seed.json"))
    return hsds.dump_csv_package(dataset)


def _hsds_csv_seeds() -> list[bytes]:
    package = _hsds_csv_package()
    names = sorted(package)
    return [bytes([i]) + package[n].encode() for i, n in enumerate(names)]


def _directory_update(data: bytes) -> None:
    open_directory_update(data, {SIGNER.key_id: SIGNER.public_raw})


def _directory_update_seeds() -> list[bytes]:
    try:
        dataset = _hsds_seed_dataset()
        check_dataset(dataset)
    except Exception:  # noqa: BLE001
        dataset = Dataset((), (), (), (), (), ())
    return [sign_update(SIGNER, DirectorySnapshot(1, dataset, "2026-01-01T00:00:00Z"))]


# --- files IT and users put on the laptop --------------------------------------------------------


def _provisioning(data: bytes) -> None:
    path = _SCRATCH / "provisioning.toml"
    path.write_bytes(data)
    config.load_provisioning(path)


def _provisioning_seeds() -> list[bytes]:
    prov = config.Provisioning(
        agency_name="River Valley Peer Services",
        agency_url="https://peerdesk.example.org",
        root_public_key=ROOT.public_raw,
        root_key_id=ROOT.key_id,
        enrollment_code="ABCDE-FGHJK",
    )
    writer = getattr(config, "provisioning_toml", None)
    if writer is not None:  # the TOML format
        return [writer(prov).encode()]
    doc = {
        "format": 1,
        "agency_name": prov.agency_name,
        "agency_url": prov.agency_url,
        "root_public_key": prov.root_public_key.hex(),
        "root_key_id": prov.root_key_id,
        "enrollment_code": prov.enrollment_code,
    }
    return [json.dumps(doc).encode()]


def _user_settings(data: bytes) -> None:
    loader = getattr(config, "load_user_settings", None)
    if loader is None:
        return
    path = _SCRATCH / "settings.toml"
    path.write_bytes(data)
    loader(path)


def _user_settings_seeds() -> list[bytes]:
    return [b"auto_lock_minutes = 15\nmetered_sync = true\n", b""]


def _recovery_code(data: bytes) -> None:
    recovery.decode_code(data.decode("utf-8", "surrogateescape"))


def _recovery_seeds() -> list[bytes]:
    return [recovery.encode_code(os.urandom(16)).encode(), b"7K3M-Q9XD-2B"]


def _agency_settings(data: bytes) -> None:
    from peerdesk.agency.settings import AgencySettings

    folder = _SCRATCH / "agency"
    folder.mkdir(exist_ok=True)
    (folder / "agency.toml").write_bytes(data)
    AgencySettings.load(folder)


def _agency_settings_seeds() -> list[bytes]:
    return [
        b'name = "River Valley"\npublic_url = "https://x.example.org"\n',
        b'name = "A"\npublic_url = "http://127.0.0.1:8443"\ndatabase_url = "sqlite:///x.db"\n',
    ]


TARGETS: dict[str, Target] = {
    t.name: t
    for t in [
        Target("envelope", "field envelope (AES-GCM, AAD)", _envelope, _envelope_seeds),
        Target("vault_header", "vault.json header", _vault_header, lambda: [_vault_seed()]),
        Target("sync_batch", "sync request (decode_batch)", _batch, _batch_seeds, _batch_frame),
        Target("sync_response", "sync answer (decode_response)", _response, _response_seeds),
        Target("sync_error", "sync error body (decode_error)", _error, _error_seeds),
        Target("record_payload", "record payload (zstd + msgpack)", _payload, _payload_seeds),
        Target(
            "record_open",
            "sealed record (HPKE, then zstd + msgpack)",
            _record_open,
            _record_open_seeds,
            _record_sealed,
        ),
        Target(
            "key_bundle",
            "key bundle (open_bundle)",
            _bundle,
            _bundle_seeds,
            _signed_by(ROOT, "key-bundle"),
        ),
        Target("wipe_order", "wipe order", _wipe, _wipe_seeds, _signed_by(SIGNER, "wipe")),
        Target(
            "directory_update",
            "signed directory update",
            _directory_update,
            _directory_update_seeds,
            _signed_by(SIGNER, "directory"),
        ),
        Target("hsds_json", "HSDS JSON import", _hsds_json, _hsds_json_seeds),
        Target("hsds_csv", "HSDS CSV package import", _hsds_csv, _hsds_csv_seeds),
        Target(
            "hsds_import_json",
            "HSDS 3 import, any shape, reporting",
            _hsds_import_json,
            _hsds_import_json_seeds,
        ),
        Target(
            "hsds_import_csv", "HSDS 3 CSV import, reporting", _hsds_import_csv, _hsds_csv_seeds
        ),
        Target("provisioning", "provisioning file", _provisioning, _provisioning_seeds),
        Target("user_settings", "user settings file", _user_settings, _user_settings_seeds),
        Target("recovery_code", "recovery code", _recovery_code, _recovery_seeds),
        Target("agency_settings", "agency.toml", _agency_settings, _agency_settings_seeds),
    ]
}

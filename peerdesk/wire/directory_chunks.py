"""A directory version sent in chunks (issue 17): a signed manifest and
content-addressed, compressed chunks. Both sides import this module.

A statewide directory (50,000 services) packs to about 70 MB, far over the 4 MB
a laptop opens as one signed document, and takes many minutes on EDGE; so the
agency publishes every version as

* **chunks**: the update (a snapshot, or a delta from the version before) packed
  as msgpack (:func:`peerdesk.interop.hsds.update_to_doc`), cut into pieces of
  :data:`CHUNK_RAW` bytes, each compressed with zstd on its own and named by the
  SHA-256 of its compressed bytes;
* a **manifest** signed with the agency's signing key (the key of today's
  directory updates, document kind ``directory-manifest``): the version, the base
  version (None: a full download), the counts, and every chunk's hash, size and
  unpacked size, in order.

The laptop opens the manifest (:func:`open_manifest`), checks every chunk against
it before keeping it (:func:`check_chunk`), and when all are in reads the update
back (:func:`read_update`), which must say what the manifest says. Every size is
bounded and checked (:data:`MAX_CHUNK_BYTES`, :data:`MAX_CHUNK_RAW`,
:data:`MAX_CHUNKS`, :data:`MAX_UPDATE_RAW`, :data:`MAX_SERVICES`); anything over a
limit, a wrong hash or a manifest that does not verify raises
:class:`~peerdesk.errors.DirectoryDataError` or :class:`~peerdesk.errors.BadSignature`
with a sentence saying what was wrong.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import msgpack
import zstandard

from peerdesk.crypto.seal import SigningKeyPair, open_document, sign_document
from peerdesk.domain.directory import DirectoryDelta, DirectorySnapshot, DirectoryUpdate
from peerdesk.errors import BadSignature, DirectoryDataError, Msg
from peerdesk.interop.hsds import update_from_doc, update_to_doc

#: the agency's routes (a device's credential): ``?have=N`` answers the manifest a
#: laptop at version N takes next (204: none), ``/{sha256}`` one chunk
MANIFEST_PATH = "/v1/directory/manifest"
CHUNKS_PATH = "/v1/directory/chunks"
#: the kind the signed manifest carries (never accepted as another document)
KIND = "directory-manifest"
FORMAT = 1
#: packed update bytes per chunk, before compression (about 300 KB compressed)
CHUNK_RAW = 1024 * 1024
#: a chunk over this many bytes on the wire is refused
MAX_CHUNK_BYTES = 2 * 1024 * 1024
#: a chunk that unpacks to more than this is refused
MAX_CHUNK_RAW = 4 * 1024 * 1024
#: a manifest naming more chunks than this is refused
MAX_CHUNKS = 2048
#: a whole update over this many packed bytes is refused (50,000 services: ~70 MB)
MAX_UPDATE_RAW = 512 * 1024 * 1024
#: a directory of more services than this (or a delta of more changes) is refused
MAX_SERVICES = 250_000
#: a signed manifest over this many bytes is refused
MAX_MANIFEST_BYTES = 256 * 1024
ZSTD_LEVEL = 9
HASH_BYTES = 32


@dataclass(frozen=True, slots=True)
class ChunkRef:
    #: SHA-256 of the compressed chunk, hex
    hash: str
    #: compressed size (what travels)
    size: int
    #: unpacked size
    raw_size: int


@dataclass(frozen=True, slots=True)
class Manifest:
    version: int
    #: the version a delta applies to; None for a full download
    base_version: int | None
    #: services in the directory of ``version`` (full) or changes in the delta
    count: int
    chunks: tuple[ChunkRef, ...]
    issued_at: str = ""

    @property
    def full(self) -> bool:
        return self.base_version is None

    @property
    def wire_bytes(self) -> int:
        return sum(c.size for c in self.chunks)

    @property
    def raw_bytes(self) -> int:
        return sum(c.raw_size for c in self.chunks)

    def describe(self) -> Msg:
        what = (
            Msg("full directory")
            if self.full
            else Msg("update from version {base}", base=self.base_version)
        )
        return Msg("directory version {version} ({what})", version=self.version, what=what)


@dataclass(frozen=True, slots=True)
class Parts:
    """What the agency stores for one downloadable update."""

    manifest: Manifest
    signed: bytes
    #: hash -> compressed chunk, in manifest order
    chunks: dict[str, bytes]


def chunk_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_parts(
    signer: SigningKeyPair, update: DirectoryUpdate, *, chunk_raw: int | None = None
) -> Parts:
    """Pack, cut, compress and sign ``update`` (agency side). :class:`DirectoryDataError`
    when the result would be over a limit a laptop enforces."""
    raw = msgpack.packb(update_to_doc(update), use_bin_type=True)
    if len(raw) > MAX_UPDATE_RAW:
        raise DirectoryDataError(
            Msg(
                "the update packs to {size} bytes; laptops accept at most {limit}",
                size=f"{len(raw):,}",
                limit=f"{MAX_UPDATE_RAW:,}",
            ),
            source=f"directory version {update.version}",
        )
    step = max(1, min(chunk_raw or CHUNK_RAW, MAX_CHUNK_RAW))
    zc = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_checksum=False, write_content_size=True)
    refs: list[ChunkRef] = []
    chunks: dict[str, bytes] = {}
    for start in range(0, len(raw), step):
        piece = raw[start : start + step]
        data = zc.compress(piece)
        h = chunk_hash(data)
        refs.append(ChunkRef(h, len(data), len(piece)))
        chunks[h] = data
    if isinstance(update, DirectorySnapshot):
        base, count = None, len(update.dataset.services)
    else:
        base, count = update.base_version, len(update.ops)
    manifest = Manifest(update.version, base, count, tuple(refs), update.issued_at)
    _check(manifest, f"directory version {update.version}")
    return Parts(manifest, sign_manifest(signer, manifest), chunks)


def sign_manifest(signer: SigningKeyPair, manifest: Manifest) -> bytes:
    doc = {
        "format": FORMAT,
        "version": manifest.version,
        "base_version": manifest.base_version,
        "count": manifest.count,
        "issued_at": manifest.issued_at,
        "chunks": [[bytes.fromhex(c.hash), c.size, c.raw_size] for c in manifest.chunks],
    }
    return sign_document(signer, KIND, doc)


def _int(doc: Mapping[str, Any], key: str, low: int, high: int, source: str) -> int:
    value = doc.get(key)
    if type(value) is not int or not low <= value <= high:
        raise DirectoryDataError(
            Msg(
                "the manifest's {key} must be a whole number from {low} to {high}",
                key=key,
                low=f"{low:,}",
                high=f"{high:,}",
            ),
            source=source,
            field=key,
        )
    return value


def open_manifest(blob: bytes, trusted: Mapping[str, bytes]) -> Manifest:
    """Verify a signed manifest with ``trusted`` (key id -> Ed25519 public key)
    and read it, checking every limit. :class:`BadSignature` (not signed by a
    trusted key, another kind, too large) or :class:`DirectoryDataError`."""
    source = "the directory manifest"
    if not isinstance(blob, bytes) or len(blob) > MAX_MANIFEST_BYTES:
        raise BadSignature(f"the directory manifest is missing or over {MAX_MANIFEST_BYTES} bytes")
    doc = open_document(blob, KIND, dict(trusted))
    if doc.get("format") != FORMAT:
        raise DirectoryDataError(Msg("the manifest is of an unknown format"), source=source)
    version = _int(doc, "version", 1, 2**62, source)
    base = doc.get("base_version")
    if base is not None:
        base = _int(doc, "base_version", 0, version - 1, source)
    count = _int(doc, "count", 0, MAX_SERVICES, source)
    issued = doc.get("issued_at", "")
    if not isinstance(issued, str) or len(issued) > 64:
        raise DirectoryDataError(Msg("the manifest's issued_at is not a time"), source=source)
    raw_chunks = doc.get("chunks")
    if not isinstance(raw_chunks, list) or not 1 <= len(raw_chunks) <= MAX_CHUNKS:
        raise DirectoryDataError(
            Msg("the manifest must list 1 to {limit} chunks", limit=f"{MAX_CHUNKS:,}"),
            source=source,
            field="chunks",
        )
    refs = []
    for i, item in enumerate(raw_chunks):
        if (
            not isinstance(item, list)
            or len(item) != 3
            or not isinstance(item[0], bytes)
            or len(item[0]) != HASH_BYTES
            or type(item[1]) is not int
            or type(item[2]) is not int
        ):
            raise DirectoryDataError(
                Msg("chunk {number} of the manifest is malformed", number=i + 1),
                source=source,
                field="chunks",
            )
        refs.append(ChunkRef(item[0].hex(), item[1], item[2]))
    manifest = Manifest(version, base, count, tuple(refs), issued)
    _check(manifest, source)
    return manifest


def _check(manifest: Manifest, source: str) -> None:
    for i, ref in enumerate(manifest.chunks, start=1):
        if not 1 <= ref.size <= MAX_CHUNK_BYTES:
            raise DirectoryDataError(
                Msg(
                    "chunk {i} is {size} bytes; at most {limit} are accepted",
                    i=i,
                    size=f"{ref.size:,}",
                    limit=f"{MAX_CHUNK_BYTES:,}",
                ),
                source=source,
                field="chunks",
            )
        if not 1 <= ref.raw_size <= MAX_CHUNK_RAW:
            raise DirectoryDataError(
                Msg(
                    "chunk {i} unpacks to {raw_size} bytes; at most {limit} are accepted",
                    i=i,
                    raw_size=f"{ref.raw_size:,}",
                    limit=f"{MAX_CHUNK_RAW:,}",
                ),
                source=source,
                field="chunks",
            )
    if manifest.raw_bytes > MAX_UPDATE_RAW:
        raise DirectoryDataError(
            Msg(
                "the update unpacks to {raw_bytes} bytes; at most {limit} are accepted",
                raw_bytes=f"{manifest.raw_bytes:,}",
                limit=f"{MAX_UPDATE_RAW:,}",
            ),
            source=source,
            field="chunks",
        )


def check_chunk(manifest: Manifest, index: int, data: bytes) -> None:
    """Refuse chunk ``index`` (0-based) unless it is exactly the one the manifest names."""
    ref = manifest.chunks[index]
    where = Msg(
        "chunk {number} of {count} of {update}",
        number=index + 1,
        count=len(manifest.chunks),
        update=manifest.describe(),
    )
    if len(data) > MAX_CHUNK_BYTES:
        raise DirectoryDataError(
            Msg(
                "{where} is {size} bytes, over the {limit} accepted",
                where=where,
                size=f"{len(data):,}",
                limit=f"{MAX_CHUNK_BYTES:,}",
            ),
            source="directory download",
        )
    if len(data) != ref.size or chunk_hash(data) != ref.hash:
        raise DirectoryDataError(
            Msg(
                "{where} does not match the signed manifest (altered or damaged); it was not kept",
                where=where,
            ),
            source="directory download",
        )


def read_update(manifest: Manifest, chunks: Sequence[bytes]) -> DirectoryUpdate:
    """The update the (checked) chunks hold, which must be what the manifest says."""
    source = manifest.describe()
    if len(chunks) != len(manifest.chunks):
        raise DirectoryDataError(Msg("chunks are missing"), source=source)
    dz = zstandard.ZstdDecompressor()
    pieces = []
    for i, (ref, data) in enumerate(zip(manifest.chunks, chunks, strict=True)):
        check_chunk(manifest, i, data)
        try:
            piece = dz.decompress(data, max_output_size=ref.raw_size)
        except zstandard.ZstdError as exc:
            raise DirectoryDataError(
                Msg("chunk {number} does not unpack ({problem})", number=i + 1, problem=str(exc)),
                source=source,
            ) from None
        if len(piece) != ref.raw_size:
            raise DirectoryDataError(
                Msg("chunk {number} unpacks to the wrong size", number=i + 1), source=source
            )
        pieces.append(piece)
    try:
        doc = msgpack.unpackb(b"".join(pieces), raw=False, strict_map_key=True)
    except (ValueError, msgpack.UnpackException) as exc:
        raise DirectoryDataError(
            Msg("the update is not readable ({problem})", problem=str(exc)), source=source
        ) from None
    if not isinstance(doc, dict):
        raise DirectoryDataError(Msg("the update is not a map"), source=source)
    update = update_from_doc(doc)
    if update.version != manifest.version:
        raise DirectoryDataError(Msg("the update is not the manifest's version"), source=source)
    if isinstance(update, DirectoryDelta):
        ok = update.base_version == manifest.base_version and len(update.ops) == manifest.count
    else:
        ok = manifest.full and len(update.dataset.services) == manifest.count
    if not ok:
        raise DirectoryDataError(
            Msg("the update is not what the manifest describes"), source=source
        )
    return update


def is_manifest(blob: bytes) -> bool:
    """Whether ``blob`` looks like a signed manifest (unverified: only to route an
    inbound item; :func:`open_manifest` verifies)."""
    try:
        outer = msgpack.unpackb(blob, raw=False, strict_map_key=True)
        kind = msgpack.unpackb(outer["body"], raw=False, strict_map_key=True)[0]
    except Exception:  # noqa: BLE001 - anything unreadable is not a manifest
        return False
    return kind == KIND

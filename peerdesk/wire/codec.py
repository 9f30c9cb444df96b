"""The lowest layer of the sync wire format: ids as 16 bytes, payloads as msgpack
compressed with zstd and a shipped dictionary, and the one msgpack reader.
Shared by :mod:`peerdesk.wire.protocol` and :mod:`peerdesk.wire.segments`."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping
from typing import Any

import msgpack
import zstandard

from peerdesk.errors import ProtocolError
from peerdesk.resources import RESOURCES_DIR

DICTIONARIES = {"notes-v1": "notes-v1.zdict"}
DEFAULT_DICTIONARY = "notes-v1"
ZSTD_LEVEL = 12
#: one decompressed payload (a zip bomb stops here)
MAX_PAYLOAD_BYTES = 1024 * 1024


# --- ids ------------------------------------------------------------------------------


def id_to_wire(value: str) -> bytes:
    """A UUID string as its 16 bytes (a third of the size on the wire)."""
    # the canonical form (what every id here is) without a uuid.UUID: a quarter of
    # the time, and the agency does it for every record it acknowledges
    if (
        isinstance(value, str)
        and len(value) == 36
        and value[8] == value[13] == value[18] == value[23] == "-"
    ):
        try:
            raw = bytes.fromhex(value.replace("-", ""))
        except ValueError:
            raw = b""
        if len(raw) == 16:  # fromhex skips whitespace: a shorter result is not an id
            return raw
    try:
        return uuid.UUID(value).bytes
    except (ValueError, AttributeError, TypeError):
        raise ProtocolError(f"not a UUID: {str(value)[:40]!r}") from None


def id_from_wire(value: Any, what: str) -> str:
    if not isinstance(value, bytes) or len(value) != 16:
        raise ProtocolError(f"{what} must be 16 bytes")
    return str(uuid.UUID(bytes=value))


# --- payload: msgpack, then zstd with a shipped dictionary ----------------------------


@functools.cache
def _dictionary(name: str) -> zstandard.ZstdCompressionDict:
    if name not in DICTIONARIES:
        raise ProtocolError(f"unknown compression dictionary {name[:40]!r}")
    data = (RESOURCES_DIR / "sync" / DICTIONARIES[name]).read_bytes()
    return zstandard.ZstdCompressionDict(data)


@functools.cache
def compressor(name: str, level: int = ZSTD_LEVEL) -> zstandard.ZstdCompressor:
    kwargs: dict[str, Any] = {"write_checksum": False, "write_dict_id": False}
    if name:
        kwargs["dict_data"] = _dictionary(name)
    return zstandard.ZstdCompressor(level=level, **kwargs)


def decompressor(name: str) -> zstandard.ZstdDecompressor:
    # not cached across threads: a ZstdDecompressor is not thread-safe
    return (
        zstandard.ZstdDecompressor(dict_data=_dictionary(name))
        if name
        else (zstandard.ZstdDecompressor())
    )


def encode_payload(payload: Mapping[str, Any], dictionary: str = DEFAULT_DICTIONARY) -> bytes:
    packed = msgpack.packb(dict(payload), use_bin_type=True)
    if len(packed) > MAX_PAYLOAD_BYTES:
        raise ProtocolError(f"record is larger than {MAX_PAYLOAD_BYTES} bytes")
    return compressor(dictionary).compress(packed)


def decode_payload(data: bytes, dictionary: str) -> dict[str, Any]:
    try:
        # max_output_size only bounds frames that do not declare their size; a frame
        # that declares one is decompressed into a buffer of that size, so check it.
        declared = zstandard.frame_content_size(data)
        if declared > MAX_PAYLOAD_BYTES:
            raise ProtocolError(f"record payload is larger than {MAX_PAYLOAD_BYTES} bytes")
        packed = decompressor(dictionary).decompress(data, max_output_size=MAX_PAYLOAD_BYTES)
    except zstandard.ZstdError as exc:
        raise ProtocolError(f"record payload does not decompress: {exc}") from None
    obj = unpack(packed, "record payload")
    if not isinstance(obj, dict):
        raise ProtocolError("record payload is not a map")
    return obj


def unpack(data: bytes, what: str) -> Any:
    try:
        # unpackb bounds every container by the input length, so the size checks
        # done before calling it also bound memory.
        return msgpack.unpackb(data, raw=False, strict_map_key=True)
    except (ValueError, TypeError, msgpack.UnpackException) as exc:
        raise ProtocolError(f"{what} is not valid msgpack ({type(exc).__name__})") from None

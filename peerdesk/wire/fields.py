"""Text patterns of the JSON fields both sides exchange (ids, keys, binary as hex)."""

from __future__ import annotations

#: a UUID in its canonical 8-4-4-4-12 form (either case)
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
#: a 32-byte public key as hex
HEX64_PATTERN = r"^[0-9a-fA-F]{64}$"
#: bytes as hex: pairs of hex digits, at least one
HEX_PATTERN = r"^([0-9a-fA-F]{2})+$"
#: printable ASCII text only (it goes into an HTTP header)
PRINTABLE_ASCII_PATTERN = r"^[\x20-\x7E]*$"
#: bytes as hex, or none (a record of a segment has no seal of its own)
HEX_OR_EMPTY_PATTERN = r"^([0-9a-fA-F]{2})*$"

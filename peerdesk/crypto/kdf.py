"""Argon2id key derivation for the passphrase -> KEK step.

The parameters travel with the vault header (:class:`KdfParams`), so they can be
raised later without breaking old profiles. :func:`calibrate` picks the number of
passes that makes one derivation take about ``target_s`` on this machine, never
below the floor of m=64 MiB, t=3, p=4 (DESIGN.md section 4).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from peerdesk.errors import CorruptData

KEY_LEN = 32
SALT_LEN = 16

# The floor: never derive with less than this, whatever a header says.
MIN_MEMORY_KIB = 64 * 1024
MIN_ITERATIONS = 3
LANES = 4
# Upper bounds protect unlock from a header edited to make it hang or exhaust memory.
MAX_MEMORY_KIB = 4 * 1024 * 1024
MAX_ITERATIONS = 200


@dataclass(frozen=True, slots=True)
class KdfParams:
    salt: bytes
    memory_kib: int = MIN_MEMORY_KIB
    iterations: int = MIN_ITERATIONS
    lanes: int = LANES

    @classmethod
    def new(
        cls, *, memory_kib: int = MIN_MEMORY_KIB, iterations: int = MIN_ITERATIONS
    ) -> KdfParams:
        return cls(salt=os.urandom(SALT_LEN), memory_kib=memory_kib, iterations=iterations)

    def with_new_salt(self) -> KdfParams:
        return KdfParams(os.urandom(SALT_LEN), self.memory_kib, self.iterations, self.lanes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "alg": "argon2id",
            "salt": self.salt.hex(),
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
        }

    @classmethod
    def from_dict(cls, data: Any) -> KdfParams:
        """Parse and bound-check parameters read from a vault header."""
        try:
            if data["alg"] != "argon2id":
                raise ValueError("unknown kdf")
            params = cls(
                salt=bytes.fromhex(data["salt"]),
                memory_kib=int(data["memory_kib"]),
                iterations=int(data["iterations"]),
                lanes=int(data["lanes"]),
            )
        except (KeyError, TypeError, ValueError, OverflowError) as exc:  # int(Infinity)
            raise CorruptData("vault header has unreadable KDF parameters") from exc
        if not (
            len(params.salt) == SALT_LEN
            and MIN_MEMORY_KIB <= params.memory_kib <= MAX_MEMORY_KIB
            and MIN_ITERATIONS <= params.iterations <= MAX_ITERATIONS
            and 1 <= params.lanes <= 16
        ):
            raise CorruptData("vault header has KDF parameters out of bounds")
        return params


def derive_key(passphrase: str, params: KdfParams) -> bytes:
    """Derive the 256-bit key-encryption key. ``passphrase`` must already be
    normalised (see :func:`peerdesk.crypto.passphrase.normalize`)."""
    kdf = Argon2id(
        salt=params.salt,
        length=KEY_LEN,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(passphrase.encode("utf-8"))


def time_derivation(params: KdfParams) -> float:
    start = time.perf_counter()
    derive_key("calibration passphrase", params)
    return time.perf_counter() - start


def calibrate(target_s: float = 0.5, *, memory_kib: int = MIN_MEMORY_KIB) -> KdfParams:
    """Return parameters whose derivation takes about ``target_s`` here.

    Memory stays at ``memory_kib`` (field laptops can be old); the number of
    passes grows linearly with time, so one measurement at the floor is scaled
    and then checked once more. The result is clamped to [floor, MAX_ITERATIONS].
    """
    memory_kib = min(max(memory_kib, MIN_MEMORY_KIB), MAX_MEMORY_KIB)  # within header bounds
    base = KdfParams.new(memory_kib=memory_kib, iterations=MIN_ITERATIONS)
    per_pass = max(time_derivation(base) / MIN_ITERATIONS, 1e-4)
    iterations = max(MIN_ITERATIONS, min(MAX_ITERATIONS, round(target_s / per_pass)))
    candidate = KdfParams(base.salt, memory_kib, iterations, LANES)
    measured = time_derivation(candidate)
    if measured > 2 * target_s and iterations > MIN_ITERATIONS:
        iterations = max(MIN_ITERATIONS, round(iterations * target_s / measured))
        candidate = KdfParams(base.salt, memory_kib, iterations, LANES)
    return candidate

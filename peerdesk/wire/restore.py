"""The agency's notice that its database was restored from a backup (inbound
kind ``restored``), shared by the agency (``peerdesk-agency restore`` queues it
for every device) and the laptop (which sends again what the agency lost).

A signed document (:func:`peerdesk.crypto.seal.sign_document`, kind
``restored``, by the agency signing key of the laptop's key bundle)::

    {"high_water": the highest record sequence number the restored database
                   holds (int), "restored_at": ISO time, "backup_at": ISO time,
     "upper": the highest record sequence number handed out before the restore
              (int; absent in notices of older agencies)}

A laptop puts every record the agency acknowledged with a number above
``high_water`` and at most ``upper`` back in its queue (records acknowledged
after the restore have higher numbers and stay acknowledged); the agency stores
each record once (by op id), so one that it does hold after all is acknowledged
again, not stored twice. A notice without ``upper`` reopens everything above
``high_water`` (as before).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peerdesk.crypto.seal import open_document
from peerdesk.errors import BadSignature
from peerdesk.wire.protocol import KeyBundle, trusted_signers

RESTORED = "restored"
#: far above any sequence number a real agency reaches (a bigint column)
MAX_SEQ = 2**62


def restore_notice_doc(
    high_water: int, restored_at: str, backup_at: str, upper: int | None = None
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "high_water": high_water,
        "restored_at": restored_at,
        "backup_at": backup_at,
    }
    if upper is not None:
        doc["upper"] = upper
    return doc


@dataclass(frozen=True, slots=True)
class RestoreNotice:
    """The lost range: records acknowledged with ``high_water < seq <= upper``
    (``upper`` None: no upper bound, an older agency's notice)."""

    high_water: int
    upper: int | None


def _seq(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and 0 <= value <= MAX_SEQ


def open_restore_notice(blob: bytes, bundle: KeyBundle) -> RestoreNotice:
    """The notice's lost range, once its signature was checked; raises
    :class:`BadSignature` for a forged or malformed one."""
    doc = open_document(blob, RESTORED, trusted_signers(bundle))
    high = doc.get("high_water")
    if not _seq(high):
        raise BadSignature("restore notice without a valid high-water mark")
    assert isinstance(high, int)
    upper = doc.get("upper")
    if upper is not None and not (_seq(upper) and upper >= high):
        raise BadSignature("restore notice with an invalid upper bound")
    return RestoreNotice(high, upper)

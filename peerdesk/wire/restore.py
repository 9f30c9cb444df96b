"""The agency's notice that its database was restored from a backup (inbound
kind ``restored``), shared by the agency (``peerdesk-agency restore`` queues it
for every device) and the laptop (which sends again what the agency lost).

A signed document (:func:`peerdesk.crypto.seal.sign_document`, kind
``restored``, by the agency signing key of the laptop's key bundle)::

    {"high_water": the highest record sequence number the restored database
                   holds (int), "restored_at": ISO time, "backup_at": ISO time}

A laptop puts every record the agency acknowledged with a higher number back in
its queue; the agency stores each record once (by op id), so one that it does
hold after all is acknowledged again, not stored twice.
"""

from __future__ import annotations

from typing import Any

from peerdesk.crypto.seal import open_document
from peerdesk.errors import BadSignature
from peerdesk.wire.protocol import KeyBundle, trusted_signers

RESTORED = "restored"
#: far above any sequence number a real agency reaches (a bigint column)
MAX_SEQ = 2**62


def restore_notice_doc(high_water: int, restored_at: str, backup_at: str) -> dict[str, Any]:
    return {"high_water": high_water, "restored_at": restored_at, "backup_at": backup_at}


def open_restore_notice(blob: bytes, bundle: KeyBundle) -> int:
    """The notice's high-water mark, once its signature was checked; raises
    :class:`BadSignature` for a forged or malformed one."""
    doc = open_document(blob, RESTORED, trusted_signers(bundle))
    high = doc.get("high_water")
    if isinstance(high, bool) or not isinstance(high, int) or not 0 <= high <= MAX_SEQ:
        raise BadSignature("restore notice without a valid high-water mark")
    return high

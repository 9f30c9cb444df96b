"""Append-only audit log with an HMAC hash chain.

Row *n* carries ``mac_n = HMAC(audit_key, mac_{n-1} | msgpack([seq, at, event, detail]))``
with ``mac_0`` derived from the profile id, so editing, deleting or reordering a
row breaks the chain from that row on. Triggers refuse UPDATE and DELETE. The
key comes from the DEK, so the log is written and verified only while unlocked;
failed unlock attempts are kept in the vault header until the next unlock and
then chained here (see :meth:`Vault.take_unaudited_failures`).

The chain alone cannot see rows cut off the end, so at unlock, lock and close
the session records the last row (seq, mac and an HMAC "head tag") in the vault
header (:meth:`AuditLog.checkpoint`); :meth:`AuditLog.verify` then refuses a log
shorter than the recorded head. Rows written after the last checkpoint are only
protected by the chain.

Details hold ids and counts only, never a sensitive value: :func:`_check_detail`
refuses anything else.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from typing import Any

import msgpack
from sqlite_utils import Database

from peerdesk.crypto.vault import Vault
from peerdesk.errors import AuditChainBroken, Msg
from peerdesk.ids import now_utc, to_iso
from peerdesk.store.db import translate_errors

EVENTS = frozenset(
    {
        "profile_created",
        "unlock",
        "unlock_failed",
        "lock",
        "passphrase_changed",
        "note_signed",
        "addendum_added",
        "note_resubmitted",
        "review",
        "export",
        "sync",
        "recovery",
        "wipe",
        "migrated",
    }
)
_SAFE_TEXT = re.compile(r"^[A-Za-z0-9_.:+\-]{0,64}$")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: str
    event: str
    detail: dict[str, Any]


def _check_detail(detail: dict[str, Any]) -> None:
    for key, value in detail.items():
        ok = isinstance(value, bool | int) or (isinstance(value, str) and _SAFE_TEXT.match(value))
        if not ok:
            raise ValueError(f"audit detail {key!r} must be an id, code or number")


class AuditLog:
    def __init__(self, db: Database, vault: Vault) -> None:
        self.db = db
        self.vault = vault

    def _genesis(self) -> bytes:
        return hashlib.sha256(b"peerdesk/audit/v1|" + self.vault.profile_id.encode()).digest()

    def _mac(self, prev: bytes, seq: int, at: str, event: str, detail: str) -> bytes:
        message = prev + msgpack.packb([seq, at, event, detail])
        return hmac.new(self.vault.keys.audit_key, message, hashlib.sha256).digest()

    def append(self, event: str, at: str | None = None, **detail: Any) -> int:
        """Append one row (inside the caller's transaction if there is one)."""
        if event not in EVENTS:
            raise ValueError(f"unknown audit event {event!r}")
        _check_detail(detail)
        at = at or to_iso(now_utc())
        text = json.dumps(detail, sort_keys=True, separators=(",", ":"))
        with translate_errors(Msg("write the audit log")), self.db.atomic():
            last = self.db.conn.execute(
                "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            seq, prev = (last[0] + 1, last[1]) if last else (1, self._genesis())
            mac = self._mac(prev, seq, at, event, text)
            self.db.conn.execute(
                "INSERT INTO audit (seq, at, event, detail, mac) VALUES (?, ?, ?, ?, ?)",
                (seq, at, event, text, mac),
            )
        return seq

    def entries(self, limit: int | None = None) -> list[AuditEntry]:
        sql = "SELECT seq, at, event, detail FROM audit ORDER BY seq DESC"
        with translate_errors(Msg("read the audit log"), writing=False):
            cur = self.db.conn.execute(
                sql + (" LIMIT ?" if limit else ""), (limit,) if limit else ()
            )
            return [AuditEntry(s, a, e, json.loads(d)) for s, a, e, d in cur]

    def verify(self) -> int:
        """Check the whole chain; return the number of rows. Raises
        :class:`AuditChainBroken` naming the first bad row."""
        with translate_errors(Msg("read the audit log"), writing=False):
            return self._verify()

    def _verify(self) -> int:
        head_seq, head = self._checked_head()
        mac_at_head = b""
        prev = self._genesis()
        expected_seq = 1
        count = 0
        cur = self.db.conn.execute("SELECT seq, at, event, detail, mac FROM audit ORDER BY seq")
        for seq, at, event, detail, mac in cur:
            if seq != expected_seq:
                raise AuditChainBroken(expected_seq, f"row {expected_seq} is missing")
            if not isinstance(mac, bytes) or not hmac.compare_digest(
                mac, self._mac(prev, seq, at, event, detail)
            ):
                raise AuditChainBroken(seq, "HMAC does not match (row edited or out of place)")
            if seq == head_seq:
                mac_at_head = mac
            prev = mac
            expected_seq += 1
            count += 1
        if head_seq:
            if head_seq > count:
                raise AuditChainBroken(count + 1, f"rows {count + 1}-{head_seq} were removed")
            if not hmac.compare_digest(mac_at_head, bytes.fromhex(head["mac"])):
                raise AuditChainBroken(head_seq, "row differs from the recorded head")
        return count

    def _head_tag(self, seq: int, mac: bytes) -> bytes:
        message = b"peerdesk/audit-head/v1|" + seq.to_bytes(8, "big") + mac
        return hmac.new(self.vault.keys.audit_key, message, hashlib.sha256).digest()

    def checkpoint(self) -> None:
        """Record the last row in the vault header (needs the vault unlocked)."""
        with translate_errors(Msg("read the audit log"), writing=False):
            last = self.db.conn.execute(
                "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1"
            ).fetchone()
        if last:
            seq, mac = int(last[0]), bytes(last[1])
            tag = self._head_tag(seq, mac)
            self.vault.set_audit_head({"seq": seq, "mac": mac.hex(), "tag": tag.hex()})

    def _checked_head(self) -> tuple[int, dict[str, Any]]:
        head = self.vault.audit_head
        if head is None:
            return 0, {}
        try:
            seq, mac, tag = int(head["seq"]), bytes.fromhex(head["mac"]), bytes.fromhex(head["tag"])
        except (KeyError, TypeError, ValueError):
            raise AuditChainBroken(1, "the recorded head of the log is unreadable") from None
        if seq < 1 or not hmac.compare_digest(tag, self._head_tag(seq, mac)):
            raise AuditChainBroken(max(seq, 1), "the recorded head of the log is forged")
        return seq, head

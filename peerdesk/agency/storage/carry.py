"""What a restore carries over from the database it replaces (read before it is
overwritten, written into the restored one): :mod:`peerdesk.agency.backup`.

* **Revocations.** A laptop revoked after the backup stays revoked: its
  ``revoked_at`` and signed wipe order are set again and the order is queued
  again (a restore must never un-revoke a stolen laptop).
* **Directory versions.** The versions published after the backup are stored
  again with their downloads, and their signed updates queued again (laptops
  that have them ignore them); the next publication then follows the newest
  version any laptop may hold, never one a laptop already has.
* **The audit log after the backup** is returned so ``restore`` can print it:
  IT sees what to redo (enrollments, invitations, key rotations...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from peerdesk.agency.models import AuditEntry
from peerdesk.agency.storage import Storage
from peerdesk.agency.storage.audit import append_audit
from peerdesk.agency.storage.outbound import queue
from peerdesk.agency.tables import (
    admin_audit,
    devices,
    directory_chunks,
    directory_manifests,
    directory_versions,
    outbound,
)
from peerdesk.ids import from_iso, to_iso

#: directory versions published this long before the backup's time are read too
#: (the backup's time is taken when it ends)
EDGE = timedelta(hours=1)


@dataclass
class Replaced:
    """What the replaced database held that the backup may not."""

    #: (device id, revoked at, wipe order) of every revoked laptop
    revoked: list[tuple[str, str, bytes]] = field(default_factory=list)
    #: directory_versions rows (dicts) published near or after the backup, oldest first
    versions: list[dict[str, Any]] = field(default_factory=list)
    #: outbound payload of each of those versions (by version)
    updates: dict[int, bytes] = field(default_factory=dict)
    manifests: list[dict[str, Any]] = field(default_factory=list)
    chunks: list[dict[str, Any]] = field(default_factory=list)
    #: "at actor action target" of every audit entry after the backup
    audit: list[str] = field(default_factory=list)


def read_replaced(storage: Storage, backup_at: str) -> Replaced | None:
    """What to carry over, or None when the database cannot be read."""
    edge = to_iso(from_iso(backup_at) - EDGE)
    try:
        out = Replaced()
        with storage.db.read() as conn:
            for r in conn.execute(
                select(devices.c.device_id, devices.c.revoked_at, devices.c.wipe_order).where(
                    devices.c.revoked_at.is_not(None), devices.c.wipe_order.is_not(None)
                )
            ):
                out.revoked.append((r.device_id, r.revoked_at, bytes(r.wipe_order)))
            rows = conn.execute(
                select(directory_versions)
                .where(directory_versions.c.published_at >= edge)
                .order_by(directory_versions.c.version)
            ).all()
            out.versions = [dict(r._mapping) for r in rows]
            if out.versions:
                numbers = [v["version"] for v in out.versions]
                seqs = {v["outbound_seq"]: v["version"] for v in out.versions}
                for u in conn.execute(
                    select(outbound.c.seq, outbound.c.payload).where(outbound.c.seq.in_(seqs))
                ):
                    out.updates[seqs[u.seq]] = bytes(u.payload)
                out.manifests = [
                    dict(r._mapping)
                    for r in conn.execute(
                        select(directory_manifests).where(
                            directory_manifests.c.version.in_(numbers)
                        )
                    )
                ]
                out.chunks = [dict(r._mapping) for r in conn.execute(select(directory_chunks))]
            for r in conn.execute(
                select(admin_audit).where(admin_audit.c.at > backup_at).order_by(admin_audit.c.seq)
            ):
                out.audit.append(f"{r.at[:19]}  {r.actor}  {r.action}  {r.target}  {r.detail}")
        return out
    except Exception:  # noqa: BLE001 - a damaged or missing database: nothing to carry
        return None


def carry_over(storage: Storage, replaced: Replaced, now: datetime) -> list[str]:
    """Write ``replaced`` into the restored database; what was carried (lines)."""
    at = to_iso(now)
    done: list[str] = []
    with storage.db.write() as conn:
        for device_id, revoked_at, wipe_order in replaced.revoked:
            row = conn.execute(
                select(devices.c.revoked_at).where(devices.c.device_id == device_id)
            ).first()
            if row is None or row.revoked_at is not None:
                continue  # not in the backup (its credential is gone too), or revoked there
            conn.execute(
                update(devices)
                .where(devices.c.device_id == device_id)
                .values(revoked_at=revoked_at, wipe_order=wipe_order)
            )
            queue(conn, device_id, "wipe", "", wipe_order, at)
            append_audit(
                conn,
                AuditEntry(
                    "restore", "revoke", device_id, f"kept from before the restore ({revoked_at})"
                ),
                at,
            )
            done.append(f"device {device_id} stays revoked (revoked {revoked_at[:19]})")
        newest = conn.execute(select(func.max(directory_versions.c.version))).scalar()
        carried = [
            v
            for v in replaced.versions
            if v["version"] > int(newest or 0) and v["version"] in replaced.updates
        ]
        if carried:
            have = {r.hash for r in conn.execute(select(directory_chunks.c.hash))}
            for chunk in replaced.chunks:
                if chunk["hash"] not in have:
                    conn.execute(insert(directory_chunks).values(**chunk))
        for v in carried:
            seq = queue(conn, None, "directory", "", replaced.updates[v["version"]], at)
            conn.execute(insert(directory_versions).values(**{**v, "outbound_seq": seq}))
            for m in replaced.manifests:
                if m["version"] == v["version"]:
                    conn.execute(insert(directory_manifests).values(**m))
            done.append(
                f"directory version {v['version']} kept (published {v['published_at'][:19]})"
            )
    return done

"""The agency's public keys (``agency_keys``: purpose, expiry) and the signed key
bundles (``key_bundles``) devices fetch; the private keys never reach the database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import insert, select, update

from peerdesk.agency.models import AgencyKeyInfo, AuditEntry, ReviewGrant
from peerdesk.agency.storage.audit import append_audit
from peerdesk.agency.storage.db import Database
from peerdesk.agency.storage.supervisors import store_grants
from peerdesk.agency.tables import agency_keys, key_bundles

#: read by every sync (the record policy): built once
_ALL_KEYS = select(agency_keys).order_by(agency_keys.c.created_at, agency_keys.c.key_id)


class AgencyKeys:
    """``storage.keys``: the agency's public keys and the signed key bundle."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def all(self, purpose: str | None = None) -> list[AgencyKeyInfo]:
        """The keys (of ``purpose``, or every one), oldest first."""
        query = _ALL_KEYS
        if purpose is not None:
            query = query.where(agency_keys.c.purpose == purpose)
        return [
            AgencyKeyInfo(r.key_id, r.purpose, bytes(r.public), r.created_at, r.not_after)
            for r in self._db.rows(query)
        ]

    def change(
        self,
        *,
        add: Sequence[AgencyKeyInfo] = (),
        not_after: Mapping[str, str] | None = None,
        bundle: bytes,
        issued_at: str,
        grants: Sequence[ReviewGrant] = (),
        audit: AuditEntry | None = None,
    ) -> None:
        """Add keys, set expiries, publish the re-signed bundle and store review
        grants of the new keys (to active supervisors), all at once."""
        with self._db.write() as conn:
            for key in add:
                conn.execute(
                    insert(agency_keys).values(
                        key_id=key.key_id,
                        purpose=key.purpose,
                        public=key.public,
                        created_at=key.created_at,
                        not_after=key.not_after,
                    )
                )
            for kid, expiry in (not_after or {}).items():
                conn.execute(
                    update(agency_keys).where(agency_keys.c.key_id == kid).values(not_after=expiry)
                )
            conn.execute(insert(key_bundles).values(issued_at=issued_at, blob=bundle))
            store_grants(conn, self._db, grants, issued_at, strict=False)
            append_audit(conn, audit, issued_at)

    def latest_bundle(self) -> bytes | None:
        blob = self._db.scalar(
            select(key_bundles.c.blob).order_by(key_bundles.c.seq.desc()).limit(1)
        )
        return bytes(blob) if blob is not None else None

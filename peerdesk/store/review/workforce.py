"""The team's workforce records as the supervisor's cache holds them (migration
0013): the newest pulled version of each supervision session, certification,
CEU entry and shared wellbeing check-in, per laptop. Payloads are envelopes in
``review_payloads``."""

from __future__ import annotations

import logging
from collections import defaultdict

from peerdesk.domain.workforce import (
    Certification,
    CeuEntry,
    SupervisionSession,
    WellbeingCheckIn,
    WorkforceRecord,
)
from peerdesk.errors import Msg
from peerdesk.store.base import rows
from peerdesk.store.review.common import ReviewRepository
from peerdesk.wire.payloads import BadPayload
from peerdesk.wire.workforce_payloads import Workforce, workforce_from

log = logging.getLogger(__name__)


def record_of(items: list[Workforce]) -> WorkforceRecord:
    """One laptop's pulled records as a :class:`WorkforceRecord` (the newest
    certification; a check-in only when it says it was shared)."""
    certs = [i for i in items if isinstance(i, Certification)]
    return WorkforceRecord(
        tuple(sorted(
            (i for i in items if isinstance(i, SupervisionSession)),
            key=lambda s: (s.held_on, s.created_at),
        )),
        max(certs, key=lambda c: c.updated_at) if certs else None,
        tuple(sorted(
            (i for i in items if isinstance(i, CeuEntry)), key=lambda e: (e.taken_on, e.created_at)
        )),
        tuple(sorted(
            (i for i in items if isinstance(i, WellbeingCheckIn) and i.shared),
            key=lambda c: (c.taken_on, c.created_at),
        )),
    )  # fmt: skip


class TeamWorkforce(ReviewRepository):
    def _read(self, sql: str, params: tuple[str, ...]) -> dict[str, list[Workforce]]:
        out: dict[str, list[Workforce]] = defaultdict(list)
        for row in list(rows(self.db, sql, params, what=Msg("read the team's workforce records"))):
            doc = self.payload(int(row["seq"]))
            try:
                record = workforce_from(row["kind"], row["record_id"], doc)
            except BadPayload:
                log.warning("pulled %s record %s does not read", row["kind"], row["seq"])
                continue
            out[row["device_id"]].append(record)
        return out

    def of_device(self, device_id: str) -> WorkforceRecord:
        found = self._read(
            "SELECT * FROM review_workforce_records WHERE device_id = ? ORDER BY seq",
            (device_id,),
        )
        return record_of(found.get(device_id, []))

    def everyone(self) -> dict[str, WorkforceRecord]:
        found = self._read("SELECT * FROM review_workforce_records ORDER BY seq", ())
        return {device: record_of(items) for device, items in found.items()}

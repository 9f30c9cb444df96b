"""A supervisor's pull, as a step generator (:mod:`peerdesk.link.steps`).

The review-key grants (kept sealed as received; opened in memory for this pull
only), the team's laptops, then the records page by page (each opened with the
review key it names, checked, and stored as envelopes with the cursor, one
transaction per page), then the review events. A record that does not open or
verify is stored as broken with its reason and never stops the pull; one that
was broken for want of a key is repaired when a grant for that key arrives.
``cancel`` is asked between pages; what was stored stays stored and the next
pull resumes. Every request is a ``Net`` step: the profile is never held while
the agency answers, and if it was locked meanwhile the pull stops with
:class:`VaultLocked`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from typing import Any

from peerdesk.crypto.seal import BoxKeyPair, open_sealed
from peerdesk.crypto.vault import Vault
from peerdesk.domain.review import Grant, PulledRecord, PullProgress
from peerdesk.errors import PeerDeskError, ProtocolError, SealBroken, VaultLocked
from peerdesk.link.client import AgencyClient
from peerdesk.link.steps import Net, request
from peerdesk.store.audit import AuditLog
from peerdesk.store.device import DeviceStore
from peerdesk.store.review import NO_KEY, PAYLOAD, SEALED, Opened, ReviewInbox
from peerdesk.wire.payloads import BadPayload, check
from peerdesk.wire.protocol import Record, open_record
from peerdesk.wire.record_payloads import RECORD_KINDS, check_record
from peerdesk.wire.segments import Segment, check_member, open_segment
from peerdesk.wire.workforce_payloads import WORKFORCE_KINDS, check_workforce

log = logging.getLogger(__name__)

#: records asked for per request while pulling
PULL_PAGE = 1000
GRANT_INFO = b"peerdesk-review-grant|"


def grant_info(supervisor_id: str, key_id: str) -> bytes:
    """The HPKE ``info`` a review-key grant is sealed with (issue 6 contract)."""
    return GRANT_INFO + supervisor_id.encode() + b"|" + key_id.encode()


def open_grants(
    grants: list[Grant], box: BoxKeyPair, supervisor_id: str
) -> tuple[dict[str, BoxKeyPair], int]:
    """Open each grant with the supervisor's box key. Returns the review keys by
    key id and the number of grants that did not open (or held another key)."""
    keys: dict[str, BoxKeyPair] = {}
    bad = 0
    for g in grants:
        try:
            pair = BoxKeyPair.from_raw(
                open_sealed(g.sealed, box, grant_info(supervisor_id, g.key_id))
            )
        except SealBroken:
            bad += 1
            log.warning("review key grant %s does not open with this supervisor's key", g.key_id)
            continue
        if pair.key_id != g.key_id:
            bad += 1
            log.warning("review key grant %s holds another key", g.key_id)
            continue
        keys[pair.key_id] = pair
    return keys, bad


#: opened segments of one page (or repair round), by seq: each is opened once
SegmentCache = dict[int, "list[dict[str, Any]] | Exception"]


def _open_payload(
    record: PulledRecord, key: BoxKeyPair, cache: SegmentCache | None
) -> dict[str, Any]:
    """The record's payload: its own seal, or its part of its segment (the segment
    opened once per ``cache``). Raises :class:`SealBroken` or :class:`ProtocolError`."""
    seg = record.segment
    if seg is None:
        wire = Record(
            record.op_id,
            record.kind,
            record.entity_id,
            record.key_id,
            record.dictionary,
            record.sealed,
        )
        return open_record(wire, record.device_id, key)
    segment = Segment(seg.kind, seg.key_id, seg.dictionary, seg.ids, seg.sealed)
    check_member(segment, record.part, record.op_id, record.entity_id, record.kind)
    cache = {} if cache is None else cache
    if seg.seq not in cache:
        try:
            cache[seg.seq] = open_segment(segment, record.device_id, key)
        except (SealBroken, ProtocolError) as exc:
            cache[seg.seq] = exc
    opened = cache[seg.seq]
    if isinstance(opened, Exception):
        raise opened
    return opened[record.part]


def open_one(
    record: PulledRecord, keys: Mapping[str, BoxKeyPair], cache: SegmentCache | None = None
) -> Opened:
    """Open and check one record; never raises for a bad record."""
    key = keys.get(record.key_id)
    if record.kind == "escrow":
        return Opened(record, broken="is a recovery escrow, not for review", code=SEALED)
    if key is None:
        return Opened(
            record,
            broken=f"is sealed to review key {record.key_id}, which you were not granted",
            code=NO_KEY,
        )
    try:
        doc = _open_payload(record, key, cache)
    except SealBroken:
        return Opened(
            record,
            broken="does not open: it was altered, or moved from another record or laptop",
            code=SEALED,
        )
    except ProtocolError as exc:
        return Opened(record, broken=f"opened but is not readable ({exc.reason})", code=PAYLOAD)
    try:
        if record.kind in RECORD_KINDS:
            payload = check_record(record.kind, doc, record.entity_id)
        elif record.kind in WORKFORCE_KINDS:
            payload = check_workforce(record.kind, doc, record.entity_id)
        else:
            payload = check(record.kind, doc, record.entity_id)
    except BadPayload as exc:
        return Opened(record, broken=f"opened but is not usable: {exc}", code=PAYLOAD)
    except Exception as exc:  # noqa: BLE001 - one record must never stop a pull
        return Opened(
            record,
            broken=f"opened but is not usable: its check failed ({type(exc).__name__})",
            code=PAYLOAD,
        )
    return Opened(record, payload=payload)


@dataclass(frozen=True, slots=True)
class PullParts:
    """The profile's stores a pull reads and writes (assembled by the service)."""

    vault: Vault
    device: DeviceStore
    audit: AuditLog
    inbox: ReviewInbox


PullSteps = Generator[Any, Any, PullProgress]


def pull(
    parts: PullParts,
    client: AgencyClient,
    cancel: Callable[[], bool] | None = None,
    page_size: int = PULL_PAGE,
) -> PullSteps:
    """One pull: yields :class:`PullProgress` and steps; returns the last progress.
    A failure is recorded as the last pull's error, then raised."""
    run = _Pull(parts, client, cancel or (lambda: False), page_size)
    try:
        return (yield from run.run())
    except PeerDeskError as exc:
        parts.inbox.finish_pull(str(exc) or type(exc).__name__)
        raise


class _Pull:
    def __init__(
        self,
        parts: PullParts,
        client: AgencyClient,
        cancel: Callable[[], bool],
        page_size: int,
    ) -> None:
        self.p = parts
        self.inbox = parts.inbox
        self.client = client
        self.cancel = cancel
        self.page_size = page_size
        self.counts: dict[str, Any] = {
            "keys": 0,
            "bad_grants": 0,
            "devices": 0,
            "records": 0,
            "broken": 0,
            "repaired": 0,
            "events": 0,
            "cursor": 0,
            "more": False,
        }

    def progress(self, stage: str) -> PullProgress:
        return PullProgress(stage=stage, **self.counts)

    def _net(self, fn: Callable[..., Any], *args: Any) -> Generator[Net, Any, Any]:
        return (yield from request(self._still_open, fn, *args))

    def _still_open(self) -> None:
        if not self.p.vault.is_unlocked:
            raise VaultLocked("the profile was locked during the pull; it resumes next time")

    def run(self) -> PullSteps:
        record = self.p.device.require()
        secrets = self.p.device.secrets()
        grants = yield from self._net(self.client.review_keys)
        keys, bad = open_grants(grants, secrets.box, record.device_id)
        self.inbox.save_grants(grants)
        self.counts.update(keys=len(keys), bad_grants=bad)
        yield self.progress("grants")
        self._repair(keys)
        if self.cancel():
            return (yield from self._cancelled())
        devices = yield from self._net(self.client.review_devices)
        self.counts["devices"] = self.inbox.save_devices(devices)
        yield self.progress("devices")
        after, events_after = self.inbox.cursors()
        self.counts["cursor"] = after
        while True:
            if self.cancel():
                return (yield from self._cancelled())
            page = yield from self._net(self.client.review_records, after, self.page_size)
            cache: SegmentCache = {}
            opened = [open_one(r, keys, cache) for r in page.records]
            cursor = max((r.seq for r in page.records), default=after)
            stored, broken = self.inbox.store_records(opened, cursor)
            self.counts["records"] += stored
            self.counts["broken"] += broken
            self.counts["cursor"] = after = cursor
            self.counts["more"] = page.more and bool(page.records)
            yield self.progress("records")
            if not self.counts["more"]:
                break
        while True:
            if self.cancel():
                return (yield from self._cancelled())
            events = yield from self._net(self.client.review_events, events_after, self.page_size)
            cursor = max((e.seq for e in events.events), default=events_after)
            self.counts["events"] += self.inbox.store_events(events.events, cursor)
            events_after = cursor
            self.counts["more"] = events.more and bool(events.events)
            yield self.progress("events")
            if not self.counts["more"]:
                break
        self.inbox.finish_pull(None)
        self._audit("done")
        done = self.progress("done")
        yield done
        return done

    def _repair(self, keys: Mapping[str, BoxKeyPair]) -> None:
        seen: set[int] = set()
        while True:
            waiting = [r for r in self.inbox.broken_for_keys(keys) if r.seq not in seen]
            if not waiting:
                return
            seen.update(r.seq for r in waiting)
            cache: SegmentCache = {}
            opened = [open_one(r, keys, cache) for r in waiting]
            self.counts["repaired"] += self.inbox.repair(opened)

    def _cancelled(self) -> PullSteps:
        self._audit("cancelled")
        stopped = self.progress("cancelled")
        yield stopped
        return stopped

    def _audit(self, outcome: str) -> None:
        c = self.counts
        self.p.audit.append(
            "review",
            kind="pull",
            outcome=outcome,
            records=c["records"],
            broken=c["broken"],
            repaired=c["repaired"],
            events=c["events"],
            cursor=c["cursor"],
        )

"""The supervisor's side of review: enrollment, pulling, deciding.

* **Enrollment** reuses the device machinery: the supervisor's profile makes an
  Ed25519 sign pair and an X25519 box pair, registers the public halves with a
  one-time supervisor invite code, verifies the agency's key bundle with the
  pinned root key before storing anything, and keeps the private keys and the
  credential as envelopes in the ``device`` row (:class:`DeviceStore`), so they
  open only with the supervisor's passphrase.
* **Pull** (:func:`pull`, a generator, no threads): the review-key grants (kept
  sealed as received; opened in memory for this pull only), the team's laptops,
  then the records page by page (each opened with the review key it names,
  checked, and stored as envelopes with the cursor, one transaction per page),
  then the review events. A record that does not open or verify is stored as
  broken with its reason and never stops the pull; one that was broken for want
  of a key is repaired when a grant for that key arrives. ``cancel`` is asked
  between pages; what was stored stays stored and the next pull resumes.
* **Decide**: the feedback is sealed to the device's box key exactly like
  :meth:`peerdesk.agency.review.Reviewer.send_feedback` does (msgpack
  ``{decision, comment, reviewer, at}``, HPKE, ``feedback_info``), posted with the
  ``seen_seq`` of the opened note; a 409 is :class:`NoteChanged`. An accepted
  decision is recorded locally with its event and an audit row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgpack

from peerdesk.config import Provisioning
from peerdesk.crypto.seal import BoxKeyPair, SigningKeyPair, open_sealed, seal
from peerdesk.crypto.vault import Vault
from peerdesk.errors import PeerDeskError, ProtocolError, SealBroken, ValidationError
from peerdesk.ids import from_iso, new_id, now_utc, to_iso
from peerdesk.review.cache import NO_KEY, PAYLOAD, SEALED, Opened, ReviewCache
from peerdesk.review.client import Grant, PulledRecord, SupervisorClient
from peerdesk.review.models import DECISIONS, PullProgress, ReviewEvent, SupervisorInfo
from peerdesk.review.payloads import BadPayload, check
from peerdesk.store.audit import AuditLog
from peerdesk.store.db import translate_errors
from peerdesk.store.device import DeviceRecord, DeviceSecrets, DeviceStore
from peerdesk.sync.enrollment import check_label
from peerdesk.sync.protocol import Record, feedback_info, open_bundle, open_record

log = logging.getLogger(__name__)

MAX_COMMENT = 4000
MAX_REVIEWER = 200
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


def open_one(record: PulledRecord, keys: Mapping[str, BoxKeyPair]) -> Opened:
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
    wire = Record(
        record.op_id, record.kind, record.entity_id, record.key_id, record.dictionary, record.sealed
    )
    try:
        doc = open_record(wire, record.device_id, key)
    except SealBroken:
        return Opened(
            record,
            broken="does not open: it was altered, or moved from another record or laptop",
            code=SEALED,
        )
    except ProtocolError as exc:
        return Opened(record, broken=f"opened but is not readable ({exc.reason})", code=PAYLOAD)
    try:
        payload = check(record.kind, doc, record.entity_id)
    except BadPayload as exc:
        return Opened(record, broken=f"opened but is not usable: {exc}", code=PAYLOAD)
    return Opened(record, payload=payload)


@dataclass
class ReviewDesk:
    """The supervisor's review work on one profile (assembled by the service)."""

    db: Any
    vault: Vault
    device: DeviceStore
    audit: AuditLog
    cache: ReviewCache

    # -- enrollment ------------------------------------------------------------------------

    def enroll(
        self, client: SupervisorClient, provisioning: Provisioning, code: str, name: str
    ) -> SupervisorInfo:
        current = self.device.get()
        if current is not None:
            raise ValidationError(
                f"this profile is enrolled with {current.agency_name} already",
                field="provisioning",
            )
        name = check_label(name)
        code = code.strip()
        if not code or len(code) > 64:
            raise ValidationError("type the supervisor invite code IT gave you", field="code")
        self.vault.keys  # noqa: B018 - VaultLocked now, before anything goes over the network
        supervisor_id = new_id()
        signing, box = SigningKeyPair.generate(), BoxKeyPair.generate()
        answer = client.enroll_supervisor(
            code=code,
            supervisor_id=supervisor_id,
            name=name,
            sign_pub=signing.public_raw,
            box_pub=box.public_raw,
        )
        if answer.supervisor_id != supervisor_id:
            raise ProtocolError("the agency enrolled another supervisor id than the one sent")
        open_bundle(answer.bundle, provisioning.root_public_key, provisioning.root_key_id)
        now = to_iso(now_utc())
        name = answer.name.strip() or name  # IT's name for the supervisor wins
        record = DeviceRecord(
            device_id=supervisor_id,
            agency_name=provisioning.agency_name,
            agency_url=provisioning.agency_url,
            root_key=provisioning.root_public_key,
            root_key_id=provisioning.root_key_id,
            ca_pem=provisioning.ca_cert_pem,
            bundle=answer.bundle,
            cursor=0,
            enrolled_at=now,
            bundle_checked_at=now,
        )
        with translate_errors("save the enrollment"), self.db.atomic():
            self.device.save(record, DeviceSecrets(signing, box, answer.credential, name))
            self.cache.set_team(answer.team)
            self.audit.append("review", kind="enroll", supervisor_id=supervisor_id)
        log.info("enrolled as supervisor %s", supervisor_id)
        return SupervisorInfo(supervisor_id, name, answer.team, provisioning.agency_name, now)

    def info(self) -> SupervisorInfo | None:
        record = self.device.get()
        if record is None:
            return None
        return SupervisorInfo(
            record.device_id,
            self.device.secrets().label,
            self.cache.team(),
            record.agency_name,
            record.enrolled_at,
        )

    def client(self, transport: Any = None) -> SupervisorClient:
        record = self.device.require()
        return SupervisorClient(
            record.agency_url,
            ca_pem=record.ca_pem,
            credential=self.device.secrets().credential,
            transport=transport,
        )

    # -- pull ------------------------------------------------------------------------------

    def pull(
        self,
        client: SupervisorClient,
        cancel: Callable[[], bool] | None = None,
        page_size: int = PULL_PAGE,
    ) -> Iterator[PullProgress]:
        stop = cancel or (lambda: False)
        run = _Pull(self, client, stop, page_size)
        try:
            yield from run.run()
        except PeerDeskError as exc:
            self.cache.finish_pull(str(exc) or type(exc).__name__)
            raise

    # -- decide ----------------------------------------------------------------------------

    def decide(
        self,
        client: SupervisorClient,
        *,
        device_id: str,
        note_id: str,
        decision: str,
        comment: str,
        seen_seq: int,
        reviewer: str,
    ) -> ReviewEvent:
        if decision not in DECISIONS:
            raise ValidationError("decision must be 'approved' or 'returned'", field="decision")
        comment = comment.strip()
        if decision == "returned" and not comment:
            raise ValidationError(
                "write a comment that says what to fix before returning the note", field="comment"
            )
        if len(comment) > MAX_COMMENT:
            raise ValidationError(f"a comment is at most {MAX_COMMENT} characters", field="comment")
        reviewer = " ".join(reviewer.split())
        if not 1 <= len(reviewer) <= MAX_REVIEWER:
            raise ValidationError(
                f"sign the decision with your name (1-{MAX_REVIEWER} characters)", field="reviewer"
            )
        if not isinstance(seen_seq, int) or seen_seq < 0:
            raise ValidationError("seen_seq comes from the opened note", field="seen_seq")
        # A revoked laptop's notes can still be decided (billing needs the decision);
        # its feedback simply never reaches it.
        device = self.cache.device(device_id)
        self.vault.keys  # noqa: B018 - VaultLocked before anything goes out
        at = now_utc()
        packed = msgpack.packb(
            {"decision": decision, "comment": comment, "reviewer": reviewer, "at": to_iso(at)},
            use_bin_type=True,
        )
        sealed = seal(packed, device.box_pub, feedback_info(device_id, note_id))
        answer = client.decide(
            device_id=device_id,
            note_id=note_id,
            decision=decision,
            seen_seq=seen_seq,
            reviewer=reviewer,
            sealed_feedback=sealed,
        )
        with translate_errors("save the decision"), self.db.atomic():
            self.cache.record_decision(
                device_id=device_id,
                note_id=note_id,
                decision=decision,
                decided_at=at,
                event_seq=answer.event_seq,
                comment=comment,
                reviewer=reviewer,
            )
            self.audit.append(
                "review",
                kind="decision",
                decision=decision,
                device_id=device_id,
                note_id=note_id,
                event_seq=answer.event_seq,
            )
        return ReviewEvent(decision, _ms(at), reviewer, answer.event_seq)


def _ms(moment: datetime) -> datetime:
    """``moment`` at the precision the cache stores (milliseconds)."""
    return from_iso(to_iso(moment))


class _Pull:
    def __init__(
        self,
        desk: ReviewDesk,
        client: SupervisorClient,
        cancel: Callable[[], bool],
        page_size: int,
    ) -> None:
        self.desk = desk
        self.cache = desk.cache
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

    def run(self) -> Iterator[PullProgress]:
        record = self.desk.device.require()
        secrets = self.desk.device.secrets()
        grants = self.client.review_keys()
        keys, bad = open_grants(grants, secrets.box, record.device_id)
        self.cache.save_grants(grants)
        self.counts.update(keys=len(keys), bad_grants=bad)
        yield self.progress("grants")
        self._repair(keys)
        if self.cancel():
            yield from self._cancelled()
            return
        self.counts["devices"] = self.cache.save_devices(self.client.review_devices())
        yield self.progress("devices")
        after, events_after = self.cache.cursors()
        self.counts["cursor"] = after
        while True:
            if self.cancel():
                yield from self._cancelled()
                return
            page = self.client.review_records(after, self.page_size)
            opened = [open_one(r, keys) for r in page.records]
            cursor = max((r.seq for r in page.records), default=after)
            stored, broken = self.cache.store_records(opened, cursor)
            self.counts["records"] += stored
            self.counts["broken"] += broken
            self.counts["cursor"] = after = cursor
            self.counts["more"] = page.more and bool(page.records)
            yield self.progress("records")
            if not self.counts["more"]:
                break
        while True:
            if self.cancel():
                yield from self._cancelled()
                return
            events = self.client.review_events(events_after, self.page_size)
            cursor = max((e.seq for e in events.events), default=events_after)
            self.counts["events"] += self.cache.store_events(events.events, cursor)
            events_after = cursor
            self.counts["more"] = events.more and bool(events.events)
            yield self.progress("events")
            if not self.counts["more"]:
                break
        self.cache.finish_pull(None)
        self._audit("done")
        yield self.progress("done")

    def _repair(self, keys: Mapping[str, BoxKeyPair]) -> None:
        seen: set[int] = set()
        while True:
            waiting = [r for r in self.cache.broken_for_keys(keys) if r.seq not in seen]
            if not waiting:
                return
            seen.update(r.seq for r in waiting)
            self.counts["repaired"] += self.cache.repair([open_one(r, keys) for r in waiting])

    def _cancelled(self) -> Iterator[PullProgress]:
        self._audit("cancelled")
        yield self.progress("cancelled")

    def _audit(self, outcome: str) -> None:
        c = self.counts
        self.desk.audit.append(
            "review",
            kind="pull",
            outcome=outcome,
            records=c["records"],
            broken=c["broken"],
            repaired=c["repaired"],
            events=c["events"],
            cursor=c["cursor"],
        )

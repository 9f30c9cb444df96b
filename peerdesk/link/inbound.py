"""What a sync answer brings back to a laptop, applied inside the answer's
transaction (see :mod:`peerdesk.link.sync`).

* ``wipe`` orders are looked at before anything else in an answer: a valid one
  (signed by the bundle's signing key, naming this device) crypto-erases the
  profile, then :class:`DeviceRevoked` is raised. A forged or misaddressed one is
  ignored, logged and counted.
* ``feedback`` is opened with the device's box key, stored encrypted and moves
  the note through the domain state machine.
* ``directory`` updates are verified with the bundle's signing key and applied
  (:mod:`peerdesk.wire.directory_updates`); one announced by its manifest, or
  one for another base version, asks for a download after the answer
  (:mod:`peerdesk.link.directory_download`).
* ``restored`` (the agency went back to a backup): verified with the bundle's
  signing key; what it had acknowledged above the notice's high-water mark goes
  back in the queue and is sent again (:mod:`peerdesk.wire.restore`).
* ``policy`` is not used yet: logged and skipped.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import NoReturn

import msgpack

from peerdesk.crypto.seal import open_sealed
from peerdesk.domain import notes as note_rules
from peerdesk.domain.models import NoteState
from peerdesk.errors import (
    BadSignature,
    DeviceRevoked,
    DirectoryDataError,
    InvalidTransition,
    SealBroken,
)
from peerdesk.ids import from_iso
from peerdesk.link.parts import SyncParts
from peerdesk.store.device import DeviceRecord, DeviceSecrets
from peerdesk.store.sync_state import move_note, note_state
from peerdesk.wire.directory_chunks import is_manifest
from peerdesk.wire.directory_updates import apply_directory_update
from peerdesk.wire.protocol import (
    Inbound,
    KeyBundle,
    feedback_info,
    open_wipe_order,
    trusted_signers,
)
from peerdesk.wire.restore import RESTORED, open_restore_notice

log = logging.getLogger(__name__)

MAX_FEEDBACK_TEXT = 20_000


def review_transition(state: NoteState, decision: str) -> NoteState:
    """The state a supervisor's ``decision`` moves a note in ``state`` to, through
    the domain state machine. A note still ``signed`` here was received by the
    agency before its acknowledgement reached this laptop, so it is submitted
    first; a returned note that is decided again was resubmitted. Raises
    :class:`InvalidTransition` (e.g. a draft, or a note approved already)."""
    action = {"approved": "approve", "returned": "return"}[decision]
    if state is NoteState.SIGNED:
        state = note_rules.next_state(state, "submit")
    elif state is NoteState.RETURNED:
        state = note_rules.next_state(state, "resubmit")
    return note_rules.next_state(state, action)


class InboundItems:
    """Applies inbound items for one run and counts them. The run sets
    :attr:`bundle` (and sets it again when it takes a newer one)."""

    def __init__(self, parts: SyncParts, record: DeviceRecord, secrets: DeviceSecrets) -> None:
        self.p = parts
        self.record = record
        self.secrets = secrets
        self.bundle: KeyBundle | None = None
        self.feedback = 0
        self.ignored = 0
        self.forged_wipes = 0
        self.directory_updates = 0
        #: a directory download is wanted: an update was announced by its manifest
        #: (too large to travel whole), or one could not apply to this laptop's version
        self.directory_wanted = False
        #: notes whose review state feedback moved
        self.notes_moved = 0
        #: acknowledged records put back in the queue by a restore notice
        self.reopened = 0

    def apply(self, item: Inbound) -> None:
        if item.kind == "feedback":
            self._feedback(item)
        elif item.kind == "wipe":
            pass  # looked at before anything else (see wipe())
        elif item.kind == "directory" and self.p.directory is not None:
            self._directory(item)
        elif item.kind == RESTORED and self.bundle is not None:
            self._restored(item)
        else:
            # policy updates are not used by this version
            self.ignored += 1
            log.info("inbound %s update (seq %d) not used by this version", item.kind, item.seq)

    def _restored(self, item: Inbound) -> None:
        assert self.bundle is not None
        try:
            notice = open_restore_notice(item.payload, self.bundle)
        except BadSignature as exc:
            self.ignored += 1
            log.warning("restore notice (seq %d) not applied: %s", item.seq, exc)
            return
        reopened = self.p.queue.reopen_acked_after(notice.high_water, notice.upper)
        self.reopened += reopened
        log.info("the agency was restored (records up to %d kept): %d record(s) to send again",
                 notice.high_water, reopened)  # fmt: skip

    def _directory(self, item: Inbound) -> None:
        assert self.p.directory is not None and self.bundle is not None
        if is_manifest(item.payload):
            self._want_download()  # the manifest is verified when it is downloaded
            return
        try:
            result = apply_directory_update(
                self.p.directory, item.payload, trusted_signers(self.bundle)
            )
        except (BadSignature, DirectoryDataError) as exc:
            if isinstance(exc, DirectoryDataError) and exc.field == "base_version":
                self._want_download()  # no base, or behind: a download catches up
            self.ignored += 1
            log.warning("directory update (seq %d) not applied: %s", item.seq, exc)
            return
        if result.applied:
            self.directory_updates += 1

    def _want_download(self) -> None:
        self.directory_wanted = True
        if self.p.directory_download is not None:
            self.p.directory_download.want()  # in the answer's transaction

    def _feedback(self, item: Inbound) -> None:
        parsed = self._open_feedback(item)
        if parsed is None:
            self.ignored += 1
            return
        decision, comment, reviewer, at = parsed
        stored = self.p.feedback.add(
            note_id=item.ref,
            decision=decision,
            comment=comment,
            reviewer=reviewer,
            decided_at=at,
            server_seq=item.seq,
        )
        if stored is None:
            return
        self.feedback += 1
        state = note_state(self.p.db, item.ref)
        if state is None:
            log.warning("feedback (seq %d) for a note this profile does not have", item.seq)
            return
        try:
            new = review_transition(state, decision)
        except InvalidTransition:
            log.warning("feedback (seq %d) does not apply to a %s note", item.seq, state.value)
            return
        if move_note(self.p.db, item.ref, state, new):
            self.notes_moved += 1
        self.p.audit.append("sync", kind="feedback", note_id=item.ref, decision=decision)

    def _open_feedback(self, item: Inbound) -> tuple[str, str, str, datetime] | None:
        if not item.ref:
            log.warning("feedback (seq %d) names no note; ignored", item.seq)
            return None
        try:
            plain = open_sealed(
                item.payload, self.secrets.box, feedback_info(self.record.device_id, item.ref)
            )
        except SealBroken:
            log.warning("feedback (seq %d) does not open with this laptop's key", item.seq)
            return None
        try:
            doc = msgpack.unpackb(plain, raw=False, strict_map_key=True)
        except (ValueError, msgpack.UnpackException):
            doc = None
        try:
            if not isinstance(doc, dict):
                raise ValueError("not a map")
            decision, comment = doc["decision"], doc["comment"]
            reviewer, at = doc["reviewer"], doc["at"]
            if decision not in ("approved", "returned"):
                raise ValueError("unknown decision")
            if not isinstance(comment, str) or not isinstance(reviewer, str):
                raise ValueError("comment and reviewer must be text")
            if len(comment) > MAX_FEEDBACK_TEXT or len(reviewer) > 200:
                raise ValueError("too long")
            when = from_iso(str(at).replace("Z", "+00:00"))
        except (KeyError, TypeError, ValueError):
            log.warning("feedback (seq %d) is malformed; ignored", item.seq)
            return None
        return str(decision), comment, reviewer, when

    # -- revocation and wipe -------------------------------------------------------------

    def wipe(self, blob: bytes) -> None:
        """Erase the profile if ``blob`` is a valid wipe order for this device (then
        raise :class:`DeviceRevoked`); otherwise log, count and carry on."""
        assert self.bundle is not None
        try:
            doc = open_wipe_order(blob, self.bundle, self.record.device_id)
        except BadSignature as exc:
            self.forged_wipes += 1
            log.warning("ignored a wipe order that is not valid: %s", exc)
            return
        self.p.vault.crypto_erase()
        log.warning("wipe order %s applied: this profile was erased", str(doc.get("order"))[:40])
        raise DeviceRevoked(
            "the agency revoked this laptop; the PeerDesk data on it has been erased"
        )

    def revoked(self, wipe_order: bytes | None) -> NoReturn:
        if wipe_order is not None:
            self.wipe(wipe_order)
        raise DeviceRevoked(
            "the agency says this laptop was revoked, but sent no valid wipe order; "
            "nothing was erased and sync is stopped"
        )

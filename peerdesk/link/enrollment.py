"""Enrolling a profile with an agency (a field laptop or a supervisor: one
routine), and keeping a recovery code in escrow.

Enrollment: the profile makes its id (UUIDv7) and its Ed25519 (signing) and
X25519 (sealing) key pairs, sends the public halves with the one-time code IT
gave (``POST /v1/enroll`` for a laptop, ``POST /v1/supervisor/enroll`` with a
supervisor invite), and gets back a bearer credential and the agency's key
bundle. The bundle is verified with the root key pinned in the provisioning file
*before* anything is stored; then the ``device`` row (secrets as envelopes) is
saved, with a first recovery secret for a laptop and the team for a supervisor.
:func:`enroll` is a step generator (:mod:`peerdesk.link.steps`): its one network
call is a ``Net`` step.

Recovery escrow (laptops): :func:`renew_recovery` makes a 128-bit secret, wraps
the data key under it in a new vault slot, keeps the secret (as an envelope)
until the agency acknowledges the "escrow" outbox record that carries it sealed
to the agency's recovery key, and the sync run deletes it then.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from peerdesk.config import Provisioning
from peerdesk.crypto import recovery
from peerdesk.crypto.seal import BoxKeyPair, SigningKeyPair
from peerdesk.crypto.vault import Vault
from peerdesk.domain.review import PEER, SupervisorInfo, check_role
from peerdesk.errors import Msg, ProtocolError, ValidationError
from peerdesk.ids import new_id, now_utc, to_iso
from peerdesk.link.client import AgencyClient, Enrollment
from peerdesk.link.steps import Net
from peerdesk.store.audit import AuditLog
from peerdesk.store.db import translate_errors
from peerdesk.store.device import DeviceRecord, DeviceSecrets, DeviceStore
from peerdesk.store.review import ReviewInbox
from peerdesk.store.sync_state import SyncQueue
from peerdesk.wire.protocol import open_bundle

log = logging.getLogger(__name__)

MAX_LABEL = 100
#: what a profile of each role enrolls as
_NOUN = {"peer": "device", "supervisor": "supervisor"}
_ASK_CODE = {
    "peer": Msg("type the enrollment code IT gave you"),
    "supervisor": Msg("type the supervisor invite code IT gave you"),
}


def check_label(label: str) -> str:
    label = " ".join(label.split())
    if not 1 <= len(label) <= MAX_LABEL:
        raise ValidationError(
            Msg("name this laptop for the agency in 1 to {limit} characters", limit=MAX_LABEL),
            field="label",
        )
    return label


def check_code(code: str | None, role: str) -> str:
    code = (code or "").strip()
    if not code or len(code) > 64:
        raise ValidationError(_ASK_CODE[role], field="code")
    return code


@dataclass(frozen=True, slots=True)
class EnrollParts:
    """The profile's stores enrollment writes (assembled by the service)."""

    db: Any
    vault: Vault
    device: DeviceStore
    queue: SyncQueue
    audit: AuditLog
    inbox: ReviewInbox


def enroll(
    parts: EnrollParts,
    client: AgencyClient,
    provisioning: Provisioning,
    *,
    role: str,
    code: str | None,
    label: str,
) -> Generator[Net, Any, DeviceRecord | SupervisorInfo]:
    """Enroll this profile (vault unlocked) as a ``role`` profile: a ``"peer"``
    laptop (``label`` names the laptop; returns its :class:`DeviceRecord`) or a
    ``"supervisor"`` (``label`` is how decisions are signed; returns the
    :class:`SupervisorInfo`).

    Raises :class:`ValidationError` if it is enrolled already or the input is
    unusable, :class:`AgencyRejected` for a bad code, :class:`BadSignature` if the
    bundle is not signed by the pinned root key (nothing is stored then),
    :class:`AgencyUnreachable` for the network."""
    check_role(role)
    current = parts.device.get()
    if current is not None:
        raise ValidationError(
            Msg(
                "this profile is enrolled with {agency_name} already",
                agency_name=current.agency_name,
            ),
            field="provisioning",
        )
    label = check_label(label)
    code = check_code(code if code is not None else provisioning.enrollment_code, role)
    parts.vault.keys  # noqa: B018 - VaultLocked now, before anything goes over the network
    own_id = new_id()
    signing, box = SigningKeyPair.generate(), BoxKeyPair.generate()
    keys = {"code": code, "sign_pub": signing.public_raw, "box_pub": box.public_raw}
    answer: Enrollment
    if role == PEER:
        answer = yield Net(client.enroll, **keys, device_id=own_id, label=label)
    else:
        answer = yield Net(client.enroll_supervisor, **keys, supervisor_id=own_id, name=label)
    noun = _NOUN[role]
    if answer.enrolled_id != own_id:
        raise ProtocolError(f"the agency enrolled another {noun} id than the one sent")
    # Verify before storing anything: a bundle not signed by the pinned root is refused.
    open_bundle(answer.bundle, provisioning.root_public_key, provisioning.root_key_id)
    now = to_iso(now_utc())
    if role != PEER:
        label = answer.name.strip() or label  # IT's name for the supervisor wins
    record = DeviceRecord(
        device_id=own_id,
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
    with translate_errors(Msg("save the enrollment")), parts.db.atomic():
        parts.device.save(record, DeviceSecrets(signing, box, answer.credential, label))
        if role == PEER:
            parts.audit.append("sync", kind="enroll", device_id=own_id)
        else:
            parts.inbox.set_team(answer.team)
            parts.audit.append("review", kind="enroll", supervisor_id=own_id)
    log.info("enrolled as %s %s", noun, own_id)
    if role == PEER:
        renew_recovery(parts.db, parts.vault, parts.device, parts.queue)
        return record
    return SupervisorInfo(own_id, label, answer.team, provisioning.agency_name, now)


def renew_recovery(db: Any, vault: Vault, device: DeviceStore, queue: SyncQueue) -> str:
    """Make a new recovery secret: a vault slot, the secret kept as an envelope
    and an "escrow" record queued. Returns the escrow id."""
    device.require()
    secret = recovery.new_secret()
    escrow_id = new_id()
    # The slot first: a slot without an escrow is harmless, the reverse is not.
    vault.add_recovery_slot(escrow_id, secret)
    with translate_errors(Msg("queue the recovery escrow")), db.atomic():
        device.add_escrow_secret(escrow_id, secret)
        queue.record_escrow(escrow_id)
    return escrow_id


def ensure_recovery(db: Any, vault: Vault, device: DeviceStore, queue: SyncQueue) -> bool:
    """If the profile is enrolled but has no recovery slot and no escrow waiting
    (the slot was used for a recovery), make a new one. True if it did."""
    if device.get() is None or vault.recovery_slot_ids or device.pending_escrow_ids():
        return False
    renew_recovery(db, vault, device, queue)
    return True

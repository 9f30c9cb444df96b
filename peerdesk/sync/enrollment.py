"""Enrolling a profile with an agency, and keeping a recovery code in escrow.

Enrollment (sync contract, ``POST /v1/enroll``): the device makes its id
(UUIDv7) and its Ed25519 (batch signing) and X25519 (feedback sealing) key
pairs, sends the public halves with the one-time code, and gets back a bearer
credential and the agency's key bundle. The bundle is verified with the root key
pinned in the provisioning file *before* anything is stored; then the device
row (secrets as envelopes) and a first recovery secret are saved.

Recovery escrow: :func:`renew_recovery` makes a 128-bit secret, wraps the data
key under it in a new vault slot, keeps the secret (as an envelope) until the
agency acknowledges the "escrow" outbox record that carries it sealed to the
agency's recovery key, and the engine deletes it then.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from peerdesk.config import Provisioning
from peerdesk.crypto import recovery
from peerdesk.crypto.seal import BoxKeyPair, SigningKeyPair
from peerdesk.crypto.vault import Vault
from peerdesk.errors import ProtocolError, ValidationError
from peerdesk.ids import new_id, now_utc, to_iso
from peerdesk.store.audit import AuditLog
from peerdesk.store.db import translate_errors
from peerdesk.store.device import DeviceRecord, DeviceSecrets, DeviceStore
from peerdesk.store.sync_state import SyncQueue
from peerdesk.sync.client import AgencyClient
from peerdesk.sync.protocol import open_bundle

log = logging.getLogger(__name__)

MAX_LABEL = 100


def check_label(label: str) -> str:
    label = " ".join(label.split())
    if not 1 <= len(label) <= MAX_LABEL:
        raise ValidationError(
            f"name this laptop for the agency in 1 to {MAX_LABEL} characters", field="label"
        )
    return label


def enroll_device(
    *,
    db: Any,
    vault: Vault,
    device: DeviceStore,
    queue: SyncQueue,
    audit: AuditLog,
    client: AgencyClient,
    provisioning: Provisioning,
    code: str,
    label: str,
) -> DeviceRecord:
    """Enroll this profile (vault unlocked). Raises :class:`ValidationError` if it
    is enrolled already or the input is unusable, :class:`AgencyRejected` for a
    bad code, :class:`BadSignature` if the bundle is not signed by the pinned root
    key (nothing is stored then), :class:`AgencyUnreachable` for the network."""
    current = device.get()
    if current is not None:
        raise ValidationError(
            f"this profile is enrolled with {current.agency_name} already", field="provisioning"
        )
    label = check_label(label)
    code = code.strip()
    if not code or len(code) > 64:
        raise ValidationError("type the enrollment code IT gave you", field="code")
    vault.keys  # noqa: B018 - VaultLocked now, before anything goes over the network
    device_id = new_id()
    signing, box = SigningKeyPair.generate(), BoxKeyPair.generate()
    answer = client.enroll(
        code=code,
        device_id=device_id,
        label=label,
        sign_pub=signing.public_raw,
        box_pub=box.public_raw,
    )
    if answer.device_id != device_id:
        raise ProtocolError("the agency enrolled another device id than the one sent")
    # Verify before storing anything: a bundle not signed by the pinned root is refused.
    open_bundle(answer.bundle, provisioning.root_public_key, provisioning.root_key_id)
    record = DeviceRecord(
        device_id=device_id,
        agency_name=provisioning.agency_name,
        agency_url=provisioning.agency_url,
        root_key=provisioning.root_public_key,
        root_key_id=provisioning.root_key_id,
        ca_pem=provisioning.ca_cert_pem,
        bundle=answer.bundle,
        cursor=0,
        enrolled_at=to_iso(now_utc()),
    )
    record = replace(record, bundle_checked_at=record.enrolled_at)
    with translate_errors("save the enrollment"), db.atomic():
        device.save(record, DeviceSecrets(signing, box, answer.credential, label))
        audit.append("sync", kind="enroll", device_id=device_id)
    renew_recovery(db=db, vault=vault, device=device, queue=queue)
    log.info("enrolled as device %s", device_id)
    return record


def renew_recovery(*, db: Any, vault: Vault, device: DeviceStore, queue: SyncQueue) -> str:
    """Make a new recovery secret: a vault slot, the secret kept as an envelope
    and an "escrow" record queued. Returns the escrow id."""
    device.require()
    secret = recovery.new_secret()
    escrow_id = new_id()
    # The slot first: a slot without an escrow is harmless, the reverse is not.
    vault.add_recovery_slot(escrow_id, secret)
    with translate_errors("queue the recovery escrow"), db.atomic():
        device.add_escrow_secret(escrow_id, secret)
        queue.record_escrow(escrow_id)
    return escrow_id


def ensure_recovery(*, db: Any, vault: Vault, device: DeviceStore, queue: SyncQueue) -> bool:
    """If the profile is enrolled but has no recovery slot and no escrow waiting
    (the slot was used for a recovery), make a new one. True if it did."""
    if device.get() is None or vault.recovery_slot_ids or device.pending_escrow_ids():
        return False
    renew_recovery(db=db, vault=vault, device=device, queue=queue)
    return True

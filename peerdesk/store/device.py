"""The enrolled device of a profile, and recovery secrets waiting for escrow.

One row (``device``, migration 0006): the device id the agency knows, where the
agency is and how to trust it (URL, CA, the pinned root key and the signed key
bundle, all public), the inbound cursor, and the device's secrets: its Ed25519
signing key, X25519 box key, bearer credential and label, stored only as
envelopes under the profile's data key. A wipe (crypto-erase of the vault)
therefore makes them unreadable with everything else.

``recovery_escrow`` holds a recovery secret (envelope) from the moment its vault
slot is made until the agency acknowledges the "escrow" record carrying it;
then the row is deleted (``secure_delete`` zeroes it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from peerdesk.crypto.seal import BoxKeyPair, SigningKeyPair
from peerdesk.errors import CorruptData, Msg, NotEnrolled, ValidationError
from peerdesk.ids import now_utc, to_iso
from peerdesk.store.base import Repository, rows
from peerdesk.store.db import translate_errors


@dataclass(frozen=True, slots=True)
class DeviceRecord:
    """What the profile knows about its enrollment (public material only)."""

    device_id: str
    agency_name: str
    agency_url: str
    root_key: bytes
    root_key_id: str
    ca_pem: str | None
    bundle: bytes
    cursor: int
    enrolled_at: str
    #: when the agency was last asked for a newer key bundle
    bundle_checked_at: str | None = None


@dataclass(frozen=True, slots=True)
class DeviceSecrets:
    """The device's private keys and credential (only while unlocked; never logged)."""

    signing: SigningKeyPair = field(repr=False)
    box: BoxKeyPair = field(repr=False)
    credential: str = field(repr=False)
    label: str = field(repr=False)


class DeviceStore(Repository):
    table = "device"
    kind = "device"

    # -- the device row ----------------------------------------------------------------

    def get(self) -> DeviceRecord | None:
        """The enrolled device, or ``None`` (readable while locked)."""
        for row in rows(
            self.db,
            "SELECT device_id, agency_name, agency_url, root_key, root_key_id, ca_pem, bundle,"
            " inbound_cursor, enrolled_at, bundle_checked_at FROM device WHERE id = 1",
            what=Msg("read the enrollment"),
        ):
            return DeviceRecord(
                device_id=row["device_id"],
                agency_name=row["agency_name"],
                agency_url=row["agency_url"],
                root_key=bytes(row["root_key"]),
                root_key_id=row["root_key_id"],
                ca_pem=row["ca_pem"],
                bundle=bytes(row["bundle"]),
                cursor=int(row["inbound_cursor"]),
                enrolled_at=row["enrolled_at"],
                bundle_checked_at=row["bundle_checked_at"],
            )
        return None

    def require(self) -> DeviceRecord:
        record = self.get()
        if record is None:
            raise NotEnrolled("this profile is not enrolled with an agency yet")
        return record

    def secrets(self) -> DeviceSecrets:
        """Decrypt the device's keys and credential (needs the vault unlocked)."""
        record = self.require()
        row = self._row()
        did = record.device_id
        sign_raw = self.unseal(did, "sign_key", row["sign_key"])
        box_raw = self.unseal(did, "box_key", row["box_key"])
        credential = self.unseal(did, "credential", row["credential"])
        label = self.unseal(did, "label", row["label"])
        if not (
            isinstance(sign_raw, bytes)
            and isinstance(box_raw, bytes)
            and isinstance(credential, str)
            and isinstance(label, str)
        ):
            raise CorruptData("device keys are malformed", table=self.table, record_id=did)
        return DeviceSecrets(
            SigningKeyPair.from_raw(sign_raw), BoxKeyPair.from_raw(box_raw), credential, label
        )

    def _row(self) -> dict[str, Any]:
        for row in rows(
            self.db, "SELECT * FROM device WHERE id = 1", what=Msg("read the enrollment")
        ):
            return row
        raise NotEnrolled("this profile is not enrolled with an agency yet")

    def save(self, record: DeviceRecord, secrets: DeviceSecrets) -> None:
        """Store a new enrollment (joins the caller's transaction if there is one)."""
        did = record.device_id
        with translate_errors(Msg("save the enrollment")), self.db.atomic():
            self.db.conn.execute(
                "INSERT INTO device (id, device_id, agency_name, agency_url, root_key,"
                " root_key_id, ca_pem, bundle, bundle_checked_at, inbound_cursor, enrolled_at,"
                " label, sign_key, box_key, credential)"
                " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    did,
                    record.agency_name,
                    record.agency_url,
                    record.root_key,
                    record.root_key_id,
                    record.ca_pem,
                    record.bundle,
                    record.bundle_checked_at,
                    record.cursor,
                    record.enrolled_at,
                    self.seal(did, "label", secrets.label),
                    self.seal(did, "sign_key", secrets.signing.private_raw()),
                    self.seal(did, "box_key", secrets.box.private_raw()),
                    self.seal(did, "credential", secrets.credential),
                ),
            )

    def set_cursor(self, cursor: int) -> None:
        """Move the inbound cursor forward (never back)."""
        with translate_errors(Msg("save the sync cursor")), self.db.atomic():
            self.db.conn.execute(
                "UPDATE device SET inbound_cursor = max(inbound_cursor, ?) WHERE id = 1",
                (cursor,),
            )

    def set_bundle(self, bundle: bytes, checked_at: str) -> None:
        """Replace the signed key bundle (the caller verified it with the root key)."""
        with translate_errors(Msg("save the agency keys")), self.db.atomic():
            self.db.conn.execute(
                "UPDATE device SET bundle = ?, bundle_checked_at = ? WHERE id = 1",
                (bundle, checked_at),
            )

    def mark_bundle_checked(self, checked_at: str) -> None:
        with translate_errors(Msg("save the agency keys")), self.db.atomic():
            self.db.conn.execute(
                "UPDATE device SET bundle_checked_at = ? WHERE id = 1", (checked_at,)
            )

    def update_agency_url(self, agency_url: str, root_key_id: str) -> bool:
        """Store a new address for the enrolled agency, only when ``root_key_id`` is
        the root key pinned at enrollment (the same agency, re-provisioned; e.g. the
        demo agency on a new port). ``agency_url`` must have been checked
        (:func:`peerdesk.config.check_agency_url`). True if the address changed."""
        record = self.require()
        if root_key_id.lower() != record.root_key_id:
            raise ValidationError(
                Msg(
                    "this provisioning file is for another agency than the one this profile "
                    "is enrolled with"
                ),
                field="provisioning",
            )
        if agency_url == record.agency_url:
            return False
        with translate_errors(Msg("save the agency address")), self.db.atomic():
            self.db.conn.execute(
                "UPDATE device SET agency_url = ? WHERE id = 1 AND root_key_id = ?",
                (agency_url, record.root_key_id),
            )
        return True

    # -- recovery secrets waiting for escrow ------------------------------------------------

    def add_escrow_secret(self, escrow_id: str, secret: bytes) -> None:
        with translate_errors(Msg("save the recovery secret")), self.db.atomic():
            self.db.conn.execute(
                "INSERT INTO recovery_escrow (escrow_id, created_at, secret) VALUES (?, ?, ?)",
                (
                    escrow_id,
                    to_iso(now_utc()),
                    self.seal(escrow_id, "secret", secret, "recovery_escrow"),
                ),
            )

    def escrow_secret(self, escrow_id: str) -> bytes | None:
        """The secret of a pending escrow, or ``None`` once it was acknowledged."""
        for row in rows(
            self.db,
            "SELECT secret FROM recovery_escrow WHERE escrow_id = ?",
            [escrow_id],
            what=Msg("read the recovery secret"),
        ):
            value = self.unseal(escrow_id, "secret", row["secret"], "recovery_escrow")
            if not isinstance(value, bytes):
                raise CorruptData(
                    "recovery secret is malformed",
                    table="recovery_escrow",
                    record_id=escrow_id,
                    field="secret",
                )
            return value
        return None

    def pending_escrow_ids(self) -> list[str]:
        with translate_errors(Msg("read the recovery secrets"), writing=False):
            return [
                str(r[0])
                for r in self.db.conn.execute(
                    "SELECT escrow_id FROM recovery_escrow ORDER BY escrow_id"
                )
            ]

    def drop_escrow_secret(self, escrow_id: str) -> bool:
        """Delete the secret once the agency holds its escrow. True if one was deleted."""
        with translate_errors(Msg("delete the recovery secret")), self.db.atomic():
            cur = self.db.conn.execute(
                "DELETE FROM recovery_escrow WHERE escrow_id = ?", (escrow_id,)
            )
        return cur.rowcount == 1

"""What a profile is (migration 0008): its role, set once when it is created;
and the last interchange control number of its 837P files (migration 0010)."""

from __future__ import annotations

from typing import Any

from peerdesk.domain.review import PEER, check_role
from peerdesk.errors import Msg, StorageError
from peerdesk.ids import now_utc, to_iso
from peerdesk.store.db import translate_errors


class ProfileInfo:
    """The ``profile_info`` row: readable while the vault is locked."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self._role: str | None = None

    def role(self) -> str:
        """``"peer"`` or ``"supervisor"`` (cached: it never changes)."""
        if self._role is None:
            with translate_errors(Msg("read the profile's role"), writing=False):
                found = self.db.conn.execute(
                    "SELECT role FROM profile_info WHERE id = 1"
                ).fetchone()
            self._role = str(found[0]) if found else PEER
        return self._role

    def set_role(self, role: str) -> None:
        """Set the role of a new profile (``ProfileManager.create`` only)."""
        check_role(role)
        with translate_errors(Msg("save the profile's role")), self.db.atomic():
            self.db.conn.execute(
                "UPDATE profile_info SET role = ?, role_set_at = ? WHERE id = 1",
                (role, to_iso(now_utc())),
            )
        self._role = role

    def next_control_number(self) -> int:
        """The next interchange control number of an 837P file (1 to 999999999,
        then 1 again), kept in the profile so every export takes a new one."""
        with translate_errors(Msg("number the claim file")), self.db.atomic():
            self.db.conn.execute(
                "UPDATE profile_info SET last_control_number ="
                " last_control_number % 999999999 + 1 WHERE id = 1"
            )
            found = self.db.conn.execute(
                "SELECT last_control_number FROM profile_info WHERE id = 1"
            ).fetchone()
        if found is None:  # pragma: no cover - every migrated profile has the row
            raise StorageError("the profile has no profile_info row")
        return int(found[0])

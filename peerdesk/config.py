"""Where things live (platformdirs) and the policy in force.

Profiles live under ``user_data_dir("PeerDesk")/profiles/<name>/``, one per user
of the laptop; logs under ``user_log_dir("PeerDesk")``. Nothing is written next
to the executable. ``PEERDESK_DATA_DIR`` / ``PEERDESK_LOG_DIR`` override both
(tests, portable demo). The agency's provisioning file (installers issue) will
set the policy; until then the defaults below apply.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import platformdirs

from peerdesk.crypto.vault import VaultPolicy

APP_NAME = "PeerDesk"


def data_root() -> Path:
    override = os.environ.get("PEERDESK_DATA_DIR")
    return (
        Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    )


def log_dir() -> Path:
    override = os.environ.get("PEERDESK_LOG_DIR")
    return (
        Path(override) if override else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    )


@dataclass(frozen=True, slots=True)
class Policy:
    auto_lock_minutes: int = 10
    vault: VaultPolicy = field(default_factory=VaultPolicy)
    #: seconds one unlock should take on this machine (Argon2id calibration)
    kdf_target_s: float = 0.5
    payer_profile: str = "medicaid_default"
    mileage_rate: Decimal = Decimal("0.70")
    #: days after a contact by which the note should be signed
    sign_within_days: int = 3

"""What the desktop app needs before and around a profile: the setup (the
agency's provisioning file and policy, this user's settings), the platform
folders, logging, the bundled resources and the self-test. The UI imports these
from here, never from the modules that hold them."""

from __future__ import annotations

from peerdesk.bundle import app_version, is_bundle, verify_resources
from peerdesk.config import (
    ENV_PROVISIONING,
    PROVISIONING_FILE,
    Setup,
    data_root,
    find_provisioning,
    load_provisioning,
    load_setup,
    log_dir,
    system_provisioning_path,
)
from peerdesk.logs import setup_logging
from peerdesk.resources import (
    ICONS_DIR,
    TRANSLATIONS_DIR,
    icon_path,
    resource_path,
    translation_path,
)
from peerdesk.services.selftest import CheckResult, SelfTestFailed, report, run_checks

__all__ = [
    "ENV_PROVISIONING",
    "ICONS_DIR",
    "PROVISIONING_FILE",
    "TRANSLATIONS_DIR",
    "CheckResult",
    "SelfTestFailed",
    "Setup",
    "app_version",
    "data_root",
    "find_provisioning",
    "icon_path",
    "is_bundle",
    "load_provisioning",
    "load_setup",
    "log_dir",
    "report",
    "resource_path",
    "run_checks",
    "setup_logging",
    "system_provisioning_path",
    "translation_path",
    "verify_resources",
]

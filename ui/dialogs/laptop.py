"""What a person should know about this laptop before typing a passphrase: which
agency it belongs to, and that wrong passphrases in a row erase a profile.

Both come from what the app runs with: the agency from the provisioning file IT
installed (or gave with ``--provisioning``), kept on the
:class:`~peerdesk.services.ProfileManager`, else a ``provisioning.toml`` in the
folder of all profiles (where the Sync screen also looks); the number from the policy in force
(``policy.vault.wipe_after_failures``, which the provisioning file's
``failed_attempt_limit`` sets). A policy without a wipe threshold erases
nothing, and then nothing is said about erasing.
"""

from __future__ import annotations

import logging

from peerdesk.errors import ConfigError
from peerdesk.services import ProfileManager, Provisioning, load_provisioning
from peerdesk.services.app import PROVISIONING_FILE
from ui.i18n import tr

__all__ = ["agency_text", "erase_limit", "erase_rule_text", "known_provisioning"]

log = logging.getLogger("peerdesk.ui.laptop")


def known_provisioning(manager: ProfileManager) -> Provisioning | None:
    """The agency's provisioning the app started with, else a readable
    ``provisioning.toml`` in the folder of all profiles, else None. A file there
    that does not load names no agency (the Sync screen says what is wrong
    with it when it is used)."""
    if manager.provisioning is not None:
        return manager.provisioning
    candidate = manager.root / PROVISIONING_FILE
    if not candidate.is_file():
        return None
    try:
        return load_provisioning(candidate)
    except ConfigError as exc:
        log.warning("provisioning file next to the profiles not read: %s", exc)
        return None


def agency_text(manager: ProfileManager) -> str:
    """Which agency this laptop belongs to, or that it is not connected yet."""
    provisioning = known_provisioning(manager)
    if provisioning is not None:
        return tr("This laptop belongs to {agency}: its IT set it up.").format(
            agency=provisioning.agency_name
        )
    return tr(
        "This laptop is not connected to an agency yet. That is fine: you can work "
        "without one, and connect it later on the Sync screen with the provisioning "
        "file and code from your agency's IT."
    )


def erase_limit(manager: ProfileManager) -> int | None:
    """Wrong passphrases in a row after which a profile is erased (None: never)."""
    return manager.policy.vault.wipe_after_failures


def erase_rule_text(manager: ProfileManager) -> str:
    """The erase rule with the policy's number, or "" when the policy has none."""
    limit = erase_limit(manager)
    if limit is None:
        return ""
    return tr(
        "Important: after %n wrong passphrase(s) in a row, this profile and its notes "
        "are erased from this laptop for good.",
        None,
        limit,
    )

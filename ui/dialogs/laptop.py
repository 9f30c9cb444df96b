"""What a person should know about this laptop before typing a passphrase: which
agency it belongs to, and that wrong passphrases in a row erase a profile.

Both come from what the app runs with: the agency from the provisioning file IT
installed (or gave with ``--provisioning``), kept on the
:class:`~peerdesk.services.ProfileManager`; the number from the policy in force
(``policy.vault.wipe_after_failures``, which the provisioning file's
``failed_attempt_limit`` sets). A policy without a wipe threshold erases
nothing, and then nothing is said about erasing.
"""

from __future__ import annotations

from peerdesk.services import ProfileManager
from ui.i18n import tr

__all__ = ["agency_text", "erase_limit", "erase_rule_text"]


def agency_text(manager: ProfileManager) -> str:
    """Which agency this laptop belongs to, or that it is not connected yet."""
    provisioning = manager.provisioning
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

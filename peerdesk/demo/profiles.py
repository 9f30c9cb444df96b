"""A demo profile with sample data, for ``make run`` and screenshots.

Every person, place and story here is made up. The passphrase is public on
purpose: a demo profile must never hold real data.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from peerdesk.config import load_provisioning
from peerdesk.crypto.kdf import KdfParams
from peerdesk.demo.appointments import add_demo_appointments
from peerdesk.demo.crisis import add_demo_crisis
from peerdesk.demo.record import add_demo_record
from peerdesk.demo.workforce import add_demo_workforce
from peerdesk.domain.models import ContactType, LocationType, NoteDraft, NoteTemplate
from peerdesk.errors import Msg, ValidationError
from peerdesk.services import ProfileManager, Session

DEMO_PROFILE = "Demo"
DEMO_PASSPHRASE = "demo only, never for real notes"
#: a supervisor profile beside the peer's, enrolled with the demo agency's invite
DEMO_SUPERVISOR_PROFILE = "Demo supervisor"
DEMO_SUPERVISOR_NAME = "Demo Supervisor"

_PEOPLE = [
    ("Rosa Delgado-Finch", date(1984, 3, 12), "555-0142"),
    ("Tobias Wren", date(1991, 7, 2), "555-0178"),
    ("Marguerite 'Maggie' Okafor", date(1969, 11, 23), None),
    ("Dale Running-Creek", date(1977, 5, 30), "555-0111"),
]
_NOTES = [
    (
        "girp",
        "in_person",
        "home",
        50,
        {
            "goal": "Keep the apartment through winter.",
            "intervention": "Went over the heating assistance form together and role-played the call to the landlord.",
            "response": "Rosa made the call herself and got a payment plan.",
            "plan": "Drive to the county office Thursday to hand in the form.",
        },
        ("housing",),
    ),
    (
        "dap",
        "phone",
        "telehealth",
        20,
        {
            "data": "Check-in call; Tobias said the new work schedule is hard on sleep.",
            "assessment": "Stress is up but he is using the coping plan from last month.",
            "plan": "Talk about the recovery meeting on Saturday.",
        },
        ("employment", "wellness"),
    ),
    (
        "soap",
        "in_person",
        "community",
        35,
        {
            "subjective": "Maggie wants to get back to the quilting group at the library.",
            "objective": "Arrived on time, brought the group schedule.",
            "assessment": "Motivated; transport is the main barrier.",
            "plan": "Look up the rural transit dial-a-ride together.",
        },
        ("community connection",),
    ),
    (
        "free",
        "group",
        "office",
        90,
        {"text": "Peer recovery group, six attendees; theme was asking for help."},
        (),
    ),
]


def ensure_demo_profile(manager: ProfileManager) -> Session:
    """Open the demo profile, creating and filling it on first use (unlocked)."""
    if DEMO_PROFILE in manager.list_profiles():
        session = manager.open(DEMO_PROFILE)
        session.unlock(DEMO_PASSPHRASE)
        return session
    session = manager.create(DEMO_PROFILE, DEMO_PASSPHRASE, kdf_params=KdfParams.new())
    people = [
        session.participants.add(name, date_of_birth=dob, phone=phone).value
        for name, dob, phone in _PEOPLE
    ]
    today = datetime.now(UTC).replace(hour=15, minute=0, second=0, microsecond=0)
    for i, (template, contact, location, minutes, body, goals) in enumerate(_NOTES):
        start = today - timedelta(days=i + 1)
        note = session.notes.create_draft(
            NoteDraft(
                people[i].id,
                NoteTemplate(template),
                ContactType(contact),
                LocationType(location),
                start,
                start + timedelta(minutes=minutes),
                body,
                goals,
            )
        ).value
        if i < 3:
            session.notes.sign(note.id)
    session.notes.add_addendum(
        session.notes.list(participant_id=people[0].id).items[0].id,
        "Landlord confirmed the payment plan in writing.",
    )
    add_demo_record(session, people[0].id, people[0].display_name)
    add_demo_crisis(session, people[1].id)  # issue 21: a safety plan, a crisis flag
    add_demo_workforce(session)  # issue 23: 8 records to sync, a private check-in and plan
    for days, purpose, dest, miles, who in (
        (1, "benefits", "social_services", "23.4", people[0].id),
        (3, "peer_meeting", "agency_office", "41.0", None),
        (4, "grocery", "store", "12.8", people[2].id),
    ):
        session.trips.add(
            date.today() - timedelta(days=days),
            purpose,
            dest,
            miles=Decimal(miles),
            with_participant=who is not None,
            participant_id=who,
            destination="County building, Main St" if who else "",
        )
    add_demo_appointments(session, [p.id for p in people])  # issue 21
    return session


def ensure_demo_supervisor(
    manager: ProfileManager, provisioning_path: Path | str, invite_code: str
) -> bool:
    """Make the demo supervisor profile (same public passphrase) and enroll it with
    the demo agency's invite on first use, then pull the team's notes. Returns
    whether it was created now. Runs on a worker (key derivation and network)."""
    if DEMO_SUPERVISOR_PROFILE in manager.list_profiles():
        return False
    if not invite_code:
        raise ValidationError(
            Msg("the demo agency gave no supervisor invite"), field="supervisor_code"
        )
    provisioning = load_provisioning(provisioning_path)
    session = manager.create(
        DEMO_SUPERVISOR_PROFILE, DEMO_PASSPHRASE, kdf_params=KdfParams.new(), role="supervisor"
    )
    try:
        session.link.enroll(provisioning, invite_code, DEMO_SUPERVISOR_NAME)
        for _ in session.link.pull():
            pass
    finally:
        session.close()
    return True

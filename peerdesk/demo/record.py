"""A made-up participant's record for the demo profile: a recovery plan, an
intake, a consent, three outcome check-ins and a care team (every answer and
every name and number invented; the phone numbers are 555-01xx, kept for
fiction)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from peerdesk.domain.care_team import CareRole, CareTeamMember
from peerdesk.domain.outcomes import Employment, Housing, Occasion, OutcomeCheckIn
from peerdesk.domain.record import (
    Agreement,
    AgreementKind,
    Consent,
    Goal,
    GoalStatus,
    InfoCategory,
    LifeDomain,
    Step,
    new_goal_id,
)
from peerdesk.services import Session

_T = datetime(2026, 1, 1, tzinfo=UTC)


def add_demo_record(session: Session, participant_id: str, name: str) -> None:
    today = date.today()
    start = today - timedelta(days=150)
    goals = (
        Goal(new_goal_id(), "Keep the apartment through winter", LifeDomain.HOUSING,
             GoalStatus.IN_PROGRESS, start, today + timedelta(days=60),
             (Step("hand in the heating assistance form", None, True), Step("set up a payment plan"))),
        Goal(new_goal_id(), "Go to the Saturday recovery meeting", LifeDomain.RECOVERY,
             GoalStatus.IN_PROGRESS, start),
        Goal(new_goal_id(), "Have dinner with my daughter once a month", LifeDomain.SOCIAL,
             GoalStatus.NOT_STARTED, start),
    )  # fmt: skip
    session.record.save_plan(
        participant_id, goals, agreement=Agreement(AgreementKind.SIGNED, start),
        next_review=today + timedelta(days=30), today=start,
    )  # fmt: skip
    session.record.enroll(participant_id, start, "referred by the hospital social worker")
    session.record.add_consent(
        Consent(
            "",
            participant_id,
            "Demo Peer Center",
            "County Housing Authority",
            frozenset({InfoCategory.ATTENDANCE, InfoCategory.CONTACT}),
            "",
            "heating assistance and housing application",
            name,
            start,
            _T,
            _T,
            expires_on=today + timedelta(days=200),
            revocation_explained=True,
        )  # fmt: skip
    )
    for days, who5, barc, er in (
        (149, (1, 2, 1, 2, 1), (2, 3, 3, 2, 3, 2, 3, 4, 3, 3), 2),
        (60, (2, 3, 3, 2, 3), (3, 4, 4, 3, 4, 3, 4, 5, 4, 4), 1),
        (5, (3, 3, 4, 3, 4), (4, 5, 4, 4, 5, 4, 5, 5, 4, 5), 0),
    ):
        session.record.add_check_in(
            OutcomeCheckIn(
                "",
                participant_id,
                today - timedelta(days=days),
                Occasion.INTAKE if days == 149 else Occasion.FOLLOW_UP,
                _T,
                who5,
                barc,
                er,
                0,
                Housing.STABLE,
                Employment.PART_TIME,
            )  # fmt: skip
        )
    add_demo_care_team(session, participant_id)


def add_demo_care_team(session: Session, participant_id: str) -> None:
    """A housing case manager (the consent above names her agency), a therapist
    (no consent yet), the participant's daughter, a sponsor, and a former
    caseworker whose entry has ended."""
    team = (
        ("Maria Lopez", CareRole.CASE_MANAGER, "County Housing Authority", "555-0142 x31",
         "m.lopez@housing.example.org", "Mondays and Thursdays"),
        ("Dr. Ken Ito", CareRole.CLINICIAN, "Riverside Counseling", "555-0168", "", ""),
        ("Ana (daughter)", CareRole.FAMILY, "", "555-0119", "", "text before calling"),
        ("Joe M.", CareRole.SPONSOR, "", "555-0177", "", "Saturday meeting"),
        ("Tom Reyes", CareRole.CASE_MANAGER, "Shelter Outreach", "555-0155", "", ""),
    )  # fmt: skip
    for name, role, org, phone, email, notes in team:
        member = session.record.add_member(
            CareTeamMember(
                "",
                participant_id,
                name,
                role,
                _T,
                _T,
                organisation=org,
                phone=phone,
                email=email,
                contact_notes=notes,
            )  # fmt: skip
        ).value
        if name == "Tom Reyes":
            session.record.end_member(member.id, date.today())

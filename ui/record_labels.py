"""Words for the participant's record (life areas, goal statuses, discharge
reasons, what a consent shares, consent states, check-in answers, care-team
roles and consent links), translated."""

from __future__ import annotations

from peerdesk.domain.care_team import CareRole, CareTeamMember
from peerdesk.domain.outcomes import Employment, Housing, Occasion
from peerdesk.domain.record import (
    AgreementKind,
    ConsentCheck,
    ConsentState,
    DischargeReason,
    GoalStatus,
    InfoCategory,
    LifeDomain,
)
from ui.i18n import tr


def domain_names() -> dict[LifeDomain, str]:
    return {
        LifeDomain.HOUSING: tr("Housing"),
        LifeDomain.WORK: tr("Work and school"),
        LifeDomain.HEALTH: tr("Health"),
        LifeDomain.SOCIAL: tr("Family and social supports"),
        LifeDomain.RECOVERY: tr("Recovery"),
        LifeDomain.COMMUNITY: tr("Community"),
    }


def goal_status_names() -> dict[GoalStatus, str]:
    return {
        GoalStatus.NOT_STARTED: tr("Not started"),
        GoalStatus.IN_PROGRESS: tr("In progress"),
        GoalStatus.MET: tr("Met"),
        GoalStatus.ON_HOLD: tr("On hold"),
        GoalStatus.SET_ASIDE: tr("Set aside"),
    }


def agreement_names() -> dict[AgreementKind, str]:
    return {AgreementKind.SIGNED: tr("Signed"), AgreementKind.VERBAL: tr("Verbal")}


def discharge_names() -> dict[DischargeReason, str]:
    return {
        DischargeReason.GOALS_MET: tr("Goals met"),
        DischargeReason.CHOSE_TO_END: tr("Chose to end services"),
        DischargeReason.LOST_CONTACT: tr("Lost contact"),
        DischargeReason.MOVED: tr("Moved away"),
        DischargeReason.TRANSFERRED: tr("Transferred to another program"),
        DischargeReason.INSTITUTION: tr("Hospital, treatment or jail stay"),
        DischargeReason.DIED: tr("Died"),
        DischargeReason.OTHER: tr("Other"),
    }


def info_names() -> dict[InfoCategory, str]:
    return {
        InfoCategory.ATTENDANCE: tr("Attendance and dates of contact"),
        InfoCategory.PLAN: tr("Recovery plan and progress"),
        InfoCategory.SUBSTANCE_USE: tr("Substance use information (42 CFR Part 2)"),
        InfoCategory.MENTAL_HEALTH: tr("Mental health information"),
        InfoCategory.CONTACT: tr("Name, phone and address"),
        InfoCategory.OUTCOMES: tr("Outcome measures"),
    }


def consent_state_names() -> dict[ConsentState, str]:
    return {
        ConsentState.CURRENT: tr("Current"),
        ConsentState.NOT_YET: tr("Not in effect yet"),
        ConsentState.EXPIRED: tr("Expired"),
        ConsentState.REVOKED: tr("Revoked"),
        ConsentState.INCOMPLETE: tr("Incomplete"),
    }


def occasion_names() -> dict[Occasion, str]:
    return {
        Occasion.INTAKE: tr("Intake"),
        Occasion.FOLLOW_UP: tr("Follow-up"),
        Occasion.DISCHARGE: tr("Discharge"),
    }


def housing_names() -> dict[Housing, str]:
    return {
        Housing.STABLE: tr("Stable housing"),
        Housing.TEMPORARY: tr("Temporary housing"),
        Housing.HOMELESS: tr("Homeless"),
        Housing.INSTITUTION: tr("Hospital, treatment or jail"),
        Housing.NOT_SAID: tr("Not said"),
    }


def employment_names() -> dict[Employment, str]:
    return {
        Employment.FULL_TIME: tr("Working full time"),
        Employment.PART_TIME: tr("Working part time"),
        Employment.UNEMPLOYED: tr("Looking for work"),
        Employment.NOT_IN_LABOR_FORCE: tr("Not in the labor force"),
        Employment.NOT_SAID: tr("Not said"),
    }


def care_role_names() -> dict[CareRole, str]:
    return {
        CareRole.CLINICIAN: tr("Therapist or counselor"),
        CareRole.PRESCRIBER: tr("Psychiatrist or prescriber"),
        CareRole.PRIMARY_CARE: tr("Doctor or nurse"),
        CareRole.CASE_MANAGER: tr("Case manager"),
        CareRole.HOUSING: tr("Housing worker"),
        CareRole.JUSTICE: tr("Probation or parole officer"),
        CareRole.FAMILY: tr("Family"),
        CareRole.FRIEND: tr("Friend"),
        CareRole.SPONSOR: tr("Sponsor"),
        CareRole.OTHER: tr("Other"),
    }


def care_role_of(member: CareTeamMember) -> str:
    """The member's role in words (their own words for "other")."""
    return member.role_other if member.role is CareRole.OTHER else care_role_names()[member.role]


def consent_link_words(link: ConsentCheck) -> str:
    """Whether a current consent covers a care-team member, in a few words (the
    state of the closest consent when none is current)."""
    if link.consent is not None:
        c = link.consent
        if c.expires_on is not None:
            return tr("Current until {day}").format(day=c.expires_on.isoformat())
        return consent_state_names()[ConsentState.CURRENT]
    if link.names_other:
        return tr("Not covered: the linked consent names someone else")
    if link.closest is not None:
        return consent_state_names()[link.closest]
    return tr("None on file")

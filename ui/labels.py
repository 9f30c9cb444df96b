"""Words for the domain's codes (templates, states, contact and location types,
trip purposes), translatable and shared by every screen. Built at call time so
a language change takes effect."""

from __future__ import annotations

from peerdesk.domain.models import (
    ContactType,
    DestinationType,
    LocationType,
    NoteState,
    NoteTemplate,
    TripPurpose,
)
from ui.i18n import tr


def template_short_names() -> dict[NoteTemplate, str]:
    return {
        NoteTemplate.FREE: tr("Free text"),
        NoteTemplate.GIRP: tr("GIRP"),
        NoteTemplate.DAP: tr("DAP"),
        NoteTemplate.SOAP: tr("SOAP"),
    }


def template_names() -> dict[NoteTemplate, str]:
    return {
        NoteTemplate.FREE: tr("Free text"),
        NoteTemplate.GIRP: tr("GIRP (goal, intervention, response, plan)"),
        NoteTemplate.DAP: tr("DAP (data, assessment, plan)"),
        NoteTemplate.SOAP: tr("SOAP (subjective, objective, assessment, plan)"),
    }


def section_names() -> dict[str, str]:
    return {
        "text": tr("Note te&xt"),
        "goal": tr("&Goal"),
        "intervention": tr("&Intervention"),
        "response": tr("&Response"),
        "plan": tr("&Plan"),
        "data": tr("&Data"),
        "assessment": tr("Assess&ment"),
        "subjective": tr("S&ubjective"),
        "objective": tr("O&bjective"),
    }


def contact_names() -> dict[ContactType, str]:
    return {
        ContactType.IN_PERSON: tr("In person"),
        ContactType.PHONE: tr("Phone"),
        ContactType.VIDEO: tr("Video"),
        ContactType.GROUP: tr("Group"),
        ContactType.COLLATERAL: tr("Collateral (family or providers)"),
        ContactType.NO_SHOW: tr("No-show"),
    }


def location_names() -> dict[LocationType, str]:
    return {
        LocationType.OFFICE: tr("Office"),
        LocationType.HOME: tr("Home"),
        LocationType.COMMUNITY: tr("Community"),
        LocationType.VEHICLE: tr("Vehicle"),
        LocationType.TELEHEALTH: tr("Telehealth"),
        LocationType.OTHER: tr("Other"),
    }


def state_names() -> dict[NoteState, str]:
    return {
        NoteState.DRAFT: tr("Draft"),
        NoteState.SIGNED: tr("Signed"),
        NoteState.SUBMITTED: tr("Submitted"),
        NoteState.APPROVED: tr("Approved"),
        NoteState.RETURNED: tr("Returned"),
    }


def purpose_names() -> dict[TripPurpose, str]:
    return {
        TripPurpose.MEDICAL: tr("Medical"),
        TripPurpose.BEHAVIORAL_HEALTH: tr("Behavioral health"),
        TripPurpose.COURT_LEGAL: tr("Court or legal"),
        TripPurpose.BENEFITS: tr("Benefits"),
        TripPurpose.HOUSING: tr("Housing"),
        TripPurpose.EMPLOYMENT: tr("Employment"),
        TripPurpose.PHARMACY: tr("Pharmacy"),
        TripPurpose.GROCERY: tr("Grocery"),
        TripPurpose.PEER_MEETING: tr("Peer meeting"),
        TripPurpose.ADMINISTRATIVE: tr("Administrative"),
        TripPurpose.OTHER: tr("Other"),
    }


def destination_type_names() -> dict[DestinationType, str]:
    return {
        DestinationType.CLINIC: tr("Clinic"),
        DestinationType.HOSPITAL: tr("Hospital"),
        DestinationType.PHARMACY: tr("Pharmacy"),
        DestinationType.COURTHOUSE: tr("Courthouse"),
        DestinationType.SOCIAL_SERVICES: tr("Social services"),
        DestinationType.RESIDENCE: tr("Residence"),
        DestinationType.STORE: tr("Store"),
        DestinationType.AGENCY_OFFICE: tr("Agency office"),
        DestinationType.OTHER: tr("Other"),
    }

"""The participant's record as pure rules: plan, enrollment, consent (42 CFR 2.31)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from peerdesk.domain.record import (
    Agreement,
    AgreementKind,
    Consent,
    ConsentState,
    DischargeReason,
    Episode,
    Goal,
    GoalStatus,
    InfoCategory,
    LifeDomain,
    RecoveryPlan,
    check_consent,
    check_discharge,
    check_intake,
    check_plan,
    consent_for,
    consent_state,
    missing_elements,
    new_goal_id,
    progress,
    with_status,
)
from peerdesk.errors import ValidationError

T0 = datetime(2026, 1, 5, 12, tzinfo=UTC)
TODAY = date(2026, 3, 1)


def consent(**kw) -> Consent:
    base = Consent(
        id="c1",
        participant_id="p1",
        discloser="River Peer Center",
        recipient="Hope Housing",
        information=frozenset({InfoCategory.ATTENDANCE, InfoCategory.CONTACT}),
        information_detail="",
        purpose="housing application",
        signed_by="Harper Lane",
        signed_on=date(2026, 1, 10),
        created_at=T0,
        updated_at=T0,
        recipient_service_id="svc-1",
        expires_on=date(2026, 12, 31),
        revocation_explained=True,
    )
    return replace(base, **kw)


def test_a_complete_consent_has_every_2_31_element():
    assert missing_elements(consent()) == []
    assert consent_state(consent(), TODAY) is ConsentState.CURRENT


@pytest.mark.parametrize(
    ("change", "element"),
    [
        ({"discloser": " "}, "discloser"),
        ({"information": frozenset()}, "information"),
        ({"information": frozenset({InfoCategory.SUBSTANCE_USE})}, "substance_use_detail"),
        ({"recipient": ""}, "recipient"),
        ({"purpose": ""}, "purpose"),
        ({"revocation_explained": False}, "revocation"),
        ({"expires_on": None}, "expiry"),
        ({"signed_by": ""}, "signature"),
        ({"signed_on": None}, "signed_on"),
    ],
)
def test_a_consent_missing_an_element_is_refused_and_never_current(change, element):
    c = consent(**change)
    assert element in missing_elements(c)
    assert consent_state(c, TODAY) is ConsentState.INCOMPLETE
    with pytest.raises(ValidationError) as err:
        check_consent(c, today=TODAY)
    assert err.value.field == element


def test_an_expiry_event_stands_in_for_a_date():
    c = consent(expires_on=None, expires_event="when the housing application is decided")
    assert missing_elements(c) == []


def test_consent_states_expired_revoked_not_yet():
    assert consent_state(consent(expires_on=date(2026, 2, 28)), TODAY) is ConsentState.EXPIRED
    assert consent_state(consent(expires_on=TODAY), TODAY) is ConsentState.CURRENT  # last day
    assert consent_state(consent(revoked_on=TODAY), TODAY) is ConsentState.REVOKED
    assert consent_state(consent(effective_on=date(2026, 3, 2)), TODAY) is ConsentState.NOT_YET


def test_consent_for_matches_the_recipient_and_says_why_not():
    ok = consent_for([consent()], recipient="Other", service_id="svc-1", today=TODAY)
    assert ok.ok and ok.consent is not None
    by_name = consent_for(
        [consent(recipient_service_id=None)],
        recipient=" hope  HOUSING",
        service_id="x",
        today=TODAY,
    )
    assert by_name.ok
    none = consent_for([consent()], recipient="Food Bank", service_id="svc-2", today=TODAY)
    assert not none.ok and none.closest is None
    expired = consent_for(
        [consent(expires_on=date(2026, 1, 31))], recipient="", service_id="svc-1", today=TODAY
    )
    assert not expired.ok and expired.closest is ConsentState.EXPIRED
    revoked = consent_for(
        [consent(revoked_on=date(2026, 2, 1))], recipient="", service_id="svc-1", today=TODAY
    )
    assert revoked.closest is ConsentState.REVOKED
    narrow = consent_for(
        [consent()],
        recipient="",
        service_id="svc-1",
        today=TODAY,
        needs=[InfoCategory.SUBSTANCE_USE],
    )
    assert not narrow.ok  # the consent does not cover substance-use information


def test_a_consent_for_one_service_does_not_cover_another_of_the_same_name():
    """Matched by service id when the consent names one (review H4)."""
    other = consent_for([consent()], recipient="hope  housing", service_id="svc-2", today=TODAY)
    assert not other.ok and other.closest is None
    no_id = consent_for([consent()], recipient="Hope Housing", service_id=None, today=TODAY)
    assert not no_id.ok
    by_name = consent_for(
        [consent(recipient_service_id=None)], recipient="Hope Housing", service_id="svc-2",
        today=TODAY,
    )  # fmt: skip
    assert by_name.ok


def test_a_plan_keeps_goal_status_history_and_progress_from_notes():
    g = Goal(
        new_goal_id(),
        "Get my own place",
        LifeDomain.HOUSING,
        GoalStatus.NOT_STARTED,
        date(2026, 1, 5),
    )
    plan = check_plan(
        RecoveryPlan("pl", "p1", (g,), T0, T0, Agreement(AgreementKind.VERBAL, date(2026, 1, 5))),
        today=TODAY,
    )
    [g] = plan.goals
    assert [h.status for h in g.history] == [GoalStatus.NOT_STARTED]
    g2 = with_status(
        with_status(g, GoalStatus.IN_PROGRESS, date(2026, 1, 20)), GoalStatus.MET, date(2026, 2, 20)
    )
    assert [(h.on, h.status) for h in g2.history][1:] == [
        (date(2026, 1, 20), GoalStatus.IN_PROGRESS),
        (date(2026, 2, 20), GoalStatus.MET),
    ]
    notes = [
        (date(2026, 2, 1), [g.id, "free text"]),
        (date(2026, 1, 10), [g.id]),
        (date(2026, 1, 11), []),
    ]
    [p] = progress(replace(plan, goals=(g2,)), notes)
    assert p.worked_on == (date(2026, 1, 10), date(2026, 2, 1)) and p.contacts == 2


def test_a_plan_refuses_empty_goals_and_future_agreement():
    g = Goal(new_goal_id(), "   ", LifeDomain.WORK, GoalStatus.NOT_STARTED, TODAY)
    with pytest.raises(ValidationError) as err:
        check_plan(RecoveryPlan("pl", "p1", (g,), T0, T0), today=TODAY)
    assert err.value.field == "goal"
    with pytest.raises(ValidationError):
        check_plan(
            RecoveryPlan("pl", "p1", (), T0, T0, Agreement(AgreementKind.SIGNED, date(2026, 3, 2))),
            today=TODAY,
        )


def episode(intake: date, discharge: date | None = None) -> Episode:
    return Episode(
        "e" + intake.isoformat(),
        "p1",
        intake,
        "self",
        T0,
        T0,
        discharge,
        DischargeReason.GOALS_MET if discharge else None,
    )


def test_intake_discharge_and_reenrollment_rules():
    assert check_intake(date(2026, 1, 5), " walk-in ", [], today=TODAY) == "walk-in"
    with pytest.raises(ValidationError):
        check_intake(date(2026, 3, 2), "x", [], today=TODAY)  # future
    with pytest.raises(ValidationError):
        check_intake(date(2026, 2, 1), "x", [episode(date(2026, 1, 5))], today=TODAY)  # open one
    ended = episode(date(2026, 1, 5), date(2026, 2, 1))
    with pytest.raises(ValidationError):
        check_intake(date(2026, 1, 20), "x", [ended], today=TODAY)  # overlaps the last
    assert check_intake(date(2026, 2, 1), "court", [ended], today=TODAY) == "court"
    with pytest.raises(ValidationError):
        check_discharge(ended, TODAY, "", today=TODAY)  # ended already
    with pytest.raises(ValidationError):
        check_discharge(episode(date(2026, 1, 5)), date(2026, 1, 4), "", today=TODAY)

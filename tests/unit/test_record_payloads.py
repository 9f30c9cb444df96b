"""Payloads of the participant's record: each kind reads back as it was written,
a payload that is not usable is refused with a reason (the pull lists it as
broken), keys a newer laptop adds are ignored and keys an older one lacked get
defaults; referral payloads from before issue 20 (no consent id) still read."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerdesk.domain.outcomes import Employment, Housing, Occasion, OutcomeCheckIn
from peerdesk.domain.record import (
    Agreement,
    AgreementKind,
    Consent,
    DischargeReason,
    Episode,
    Goal,
    GoalStatus,
    InfoCategory,
    LifeDomain,
    RecoveryPlan,
    StatusChange,
    Step,
)
from peerdesk.wire.payloads import BadPayload, check
from peerdesk.wire.record_payloads import check_record, payload_of, record_from

T = datetime(2026, 2, 1, 9, 30, tzinfo=UTC)
D = date(2026, 2, 1)

RECORDS = [
    RecoveryPlan(
        "pl", "p1",
        (Goal("0b7e1b7c-4f5e-4b8e-9f1a-2a3b4c5d6e7f", "Keep my apartment", LifeDomain.HOUSING,
              GoalStatus.IN_PROGRESS, D, date(2026, 6, 1), (Step("pay rent on time", D, True),),
              (StatusChange(D, GoalStatus.IN_PROGRESS),)),),
        T, T, Agreement(AgreementKind.SIGNED, D), (D,), date(2026, 5, 1),
    ),
    Episode("ep", "p1", D, "hospital discharge planner", T, T, date(2026, 3, 1),
            DischargeReason.GOALS_MET, "all done"),
    Consent("cs", "p1", "River Peer Center", "Hope Housing",
            frozenset({InfoCategory.CONTACT, InfoCategory.SUBSTANCE_USE}), "in recovery since 2024",
            "housing application", "Harper", D, T, T, "svc-1", date(2027, 2, 1), "", True, D,
            date(2026, 4, 1), "asked to stop"),
    OutcomeCheckIn("oc", "p1", D, Occasion.INTAKE, T, (1, 2, 3, 4, 5), (3,) * 10, 2, 0,
                   Housing.TEMPORARY, Employment.PART_TIME),
]  # fmt: skip


KEYS = sorted({k for r in RECORDS for k in payload_of(r)[1]} | {"id", "text", "on", "kind"})


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_each_kind_reads_back_as_written(record):
    kind, doc = payload_of(record)
    assert record_from(kind, record.id, doc) == record
    assert check_record(kind, doc, record.id) == doc


def test_unknown_keys_are_ignored_and_missing_later_keys_get_defaults():
    kind, doc = payload_of(RECORDS[3])
    doc = {**doc, "added_by_a_newer_laptop": 1}
    del doc["employment"]
    assert record_from(kind, "oc", doc).employment is Employment.NOT_SAID


@pytest.mark.parametrize(
    ("index", "change", "reason"),
    [
        (0, {"goals": [{"id": "g", "text": "x", "domain": "space"}]}, "domain"),
        (1, {"intake_on": "yesterday"}, "intake_on"),
        (2, {"information": ["everything"]}, "information"),
        (2, {"created_at": "2026-02-01T09:30:00"}, "created_at"),
        (3, {"created_at": "9999-12-31T23:00:00-05:00"}, "created_at"),
        (1, {"updated_at": "0001-01-01T00:30:00+01:00"}, "updated_at"),
        (3, {"who5": [9, 9, 9, 9, 9]}, "who5"),
        (3, {"er_visits_30d": -3}, "er_visits_30d"),
        (3, {"barc10": "lots"}, "barc10"),
        # the laptop's ranges (review L1): a tampered laptop's counts and dates are refused
        (3, {"hospital_nights_30d": 999}, "hospital_nights_30d"),
        (3, {"er_visits_30d": 500}, "er_visits_30d"),
        (3, {"taken_on": "9999-12-31"}, "taken_on"),
        (1, {"intake_on": "1800-01-01"}, "intake_on"),
        (1, {"created_at": "2300-01-01T00:00:00+00:00"}, "created_at"),
        (2, {"expires_on": "9999-12-31"}, "expires_on"),
        (0, {"next_review": "9999-12-31"}, "next_review"),
        (0, {"reviewed_on": ["2026-02-01", "0001-01-01"]}, "reviewed_on"),
    ],
)
def test_a_payload_that_is_not_usable_is_refused_with_a_reason(index, change, reason):
    kind, doc = payload_of(RECORDS[index])
    with pytest.raises(BadPayload) as err:
        check_record(kind, {**doc, **change}, "x")
    assert reason in str(err.value)


def test_not_a_map_is_refused():
    with pytest.raises(BadPayload):
        check_record("plan", ["not", "a", "map"], "x")


def test_a_time_out_of_range_in_a_sync_payload_is_refused_with_bad_payload():
    doc = {
        "participant_id": "p1", "template": "free", "contact_type": "in_person",
        "location_type": "home", "start_at": "2026-03-02T15:00:00.000+00:00",
        "end_at": "2026-03-02T15:50:00.000+00:00", "body": {"text": "x"}, "goals": [],
        "created_at": "9999-12-31T23:00:00-05:00", "signed_at": None,
    }  # fmt: skip
    with pytest.raises(BadPayload, match="created_at"):
        check("note", doc, "n1")


def test_a_referral_payload_from_before_consent_ids_still_checks():
    old = {
        "participant_id": "p1", "service_id": "s", "service_name": "n", "note_id": None,
        "status": "made", "follow_up": "", "created_at": "2026-01-01T00:00:00.000+00:00",
        "updated_at": "2026-01-01T00:00:00.000+00:00",
    }  # fmt: skip
    assert check("referral", old, "r1") == old


#: times that overflow when made UTC (a tampered laptop's), beside ordinary ones
_times = st.sampled_from(
    ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00", "2026-02-01T09:30:00+00:00"]
)
_scalars = st.none() | st.booleans() | st.integers(-5, 1000) | st.text(max_size=12) | _times
_values = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip


@pytest.mark.parametrize("index", range(4))
@given(change=st.dictionaries(st.sampled_from(KEYS), _values, max_size=4))
def test_any_mangled_payload_is_read_or_refused_with_bad_payload(index, change):
    """Whatever a laptop (or an attacker with its key) puts in a record, the
    supervisor's check reads it or refuses it with BadPayload; nothing else escapes."""
    kind, doc = payload_of(RECORDS[index])
    try:
        check_record(kind, {**doc, **change}, "x")
    except BadPayload:
        pass

"""Trip distance, monthly mileage totals and reimbursement rounding."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerdesk.domain.mileage import (
    MileageSummary,
    monthly_mileage,
    monthly_summaries,
    reimbursement,
    trip_miles,
    validate_trip,
)
from peerdesk.domain.models import DestinationType, Trip, TripPurpose
from peerdesk.errors import ValidationError

D = Decimal


def make_trip(
    *,
    trip_id: str = "t1",
    day: date = date(2024, 5, 1),
    start: Decimal | None = None,
    end: Decimal | None = None,
    miles: Decimal | None = None,
    with_participant: bool = False,
    participant_id: str | None = None,
) -> Trip:
    return Trip(
        id=trip_id,
        trip_date=day,
        purpose=TripPurpose.MEDICAL,
        destination_type=DestinationType.CLINIC,
        created_at=datetime(2024, 5, 1, 12, tzinfo=UTC),
        with_participant=with_participant,
        participant_id=participant_id,
        odometer_start=start,
        odometer_end=end,
        miles=miles,
    )


def field_of(trip: Trip) -> str | None:
    with pytest.raises(ValidationError) as info:
        trip_miles(trip)
    return info.value.field


# --- one trip -------------------------------------------------------------------------


def test_odometer_readings_give_the_distance() -> None:
    assert trip_miles(make_trip(start=D("45210.4"), end=D("45223.7"))) == D("13.3")


def test_entered_miles_used_without_odometer() -> None:
    assert trip_miles(make_trip(miles=D("8.5"))) == D("8.5")


def test_odometer_and_miles_agreeing_within_a_tenth_is_accepted() -> None:
    assert trip_miles(make_trip(start=D(100), end=D("112.0"), miles=D("12.1"))) == D("12.0")
    assert trip_miles(make_trip(start=D(100), end=D("112.0"), miles=D("11.9"))) == D("12.0")


def test_odometer_and_miles_disagreeing_is_rejected() -> None:
    assert field_of(make_trip(start=D(100), end=D(112), miles=D("12.2"))) == "miles"
    assert field_of(make_trip(start=D(100), end=D(112), miles=D(20))) == "miles"


def test_odometer_end_before_start_rejected() -> None:
    assert field_of(make_trip(start=D(500), end=D(480))) == "odometer_end"


def test_odometer_end_equal_to_start_rejected() -> None:
    assert field_of(make_trip(start=D(500), end=D(500))) == "odometer_end"


def test_negative_odometer_rejected() -> None:
    assert field_of(make_trip(start=D(-5), end=D(10))) == "odometer_start"


@pytest.mark.parametrize("miles", [D(0), D(-3), D("-0.1")])
def test_zero_or_negative_miles_rejected(miles: Decimal) -> None:
    assert field_of(make_trip(miles=miles)) == "miles"


def test_trip_over_a_thousand_miles_rejected() -> None:
    assert trip_miles(make_trip(miles=D(1000))) == D(1000)
    assert field_of(make_trip(miles=D("1000.1"))) == "miles"
    assert trip_miles(make_trip(start=D(0), end=D(1000))) == D(1000)
    assert field_of(make_trip(start=D(0), end=D(1001))) == "odometer_end"


def test_trip_without_any_distance_rejected() -> None:
    assert field_of(make_trip()) == "miles"


def test_single_odometer_reading_names_the_missing_one() -> None:
    assert field_of(make_trip(start=D(100))) == "odometer_end"
    assert field_of(make_trip(end=D(100))) == "odometer_start"
    assert trip_miles(make_trip(start=D(100), miles=D(4))) == D(4)


@pytest.mark.parametrize("bad", [12.5, D("NaN"), D("Infinity"), "12", True])
def test_non_decimal_or_non_finite_miles_rejected(bad: object) -> None:
    assert field_of(make_trip(miles=bad)) == "miles"  # type: ignore[arg-type]


def test_validate_trip_requires_participant_when_riding_along() -> None:
    with pytest.raises(ValidationError) as info:
        validate_trip(make_trip(miles=D(5), with_participant=True))
    assert info.value.field == "participant_id"
    validate_trip(make_trip(miles=D(5), with_participant=True, participant_id="p1"))
    validate_trip(make_trip(miles=D(5), participant_id="p1"))  # errand on their behalf


def test_validate_trip_checks_distance() -> None:
    with pytest.raises(ValidationError):
        validate_trip(make_trip(start=D(10), end=D(5)))


# --- reimbursement --------------------------------------------------------------------


def test_reimbursement_rounds_to_cents() -> None:
    # 13.3 * 0.725 = 9.6425
    assert reimbursement(D("13.3"), D("0.725")) == D("9.64")
    assert reimbursement(D("13.3"), D("0.725")).as_tuple().exponent == -2


def test_reimbursement_rounds_half_up_not_to_even() -> None:
    # 10.5 * 0.65 = 6.825 exactly: half-up gives 6.83 (banker's rounding 6.82).
    assert reimbursement(D("10.5"), D("0.65")) == D("6.83")
    assert reimbursement(D("0.1"), D("0.05")) == D("0.01")  # 0.005


def test_reimbursement_of_zero_miles_is_zero() -> None:
    assert reimbursement(D(0), D("0.70")) == D("0.00")


def test_reimbursement_rejects_negative_and_float_inputs() -> None:
    with pytest.raises(ValidationError) as info:
        reimbursement(D(-1), D("0.70"))
    assert info.value.field == "miles"
    with pytest.raises(ValidationError) as info:
        reimbursement(D(1), D("-0.70"))
    assert info.value.field == "rate_per_mile"
    with pytest.raises(ValidationError):
        reimbursement(D(1), 0.7)  # type: ignore[arg-type]


@given(
    miles=st.decimals(min_value=0, max_value=1000, places=1),
    rate=st.decimals(min_value=0, max_value=2, places=3),
)
def test_reimbursement_is_within_half_a_cent(miles: Decimal, rate: Decimal) -> None:
    paid = reimbursement(miles, rate)
    assert abs(paid - miles * rate) <= D("0.005")


# --- months ---------------------------------------------------------------------------


def trips_across_months() -> list[Trip]:
    return [
        make_trip(trip_id="a", day=date(2024, 5, 31), miles=D("10.2")),
        make_trip(
            trip_id="b",
            day=date(2024, 5, 2),
            start=D(1000),
            end=D("1013.3"),
            with_participant=True,
            participant_id="p1",
        ),
        make_trip(trip_id="c", day=date(2024, 6, 1), miles=D(7)),
        make_trip(trip_id="d", day=date(2023, 12, 15), miles=D("0.4")),
    ]


def test_monthly_mileage_totals_by_trip_month() -> None:
    totals = monthly_mileage(trips_across_months())
    assert totals == {(2023, 12): D("0.4"), (2024, 5): D("23.5"), (2024, 6): D(7)}
    assert list(totals) == [(2023, 12), (2024, 5), (2024, 6)]
    assert monthly_mileage([]) == {}


def test_monthly_mileage_rejects_an_invalid_trip() -> None:
    with pytest.raises(ValidationError):
        monthly_mileage([make_trip(miles=D(3)), make_trip(trip_id="bad")])


def test_monthly_summaries_count_trips_and_reimburse_month_total() -> None:
    summaries = monthly_summaries(trips_across_months(), D("0.725"))
    assert summaries == [
        MileageSummary(2023, 12, D("0.4"), 1, 0, D("0.29")),
        MileageSummary(2024, 5, D("23.5"), 2, 1, D("17.04")),  # 17.0375
        MileageSummary(2024, 6, D(7), 1, 0, D("5.08")),  # 5.075
    ]

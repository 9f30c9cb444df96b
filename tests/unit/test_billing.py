"""Billing rules for H0038 peer support: minutes -> units, contact times, daily
caps, modifiers and non-billable contact types."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerdesk.domain.billing import (
    FLAG_BELOW_MINIMUM,
    FLAG_NOT_BILLABLE,
    FLAG_OVER_DAILY_CAP,
    FLAG_OVERLAP,
    BillableLine,
    ContactForBilling,
    PayerProfile,
    RoundingMode,
    contact_from_note,
    monthly_units,
    units_for_contact,
    units_for_minutes,
)
from peerdesk.domain.day_rules import bill_contacts  # the one engine, per contact
from peerdesk.domain.models import (
    ContactType,
    LocationType,
    Note,
    NoteState,
    NoteTemplate,
)
from peerdesk.errors import ValidationError

CHICAGO = ZoneInfo("America/Chicago")
BILLABLE = frozenset(
    {ContactType.IN_PERSON, ContactType.PHONE, ContactType.VIDEO, ContactType.GROUP}
)


def make_profile(
    rounding: RoundingMode = RoundingMode.CMS_8_MINUTE,
    *,
    min_minutes: int | None = None,
    cap: int | None = 16,
    max_minutes: int = 720,
) -> PayerProfile:
    return PayerProfile(
        name=f"test {rounding.value}",
        rounding=rounding,
        min_minutes_per_unit=min_minutes,
        daily_cap_units=cap,
        max_contact_minutes=max_minutes,
        modifiers=("HQ", "95", "93"),
        contact_modifiers={
            ContactType.GROUP: ("HQ",),
            ContactType.VIDEO: ("95",),
            ContactType.PHONE: ("93",),
        },
        billable_contact_types=BILLABLE,
    )


CMS = make_profile()
MIN10 = make_profile(RoundingMode.MIN_MINUTES_PER_UNIT, min_minutes=10)
FLOOR = make_profile(RoundingMode.FLOOR)
ALL_PROFILES = [CMS, MIN10, FLOOR, make_profile(RoundingMode.MIN_MINUTES_PER_UNIT, min_minutes=8)]


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def contact(
    note_id: str,
    start: datetime,
    minutes: int,
    *,
    participant: str = "p1",
    kind: ContactType = ContactType.IN_PERSON,
) -> ContactForBilling:
    return ContactForBilling(
        note_id=note_id,
        participant_id=participant,
        contact_type=kind,
        start_at=start,
        end_at=start + timedelta(minutes=minutes),
    )


# --- minutes -> units -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "units"),
    [(1, 0), (7, 0), (8, 1), (15, 1), (22, 1), (23, 2), (30, 2), (37, 2), (38, 3), (60, 4)],
)
def test_cms_8_minute_rule_edges(minutes: int, units: int) -> None:
    assert units_for_minutes(minutes, CMS) == units


@pytest.mark.parametrize(
    ("minutes", "units"),
    [(7, 0), (8, 0), (9, 0), (10, 1), (15, 1), (22, 1), (23, 1), (24, 1), (25, 2), (30, 2)],
)
def test_min_minutes_per_unit_needs_ten_minutes_of_a_partial_unit(minutes: int, units: int) -> None:
    assert units_for_minutes(minutes, MIN10) == units


@pytest.mark.parametrize(
    ("minutes", "units"), [(7, 0), (8, 0), (14, 0), (15, 1), (22, 1), (23, 1), (29, 1), (30, 2)]
)
def test_floor_counts_only_whole_units(minutes: int, units: int) -> None:
    assert units_for_minutes(minutes, FLOOR) == units


def test_min_minutes_mode_with_eight_matches_cms_rule() -> None:
    min8 = make_profile(RoundingMode.MIN_MINUTES_PER_UNIT, min_minutes=8)
    for minutes in range(1, 200):
        assert units_for_minutes(minutes, min8) == units_for_minutes(minutes, CMS)


@pytest.mark.parametrize("minutes", [0, -1, -15])
def test_zero_or_negative_minutes_rejected_on_end_at(minutes: int) -> None:
    with pytest.raises(ValidationError) as info:
        units_for_minutes(minutes, CMS)
    assert info.value.field == "end_at"


def test_minutes_over_profile_limit_rejected() -> None:
    assert units_for_minutes(720, CMS) == 48
    with pytest.raises(ValidationError) as info:
        units_for_minutes(721, CMS)
    assert info.value.field == "end_at"


def test_non_integer_minutes_rejected() -> None:
    with pytest.raises(ValidationError):
        units_for_minutes(15.5, CMS)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        units_for_minutes(True, CMS)


@given(
    profile=st.sampled_from(ALL_PROFILES),
    minutes=st.integers(min_value=1, max_value=719),
)
def test_units_never_exceed_ceiling_and_grow_with_minutes(
    profile: PayerProfile, minutes: int
) -> None:
    units = units_for_minutes(minutes, profile)
    assert 0 <= units <= math.ceil(minutes / 15)
    assert units_for_minutes(minutes + 1, profile) >= units
    # A full unit's worth of minutes always earns at least one unit.
    assert units >= minutes // 15


# --- contact times --------------------------------------------------------------------


def test_contact_crossing_midnight_counts_real_minutes() -> None:
    start = datetime(2024, 5, 1, 23, 50, tzinfo=CHICAGO)
    end = datetime(2024, 5, 2, 0, 20, tzinfo=CHICAGO)
    assert units_for_contact(start, end, CMS) == 2


def test_contact_across_fall_back_uses_elapsed_not_wall_time() -> None:
    # 2024-11-03 01:30 CDT -> 01:15 CST is 45 real minutes, though the wall clock
    # goes backwards (both datetimes share one tzinfo object).
    start = datetime(2024, 11, 3, 1, 30, tzinfo=CHICAGO, fold=0)
    end = datetime(2024, 11, 3, 1, 15, tzinfo=CHICAGO, fold=1)
    assert units_for_contact(start, end, CMS) == 3


def test_contact_across_spring_forward_uses_elapsed_not_wall_time() -> None:
    # 01:50 CST -> 03:10 CDT on 2024-03-10 is 20 real minutes (80 on the wall).
    start = datetime(2024, 3, 10, 1, 50, tzinfo=CHICAGO)
    end = datetime(2024, 3, 10, 3, 10, tzinfo=CHICAGO)
    assert units_for_contact(start, end, CMS) == 1


def test_contact_with_mixed_time_zones() -> None:
    start = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    end = datetime(2024, 5, 1, 7, 30, tzinfo=timezone(timedelta(hours=-5)))  # 12:30 UTC
    assert units_for_contact(start, end, CMS) == 2


@pytest.mark.parametrize("delta", [timedelta(0), timedelta(minutes=-30)])
def test_end_not_after_start_rejected(delta: timedelta) -> None:
    start = at(2024, 5, 1, 10)
    with pytest.raises(ValidationError) as info:
        units_for_contact(start, start + delta, CMS)
    assert info.value.field == "end_at"


def test_naive_datetimes_rejected() -> None:
    naive = datetime(2024, 5, 1, 10, 0)
    with pytest.raises(ValidationError) as info:
        units_for_contact(naive, at(2024, 5, 1, 11), CMS)
    assert info.value.field == "start_at"
    with pytest.raises(ValidationError) as info:
        units_for_contact(at(2024, 5, 1, 9), naive, CMS)
    assert info.value.field == "end_at"


def test_contact_longer_than_twelve_hours_rejected() -> None:
    start = at(2024, 5, 1, 6)
    assert units_for_contact(start, start + timedelta(hours=12), CMS) == 48
    with pytest.raises(ValidationError):
        units_for_contact(start, start + timedelta(hours=12, minutes=1), CMS)


def test_seconds_do_not_earn_a_unit() -> None:
    start = at(2024, 5, 1, 10)
    assert units_for_contact(start, start + timedelta(minutes=7, seconds=59), CMS) == 0
    assert units_for_contact(start, start + timedelta(minutes=8), CMS) == 1


# --- billing lines --------------------------------------------------------------------


def test_daily_cap_reduces_and_flags_later_contacts_in_time_order() -> None:
    day = (2024, 5, 1)
    contacts = [
        contact("c4", at(*day, 18), 30),
        contact("c3", at(*day, 14), 90),
        contact("c1", at(*day, 9), 90),
        contact("c2", at(*day, 11), 90),
    ]
    lines = bill_contacts(contacts, CMS)
    assert [line.note_id for line in lines] == ["c1", "c2", "c3", "c4"]
    assert [line.units for line in lines] == [6, 6, 4, 0]
    assert [line.units_before_cap for line in lines] == [6, 6, 6, 2]
    assert [FLAG_OVER_DAILY_CAP in line.flags for line in lines] == [False, False, True, True]
    assert sum(line.units for line in lines) == 16


def test_daily_cap_is_per_participant_and_per_day() -> None:
    contacts = [
        contact("a1", at(2024, 5, 1, 8), 240),
        contact("a2", at(2024, 5, 1, 13), 60),
        contact("b1", at(2024, 5, 1, 13), 60, participant="p2"),
        contact("a3", at(2024, 5, 2, 8), 60),
    ]
    by_id = {line.note_id: line for line in bill_contacts(contacts, CMS)}
    assert by_id["a1"].units == 16 and not by_id["a1"].flags
    assert by_id["a2"].units == 0 and by_id["a2"].flags == (FLAG_OVER_DAILY_CAP,)
    assert by_id["b1"].units == 4 and not by_id["b1"].flags
    assert by_id["a3"].units == 4 and not by_id["a3"].flags


def test_no_daily_cap_when_profile_has_none() -> None:
    profile = make_profile(cap=None)
    contacts = [contact(f"c{i}", at(2024, 5, 1, 6 + 3 * i), 180) for i in range(4)]
    lines = bill_contacts(contacts, profile)
    assert sum(line.units for line in lines) == 48
    assert all(not line.flags for line in lines)


@pytest.mark.parametrize("kind", [ContactType.NO_SHOW, ContactType.COLLATERAL])
def test_non_billable_contact_types_get_zero_units_and_a_flag(kind: ContactType) -> None:
    [line] = bill_contacts([contact("n1", at(2024, 5, 1, 10), 60, kind=kind)], CMS)
    assert line.units == 0
    assert line.minutes == 60
    assert line.flags == (FLAG_NOT_BILLABLE,)
    assert line.modifiers == ()
    assert not line.billable


def test_non_billable_contacts_do_not_use_up_the_cap() -> None:
    contacts = [
        contact("x", at(2024, 5, 1, 8), 240, kind=ContactType.COLLATERAL),
        contact("y", at(2024, 5, 1, 13), 240),
    ]
    by_id = {line.note_id: line for line in bill_contacts(contacts, CMS)}
    assert by_id["y"].units == 16
    assert FLAG_OVER_DAILY_CAP not in by_id["y"].flags


@pytest.mark.parametrize(
    ("kind", "modifiers"),
    [
        (ContactType.IN_PERSON, ()),
        (ContactType.GROUP, ("HQ",)),
        (ContactType.VIDEO, ("95",)),
        (ContactType.PHONE, ("93",)),
    ],
)
def test_modifiers_follow_contact_type(kind: ContactType, modifiers: tuple[str, ...]) -> None:
    [line] = bill_contacts([contact("m", at(2024, 5, 1, 10), 30, kind=kind)], CMS)
    assert line.modifiers == modifiers
    assert line.code == "H0038"
    assert line.units == 2


def test_too_short_contact_is_flagged_not_dropped() -> None:
    [line] = bill_contacts([contact("s", at(2024, 5, 1, 10), 7)], CMS)
    assert line.units == 0
    assert line.flags == (FLAG_BELOW_MINIMUM,)


def test_overlapping_contacts_for_one_participant_are_flagged() -> None:
    contacts = [
        contact("first", at(2024, 5, 1, 10), 60),
        contact("second", at(2024, 5, 1, 10, 30), 30),
        contact("other_person", at(2024, 5, 1, 10, 30), 30, participant="p2"),
        contact("after", at(2024, 5, 1, 11), 30),
    ]
    by_id = {line.note_id: line for line in bill_contacts(contacts, CMS)}
    assert FLAG_OVERLAP in by_id["second"].flags
    assert FLAG_OVERLAP not in by_id["first"].flags
    assert FLAG_OVERLAP not in by_id["other_person"].flags
    assert FLAG_OVERLAP not in by_id["after"].flags


def test_service_date_is_local_date_of_start() -> None:
    # 03:30 UTC on May 2 is 22:30 CDT on May 1 in Chicago.
    c = contact("late", at(2024, 5, 2, 3, 30), 30)
    [utc_line] = bill_contacts([c], CMS)
    [local_line] = bill_contacts([c], CMS, CHICAGO)
    assert utc_line.service_date == date(2024, 5, 2)
    assert local_line.service_date == date(2024, 5, 1)


def test_service_dates_on_dst_days_in_chicago() -> None:
    contacts = [
        # 2024-03-10 05:30 UTC = 23:30 CST on March 9 (just before spring forward).
        contact("before_spring", at(2024, 3, 10, 5, 30), 30),
        # 2024-03-10 08:30 UTC = 03:30 CDT on March 10.
        contact("after_spring", at(2024, 3, 10, 8, 30), 30),
        # 2024-11-03 04:30 UTC = 23:30 CDT on November 2.
        contact("before_fall", at(2024, 11, 3, 4, 30), 30),
        # 2024-11-03 07:30 UTC = 01:30 CST (second 01:30) on November 3.
        contact("after_fall", at(2024, 11, 3, 7, 30), 30),
    ]
    dates = {line.note_id: line.service_date for line in bill_contacts(contacts, CMS, CHICAGO)}
    assert dates == {
        "before_spring": date(2024, 3, 9),
        "after_spring": date(2024, 3, 10),
        "before_fall": date(2024, 11, 2),
        "after_fall": date(2024, 11, 3),
    }


def test_contact_crossing_midnight_counts_on_start_date_cap() -> None:
    contacts = [
        contact("day", at(2024, 5, 1, 8), 225),  # 15 units on May 1
        contact("overnight", at(2024, 5, 1, 23, 50), 30),  # 2 units, May 1's cap
        contact("next", at(2024, 5, 2, 1), 30),
    ]
    by_id = {line.note_id: line for line in bill_contacts(contacts, CMS)}
    assert by_id["overnight"].service_date == date(2024, 5, 1)
    assert by_id["overnight"].units == 1
    assert by_id["overnight"].flags == (FLAG_OVER_DAILY_CAP,)
    assert by_id["next"].units == 2


def test_invalid_contact_names_the_note() -> None:
    bad = ContactForBilling(
        note_id="broken",
        participant_id="p1",
        contact_type=ContactType.IN_PERSON,
        start_at=at(2024, 5, 1, 10),
        end_at=at(2024, 5, 1, 9),
    )
    with pytest.raises(ValidationError, match="broken") as info:
        bill_contacts([contact("ok", at(2024, 5, 1, 8), 30), bad], CMS)
    assert info.value.field == "end_at"


def test_non_billable_contact_still_needs_valid_times() -> None:
    start = at(2024, 5, 1, 10)
    bad = contact("ns", start, 0, kind=ContactType.NO_SHOW)
    with pytest.raises(ValidationError):
        bill_contacts([bad], CMS)


def test_same_note_twice_rejected() -> None:
    c = contact("dup", at(2024, 5, 1, 10), 30)
    with pytest.raises(ValidationError, match="dup"):
        bill_contacts([c, c], CMS)


def test_contact_type_given_as_text_is_converted() -> None:
    c = ContactForBilling("t", "p1", "group", at(2024, 5, 1, 10), at(2024, 5, 1, 10, 30))  # type: ignore[arg-type]
    assert c.contact_type is ContactType.GROUP
    with pytest.raises(ValidationError):
        ContactForBilling("t", "p1", "hugging", at(2024, 5, 1, 10), at(2024, 5, 1, 11))  # type: ignore[arg-type]


def test_contact_from_note_copies_billing_facts() -> None:
    start = at(2024, 5, 1, 10)
    note = Note(
        id="n-1",
        participant_id="p-9",
        template=NoteTemplate.DAP,
        contact_type=ContactType.VIDEO,
        location_type=LocationType.TELEHEALTH,
        start_at=start,
        end_at=start + timedelta(minutes=50),
        body={"data": "", "assessment": "", "plan": ""},
        goals=(),
        state=NoteState.SIGNED,
        created_at=start,
        updated_at=start,
    )
    c = contact_from_note(note)
    assert c == ContactForBilling("n-1", "p-9", ContactType.VIDEO, note.start_at, note.end_at)
    [line] = bill_contacts([c], CMS)
    assert (line.minutes, line.units, line.modifiers) == (50, 3, ("95",))


def test_monthly_units_sums_by_service_month() -> None:
    def line(note_id: str, day: date, units: int) -> BillableLine:
        return BillableLine(
            note_id=note_id,
            participant_id="p1",
            service_date=day,
            contact_type=ContactType.IN_PERSON,
            code="H0038",
            minutes=units * 15,
            units=units,
            units_before_cap=units,
            modifiers=(),
        )

    lines = [
        line("a", date(2024, 2, 1), 4),
        line("b", date(2024, 1, 31), 2),
        line("c", date(2024, 1, 2), 3),
        line("d", date(2023, 12, 31), 1),
        line("e", date(2024, 2, 29), 0),
    ]
    totals = monthly_units(lines)
    assert totals == {(2023, 12): 1, (2024, 1): 5, (2024, 2): 4}
    assert list(totals) == [(2023, 12), (2024, 1), (2024, 2)]
    assert monthly_units([]) == {}


def test_monthly_units_uses_local_service_month() -> None:
    # 02:00 UTC on June 1 is still May 31 in Chicago.
    lines = bill_contacts([contact("edge", at(2024, 6, 1, 2), 60)], CMS, CHICAGO)
    assert monthly_units(lines) == {(2024, 5): 4}


# --- profile invariants ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"code": "H38"}, "code"),
        ({"unit_minutes": 0}, "unit_minutes"),
        ({"rounding": "nearest"}, "rounding"),
        ({"daily_cap_units": 0}, "daily_cap_units"),
        ({"max_contact_minutes": 0}, "max_contact_minutes"),
        ({"modifiers": ("hq",)}, "modifiers"),
        ({"contact_modifiers": {ContactType.GROUP: ("HQ",)}}, "contact_modifiers"),
        ({"min_minutes_per_unit": 10}, "min_minutes_per_unit"),
        ({"name": " "}, "name"),
    ],
)
def test_profile_rejects_bad_values(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {
        "name": "x",
        "rounding": RoundingMode.CMS_8_MINUTE,
        "billable_contact_types": BILLABLE,
    }
    args.update(kwargs)
    with pytest.raises(ValidationError) as info:
        PayerProfile(**args)  # type: ignore[arg-type]
    assert info.value.field == field


def test_min_minutes_mode_requires_a_minimum_within_the_unit() -> None:
    for bad in (None, 0, 16):
        with pytest.raises(ValidationError) as info:
            make_profile(RoundingMode.MIN_MINUTES_PER_UNIT, min_minutes=bad)
        assert info.value.field == "min_minutes_per_unit"


def test_profile_is_hashable_and_its_modifier_map_read_only() -> None:
    assert hash(CMS) == hash(make_profile())
    assert CMS == make_profile()
    with pytest.raises(TypeError):
        CMS.contact_modifiers[ContactType.IN_PERSON] = ("HQ",)  # type: ignore[index]

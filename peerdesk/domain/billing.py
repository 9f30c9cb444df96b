"""Medicaid peer support billing rules (HCPCS H0038, "self-help/peer services,
per 15 minutes") as pure functions.

A :class:`PayerProfile` holds one payer's rules: how minutes become units, the
daily unit cap per beneficiary, which contact types may be billed and which
modifiers each contact type carries. Profiles ship as TOML files under
``resources/payers/``; they are *examples* that an agency must check against its
own state's Medicaid manual.

Time handling:

* every datetime must be timezone-aware; elapsed time is measured in UTC, so a
  contact that crosses midnight or a daylight-saving change gets its real length;
* minutes are whole minutes, rounded down (seconds never earn a unit);
* the *service date* of a contact is the local calendar date of its start in the
  time zone the caller passes (UTC by default), and all its units count towards
  that date's cap, even when the contact runs past midnight.

How a day is counted (``day_rule``), which note states may be claimed, the place
of service and what a claim needs (payer id, charge per unit, diagnosis) are
profile settings too; the engine that applies them to a team's notes is
:mod:`peerdesk.domain.day_rules`, the claim files :mod:`peerdesk.domain.claims`.

No I/O here: :func:`peerdesk.domain.payer_file.parse_payer_profile` checks the
bytes of one profile file; reading the files is :mod:`peerdesk.services.payers`.
"""

from __future__ import annotations

import enum
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from peerdesk.domain.models import ContactType, LocationType, Note
from peerdesk.errors import Msg, ValidationError

__all__ = [
    "DEFAULT_MAX_CONTACT_MINUTES",
    "DEFAULT_PLACE_OF_SERVICE",
    "FLAG_BELOW_MINIMUM",
    "FLAG_NOT_BILLABLE",
    "FLAG_OVERLAP",
    "FLAG_OVER_DAILY_CAP",
    "STATE_APPROVED",
    "STATE_SIGNED",
    "BillableLine",
    "ContactForBilling",
    "DayRule",
    "PayerProfile",
    "RoundingMode",
    "contact_from_note",
    "contact_minutes",
    "monthly_units",
    "normalise_diagnosis",
    "procedure",
    "units_for_contact",
    "units_for_minutes",
    "units_for_total",
]

#: A single contact longer than this many minutes is treated as a data-entry error.
DEFAULT_MAX_CONTACT_MINUTES = 720
#: the largest charge per unit a payer profile may set (a 15-minute service)
MAX_UNIT_CHARGE = Decimal("10000.00")

#: The contact was capped: fewer units are billed than its minutes would earn.
FLAG_OVER_DAILY_CAP = "over_daily_cap"
#: The payer does not pay for this contact type (e.g. no-show); 0 units.
FLAG_NOT_BILLABLE = "not_billable_contact_type"
#: The contact is too short to earn even one unit under the rounding rule.
FLAG_BELOW_MINIMUM = "below_unit_minimum"
#: The contact overlaps an earlier billable contact with the same participant.
FLAG_OVERLAP = "overlaps_other_contact"

_HCPCS_RE = re.compile(r"^[A-Z][0-9]{4}$")
_MODIFIER_RE = re.compile(r"^[A-Z0-9]{2}$")
_POS_RE = re.compile(r"^[0-9]{2}$")
_PAYER_ID_RE = re.compile(r"^[A-Za-z0-9]{0,80}$")
#: an ICD-10-CM code as a claim carries it: no dot, a letter, a digit, then up to 5 more
_ICD10_RE = re.compile(r"^[A-Z][0-9][0-9A-Z]{1,5}$")

#: a signed note that is not (yet) approved: signed, submitted, received, resubmitted
STATE_SIGNED = "signed"
#: a note the supervisor approved (co-signed)
STATE_APPROVED = "approved"
_BILLABLE_STATES = (STATE_SIGNED, STATE_APPROVED)

#: where a contact happened, as a CMS place-of-service code, unless the profile says
#: otherwise (11 office, 12 home, 02 telehealth outside the home, 99 other)
DEFAULT_PLACE_OF_SERVICE: Mapping[LocationType, str] = MappingProxyType(
    {
        LocationType.OFFICE: "11",
        LocationType.HOME: "12",
        LocationType.COMMUNITY: "99",
        LocationType.VEHICLE: "99",
        LocationType.TELEHEALTH: "02",
        LocationType.OTHER: "99",
    }
)


class RoundingMode(enum.StrEnum):
    """How the minutes of one contact become billing units."""

    #: CMS "8-minute rule" style: a unit needs more than half of the unit length
    #: (8 of 15 minutes); with 15-minute units, ``units = (minutes + 7) // 15``.
    CMS_8_MINUTE = "cms_8_minute"
    #: Whole units, plus one more when the remainder reaches
    #: ``PayerProfile.min_minutes_per_unit``.
    MIN_MINUTES_PER_UNIT = "min_minutes_per_unit"
    #: Whole units only; any remainder is not billed.
    FLOOR = "floor"


class DayRule(enum.StrEnum):
    """How the contacts of one day become units."""

    #: Each contact is rounded on its own (the old behaviour; some payers want it).
    PER_CONTACT = "per_contact"
    #: The CMS way: the day's minutes of one beneficiary, code and modifiers (by
    #: one rendering peer, at one place of service) are added up first, then
    #: rounded once (2 x 10 minutes = 20 minutes = 1 unit under the 8-minute rule).
    SUM_PER_CODE_PER_DAY = "sum_per_code_per_day"


def procedure(code: str, modifiers: Iterable[str]) -> str:
    """A code with its modifiers as billers write it: ``H0038-HQ``, ``H0038``."""
    return "-".join((code, *modifiers))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class PayerProfile:
    """One payer's rules for billing peer support contacts.

    ``contact_modifiers`` maps a contact type to the modifiers its lines carry
    (e.g. group -> ``("HQ",)``); every modifier used there must be declared in
    ``modifiers``. Invalid values raise :class:`ValidationError` whose ``field``
    is the attribute name.
    """

    name: str
    rounding: RoundingMode
    billable_contact_types: frozenset[ContactType]
    code: str = "H0038"
    unit_minutes: int = 15
    min_minutes_per_unit: int | None = None
    daily_cap_units: int | None = None
    max_contact_minutes: int = DEFAULT_MAX_CONTACT_MINUTES
    modifiers: tuple[str, ...] = ()
    contact_modifiers: Mapping[ContactType, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )
    description: str = ""
    day_rule: DayRule = DayRule.PER_CONTACT
    #: which note states may be claimed (``signed``, ``approved``)
    billable_states: frozenset[str] = frozenset({STATE_APPROVED})
    place_of_service: Mapping[LocationType, str] = field(
        default_factory=lambda: DEFAULT_PLACE_OF_SERVICE, hash=False
    )
    #: a contact type's place of service wins over its location's (e.g. video -> 02)
    contact_place_of_service: Mapping[ContactType, str] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )
    #: the payer's id at the clearinghouse (837P loop 2010BB)
    payer_id: str = ""
    #: the charge per unit on a claim
    unit_charge: Decimal = Decimal("0.00")
    #: every claim line must carry the beneficiary's own diagnosis code
    diagnosis_required: bool = False
    #: the code a claim carries when the beneficiary has none and none is required
    default_diagnosis: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValidationError(Msg("payer name must be a non-empty text"), field="name")
        if not isinstance(self.code, str) or not _HCPCS_RE.match(self.code):
            raise ValidationError(
                Msg(
                    "code {code} is not an HCPCS code (a letter and four digits, e.g. H0038)",
                    code=repr(self.code),
                ),
                field="code",
            )
        try:
            rounding = RoundingMode(self.rounding)
        except ValueError:
            choices = ", ".join(m.value for m in RoundingMode)
            raise ValidationError(
                Msg(
                    "rounding {rounding} is not one of: {choices}",
                    rounding=repr(self.rounding),
                    choices=choices,
                ),
                field="rounding",
            ) from None
        object.__setattr__(self, "rounding", rounding)

        if not _is_int(self.unit_minutes) or not 1 <= self.unit_minutes <= 240:
            raise ValidationError(
                Msg("unit_minutes must be a whole number from 1 to 240"), field="unit_minutes"
            )
        if rounding is RoundingMode.MIN_MINUTES_PER_UNIT:
            if self.min_minutes_per_unit is None:
                raise ValidationError(
                    Msg("min_minutes_per_unit is required when rounding is 'min_minutes_per_unit'"),
                    field="min_minutes_per_unit",
                )
            if (
                not _is_int(self.min_minutes_per_unit)
                or not 1 <= self.min_minutes_per_unit <= self.unit_minutes
            ):
                raise ValidationError(
                    Msg(
                        "min_minutes_per_unit must be a whole number from 1 to {limit}",
                        limit=self.unit_minutes,
                    ),
                    field="min_minutes_per_unit",
                )
        elif self.min_minutes_per_unit is not None:
            raise ValidationError(
                Msg("min_minutes_per_unit is only used when rounding is 'min_minutes_per_unit'"),
                field="min_minutes_per_unit",
            )
        if self.daily_cap_units is not None and (
            not _is_int(self.daily_cap_units) or self.daily_cap_units < 1
        ):
            raise ValidationError(
                Msg("daily_cap_units must be a whole number of at least 1 (or absent for no cap)"),
                field="daily_cap_units",
            )
        if not _is_int(self.max_contact_minutes) or not 1 <= self.max_contact_minutes <= 1440:
            raise ValidationError(
                Msg("max_contact_minutes must be a whole number from 1 to 1440"),
                field="max_contact_minutes",
            )
        if not isinstance(self.description, str):
            raise ValidationError(Msg("description must be text"), field="description")

        modifiers = tuple(self.modifiers)
        for mod in modifiers:
            if not isinstance(mod, str) or not _MODIFIER_RE.match(mod):
                raise ValidationError(
                    Msg(
                        "modifier {modifier} must be two capital letters or digits",
                        modifier=repr(mod),
                    ),
                    field="modifiers",
                )
        if len(set(modifiers)) != len(modifiers):
            raise ValidationError(Msg("modifiers lists a modifier twice"), field="modifiers")
        object.__setattr__(self, "modifiers", modifiers)

        billable: set[ContactType] = set()
        for ct in self.billable_contact_types:
            billable.add(_contact_type(ct, field_name="billable_contact_types"))
        object.__setattr__(self, "billable_contact_types", frozenset(billable))

        mapping: dict[ContactType, tuple[str, ...]] = {}
        for key, mods in self.contact_modifiers.items():
            ct = _contact_type(key, field_name="contact_modifiers")
            mods_tuple = tuple(mods)
            for mod in mods_tuple:
                if mod not in modifiers:
                    raise ValidationError(
                        Msg(
                            "modifier {modifier} for {contact_type} is not declared in modifiers",
                            modifier=repr(mod),
                            contact_type=ct.value,
                        ),
                        field="contact_modifiers",
                    )
            mapping[ct] = mods_tuple
        object.__setattr__(self, "contact_modifiers", MappingProxyType(mapping))
        self._check_claim_rules()

    def _check_claim_rules(self) -> None:
        try:
            object.__setattr__(self, "day_rule", DayRule(self.day_rule))
        except ValueError:
            choices = ", ".join(m.value for m in DayRule)
            raise ValidationError(
                Msg(
                    "day_rule {day_rule} is not one of: {choices}",
                    day_rule=repr(self.day_rule),
                    choices=choices,
                ),
                field="day_rule",
            ) from None
        states = frozenset(self.billable_states)
        if not states or not states <= set(_BILLABLE_STATES):
            raise ValidationError(
                Msg("billable_states must list one or both of: signed, approved"),
                field="billable_states",
            )
        object.__setattr__(self, "billable_states", states)
        places = dict(DEFAULT_PLACE_OF_SERVICE)
        for key, code in self.place_of_service.items():
            loc = _location_type(key)
            places[loc] = _pos(code, "place_of_service")
        object.__setattr__(self, "place_of_service", MappingProxyType(places))
        by_contact = {
            _contact_type(key, field_name="contact_place_of_service"): _pos(
                code, "contact_place_of_service"
            )
            for key, code in self.contact_place_of_service.items()
        }
        object.__setattr__(self, "contact_place_of_service", MappingProxyType(by_contact))
        if not isinstance(self.payer_id, str) or not _PAYER_ID_RE.match(self.payer_id):
            raise ValidationError(Msg("payer_id must be letters and digits"), field="payer_id")
        try:
            charge = Decimal(str(self.unit_charge))
            ok = (
                charge.is_finite()
                and 0 <= charge <= MAX_UNIT_CHARGE
                and charge == charge.quantize(Decimal("0.01"))
            )
            cents = charge.quantize(Decimal("0.01")) if ok else None
        except InvalidOperation:
            cents = None
        if cents is None:
            raise ValidationError(
                Msg(
                    "unit_charge must be an amount in dollars and cents, 0 to {limit}",
                    limit=MAX_UNIT_CHARGE,
                ),
                field="unit_charge",
            )
        object.__setattr__(self, "unit_charge", cents)
        if not isinstance(self.diagnosis_required, bool):
            raise ValidationError(
                Msg("diagnosis_required must be true or false"), field="diagnosis_required"
            )
        if self.default_diagnosis is not None:
            diagnosis = normalise_diagnosis(self.default_diagnosis)
            if diagnosis is None:
                raise ValidationError(
                    Msg("default_diagnosis must be an ICD-10-CM code"), field="default_diagnosis"
                )
            object.__setattr__(self, "default_diagnosis", diagnosis)

    def place_for(self, contact_type: ContactType, location_type: LocationType) -> str:
        """The place-of-service code of a contact."""
        if contact_type in self.contact_place_of_service:
            return self.contact_place_of_service[contact_type]
        return self.place_of_service.get(location_type, "99")

    def claims_state(self, state: str) -> bool:
        """Whether a note in billing ``state`` (signed, approved) may be claimed."""
        return state in self.billable_states

    def is_billable(self, contact_type: ContactType) -> bool:
        return contact_type in self.billable_contact_types

    def modifiers_for(self, contact_type: ContactType) -> tuple[str, ...]:
        """Modifiers a billable line of this contact type carries (may be empty)."""
        return self.contact_modifiers.get(contact_type, ())


def normalise_diagnosis(text: str) -> str | None:
    """An ICD-10-CM code as a claim carries it (capitals, no dot), or None if
    ``text`` is not one."""
    code = str(text).strip().upper().replace(".", "")
    return code if _ICD10_RE.match(code) else None


def _pos(value: object, field_name: str) -> str:
    if not isinstance(value, str) or not _POS_RE.match(value):
        raise ValidationError(
            Msg("place of service {value} must be a two-digit CMS code", value=repr(value)),
            field=field_name,
        )
    return value


def _location_type(value: object) -> LocationType:
    if isinstance(value, LocationType):
        return value
    try:
        return LocationType(str(value))
    except ValueError:
        choices = ", ".join(c.value for c in LocationType)
        raise ValidationError(
            Msg(
                "{value} is not a location type (one of: {choices})",
                value=repr(value),
                choices=choices,
            ),
            field="place_of_service",
        ) from None


def _contact_type(value: object, *, field_name: str) -> ContactType:
    if isinstance(value, ContactType):
        return value
    try:
        return ContactType(str(value))
    except ValueError:
        choices = ", ".join(c.value for c in ContactType)
        raise ValidationError(
            Msg(
                "{value} is not a contact type (one of: {choices})",
                value=repr(value),
                choices=choices,
            ),
            field=field_name,
        ) from None


# --- units ------------------------------------------------------------------------------


def units_for_minutes(minutes: int, profile: PayerProfile) -> int:
    """Units earned by one contact of ``minutes`` whole minutes under ``profile``.

    Zero, negative or implausibly long durations raise :class:`ValidationError`
    (field ``end_at``, since the end time is what the person got wrong).
    """
    if not _is_int(minutes):
        raise ValidationError(Msg("minutes must be a whole number"), field="end_at")
    if minutes <= 0:
        raise ValidationError(
            Msg("the contact must last at least one minute (end after start)"), field="end_at"
        )
    if minutes > profile.max_contact_minutes:
        raise ValidationError(
            Msg(
                "a single contact of {minutes} minutes is longer than the "
                "{limit}-minute limit; check the end time",
                minutes=minutes,
                limit=profile.max_contact_minutes,
            ),
            field="end_at",
        )
    return units_for_total(minutes, profile)


def units_for_total(minutes: int, profile: PayerProfile) -> int:
    """Units for a total of ``minutes`` (a day's sum; no per-contact length limit):
    the same table as :func:`units_for_minutes`, so 7 minutes earn nothing and 8 to
    22 minutes one unit under the 8-minute rule."""
    if minutes <= 0:
        return 0
    full, remainder = divmod(minutes, profile.unit_minutes)
    if profile.rounding is RoundingMode.CMS_8_MINUTE:
        threshold = profile.unit_minutes // 2 + 1
    elif profile.rounding is RoundingMode.MIN_MINUTES_PER_UNIT:
        assert profile.min_minutes_per_unit is not None
        threshold = profile.min_minutes_per_unit
    else:
        return full
    return full + (1 if remainder >= threshold else 0)


def _require_aware(value: object, field_name: str) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError(
            Msg("{name} must be a date and time", name=field_name), field=field_name
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            Msg("{name} must carry a time zone", name=field_name), field=field_name
        )
    return value


def contact_minutes(start_at: datetime, end_at: datetime) -> int:
    """Whole minutes between two aware datetimes, measured in UTC.

    End before or equal to start, or a naive datetime, raises :class:`ValidationError`.
    """
    start = _require_aware(start_at, "start_at").astimezone(UTC)
    end = _require_aware(end_at, "end_at").astimezone(UTC)
    if end <= start:
        raise ValidationError(Msg("the contact must end after it starts"), field="end_at")
    # Converting both to UTC first matters: subtracting two datetimes that share a
    # tzinfo object compares wall-clock times and gets DST days wrong.
    return int((end - start).total_seconds() // 60)


def units_for_contact(start_at: datetime, end_at: datetime, profile: PayerProfile) -> int:
    """Units earned by a contact from ``start_at`` to ``end_at`` (aware datetimes)."""
    return units_for_minutes(contact_minutes(start_at, end_at), profile)


# --- billing lines --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContactForBilling:
    """The few facts about a contact that billing needs."""

    note_id: str
    participant_id: str
    contact_type: ContactType
    start_at: datetime
    end_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "contact_type", _contact_type(self.contact_type, field_name="contact_type")
        )


def contact_from_note(note: Note) -> ContactForBilling:
    """The billing view of a note (state is not checked: the caller decides which
    notes, e.g. signed or approved ones, go to billing)."""
    return ContactForBilling(
        note_id=note.id,
        participant_id=note.participant_id,
        contact_type=note.contact_type,
        start_at=note.start_at,
        end_at=note.end_at,
    )


@dataclass(frozen=True, slots=True)
class BillableLine:
    """One contact as it would be billed.

    ``units`` is what may be claimed after the daily cap; ``units_before_cap`` is
    what the minutes alone would earn. ``flags`` explain any difference (see the
    ``FLAG_*`` constants); a line is never dropped, only reduced and flagged.
    """

    note_id: str
    participant_id: str
    service_date: date
    contact_type: ContactType
    code: str
    minutes: int
    units: int
    units_before_cap: int
    modifiers: tuple[str, ...]
    flags: tuple[str, ...] = ()

    @property
    def billable(self) -> bool:
        return self.units > 0


def monthly_units(lines: Iterable[BillableLine]) -> dict[tuple[int, int], int]:
    """Units per ``(year, month)`` of service date, in calendar order."""
    totals: dict[tuple[int, int], int] = defaultdict(int)
    for line in lines:
        totals[(line.service_date.year, line.service_date.month)] += line.units
    return dict(sorted(totals.items()))

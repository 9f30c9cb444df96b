"""Medicaid peer support billing rules (HCPCS H0038, "self-help/peer services,
per 15 minutes") as pure functions.

A :class:`PayerProfile` holds one payer's rules: how minutes become units, the
daily unit cap per participant, which contact types may be billed and which
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

No I/O here: :func:`parse_payer_profile` checks the bytes of one profile file;
reading the files is :mod:`peerdesk.services.payers`.
"""

from __future__ import annotations

import enum
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from types import MappingProxyType
from typing import Any

from peerdesk.domain.models import ContactType, Note
from peerdesk.errors import ConfigError, ValidationError

__all__ = [
    "DEFAULT_MAX_CONTACT_MINUTES",
    "FLAG_BELOW_MINIMUM",
    "FLAG_NOT_BILLABLE",
    "FLAG_OVERLAP",
    "FLAG_OVER_DAILY_CAP",
    "BillableLine",
    "ContactForBilling",
    "PayerProfile",
    "RoundingMode",
    "bill_contacts",
    "contact_from_note",
    "contact_minutes",
    "monthly_units",
    "parse_payer_profile",
    "payer_file_error",
    "units_for_contact",
    "units_for_minutes",
]

#: A single contact longer than this many minutes is treated as a data-entry error.
DEFAULT_MAX_CONTACT_MINUTES = 720

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

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValidationError("payer name must be a non-empty text", field="name")
        if not isinstance(self.code, str) or not _HCPCS_RE.match(self.code):
            raise ValidationError(
                f"code {self.code!r} is not an HCPCS code (a letter and four digits, e.g. H0038)",
                field="code",
            )
        try:
            rounding = RoundingMode(self.rounding)
        except ValueError:
            choices = ", ".join(m.value for m in RoundingMode)
            raise ValidationError(
                f"rounding {self.rounding!r} is not one of: {choices}", field="rounding"
            ) from None
        object.__setattr__(self, "rounding", rounding)

        if not _is_int(self.unit_minutes) or not 1 <= self.unit_minutes <= 240:
            raise ValidationError(
                "unit_minutes must be a whole number from 1 to 240", field="unit_minutes"
            )
        if rounding is RoundingMode.MIN_MINUTES_PER_UNIT:
            if self.min_minutes_per_unit is None:
                raise ValidationError(
                    "min_minutes_per_unit is required when rounding is 'min_minutes_per_unit'",
                    field="min_minutes_per_unit",
                )
            if (
                not _is_int(self.min_minutes_per_unit)
                or not 1 <= self.min_minutes_per_unit <= self.unit_minutes
            ):
                raise ValidationError(
                    f"min_minutes_per_unit must be a whole number from 1 to {self.unit_minutes}",
                    field="min_minutes_per_unit",
                )
        elif self.min_minutes_per_unit is not None:
            raise ValidationError(
                "min_minutes_per_unit is only used when rounding is 'min_minutes_per_unit'",
                field="min_minutes_per_unit",
            )
        if self.daily_cap_units is not None and (
            not _is_int(self.daily_cap_units) or self.daily_cap_units < 1
        ):
            raise ValidationError(
                "daily_cap_units must be a whole number of at least 1 (or absent for no cap)",
                field="daily_cap_units",
            )
        if not _is_int(self.max_contact_minutes) or not 1 <= self.max_contact_minutes <= 1440:
            raise ValidationError(
                "max_contact_minutes must be a whole number from 1 to 1440",
                field="max_contact_minutes",
            )
        if not isinstance(self.description, str):
            raise ValidationError("description must be text", field="description")

        modifiers = tuple(self.modifiers)
        for mod in modifiers:
            if not isinstance(mod, str) or not _MODIFIER_RE.match(mod):
                raise ValidationError(
                    f"modifier {mod!r} must be two capital letters or digits", field="modifiers"
                )
        if len(set(modifiers)) != len(modifiers):
            raise ValidationError("modifiers lists a modifier twice", field="modifiers")
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
                        f"modifier {mod!r} for {ct.value} is not declared in modifiers",
                        field="contact_modifiers",
                    )
            mapping[ct] = mods_tuple
        object.__setattr__(self, "contact_modifiers", MappingProxyType(mapping))

    def is_billable(self, contact_type: ContactType) -> bool:
        return contact_type in self.billable_contact_types

    def modifiers_for(self, contact_type: ContactType) -> tuple[str, ...]:
        """Modifiers a billable line of this contact type carries (may be empty)."""
        return self.contact_modifiers.get(contact_type, ())


def _contact_type(value: object, *, field_name: str) -> ContactType:
    if isinstance(value, ContactType):
        return value
    try:
        return ContactType(str(value))
    except ValueError:
        choices = ", ".join(c.value for c in ContactType)
        raise ValidationError(
            f"{value!r} is not a contact type (one of: {choices})", field=field_name
        ) from None


# --- units ------------------------------------------------------------------------------


def units_for_minutes(minutes: int, profile: PayerProfile) -> int:
    """Units earned by one contact of ``minutes`` whole minutes under ``profile``.

    Zero, negative or implausibly long durations raise :class:`ValidationError`
    (field ``end_at``, since the end time is what the person got wrong).
    """
    if not _is_int(minutes):
        raise ValidationError("minutes must be a whole number", field="end_at")
    if minutes <= 0:
        raise ValidationError(
            "the contact must last at least one minute (end after start)", field="end_at"
        )
    if minutes > profile.max_contact_minutes:
        raise ValidationError(
            f"a single contact of {minutes} minutes is longer than the "
            f"{profile.max_contact_minutes}-minute limit; check the end time",
            field="end_at",
        )
    unit = profile.unit_minutes
    full, remainder = divmod(minutes, unit)
    if profile.rounding is RoundingMode.CMS_8_MINUTE:
        # A unit needs more than half its length: 8 of 15 minutes.
        threshold = unit // 2 + 1
    elif profile.rounding is RoundingMode.MIN_MINUTES_PER_UNIT:
        assert profile.min_minutes_per_unit is not None  # checked by PayerProfile
        threshold = profile.min_minutes_per_unit
    else:
        return full
    return full + (1 if remainder >= threshold else 0)


def _require_aware(value: object, field_name: str) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError(f"{field_name} must be a date and time", field=field_name)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(f"{field_name} must carry a time zone", field=field_name)
    return value


def contact_minutes(start_at: datetime, end_at: datetime) -> int:
    """Whole minutes between two aware datetimes, measured in UTC.

    End before or equal to start, or a naive datetime, raises :class:`ValidationError`.
    """
    start = _require_aware(start_at, "start_at").astimezone(UTC)
    end = _require_aware(end_at, "end_at").astimezone(UTC)
    if end <= start:
        raise ValidationError("the contact must end after it starts", field="end_at")
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


def bill_contacts(
    contacts: Iterable[ContactForBilling],
    profile: PayerProfile,
    tz: tzinfo = UTC,
) -> list[BillableLine]:
    """Turn contacts into billing lines, in chronological order.

    The daily cap applies per participant per local service date (in ``tz``), in
    order of start time: once the cap is reached, later contacts are reduced (to
    0 if need be) and flagged ``over_daily_cap``. Non-billable contact types get 0
    units and the ``not_billable_contact_type`` flag. A contact with invalid times
    raises :class:`ValidationError` naming its note; a note listed twice too.
    """
    prepared: list[tuple[datetime, datetime, int, ContactForBilling]] = []
    seen: set[str] = set()
    for contact in contacts:
        if contact.note_id in seen:
            raise ValidationError(
                f"note {contact.note_id} is listed twice; it can only be billed once",
                field="note_id",
            )
        seen.add(contact.note_id)
        try:
            minutes = contact_minutes(contact.start_at, contact.end_at)
            # Validates the length even for non-billable types.
            units_for_minutes(minutes, profile)
        except ValidationError as exc:
            raise ValidationError(f"note {contact.note_id}: {exc}", field=exc.field) from exc
        start = contact.start_at.astimezone(UTC)
        end = contact.end_at.astimezone(UTC)
        prepared.append((start, end, minutes, contact))

    prepared.sort(key=lambda item: (item[0], item[3].note_id))

    used: dict[tuple[str, date], int] = defaultdict(int)
    latest_end: dict[str, datetime] = {}
    lines: list[BillableLine] = []
    for start, end, minutes, contact in prepared:
        service_date = start.astimezone(tz).date()
        flags: list[str] = []
        earned = units = 0
        modifiers: tuple[str, ...] = ()
        if not profile.is_billable(contact.contact_type):
            flags.append(FLAG_NOT_BILLABLE)
        else:
            previous_end = latest_end.get(contact.participant_id)
            if previous_end is not None and start < previous_end:
                flags.append(FLAG_OVERLAP)
            latest_end[contact.participant_id] = max(end, previous_end or end)

            earned = units = units_for_minutes(minutes, profile)
            if earned == 0:
                flags.append(FLAG_BELOW_MINIMUM)
            key = (contact.participant_id, service_date)
            if profile.daily_cap_units is not None:
                remaining = max(profile.daily_cap_units - used[key], 0)
                if units > remaining:
                    units = remaining
                    flags.append(FLAG_OVER_DAILY_CAP)
            used[key] += units
            modifiers = profile.modifiers_for(contact.contact_type)
        lines.append(
            BillableLine(
                note_id=contact.note_id,
                participant_id=contact.participant_id,
                service_date=service_date,
                contact_type=contact.contact_type,
                code=profile.code,
                minutes=minutes,
                units=units,
                units_before_cap=earned,
                modifiers=modifiers,
                flags=tuple(flags),
            )
        )
    return lines


def monthly_units(lines: Iterable[BillableLine]) -> dict[tuple[int, int], int]:
    """Units per ``(year, month)`` of service date, in calendar order."""
    totals: dict[tuple[int, int], int] = defaultdict(int)
    for line in lines:
        totals[(line.service_date.year, line.service_date.month)] += line.units
    return dict(sorted(totals.items()))


# --- payer profile files --------------------------------------------------------------

_REQUIRED_KEYS = ("name", "code", "unit_minutes", "rounding", "billable_contact_types")
_OPTIONAL_KEYS = (
    "description",
    "min_minutes_per_unit",
    "daily_cap_units",
    "max_contact_minutes",
    "modifiers",
    "contact_modifiers",
)


def payer_file_error(source: str, key: str, message: str) -> ConfigError:
    """The error for ``key`` of the payer profile file ``source``."""
    return ConfigError(f"key '{key}': {message}", path=source)


def _get_str(data: Mapping[str, Any], key: str, path: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise payer_file_error(path, key, f"must be a text string, not {type(value).__name__}")
    return value


def _get_int(data: Mapping[str, Any], key: str, path: str) -> int:
    value = data[key]
    if not _is_int(value):
        raise payer_file_error(path, key, f"must be a whole number, not {type(value).__name__}")
    assert isinstance(value, int)
    return value


def _get_str_list(value: object, key: str, path: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise payer_file_error(path, key, "must be a list of text strings")
    return tuple(value)


def _contact_type_from_file(value: str, key: str, path: str) -> ContactType:
    try:
        return ContactType(value)
    except ValueError:
        choices = ", ".join(c.value for c in ContactType)
        raise payer_file_error(
            path, key, f"{value!r} is not a contact type (one of: {choices})"
        ) from None


def parse_payer_profile(raw: bytes, path: str) -> PayerProfile:
    """Check one payer profile file: ``raw`` is its content, ``path`` names it in
    the errors.

    Any problem (bad TOML, unknown, missing or mistyped key, invalid value) raises
    :class:`ConfigError` naming the file and the key.
    """
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=path) from exc

    for key in data:
        if key not in _REQUIRED_KEYS and key not in _OPTIONAL_KEYS:
            known = ", ".join(_REQUIRED_KEYS + _OPTIONAL_KEYS)
            raise payer_file_error(path, key, f"unknown key (known keys: {known})")
    for key in _REQUIRED_KEYS:
        if key not in data:
            raise payer_file_error(path, key, "is required but missing")

    name = _get_str(data, "name", path)
    code = _get_str(data, "code", path)
    unit_minutes = _get_int(data, "unit_minutes", path)
    rounding_text = _get_str(data, "rounding", path)
    try:
        rounding = RoundingMode(rounding_text)
    except ValueError:
        choices = ", ".join(m.value for m in RoundingMode)
        raise payer_file_error(
            path, "rounding", f"{rounding_text!r} is not one of: {choices}"
        ) from None

    billable = frozenset(
        _contact_type_from_file(v, "billable_contact_types", path)
        for v in _get_str_list(data["billable_contact_types"], "billable_contact_types", path)
    )
    description = _get_str(data, "description", path) if "description" in data else ""
    min_minutes = (
        _get_int(data, "min_minutes_per_unit", path) if "min_minutes_per_unit" in data else None
    )
    daily_cap = _get_int(data, "daily_cap_units", path) if "daily_cap_units" in data else None
    max_minutes = (
        _get_int(data, "max_contact_minutes", path)
        if "max_contact_minutes" in data
        else DEFAULT_MAX_CONTACT_MINUTES
    )
    modifiers = _get_str_list(data["modifiers"], "modifiers", path) if "modifiers" in data else ()

    contact_modifiers: dict[ContactType, tuple[str, ...]] = {}
    raw_map = data.get("contact_modifiers", {})
    if not isinstance(raw_map, dict):
        raise payer_file_error(
            path, "contact_modifiers", "must be a table of contact type = [modifiers]"
        )
    for ct_text, mods in raw_map.items():
        key = f"contact_modifiers.{ct_text}"
        ct = _contact_type_from_file(ct_text, key, path)
        contact_modifiers[ct] = _get_str_list(mods, key, path)

    try:
        return PayerProfile(
            name=name,
            code=code,
            unit_minutes=unit_minutes,
            rounding=rounding,
            min_minutes_per_unit=min_minutes,
            daily_cap_units=daily_cap,
            max_contact_minutes=max_minutes,
            modifiers=modifiers,
            contact_modifiers=contact_modifiers,
            billable_contact_types=billable,
            description=description,
        )
    except ValidationError as exc:
        raise payer_file_error(path, exc.field or "?", str(exc)) from exc

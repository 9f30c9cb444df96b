"""One payer profile file (TOML) checked into a :class:`PayerProfile`.

The keys are the profile's attributes (see :mod:`peerdesk.domain.billing`);
tables map contact or location types to values. Any problem raises
:class:`ConfigError` naming the file and the key. No I/O: reading the files is
:mod:`peerdesk.services.payers`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from peerdesk.domain.billing import (
    DEFAULT_MAX_CONTACT_MINUTES,
    DayRule,
    PayerProfile,
    RoundingMode,
)
from peerdesk.domain.models import ContactType, LocationType
from peerdesk.errors import ConfigError, Msg, ValidationError

__all__ = ["parse_payer_profile", "payer_file_error"]

_REQUIRED_KEYS = ("name", "code", "unit_minutes", "rounding", "billable_contact_types")
_OPTIONAL_KEYS = (
    "description",
    "min_minutes_per_unit",
    "daily_cap_units",
    "max_contact_minutes",
    "modifiers",
    "contact_modifiers",
    "day_rule",
    "billable_states",
    "place_of_service",
    "contact_place_of_service",
    "payer_id",
    "unit_charge",
    "diagnosis_required",
    "default_diagnosis",
)


def payer_file_error(source: str, key: str, message: Msg) -> ConfigError:
    """The error for ``key`` of the payer profile file ``source``."""
    return ConfigError(Msg("key '{key}': {message}", key=key, message=message), path=source)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _get_str(data: Mapping[str, Any], key: str, path: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise payer_file_error(
            path, key, Msg("must be a text string, not {kind}", kind=type(value).__name__)
        )
    return value


def _get_int(data: Mapping[str, Any], key: str, path: str) -> int:
    value = data[key]
    if not _is_int(value):
        raise payer_file_error(
            path, key, Msg("must be a whole number, not {kind}", kind=type(value).__name__)
        )
    assert isinstance(value, int)
    return value


def _get_str_list(value: object, key: str, path: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise payer_file_error(path, key, Msg("must be a list of text strings"))
    return tuple(value)


def _contact_type_from_file(value: str, key: str, path: str) -> ContactType:
    try:
        return ContactType(value)
    except ValueError:
        choices = ", ".join(c.value for c in ContactType)
        raise payer_file_error(
            path,
            key,
            Msg(
                "{value} is not a contact type (one of: {choices})",
                value=repr(value),
                choices=choices,
            ),
        ) from None


def _enum(data: Mapping[str, Any], key: str, path: str, kind: Any) -> Any:
    text = _get_str(data, key, path)
    try:
        return kind(text)
    except ValueError:
        choices = ", ".join(m.value for m in kind)
        raise payer_file_error(
            path, key, Msg("{value} is not one of: {choices}", value=repr(text), choices=choices)
        ) from None


def _table(data: Mapping[str, Any], key: str, path: str) -> dict[str, str]:
    raw = data.get(key, {})
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise payer_file_error(path, key, Msg('must be a table of type = "code"'))
    return dict(raw)


def _claim_settings(data: Mapping[str, Any], path: str) -> dict[str, Any]:
    """The keys that say how a day is counted and what a claim needs."""
    out: dict[str, Any] = {}
    if "day_rule" in data:
        out["day_rule"] = _enum(data, "day_rule", path, DayRule)
    if "billable_states" in data:
        out["billable_states"] = frozenset(
            _get_str_list(data["billable_states"], "billable_states", path)
        )
    places = _table(data, "place_of_service", path)
    for loc in places:
        if loc not in {m.value for m in LocationType}:
            choices = ", ".join(m.value for m in LocationType)
            raise payer_file_error(
                path,
                f"place_of_service.{loc}",
                Msg("not a location type (one of: {choices})", choices=choices),
            )
    out["place_of_service"] = places
    by_contact = _table(data, "contact_place_of_service", path)
    for ct in by_contact:
        _contact_type_from_file(ct, f"contact_place_of_service.{ct}", path)
    out["contact_place_of_service"] = by_contact
    if "payer_id" in data:
        out["payer_id"] = _get_str(data, "payer_id", path)
    if "unit_charge" in data:
        try:
            out["unit_charge"] = Decimal(_get_str(data, "unit_charge", path))
        except InvalidOperation:
            raise payer_file_error(
                path, "unit_charge", Msg('must be an amount such as "12.50"')
            ) from None
    if "diagnosis_required" in data:
        value = data["diagnosis_required"]
        if not isinstance(value, bool):
            raise payer_file_error(path, "diagnosis_required", Msg("must be true or false"))
        out["diagnosis_required"] = value
    if "default_diagnosis" in data:
        out["default_diagnosis"] = _get_str(data, "default_diagnosis", path)
    return out


def parse_payer_profile(raw: bytes, path: str) -> PayerProfile:
    """Check one payer profile file: ``raw`` is its content, ``path`` names it in
    the errors.

    Any problem (bad TOML, unknown, missing or mistyped key, invalid value) raises
    :class:`ConfigError` naming the file and the key.
    """
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(Msg("not valid TOML: {error}", error=str(exc)), path=path) from exc

    for key in data:
        if key not in _REQUIRED_KEYS and key not in _OPTIONAL_KEYS:
            known = ", ".join(_REQUIRED_KEYS + _OPTIONAL_KEYS)
            raise payer_file_error(path, key, Msg("unknown key (known keys: {known})", known=known))
    for key in _REQUIRED_KEYS:
        if key not in data:
            raise payer_file_error(path, key, Msg("is required but missing"))

    name = _get_str(data, "name", path)
    code = _get_str(data, "code", path)
    unit_minutes = _get_int(data, "unit_minutes", path)
    rounding = _enum(data, "rounding", path, RoundingMode)

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
            path, "contact_modifiers", Msg("must be a table of contact type = [modifiers]")
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
            **_claim_settings(data, path),
        )
    except ValidationError as exc:
        # every error PayerProfile raises is a Msg (tests/unit/test_core_messages.py)
        raise payer_file_error(path, exc.field or "?", cast(Msg, exc.message)) from exc

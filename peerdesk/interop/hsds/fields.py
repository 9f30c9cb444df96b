"""The fields of each HSDS 3 record kind as PeerDesk reads them, with their limits
(one function per kind, on a :class:`~peerdesk.interop.hsds.reader.Reader` over
the record), and ``KNOWN``: the fields each kind reads (the rest is kept as
``extra``). The JSON and CSV readers and the agency's corrections use them.
"""

from __future__ import annotations

import re
from typing import Any

from peerdesk.domain.directory.hours import clock_minutes
from peerdesk.domain.directory.model import (
    EXTENT_TYPES,
    FREQUENCIES,
    LOCATION_TYPES,
    MINUTES_PER_DAY,
    PHONE_TYPES,
    SERVICE_STATUSES,
)
from peerdesk.errors import Msg
from peerdesk.interop.hsds.reader import MAX_COORDINATE, MAX_EXTENT, MAX_ID, Reader

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
_MONTHLY_DAY = re.compile(r"^(?:[+-]?[1-5])?(?:MO|TU|WE|TH|FR|SA|SU)$")
_MONTH_DAY = re.compile(r"^-?(?:[1-9]|[12]\d|3[01])$")


def language_fields(r: Reader) -> dict[str, Any]:
    name, code, note = r.text("name"), r.text("code", limit=20), r.long_text("note")
    code = code.lower()
    if code and not _LANGUAGE_CODE.match(code):
        raise r.fail(
            "code", Msg("must be an ISO 639 code of 2 or 3 letters, not {code}", code=repr(code))
        )
    if not name and not code:
        raise r.fail("name", Msg("a language needs a name or a code"))
    return {"id": r.ident(), "name": name, "code": code, "note": note}


def phone_fields(r: Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "number": r.text("number", limit=60, required=True),
        "extension": r.integer("extension", 0, 10**9),
        "type": r.choice("type", PHONE_TYPES),
        "description": r.long_text("description"),
    }


def schedule_fields(r: Reader) -> dict[str, Any]:
    freq = r.choice("freq", FREQUENCIES)
    byday = r.text("byday", limit=200).upper().replace(" ", "")
    parts = [p for p in byday.split(",") if p] if byday else []
    pattern = _MONTHLY_DAY if freq == "MONTHLY" else re.compile(r"^(?:MO|TU|WE|TH|FR|SA|SU)$")
    for part in parts:
        if not pattern.match(part):
            raise r.fail(
                "byday",
                Msg("{part} is not a day code (MO, TU, WE, TH, FR, SA, SU)", part=repr(part)),
            )
    if len(set(parts)) != len(parts):
        raise r.fail("byday", Msg("names a day twice"))
    bymonthday = r.text("bymonthday", limit=200).replace(" ", "")
    for part in (p for p in bymonthday.split(",") if p):
        if not _MONTH_DAY.match(part):
            raise r.fail("bymonthday", Msg("{part} is not a day of the month", part=repr(part)))
    opens, closes = r.time("opens_at"), r.time("closes_at")
    if bool(opens) != bool(closes):
        raise r.fail("closes_at" if opens else "opens_at", Msg("give both opens_at and closes_at"))
    if opens and clock_minutes(opens) >= MINUTES_PER_DAY:
        raise r.fail("opens_at", Msg("a service cannot open at 24:00; use 00:00"))
    valid_from, valid_to = r.day("valid_from"), r.day("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        raise r.fail("valid_to", Msg("is before valid_from"))
    return {
        "id": r.ident(),
        "freq": freq,
        "interval": r.integer("interval", 1, 366),
        "byday": ",".join(parts),
        "bymonthday": bymonthday,
        "opens_at": opens,
        "closes_at": closes,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "description": r.long_text("description"),
        "notes": r.long_text("notes"),
    }


def service_area_fields(r: Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "name": r.text("name"),
        "description": r.long_text("description"),
        "extent": r.long_text("extent", MAX_EXTENT),
        "extent_type": r.choice("extent_type", EXTENT_TYPES),
        "uri": r.text("uri"),
    }


def service_at_location_fields(r: Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "location_id": r.required_ident("location_id"),
        "description": r.long_text("description"),
    }


def attribute_fields(r: Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "taxonomy_term_id": r.required_ident("taxonomy_term_id"),
        "link_type": r.text("link_type"),
        "value": r.text("value"),
        "label": r.text("label"),
    }


def organization_fields(r: Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "name": r.text("name", required=True),
        "alternate_name": r.text("alternate_name"),
        "description": r.long_text("description"),
        "email": r.text("email"),
        "website": r.text("website"),
    }


def service_fields(r: Reader) -> dict[str, Any]:
    minimum, maximum = r.number("minimum_age", 0, 150), r.number("maximum_age", 0, 150)
    if minimum is not None and maximum is not None and maximum < minimum:
        raise r.fail("maximum_age", Msg("is below minimum_age"))
    return {
        "id": r.ident(),
        "name": r.text("name", required=True),
        "status": r.choice("status", SERVICE_STATUSES, "active"),
        "organization_id": r.ident("organization_id", required=False),
        "alternate_name": r.text("alternate_name"),
        "description": r.long_text("description"),
        "url": r.text("url"),
        "email": r.text("email"),
        "interpretation_services": r.long_text("interpretation_services"),
        "application_process": r.long_text("application_process"),
        "fees_description": r.long_text("fees_description"),
        "eligibility_description": r.long_text("eligibility_description"),
        "minimum_age": minimum,
        "maximum_age": maximum,
        "assured_date": r.day("assured_date"),
        "assurer_email": r.text("assurer_email"),
        "alert": r.long_text("alert"),
        "last_modified": r.text("last_modified", limit=40),
    }


def address_fields(r: Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "address_1": r.text("address_1", required=True),
        "city": r.text("city", required=True),
        "state_province": r.text("state_province", required=True),
        "country": r.text("country", limit=60, required=True),
        "postal_code": r.text("postal_code", limit=20),
        "address_2": r.text("address_2"),
        "region": r.text("region"),
        "attention": r.text("attention"),
        "address_type": r.choice("address_type", LOCATION_TYPES, "physical"),
    }


def accessibility_fields(r: Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "description": r.long_text("description"),
        "details": r.long_text("details"),
        "url": r.text("url"),
    }


def location_fields(r: Reader) -> dict[str, Any]:
    # HSDS 3 allows any number (its own example has a latitude of 100); a position
    # off the globe is kept and not used for distances (store.directory.derive)
    lat, lon = (
        r.number("latitude", -MAX_COORDINATE, MAX_COORDINATE),
        r.number("longitude", -MAX_COORDINATE, MAX_COORDINATE),
    )
    if (lat is None) != (lon is None):
        raise r.fail(
            "longitude" if lon is None else "latitude", Msg("give both latitude and longitude")
        )
    return {
        "id": r.ident(),
        "location_type": r.choice("location_type", LOCATION_TYPES, "physical"),
        "name": r.text("name"),
        "organization_id": r.ident("organization_id", required=False),
        "alternate_name": r.text("alternate_name"),
        "description": r.long_text("description"),
        "transportation": r.long_text("transportation"),
        "latitude": lat,
        "longitude": lon,
        "url": r.text("url"),
    }


def taxonomy_fields(r: Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "name": r.text("name", required=True),
        "description": r.long_text("description"),
        "uri": r.text("uri"),
        "version": r.text("version", limit=60),
    }


def term_fields(r: Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "name": r.text("name", required=True),
        "code": r.text("code", limit=MAX_ID),
        "description": r.long_text("description"),
        "parent_id": r.ident("parent_id", required=False),
        "taxonomy_id": r.ident("taxonomy_id", required=False),
        "taxonomy": r.text("taxonomy"),
        "language": r.text("language", limit=20),
        "term_uri": r.text("term_uri"),
    }


def town_fields(r: Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "name": r.text("name", required=True),
        "county": r.text("county", required=True),
        "latitude": r.number("latitude", -90, 90, required=True),
        "longitude": r.number("longitude", -180, 180, required=True),
        "state": r.text("state"),
    }

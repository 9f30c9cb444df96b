"""Reading one HSDS record: typed, bounded access to the fields of a JSON object
or a CSV row (:class:`Reader`), the fields of each record kind, and the registry
of ids that finds duplicates. Every problem raises
:class:`~peerdesk.errors.DirectoryDataError` naming the file, the record and the
field.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import fields as dataclass_fields
from datetime import date, datetime
from typing import Any

from peerdesk.domain.directory.hours import TIME_PATTERN
from peerdesk.domain.directory.model import (
    Accessibility,
    Address,
    Attribute,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from peerdesk.domain.directory.validation import Place
from peerdesk.errors import DirectoryDataError, Msg
from peerdesk.interop.hsds.hsds3 import ENTITIES

MAX_ID = 128
MAX_SHORT = 500
MAX_TEXT = 10_000
#: a service area's extent (a GeoJSON polygon may be long, but not unbounded)
MAX_EXTENT = 200_000
#: children of one record (phones, schedules, attributes ...)
MAX_ITEMS = 500
#: records in one table
MAX_RECORDS = 1_000_000
MAX_FILE_BYTES = 256 * 1024 * 1024
#: the bound of a location's coordinates (HSDS sets none; this keeps hostile numbers out)
MAX_COORDINATE = 1e9
#: characters of what one record holds beyond the modelled fields (as JSON)
MAX_EXTRA = 1_000_000
#: nesting of the fields kept as they came
MAX_DEPTH = 32

#: control characters, and lone surrogates (a JSON "\\ud800" escape), which no
#: UTF-8 file or signed update can hold
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_LINE_BREAK = re.compile(r"[\r\n]")
_ID = re.compile(r"^[^\s\x00-\x1f\x7f\ud800-\udfff]+$")


class Reader:
    """Typed access to one record's fields (a JSON object or a CSV row)."""

    __slots__ = ("data", "origins", "place", "tabular")

    def __init__(
        self,
        data: Mapping[str, Any],
        place: Place,
        *,
        tabular: bool,
        origins: Mapping[int, Place] | None = None,
    ) -> None:
        self.data = data
        self.place = place
        self.tabular = tabular
        #: id() of a nested object that was a row of a CSV file -> that row
        self.origins = origins

    def fail(self, field: str, problem: Msg) -> DirectoryDataError:
        return self.place.error(field, problem)

    def raw(self, field: str) -> Any:
        value = self.data.get(field)
        if self.tabular and isinstance(value, str) and value.strip() == "":
            return None
        return value

    def text(
        self, field: str, *, limit: int = MAX_SHORT, required: bool = False, one_line: bool = True
    ) -> str:
        value = self.raw(field)
        if value is None:
            if required:
                raise self.fail(field, Msg("is required"))
            return ""
        if not isinstance(value, str):
            raise self.fail(field, Msg("must be text, not {kind}", kind=type_name(value)))
        value = value.strip()
        if required and not value:
            raise self.fail(field, Msg("is required"))
        if len(value) > limit:
            raise self.fail(
                field,
                Msg(
                    "is {length} characters long; the limit is {limit}",
                    length=len(value),
                    limit=limit,
                ),
            )
        if _CONTROL.search(value) or (one_line and _LINE_BREAK.search(value)):
            raise self.fail(field, Msg("contains control characters"))
        return value

    def long_text(self, field: str, limit: int = MAX_TEXT) -> str:
        return self.text(field, limit=limit, one_line=False)

    def ident(self, field: str = "id", *, required: bool = True) -> str | None:
        value = self.raw(field)
        if value is None or value == "":
            if required:
                raise self.fail(field, Msg("is required"))
            return None
        if not isinstance(value, str):
            raise self.fail(field, Msg("must be text, not {kind}", kind=type_name(value)))
        value = value.strip()
        if len(value) > MAX_ID:
            raise self.fail(
                field,
                Msg(
                    "is {length} characters long; the limit is {limit}",
                    length=len(value),
                    limit=MAX_ID,
                ),
            )
        if not _ID.match(value):
            raise self.fail(
                field, Msg("must be an identifier without spaces or control characters")
            )
        return value

    def required_ident(self, field: str) -> str:
        value = self.ident(field)
        assert value is not None
        return value

    def number(
        self, field: str, low: float, high: float, *, required: bool = False
    ) -> float | None:
        value = self.raw(field)
        if value is None:
            if required:
                raise self.fail(field, Msg("is required"))
            return None
        if isinstance(value, str) and self.tabular:
            try:
                value = float(value.strip())
            except ValueError:
                raise self.fail(
                    field, Msg("must be a number, not {value}", value=repr(value[:40]))
                ) from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(field, Msg("must be a number, not {kind}", kind=type_name(value)))
        if isinstance(value, int) and abs(value) > 2**63:
            raise self.fail(
                field, Msg("must be between {low} and {high}", low=f"{low:g}", high=f"{high:g}")
            )
        if not math.isfinite(value) or not low <= value <= high:
            raise self.fail(
                field, Msg("must be between {low} and {high}", low=f"{low:g}", high=f"{high:g}")
            )
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value

    def integer(self, field: str, low: int, high: int) -> int | None:
        value = self.number(field, low, high)
        if value is None:
            return None
        if not isinstance(value, int):
            raise self.fail(field, Msg("must be a whole number"))
        return value

    def day(self, field: str) -> date | None:
        value = self.text(field, limit=40)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
        try:  # a full time stamp is accepted for a date
            return datetime.fromisoformat(value).date()
        except ValueError:
            raise self.fail(
                field, Msg("must be a date YYYY-MM-DD, not {value}", value=repr(value))
            ) from None

    def choice(self, field: str, allowed: Sequence[str], default: str = "") -> str:
        value = self.text(field, limit=40)
        if not value:
            return default
        for option in allowed:
            if option.casefold() == value.casefold():
                return option
        raise self.fail(
            field,
            Msg(
                "must be one of {allowed}, not {value}",
                allowed=", ".join(allowed),
                value=repr(value),
            ),
        )

    def time(self, field: str) -> str:
        value = self.text(field, limit=20)
        if value and not TIME_PATTERN.match(value):
            raise self.fail(
                field,
                Msg(
                    "must be a time HH:MM (optionally with an offset), not {value}",
                    value=repr(value),
                ),
            )
        return value

    def children(self, field: str) -> list[Reader]:
        """The nested objects of a JSON array field."""
        value = self.raw(field)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(field, Msg("must be a list, not {kind}", kind=type_name(value)))
        if len(value) > MAX_ITEMS:
            raise self.fail(
                field,
                Msg("has {count} entries; the limit is {limit}", count=len(value), limit=MAX_ITEMS),
            )
        out = []
        for i, item in enumerate(value):
            sub = Place(self.place.source, self.place.record, f"{self.place.prefix}{field}[{i}].")
            if not isinstance(item, dict):
                raise sub.error("", Msg("must be an object, not {kind}", kind=type_name(item)))
            out.append(self._sub(item, sub))
        return out

    def _sub(self, item: Mapping[str, Any], place: Place) -> Reader:
        origin = self.origins.get(id(item)) if self.origins else None
        if origin is not None:
            return Reader(item, origin, tabular=True, origins=self.origins)
        return Reader(item, place, tabular=False, origins=self.origins)

    def child(self, field: str) -> Reader | None:
        value = self.raw(field)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(field, Msg("must be an object, not {kind}", kind=type_name(value)))
        return self._sub(
            value, Place(self.place.source, self.place.record, f"{self.place.prefix}{field}.")
        )

    def extra(self, kind: str) -> str:
        """What the record holds beyond the fields PeerDesk models (:data:`KNOWN`),
        as canonical JSON; a CSV row's cells are typed as the HSDS schema types
        them (numbers). Empty values are left out."""
        known = KNOWN.get(kind, frozenset())
        rest: dict[str, Any] = {}
        for key, value in self.data.items():
            if key in known:
                continue
            if not isinstance(key, str) or len(key) > MAX_SHORT or _SURROGATE.search(key):
                raise self.fail(
                    "",
                    Msg(
                        "has a field name that is not a short text: {name}",
                        name=repr(str(key)[:40]),
                    ),
                )
            value = self._kept(kind, key, value, 0)
            if value is not None:
                rest[key] = value
        if not rest:
            return ""
        text = json.dumps(rest, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        if len(text) > MAX_EXTRA:
            raise self.fail(
                "",
                Msg(
                    "holds {count} characters of other fields; the limit is {limit}",
                    count=f"{len(text):,}",
                    limit=f"{MAX_EXTRA:,}",
                ),
            )
        return text

    def _kept(self, owner: str, key: str, value: Any, depth: int) -> Any:
        """``owner``'s field ``key`` kept as it came: JSON only (a signed update is
        msgpack), typed by the schema when it was a CSV cell; None to leave it out."""
        if depth > MAX_DEPTH:
            raise self.fail(key, Msg("is nested too deeply"))
        if value is None:
            return None
        if isinstance(value, str):
            if not value.strip():
                return None
            if _SURROGATE.search(value):
                raise self.fail(
                    key, Msg("contains a lone surrogate (not a character UTF-8 can hold)")
                )
            spec = ENTITIES.get(owner)
            if self.tabular and spec is not None and spec.types.get(key) in ("number", "integer"):
                try:
                    number = float(value.strip())
                except ValueError:
                    raise self.fail(
                        key, Msg("must be a number, not {value}", value=repr(value[:40]))
                    ) from None
                if not math.isfinite(number):
                    raise self.fail(key, Msg("must be a finite number"))
                if number.is_integer() and abs(number) < 2**53:
                    return int(number)
                return number
            return value
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            if isinstance(value, float) and not math.isfinite(value):
                raise self.fail(key, Msg("must be a finite number"))
            spec = ENTITIES.get(owner)
            if spec is not None and key in spec.columns and key not in spec.types:
                return str(value)  # the schema says text (an identifier written as a number)
            return value
        spec = ENTITIES.get(owner)
        child = spec.children.get(key, (key, False))[0] if spec is not None else key
        if isinstance(value, list):
            if len(value) > MAX_RECORDS:
                raise self.fail(
                    key,
                    Msg(
                        "has {count} entries; the limit is {limit}",
                        count=len(value),
                        limit=MAX_RECORDS,
                    ),
                )
            items = [self._item(child, key, v, depth + 1) for v in value]
            return [v for v in items if v is not None] or None
        if isinstance(value, dict):
            return self._object(child, key, value, depth + 1)
        raise self.fail(key, Msg("must be a JSON value, not {kind}", kind=type_name(value)))

    def _item(self, entity: str, key: str, value: Any, depth: int) -> Any:
        if isinstance(value, dict):
            return self._object(entity, key, value, depth)
        return self._kept("", key, value, depth)

    def _object(self, entity: str, key: str, value: dict[Any, Any], depth: int) -> Any:
        out = {}
        for k, v in value.items():
            if not isinstance(k, str) or len(k) > MAX_SHORT or _SURROGATE.search(k):
                raise self.fail(
                    key,
                    Msg(
                        "has a field name that is not a short text: {name}", name=repr(str(k)[:40])
                    ),
                )
            kept = self._kept(entity, k, v, depth + 1)
            if kept is not None:
                out[k] = kept
        return out or None


def type_name(value: Any) -> Msg:
    """What kind of JSON value ``value`` is, in words ("a number")."""
    if value is None:
        return Msg("null")
    if isinstance(value, bool):
        return Msg("true/false")
    if isinstance(value, int | float):
        return Msg("a number")
    if isinstance(value, str):
        return Msg("text")
    if isinstance(value, list):
        return Msg("a list")
    if isinstance(value, dict):
        return Msg("an object")
    return Msg("{name}", name=type(value).__name__)


# Scalar fields of each record: how to read them (children are handled apart).


def _known(cls: type, *more: str) -> frozenset[str]:
    return frozenset(f.name for f in dataclass_fields(cls) if f.name != "extra") | set(more)


#: the fields of each record kind that PeerDesk reads (the rest is kept as ``extra``);
#: with the embedded records the readers hoist and the links a CSV row has to its
#: parent (read by the CSV reader)
KNOWN: dict[str, frozenset[str]] = {
    "language": _known(Language),
    "phone": _known(Phone),
    "schedule": _known(Schedule),
    "service_area": _known(ServiceArea),
    "service_at_location": _known(ServiceAtLocation, "location"),
    "attribute": _known(Attribute, "taxonomy_term"),
    "organization": _known(Organization),
    "service": _known(Service, "organization"),
    "address": _known(Address),
    "accessibility": _known(Accessibility),
    "location": _known(Location),
    "taxonomy": _known(Taxonomy),
    "taxonomy_term": _known(TaxonomyTerm),
}


class Registry:
    """Ids seen so far per table, with where each was first seen; a record may
    repeat if it is equal (HSDS 3 nests one phone, contact or location in many
    places), never with other contents."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str], Place] = {}
        self.records: dict[tuple[str, str], Any] = {}

    def add(self, table: str, record: Any, place: Place, *, embedded: bool = False) -> bool:
        """Register; False if an equal copy is registered already."""
        key = (table, record.id)
        if key in self.first:
            earlier = self.first[key]
            if self.records.get(key) == record:
                return False  # the same record again (HSDS nests one record in many places)
            what = Msg("has different contents than") if embedded else Msg("is a duplicate of")
            raise place.error(
                "id",
                Msg(
                    "{table} id {id} {what} the one at {source}, {record}",
                    table=table,
                    id=repr(record.id),
                    what=what,
                    source=earlier.source,
                    record=earlier.record,
                ),
            )
        self.first[key] = place
        self.records[key] = record
        return True

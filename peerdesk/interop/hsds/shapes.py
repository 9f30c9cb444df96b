"""The shapes an HSDS 3 JSON file comes in, turned into the one dataset
document the reader reads (tables of records, nothing embedded):

* a **dataset**: an object with the tables as arrays (``organizations``,
  ``services``, ``locations``, ``taxonomies``, ``taxonomy_terms`` ...);
* the **tabular** form: an object whose keys are the CSV files
  (``"organizations.csv": [...]``), read as a CSV package;
* one **record** as the HSDS API returns it (``organization_full.json``,
  ``service_full.json``, ``service_at_location_full.json``, a location, a
  taxonomy term or taxonomy), with what it embeds;
* a **list**: an array of records, or an API page (``{"contents": [...],
  "total_items": ...}``).

Embedded records are hoisted into their tables (an organization's ``services``
and ``locations``, a service's ``organization``, a service at location's
``location`` and ``service``, an attribute's ``taxonomy_term``, a term's
``taxonomy_detail``) with the link set. HSDS repeats one record in many places;
copies with one id are merged (a field one copy lacks is taken from another;
two different values keep the first and say so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from peerdesk.domain.directory.validation import Place
from peerdesk.errors import DirectoryDataError, Msg
from peerdesk.interop.hsds.json_format import TABLES

#: a whole directory replaces the published one; a record or a list adds to it
COMPLETE_SHAPES = ("dataset", "tabular", "csv")


@dataclass
class Shaped:
    shape: str
    doc: dict[str, Any] = field(default_factory=dict)
    problems: list[DirectoryDataError] = field(default_factory=list)
    #: copies of one record that disagree (the record is kept, with the first value)
    notes: list[DirectoryDataError] = field(default_factory=list)


def kind_of(obj: dict[str, Any]) -> str:
    """Which HSDS record an object is, by the fields only it has."""
    if isinstance(obj.get("service"), dict) or (
        isinstance(obj.get("location"), dict) and "name" not in obj
    ):
        return "service_at_location"
    if {"status", "service_at_locations", "organization", "program"} & obj.keys():
        return "service"
    if {"location_type", "addresses", "accessibility", "latitude", "transportation"} & obj.keys():
        return "location"
    if {"taxonomy_detail", "parent_id", "term_uri", "code", "taxonomy_id", "taxonomy"} & obj.keys():
        return "taxonomy_term"
    if "version" in obj and not {"website", "email", "services", "locations"} & obj.keys():
        return "taxonomy"
    return "organization"


class _Hoister:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tables: dict[str, dict[str, dict[str, Any]]] = {t: {} for t in TABLES}
        self.loose: dict[str, list[Any]] = {t: [] for t in TABLES}
        self.problems: list[DirectoryDataError] = []
        self.notes: list[DirectoryDataError] = []

    def _put(self, table: str, obj: dict[str, Any], where: str) -> dict[str, Any]:
        rid = obj.get("id")
        if not isinstance(rid, str) or not rid:
            self.loose[table].append(obj)  # the reader reports it
            return obj
        earlier = self.tables[table].get(rid)
        if earlier is None:
            self.tables[table][rid] = obj
            return obj
        self._merge(earlier, obj, f"{where} (id {rid!r})")
        return earlier

    def _merge(self, into: dict[str, Any], other: dict[str, Any], where: str) -> None:
        for key, value in other.items():
            if key not in into or into[key] in (None, ""):
                into[key] = value
            elif isinstance(into[key], list) and isinstance(value, list):
                have = {v.get("id") for v in into[key] if isinstance(v, dict)}
                into[key] = [  # a new list: the file's own objects are never changed
                    *into[key],
                    *(v for v in value if not isinstance(v, dict) or v.get("id") not in have),
                ]
            elif into[key] != value and value not in (None, ""):
                self.notes.append(
                    Place(self.source, where).error(
                        key,
                        Msg("another copy of this record has a different value; the first is kept"),
                    )
                )

    def organization(self, obj: dict[str, Any], where: str) -> None:
        obj = dict(obj)
        services, locations = obj.pop("services", None), obj.pop("locations", None)
        org = self._put("organizations", obj, where)
        oid = org.get("id")
        for i, loc in enumerate(locations if isinstance(locations, list) else ()):
            if isinstance(loc, dict):
                self.location(loc, f"{where}.locations[{i}]", organization_id=oid)
        for i, svc in enumerate(services if isinstance(services, list) else ()):
            if isinstance(svc, dict):
                self.service(svc, f"{where}.services[{i}]", organization_id=oid)

    def location(self, obj: dict[str, Any], where: str, organization_id: Any = None) -> None:
        obj = dict(obj)
        if organization_id is not None and obj.get("organization_id") in (None, ""):
            obj["organization_id"] = organization_id
        self._put("locations", obj, where)

    def term(self, obj: dict[str, Any], where: str) -> None:
        obj = dict(obj)
        detail = obj.pop("taxonomy_detail", None)
        if isinstance(detail, dict):
            self._put("taxonomies", dict(detail), f"{where}.taxonomy_detail")
            if obj.get("taxonomy_id") in (None, "") and detail.get("id"):
                obj["taxonomy_id"] = detail["id"]
        self._put("taxonomy_terms", obj, where)

    def service(
        self, obj: dict[str, Any], where: str, organization_id: Any = None
    ) -> dict[str, Any]:
        obj = dict(obj)
        org = obj.pop("organization", None)
        if isinstance(org, dict):
            self.organization(org, f"{where}.organization")
            if obj.get("organization_id") in (None, "") and org.get("id"):
                obj["organization_id"] = org["id"]
        if organization_id is not None and obj.get("organization_id") in (None, ""):
            obj["organization_id"] = organization_id
        sals = obj.get("service_at_locations")
        if isinstance(sals, list):
            obj["service_at_locations"] = [
                self._sal_link(s, f"{where}.service_at_locations[{i}]")
                if isinstance(s, dict)
                else s
                for i, s in enumerate(sals)
            ]
        attributes = obj.get("attributes")
        if isinstance(attributes, list):
            obj["attributes"] = [
                self._attribute(a, f"{where}.attributes[{i}]") if isinstance(a, dict) else a
                for i, a in enumerate(attributes)
            ]
        return self._put("services", obj, where)

    def _sal_link(self, sal: dict[str, Any], where: str) -> dict[str, Any]:
        sal = dict(sal)
        sal.pop("service", None)
        sal.pop("service_id", None)
        loc = sal.pop("location", None)
        if isinstance(loc, dict):
            self.location(loc, f"{where}.location")
            if sal.get("location_id") in (None, "") and loc.get("id"):
                sal["location_id"] = loc["id"]
        return sal

    def _attribute(self, attribute: dict[str, Any], where: str) -> dict[str, Any]:
        attribute = dict(attribute)
        term = attribute.pop("taxonomy_term", None)
        if isinstance(term, dict):
            self.term(term, f"{where}.taxonomy_term")
            if attribute.get("taxonomy_term_id") in (None, "") and term.get("id"):
                attribute["taxonomy_term_id"] = term["id"]
        return attribute

    def service_at_location(self, obj: dict[str, Any], where: str) -> None:
        svc = obj.get("service")
        if not isinstance(svc, dict):
            self.problems.append(
                Place(self.source, where).error(
                    "service", Msg("a service at location is read with its service embedded")
                )
            )
            return
        service = self.service(svc, f"{where}.service")
        link = self._sal_link(obj, where)
        links = service.get("service_at_locations") or []
        if isinstance(links, list) and all(
            not isinstance(x, dict) or x.get("id") != link.get("id") for x in links
        ):
            service["service_at_locations"] = [*links, link]

    def record(self, obj: Any, where: str, kind: str | None = None) -> None:
        if not isinstance(obj, dict):
            self.problems.append(Place(self.source, where).error("", Msg("must be an object")))
            return
        kind = kind or kind_of(obj)
        if kind == "organization":
            self.organization(obj, where)
        elif kind == "service":
            self.service(obj, where)
        elif kind == "service_at_location":
            self.service_at_location(obj, where)
        elif kind == "location":
            self.location(obj, where)
        elif kind == "taxonomy_term":
            self.term(obj, where)
        else:
            self._put("taxonomies", dict(obj), where)

    def doc(self) -> dict[str, Any]:
        return {t: [*self.tables[t].values(), *self.loose[t]] for t in TABLES}


_KIND_OF_TABLE = {
    "organizations": "organization",
    "services": "service",
    "locations": "location",
    "taxonomy_terms": "taxonomy_term",
    "taxonomies": "taxonomy",
}


def shape_json(obj: Any, *, source: str) -> Shaped:
    """The dataset document of a decoded HSDS JSON value (``obj`` is left as it
    was: every object the hoisting changes is a copy). The tabular form is returned with ``shape == "tabular"``
    and ``doc`` the files' rows, for the CSV reader."""
    if isinstance(obj, dict) and obj and all(isinstance(k, str) for k in obj):
        if any(k.endswith(".csv") for k in obj):
            return Shaped("tabular", {k: v for k, v in obj.items() if k.endswith(".csv")})
    hoister = _Hoister(source)
    if isinstance(obj, list):
        shape = "list"
        for i, item in enumerate(obj):
            hoister.record(item, f"[{i}]")
    elif isinstance(obj, dict) and isinstance(obj.get("contents"), list):
        shape = "list"
        for i, item in enumerate(obj["contents"]):
            hoister.record(item, f"contents[{i}]")
    elif isinstance(obj, dict) and isinstance(obj.get("id"), str):
        shape = kind_of(obj)
        hoister.record(obj, shape, shape)
    elif isinstance(obj, dict) and any(k in TABLES for k in obj):
        shape = "dataset"
        for table in ("taxonomies", "taxonomy_terms", "organizations", "locations", "services"):
            value = obj.get(table)
            if value is None:
                continue
            if not isinstance(value, list):
                hoister.problems.append(
                    DirectoryDataError(Msg("must be a list"), source=source, record=table)
                )
                continue
            for i, item in enumerate(value):
                hoister.record(item, f"{table}[{i}]", _KIND_OF_TABLE[table])
        doc = hoister.doc()
        doc["towns"] = obj.get("towns") if isinstance(obj.get("towns"), list) else []
        for key, value in obj.items():
            if key not in TABLES:
                doc[key] = value
        return Shaped(shape, doc, hoister.problems, hoister.notes)
    else:
        return Shaped(
            "unknown",
            problems=[
                DirectoryDataError(
                    Msg(
                        "is not an HSDS document (a dataset, a record, a list or the tabular form)"
                    ),
                    source=source,
                )
            ],
        )
    return Shaped(shape, hoister.doc(), hoister.problems, hoister.notes)

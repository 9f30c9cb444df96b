"""What search needs about a service, derived from it when it is written: its
crisis flag, categories with their parents, counties, languages, places, opening
intervals, the word-index columns and the one-line summary.

Every rule comes from :mod:`peerdesk.domain.directory` (the crisis flag, the
schedules and phones a service inherits, its open intervals, the keys): this
module only gathers what the rules answer into rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from peerdesk.domain.directory import (
    Language,
    Location,
    Organization,
    Service,
    TaxonomyTerm,
    county_key,
    is_crisis_service,
    language_keys,
    open_intervals,
    service_phones,
    service_schedules,
    term_lineage,
)
from peerdesk.errors import DirectoryDataError, Msg

SUMMARY_DESCRIPTION = 300

#: names a field of the service being derived and what is wrong with it
Blame = Callable[[str, Msg], DirectoryDataError]
#: a row of ``directory_hours``: start and end minute of the week, valid from, to
HoursRow = tuple[int, int, str | None, str | None]


@dataclass(slots=True)
class DerivedService:
    service: Service
    organization: str
    is_crisis: bool
    term_ids: set[str]
    counties: dict[str, str]  # key -> name
    languages: dict[str, str]  # key -> label
    locations: list[tuple[str, float | None, float | None]]  # id, latitude, longitude
    hours: list[HoursRow]
    fts: tuple[str, str, str, str, str, str]
    summary: str


@dataclass(slots=True)
class Lookups:
    """What indexing a service needs besides the service itself."""

    organizations: Callable[[str], Organization | None]
    locations: Callable[[str], Location | None]
    terms: Mapping[str, TaxonomyTerm]
    _lineage: dict[str, tuple[TaxonomyTerm, ...]] = field(default_factory=dict)

    def lineage(self, term_id: str) -> tuple[TaxonomyTerm, ...]:
        found = self._lineage.get(term_id)
        if found is None:
            found = self._lineage[term_id] = tuple(term_lineage(term_id, self.terms))
        return found


# --- the records a service names ----------------------------------------------------------


def _organization(service: Service, look: Lookups, blame: Blame) -> Organization | None:
    if service.organization_id is None:
        return None
    org = look.organizations(service.organization_id)
    if org is None:
        raise blame(
            "organization_id",
            Msg("there is no organization with id {id}", id=repr(service.organization_id)),
        )
    return org


def _locations(service: Service, look: Lookups, blame: Blame) -> list[Location]:
    locations: list[Location] = []
    for i, sal in enumerate(service.service_at_locations):
        loc = look.locations(sal.location_id)
        if loc is None:
            raise blame(
                f"service_at_locations[{i}].location_id",
                Msg("there is no location with id {id}", id=repr(sal.location_id)),
            )
        locations.append(loc)
    return locations


def _terms(
    service: Service, look: Lookups, blame: Blame
) -> tuple[list[TaxonomyTerm], list[TaxonomyTerm]]:
    """The service's own terms, and those with their ancestors."""
    direct: list[TaxonomyTerm] = []
    lineage: list[TaxonomyTerm] = []
    for i, attribute in enumerate(service.attributes):
        if attribute.taxonomy_term_id not in look.terms:
            raise blame(
                f"attributes[{i}].taxonomy_term_id",
                Msg("unknown taxonomy term {term}", term=repr(attribute.taxonomy_term_id)),
            )
        direct.append(look.terms[attribute.taxonomy_term_id])
        lineage.extend(look.lineage(attribute.taxonomy_term_id))
    return direct, lineage


# --- the derived columns ------------------------------------------------------------------


def hours_rows(service: Service, locations: Sequence[Location]) -> list[HoursRow]:
    """The service's open intervals (:func:`~peerdesk.domain.directory.open_intervals`
    of the schedules it goes by) as ``directory_hours`` rows."""
    return [
        (
            i.start,
            i.end,
            i.valid_from.isoformat() if i.valid_from else None,
            i.valid_to.isoformat() if i.valid_to else None,
        )
        for i in open_intervals(service_schedules(service, locations))
    ]


def _places_text(
    service: Service, locations: Sequence[Location], languages: Sequence[Language]
) -> str:
    places = [
        *(loc.name for loc in locations),
        *(a.city for loc in locations for a in loc.addresses),
        *(a.region for loc in locations for a in loc.addresses),
        *(area.name for area in service.service_areas),
        *(lang.name for lang in languages),
    ]
    return " ".join(dict.fromkeys(p for p in places if p))


def _description_text(service: Service) -> str:
    return " ".join(
        t
        for t in (
            service.description,
            service.eligibility_description,
            service.application_process,
            service.fees_description,
            service.interpretation_services,
        )
        if t
    )


def _summary(
    service: Service,
    organization: str,
    direct: Sequence[TaxonomyTerm],
    locations: Sequence[Location],
    org: Organization | None,
) -> str:
    summary = {
        "organization": organization,
        "description": service.description[:SUMMARY_DESCRIPTION],
        "categories": list(dict.fromkeys(t.name for t in direct)),
        "phones": list(dict.fromkeys(p.number for p in service_phones(service, locations, org))),
    }
    return json.dumps(summary, ensure_ascii=False, separators=(",", ":"))


def derive(service: Service, look: Lookups, blame: Blame) -> DerivedService:
    """The searchable rows of ``service``; ``blame`` makes the error for a
    reference to a record that does not exist."""
    org = _organization(service, look, blame)
    locations = _locations(service, look, blame)
    direct, lineage = _terms(service, look, blame)
    languages = [*service.languages, *(lang for loc in locations for lang in loc.languages)]
    organization = org.name if org else ""
    return DerivedService(
        service=service,
        organization=organization,
        is_crisis=is_crisis_service(service, look.terms),
        term_ids={t.id for t in lineage},
        counties={county_key(a.name): a.name for a in service.service_areas if a.name},
        languages={k: lang.name or lang.code for lang in languages for k in language_keys(lang)},
        locations=list({loc.id: _position(loc) for loc in locations}.values()),
        hours=hours_rows(service, locations),
        fts=(
            service.name,
            service.alternate_name,
            organization,
            " ".join(dict.fromkeys(f"{t.name} {t.code}" for t in lineage)),
            _description_text(service),
            _places_text(service, locations, languages),
        ),
        summary=_summary(service, organization, direct, locations, org),
    )


def _position(loc: Location) -> tuple[str, float | None, float | None]:
    """A location's coordinates for distances; HSDS allows any number, so a
    position off the globe (a latitude of 100) counts as unknown."""
    lat, lon = loc.latitude, loc.longitude
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return loc.id, None, None
    return loc.id, lat, lon

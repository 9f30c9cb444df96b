"""The directory's rules, pure: staleness, the crisis flag, categories and their
parents, how names, counties and languages are compared, distances, and which of
a service's own or inherited details (phones, schedules) apply to it.

Each rule has this one implementation: the store calls it when it derives its
search columns (``is_crisis``, the word index, the filter tables), the screens
call it to word an entry, and the tests check it here.

Conventions kept on top of HSDS:

* Categories are taxonomy terms linked to a service by an attribute. A service is
  a *crisis* resource (pinned at the top of the Resources screen) when one of its
  terms, or an ancestor of one, has the code :data:`CRISIS_CODE`.
* Counties are service areas; :func:`county_key` makes "Pine County" and "pine"
  the same county.
* A service without phones (or schedules) of its own uses those of its
  locations, and for phones then those of its organization.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Protocol

from peerdesk.domain.directory.model import (
    CRISIS_CODE,
    Dataset,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    TaxonomyTerm,
)

# --- staleness ---------------------------------------------------------------------------


class Assured(Protocol):
    """An entry with the date it was last checked (a service or a search hit)."""

    @property
    def assured_date(self) -> date | None: ...


def is_stale_assurance(assured: date | None, policy_days: int, today: date) -> bool:
    """True when an entry last assured on ``assured`` may be outdated: never
    assured, or assured more than ``policy_days`` days before ``today``."""
    if assured is None:
        return True
    return (today - assured).days > policy_days


def is_stale(service: Assured, policy_days: int, today: date) -> bool:
    """True when the entry may be outdated: never assured, or assured more than
    ``policy_days`` days before ``today``."""
    return is_stale_assurance(service.assured_date, policy_days, today)


# --- distance ----------------------------------------------------------------------------

EARTH_RADIUS_MILES = 3958.7613


def miles_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in miles."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


# --- words and keys ----------------------------------------------------------------------

#: what FTS5's unicode61 tokenizer calls a word: letters and digits ("_" separates)
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: how names are compared and words indexed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def name_key(text: str) -> str:
    """A name reduced to its words: "Pine Valley  Food-Bank" -> "pine valley food bank"."""
    return " ".join(words(text))


_COUNTY_SUFFIX = re.compile(r"\s+(county|parish|borough|census area)$")


@functools.lru_cache(maxsize=4096)
def county_key(text: str) -> str:
    return _COUNTY_SUFFIX.sub("", name_key(text))


def language_keys(language: Language) -> set[str]:
    return {k for k in (language.code, name_key(language.name)) if k}


# --- categories --------------------------------------------------------------------------


def terms_by_id(dataset: Dataset) -> dict[str, TaxonomyTerm]:
    return {t.id: t for t in dataset.taxonomy_terms}


def term_lineage(term_id: str, terms: Mapping[str, TaxonomyTerm]) -> list[TaxonomyTerm]:
    """The term and its ancestors (stops at a missing parent or a cycle)."""
    out: list[TaxonomyTerm] = []
    seen: set[str] = set()
    current: str | None = term_id
    while current is not None and current not in seen and current in terms:
        seen.add(current)
        out.append(terms[current])
        current = terms[current].parent_id
    return out


def is_own_ancestor(term: TaxonomyTerm, terms: Mapping[str, TaxonomyTerm]) -> bool:
    """True when following the parents of ``term`` comes back to a term already
    met (a cycle); a missing parent ends the walk."""
    seen = {term.id}
    parent = term.parent_id
    while parent is not None:
        if parent in seen:
            return True
        seen.add(parent)
        found = terms.get(parent)
        parent = found.parent_id if found is not None else None
    return False


def is_crisis_service(service: Service, terms: Mapping[str, TaxonomyTerm]) -> bool:
    return any(
        fold(t.code) == CRISIS_CODE
        for a in service.attributes
        for t in term_lineage(a.taxonomy_term_id, terms)
    )


# --- what a service inherits -------------------------------------------------------------


def service_phones(
    service: Service, locations: Iterable[Location], organization: Organization | None
) -> tuple[Phone, ...]:
    """The numbers to call for a service: its own, else its locations', else its
    organization's."""
    return (
        service.phones
        or tuple(p for loc in locations for p in loc.phones)
        or (organization.phones if organization else ())
    )


def service_schedules(service: Service, locations: Iterable[Location]) -> tuple[Schedule, ...]:
    """When a service is open: its own schedules, else its locations'."""
    return service.schedules or tuple(s for loc in locations for s in loc.schedules)

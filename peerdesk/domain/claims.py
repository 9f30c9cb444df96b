"""Claim lines: the billable services of a month as a biller or clearinghouse
takes them (one line per service: Medicaid id, date, HCPCS code with modifiers,
units, place of service, rendering and billing NPI, diagnosis code, the notes),
and the billing provider they are claimed by.

:func:`build_claims` turns a :class:`~peerdesk.domain.day_rules.BillingRun` of the
notes the payer may be billed for into a :class:`ClaimBatch`; a service that
cannot be claimed yet (no Medicaid id, no rendering NPI for the peer, no
diagnosis code where the payer wants one, no date of birth for the 837P) is
*held* with the reason, never dropped silently (also without a home address: the
837P's subscriber loop names it; a synced record's field the participant rules
refuse, ``Person.problems``; a name with no letter an 837P can carry; a contact
overlapping another; a day not fully approved, see
:func:`~peerdesk.domain.day_rules.bill_claims`). :func:`render_claims_csv` writes
the lines as CSV behind the 42 CFR Part 2 notice, as every identifiable export
does; the 837P file is :mod:`peerdesk.domain.x12_837`.

The billing provider's settings are a small TOML file
(:func:`parse_billing_provider`; reading it is :mod:`peerdesk.services.payers`)::

    name = "Hollow Creek Peer Services"
    npi = "1234567893"              # the agency's (type 2) NPI
    tax_id = "123456789"            # EIN, nine digits
    address = "12 Mill Street"
    city = "Elkins"
    state = "WV"
    zip = "262410000"               # nine digits
    submitter_id = "HCPS01"         # the agency's id at the clearinghouse
    receiver_id = "CLEARHOUSE01"
    receiver_name = "Example Clearinghouse"
    contact_name = "Billing office"
    contact_phone = "3045550100"
    [renderers]                     # each peer (laptop label) and their own NPI
    "Avery Alder" = "1245319599"

Pure functions; no I/O. Medicaid ids and names are sensitive: nothing here logs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from peerdesk.domain.billing import FLAG_OVERLAP, PayerProfile, normalise_diagnosis, procedure
from peerdesk.domain.day_rules import FLAG_DAY_NOT_CLAIMABLE, BillingRun, ServiceLine
from peerdesk.domain.exports import REDISCLOSURE_NOTICE
from peerdesk.domain.models import Address
from peerdesk.domain.x12_text import has_letters
from peerdesk.errors import ConfigError, Msg

__all__ = [
    "HELD_DAY_NOT_APPROVED",
    "HELD_NO_ADDRESS",
    "HELD_NO_DATE_OF_BIRTH",
    "HELD_NO_DIAGNOSIS",
    "HELD_NO_MEDICAID_ID",
    "HELD_NO_NAME",
    "HELD_NO_RENDERING_NPI",
    "HELD_OVERLAP",
    "INVALID_ADDRESS",
    "INVALID_DIAGNOSIS",
    "INVALID_MEDICAID_ID",
    "BillingProvider",
    "ClaimBatch",
    "ClaimLine",
    "HeldService",
    "Person",
    "build_claims",
    "claim_csv_rows",
    "npi_check_digit",
    "npi_ok",
    "parse_billing_provider",
    "render_claims_csv",
]

HELD_NO_MEDICAID_ID = "no_medicaid_id"
HELD_NO_RENDERING_NPI = "no_rendering_npi"
HELD_NO_DIAGNOSIS = "no_diagnosis_code"
HELD_NO_DATE_OF_BIRTH = "no_date_of_birth"
HELD_NO_ADDRESS = "no_address"
#: the contact overlaps another contact with the same beneficiary (entered twice?)
HELD_OVERLAP = FLAG_OVERLAP
#: the beneficiary's day still has a counted note that is not approved
HELD_DAY_NOT_APPROVED = FLAG_DAY_NOT_CLAIMABLE
#: the name has no letter an 837P can carry
HELD_NO_NAME = "no_name"
#: a synced participant's field the participant rules refuse (a laptop of an older
#: version, or a tampered one): the claim is held until the record is corrected
INVALID_MEDICAID_ID = "invalid_medicaid_id"
INVALID_ADDRESS = "invalid_address"
INVALID_DIAGNOSIS = "invalid_diagnosis_code"

CSV_HEADER = (
    "Medicaid ID",
    "Date of service",
    "Procedure",
    "HCPCS",
    "Modifiers",
    "Units",
    "Place of service",
    "Rendering NPI",
    "Billing NPI",
    "Diagnosis",
    "Charge",
    "Line id",
    "Note ids",
)

_DIGITS = re.compile(r"^[0-9]+$")
_ID = re.compile(r"^[A-Za-z0-9]{2,15}$")


# --- NPI -------------------------------------------------------------------------------


def npi_check_digit(first9: str) -> int:
    """The Luhn check digit of an NPI's first nine digits (with the 80840 prefix
    the NPI standard adds, which is the constant 24 in the sum)."""
    total = 24
    for i, ch in enumerate(reversed(first9)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return (10 - total % 10) % 10


def npi_ok(npi: str) -> bool:
    """Whether ``npi`` is ten digits with a valid check digit."""
    return (
        isinstance(npi, str)
        and len(npi) == 10
        and bool(_DIGITS.match(npi))
        and npi_check_digit(npi[:9]) == int(npi[9])
    )


# --- who ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """What a claim says of a beneficiary (sensitive: never logged)."""

    medicaid_id: str = field(repr=False)
    name: str = field(repr=False)
    date_of_birth: date | None = field(default=None, repr=False)
    diagnosis_code: str | None = field(default=None, repr=False)
    address: Address | None = field(default=None, repr=False)
    #: reasons a claim about them is held (fields their record has wrong)
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BillingProvider:
    """The agency as it bills, and its peers' own (rendering) NPIs by laptop label."""

    name: str
    npi: str
    tax_id: str
    address: str
    city: str
    state: str
    zip_code: str
    submitter_id: str
    receiver_id: str
    receiver_name: str
    contact_name: str
    contact_phone: str
    renderers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def rendering_npi(self, peer: str, device_id: str) -> str | None:
        return self.renderers.get(peer) or self.renderers.get(device_id)


def _provider_error(path: str, key: str, message: Msg) -> ConfigError:
    return ConfigError(Msg("key '{key}': {message}", key=key, message=message), path=path)


def parse_billing_provider(raw: bytes, path: str) -> BillingProvider:
    """Check the billing provider file (see the module docstring); any problem
    raises :class:`ConfigError` naming the file and the key."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(Msg("not valid TOML: {error}", error=str(exc)), path=path) from exc
    keys = {
        "name": None,
        "npi": None,
        "tax_id": re.compile(r"^[0-9]{9}$"),
        "address": None,
        "city": None,
        "state": re.compile(r"^[A-Z]{2}$"),
        "zip": re.compile(r"^[0-9]{9}$"),
        "submitter_id": _ID,
        "receiver_id": _ID,
        "receiver_name": None,
        "contact_name": None,
        "contact_phone": re.compile(r"^[0-9]{10}$"),
    }
    for key in data:
        if key not in keys and key != "renderers":
            raise _provider_error(path, key, Msg("unknown key"))
    values: dict[str, str] = {}
    for key, pattern in keys.items():
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise _provider_error(path, key, Msg("is required (a text string)"))
        if pattern is not None and not pattern.match(value):
            raise _provider_error(
                path, key, Msg("{value} is not in the expected form", value=repr(value))
            )
        values[key] = value.strip()
    if not npi_ok(values["npi"]):
        raise _provider_error(path, "npi", Msg("is not a valid NPI (ten digits, check digit)"))
    renderers = data.get("renderers", {})
    if not isinstance(renderers, dict):
        raise _provider_error(path, "renderers", Msg("must be a table of peer = NPI"))
    for peer, npi in renderers.items():
        if not isinstance(npi, str) or not npi_ok(npi):
            raise _provider_error(path, f"renderers.{peer}", Msg("is not a valid NPI"))
    return BillingProvider(
        name=values["name"],
        npi=values["npi"],
        tax_id=values["tax_id"],
        address=values["address"],
        city=values["city"],
        state=values["state"],
        zip_code=values["zip"],
        submitter_id=values["submitter_id"],
        receiver_id=values["receiver_id"],
        receiver_name=values["receiver_name"],
        contact_name=values["contact_name"],
        contact_phone=values["contact_phone"],
        renderers=MappingProxyType(dict(renderers)),
    )


# --- claim lines ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimLine:
    """One billable service as claimed."""

    medicaid_id: str = field(repr=False)
    service_date: date
    code: str
    modifiers: tuple[str, ...]
    units: int
    place_of_service: str
    rendering_npi: str
    billing_npi: str
    diagnosis_code: str
    charge: Decimal
    line_id: str
    note_ids: tuple[str, ...]
    peer: str
    device_id: str

    @property
    def procedure(self) -> str:
        return procedure(self.code, self.modifiers)


@dataclass(frozen=True, slots=True)
class HeldService:
    """A billable service that cannot be claimed yet, and why."""

    line: ServiceLine
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClaimBatch:
    """A month's claim lines for one payer, by one billing provider."""

    year: int
    month: int
    payer: PayerProfile
    provider: BillingProvider
    lines: list[ClaimLine]
    held: list[HeldService]
    #: the beneficiaries of the lines, by Medicaid id (sensitive)
    people: Mapping[str, Person] = field(default_factory=dict, repr=False)

    @property
    def units(self) -> int:
        return sum(line.units for line in self.lines)

    @property
    def charge(self) -> Decimal:
        return sum((line.charge for line in self.lines), Decimal("0.00"))


def _line_id(parts: Iterable[str]) -> str:
    """A stable id of a service (the same service gets the same id in every file)."""
    return "PD" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:16].upper()


def build_claims(
    run: BillingRun,
    payer: PayerProfile,
    provider: BillingProvider,
    people: Mapping[str, Person],
    year: int,
    month: int,
) -> ClaimBatch:
    """The claim lines of ``run`` (billed over the notes the payer may be claimed
    for); ``people`` maps a beneficiary key (``ServiceLine.beneficiary``) to what
    the claim says of them."""
    lines: list[ClaimLine] = []
    held: list[HeldService] = []
    used: dict[str, Person] = {}
    for service in run.lines:
        if (service.service_date.year, service.service_date.month) != (year, month):
            continue
        reasons: list[str] = []
        person = people.get(service.beneficiary)
        if service.medicaid_id is None or person is None:
            reasons.append(HELD_NO_MEDICAID_ID)
        npi = provider.rendering_npi(service.peer, service.device_id)
        if npi is None:
            reasons.append(HELD_NO_RENDERING_NPI)
        own = normalise_diagnosis(person.diagnosis_code or "") if person else None
        diagnosis = own or (None if payer.diagnosis_required else payer.default_diagnosis)
        if diagnosis is None:
            reasons.append(HELD_NO_DIAGNOSIS)
        if person is not None and person.date_of_birth is None:
            reasons.append(HELD_NO_DATE_OF_BIRTH)
        if person is not None and person.address is None:
            reasons.append(HELD_NO_ADDRESS)
        if person is not None:
            reasons.extend(r for r in person.problems if r not in reasons)
            if not has_letters(person.name):
                reasons.append(HELD_NO_NAME)
        if FLAG_OVERLAP in service.flags:
            reasons.append(HELD_OVERLAP)
        if FLAG_DAY_NOT_CLAIMABLE in service.flags:
            reasons.append(HELD_DAY_NOT_APPROVED)
        if reasons:
            held.append(HeldService(service, tuple(reasons)))
            continue
        assert person is not None and npi is not None and diagnosis is not None
        medicaid = person.medicaid_id
        used[medicaid] = person
        lines.append(
            ClaimLine(
                medicaid_id=medicaid,
                service_date=service.service_date,
                code=service.code,
                modifiers=service.modifiers,
                units=service.units,
                place_of_service=service.place_of_service,
                rendering_npi=npi,
                billing_npi=provider.npi,
                diagnosis_code=diagnosis,
                charge=payer.unit_charge * service.units,
                line_id=_line_id(
                    (
                        payer.name,
                        medicaid,
                        service.service_date.isoformat(),
                        service.procedure,
                        npi,
                        service.place_of_service,
                    )
                ),
                note_ids=service.note_ids,
                peer=service.peer,
                device_id=service.device_id,
            )
        )
    lines.sort(key=lambda ln: (ln.medicaid_id, ln.service_date, ln.rendering_npi, ln.procedure))
    return ClaimBatch(year, month, payer, provider, lines, held, used)


def _cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: one starting with = + - @ (or a tab
    or carriage return) would be run as a formula, so it gets a leading '."""
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


def claim_csv_rows(batch: ClaimBatch) -> list[tuple[str, ...]]:
    """The claim lines as CSV cells (the header is :data:`CSV_HEADER`); no cell
    can be a spreadsheet formula."""
    return [tuple(_cell(cell) for cell in row) for row in _plain_rows(batch)]


def _plain_rows(batch: ClaimBatch) -> list[tuple[str, ...]]:
    return [
        (
            ln.medicaid_id,
            ln.service_date.isoformat(),
            ln.procedure,
            ln.code,
            " ".join(ln.modifiers),
            str(ln.units),
            ln.place_of_service,
            ln.rendering_npi,
            ln.billing_npi,
            ln.diagnosis_code,
            f"{ln.charge:.2f}",
            ln.line_id,
            " ".join(ln.note_ids),
        )
        for ln in batch.lines
    ]


def render_claims_csv(batch: ClaimBatch) -> tuple[bytes, int]:
    """The claim lines as CSV bytes behind the 42 CFR 2.32 notice (one line per
    paragraph, then a blank row), and the number of lines."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for paragraph in REDISCLOSURE_NOTICE.split("\n"):
        writer.writerow([paragraph])
    writer.writerow([])
    writer.writerow(
        [
            f"Claim lines, {batch.year:04d}-{batch.month:02d}, {batch.payer.name}, "
            f"billing provider {batch.provider.name}"
        ]
    )
    writer.writerow(CSV_HEADER)
    rows = claim_csv_rows(batch)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig"), len(rows)


def people_from(records: Iterable[tuple[str, Any]]) -> dict[str, Person]:
    """Beneficiary key -> :class:`Person` from ``(key, person)`` pairs where the
    person has a Medicaid id (the first record of a key wins)."""
    out: dict[str, Person] = {}
    for key, person in records:
        if isinstance(person, Person) and person.medicaid_id and key not in out:
            out[key] = person
    return out

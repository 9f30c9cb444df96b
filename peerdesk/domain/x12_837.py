"""The claim lines as an ASC X12 5010 837P file (health care claim, professional,
implementation guide 005010X222A1) for a clearinghouse.

One interchange (ISA/IEA) with one functional group (GS/GE) and one transaction
set (ST/SE): the submitter (1000A) and receiver (1000B), the billing provider
(2000A/2010AA: the agency, its NPI, address and EIN), then per beneficiary a
subscriber loop (2000B: Medicaid is the primary payer, the beneficiary is the
subscriber and the patient; 2010BA name, Medicaid id, address and date of birth; 2010BB
the payer) with its claims (2300). A claim holds one beneficiary's services of
the month by one rendering peer (2310B), at most 50 lines (2400: SV1 with the
HCPCS code, modifiers, charge, units and, when it differs from the claim's,
the place of service; DTP 472 the date of service; REF 6R the line id). The
diagnosis code is the claim's HI segment.

Every element is checked last: one holding a separator (``~ * : ^``) or a
character that is not ASCII raises :class:`~peerdesk.errors.ValidationError`, so
a value no earlier rule caught can never add or split a segment.

Pure: :func:`render_837p` returns the bytes; the file is written and audited by
``session.reports``. The interchange control number and the time are the
caller's, so the same batch renders the same file.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from peerdesk.domain.claims import ClaimBatch, ClaimLine, Person
from peerdesk.domain.x12_text import x12_text
from peerdesk.errors import Msg, ValidationError

__all__ = ["MAX_LINES_PER_CLAIM", "render_837p"]

#: the 837P allows at most 50 service lines in one claim
MAX_LINES_PER_CLAIM = 50
VERSION = "005010X222A1"
SEGMENT_END = "~"
ELEMENT = "*"
COMPONENT = ":"
REPEAT = "^"
_SEPARATORS = frozenset(SEGMENT_END + ELEMENT + COMPONENT + REPEAT)


def _text(value: str, limit: int = 60) -> str:
    """Text an X12 element may hold (:func:`peerdesk.domain.x12_text.x12_text`)."""
    return x12_text(value, limit)


def _checked(value: str) -> str:
    """``value`` as one element or component, or :class:`ValidationError`: the
    last line of defence against a value that would end or split a segment (or
    is not ASCII) reaching the file, whatever checked it before."""
    if _SEPARATORS.intersection(value) or not value.isascii():
        raise ValidationError(
            Msg(
                "a value of the claims cannot go into an 837P file (it holds a separator"
                " ~ * : ^ or a character that is not ASCII); no file was written"
            ),
            field="x12",
        )
    return value


class _Composite(str):
    """A composite element: components checked one by one, joined by ``:``."""

    __slots__ = ()


def _composite(*components: str) -> _Composite:
    return _Composite(COMPONENT.join(_checked(c) for c in components))


def _money(value: object) -> str:
    return f"{value:.2f}"


def _split_name(name: str) -> tuple[str, str]:
    """(last, first) of a name written "First Last" (a single word: last only)."""
    words = _text(name).split()
    if not words:
        return "UNKNOWN", ""
    if len(words) == 1:
        return words[0], ""
    return words[-1], " ".join(words[:-1])


def _seg(*elements: str) -> str:
    for element in elements:
        if not isinstance(element, _Composite):
            _checked(element)
    return _raw_seg(*elements)


def _raw_seg(*elements: str) -> str:
    """A segment whose elements are the separators themselves (ISA)."""
    parts = list(elements)
    while len(parts) > 1 and parts[-1] == "":
        parts.pop()  # no trailing empty elements
    return ELEMENT.join(parts) + SEGMENT_END


def _claims(lines: Iterable[ClaimLine]) -> dict[str, list[list[ClaimLine]]]:
    """Medicaid id -> its claims: lines by rendering peer, 50 at most per claim."""
    by_who: dict[tuple[str, str], list[ClaimLine]] = defaultdict(list)
    for line in lines:
        by_who[(line.medicaid_id, line.rendering_npi)].append(line)
    out: dict[str, list[list[ClaimLine]]] = defaultdict(list)
    for (medicaid, _npi), group in sorted(by_who.items()):
        group.sort(key=lambda ln: (ln.service_date, ln.procedure, ln.line_id))
        for i in range(0, len(group), MAX_LINES_PER_CLAIM):
            out[medicaid].append(group[i : i + MAX_LINES_PER_CLAIM])
    return out


def _claim_id(batch: ClaimBatch, lines: list[ClaimLine]) -> str:
    """The patient control number (CLM01, at most 20 characters): stable for the
    same lines."""
    digest = hashlib.sha256("|".join(ln.line_id for ln in lines).encode()).hexdigest()
    return f"PD{batch.year % 100:02d}{batch.month:02d}{digest[:14].upper()}"


def render_837p(
    batch: ClaimBatch,
    *,
    control_number: int,
    created: datetime,
    production: bool = True,
) -> bytes:
    """The 837P file of ``batch`` (see the module docstring). ``control_number``
    (1 to 999999999) numbers the interchange, the group and the batch."""
    if not 1 <= control_number <= 999_999_999:
        raise ValueError("the interchange control number is 1 to 999999999")
    p = batch.provider
    payer = batch.payer
    ctl = f"{control_number:09d}"
    body: list[str] = [
        _seg("ST", "837", "0001", VERSION),
        _seg("BHT", "0019", "00", ctl, created.strftime("%Y%m%d"), created.strftime("%H%M"), "CH"),
        _seg("NM1", "41", "2", _text(p.name), "", "", "", "", "46", p.submitter_id),
        _seg("PER", "IC", _text(p.contact_name), "TE", p.contact_phone),
        _seg("NM1", "40", "2", _text(p.receiver_name), "", "", "", "", "46", p.receiver_id),
        _seg("HL", "1", "", "20", "1"),
        _seg("NM1", "85", "2", _text(p.name), "", "", "", "", "XX", p.npi),
        _seg("N3", _text(p.address, 55)),
        _seg("N4", _text(p.city, 30), p.state, p.zip_code),
        _seg("REF", "EI", p.tax_id),
    ]
    hl = 1
    for medicaid, claims in sorted(_claims(batch.lines).items()):
        person = batch.people[medicaid]
        hl += 1
        body.extend(_subscriber(hl, person, medicaid, payer.name, payer.payer_id))
        for lines in claims:
            body.extend(_claim(batch, lines))
    body.append(_seg("SE", str(len(body) + 1), "0001"))
    envelope_start = [
        _raw_seg(
            "ISA",
            "00",
            " " * 10,
            "00",
            " " * 10,
            "ZZ",
            p.submitter_id.ljust(15),
            "ZZ",
            p.receiver_id.ljust(15),
            created.strftime("%y%m%d"),
            created.strftime("%H%M"),
            REPEAT,
            "00501",
            ctl,
            "0",
            "P" if production else "T",
            COMPONENT,
        ),
        _seg(
            "GS",
            "HC",
            p.submitter_id,
            p.receiver_id,
            created.strftime("%Y%m%d"),
            created.strftime("%H%M"),
            str(control_number),
            "X",
            VERSION,
        ),
    ]
    envelope_end = [_seg("GE", "1", str(control_number)), _seg("IEA", "1", ctl)]
    return "\n".join(envelope_start + body + envelope_end).encode("ascii") + b"\n"


def _subscriber(
    hl: int, person: Person, medicaid: str, payer_name: str, payer_id: str
) -> list[str]:
    last, first = _split_name(person.name)
    born: date | None = person.date_of_birth
    out = [
        _seg("HL", str(hl), "1", "22", "0"),
        _seg("SBR", "P", "18", "", "", "", "", "", "", "MC"),
        _seg("NM1", "IL", "1", last, first, "", "", "", "MI", medicaid),
    ]
    if person.address is not None:
        a = person.address
        out.append(_seg("N3", _text(a.line, 55)))
        out.append(_seg("N4", _text(a.city, 30), a.state, a.zip_code))
    if born is not None:
        out.append(_seg("DMG", "D8", born.strftime("%Y%m%d"), "U"))
    out.append(
        _seg("NM1", "PR", "2", _text(payer_name), "", "", "", "", "PI", payer_id or "UNKNOWN")
    )
    return out


def _claim(batch: ClaimBatch, lines: list[ClaimLine]) -> list[str]:
    first = lines[0]
    place = first.place_of_service
    total = sum((ln.charge for ln in lines), first.charge * 0)
    peer_last, peer_first = _split_name(first.peer)
    out = [
        _seg(
            "CLM",
            _claim_id(batch, lines),
            _money(total),
            "",
            "",
            _composite(place, "B", "1"),
            "Y",
            "A",
            "Y",
            "Y",
        ),
        _seg("HI", _composite("ABK", first.diagnosis_code)),
        _seg("NM1", "82", "1", peer_last, peer_first, "", "", "", "XX", first.rendering_npi),
    ]
    for n, ln in enumerate(lines, start=1):
        composite = _composite("HC", ln.code, *ln.modifiers)
        own_place = ln.place_of_service if ln.place_of_service != place else ""
        out.append(_seg("LX", str(n)))
        out.append(
            _seg("SV1", composite, _money(ln.charge), "UN", str(ln.units), own_place, "", "1")
        )
        out.append(_seg("DTP", "472", "D8", ln.service_date.strftime("%Y%m%d")))
        out.append(_seg("REF", "6R", ln.line_id))
    return out

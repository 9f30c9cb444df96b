"""Issue 19, the billing review's findings on the claims: the 837P refuses a value
that would split a segment, the claims' cap agrees with the report's and a day is
claimed once complete, overlapping contacts are held, names are spelt out, and no
repr shows a Medicaid id."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from peerdesk.domain.claims import (
    CSV_HEADER,
    HELD_DAY_NOT_APPROVED,
    HELD_NO_ADDRESS,
    HELD_NO_NAME,
    HELD_OVERLAP,
    HeldService,
    Person,
    build_claims,
    render_claims_csv,
)
from peerdesk.domain.day_rules import bill_claims, bill_services, counted
from peerdesk.domain.models import Address
from peerdesk.domain.x12_837 import render_837p
from peerdesk.domain.x12_text import has_letters, x12_text
from peerdesk.errors import ValidationError
from peerdesk.wire.payloads import address_from
from tests.unit.test_claims import DAY, HOME, PAYER, PROVIDER, fact

CREATED = datetime(2026, 4, 1, tzinfo=UTC)
LEE = Person("MX1", "Lee Harmon", date(1979, 6, 1), None, HOME)


def claims(facts, people, payer=PAYER):
    """As ``session.reports.claims``: every counted note billed, the claimable kept."""
    return build_claims(bill_claims(facts, payer, UTC), payer, PROVIDER, people, 2026, 3)


def segments(data: bytes) -> list[str]:
    return [s.strip() for s in data.decode("ascii").split("~") if s.strip()]


# --- MEDIUM 2: synced fields reach the 837P --------------------------------------------


@pytest.mark.parametrize(
    "person",
    [
        Person("MX1~CLM*FAKE*9999", "Lee Harmon", date(1979, 6, 1), None, HOME),
        Person("MX1", "Lee Harmon", date(1979, 6, 1), None, Address("1 A St", "X", "W~V", "1*2")),
        Person("MX1", "Lee Harmon", date(1979, 6, 1), None, Address("1 A St", "X", "WV", "2495é")),
        Person("MX1:2^3", "Lee Harmon", date(1979, 6, 1), None, HOME),
    ],
    ids=["medicaid", "state-zip", "non-ascii", "component"],
)
def test_the_837p_refuses_a_value_that_would_split_a_segment(person):
    f = fact("n1", 60, medicaid=person.medicaid_id)
    batch = build_claims(
        bill_claims([f], PAYER, UTC), PAYER, PROVIDER, {f.beneficiary: person}, 2026, 3
    )
    assert batch.lines  # the domain alone does not check these: the file must refuse
    with pytest.raises(ValidationError, match="cannot go into an 837P"):
        render_837p(batch, control_number=1, created=CREATED)


def test_an_address_missing_a_part_is_no_address_and_holds_the_claim():
    assert address_from({}) is None
    assert address_from({"line": "1 A St", "city": "X", "state": "WV", "zip": ""}) is None
    assert address_from({"line": "1 A St", "city": "X", "state": "WV"}) is None
    assert address_from({"line": "1 A St", "city": "X", "state": "WV", "zip": "24954"}) == (
        Address("1 A St", "X", "WV", "24954")
    )
    person = Person("MX2", "Jo Doe", date(1980, 1, 1), "F19.20", address_from({}))
    batch = claims([fact("n2", 60, medicaid="MX2")], {"mcd:MX2": person})
    assert batch.lines == [] and [h.reasons for h in batch.held] == [(HELD_NO_ADDRESS,)]


def test_a_claim_csv_cell_is_never_a_spreadsheet_formula():
    person = Person("=HYPERLINK(1)", "Lee Harmon", date(1979, 6, 1), None, HOME)
    f = fact("n1", 60, medicaid="-2+3")
    batch = build_claims(
        bill_services([f], PAYER, UTC), PAYER, PROVIDER, {f.beneficiary: person}, 2026, 3
    )
    data, count = render_claims_csv(batch)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    body = rows[rows.index(list(CSV_HEADER)) + 1 :]
    assert count == 1 and body[0][0] == "'=HYPERLINK(1)"
    assert not any(cell[:1] in "=+-@" for row in body for cell in row if cell)


# --- MEDIUM 3: the cap across runs -------------------------------------------------------


def test_the_claims_cap_over_every_counted_note_and_a_day_is_claimed_once_complete():
    people = {"mcd:MX1": LEE}
    a = fact("A", 180)  # morning: 12 units
    b = fact("B", 180, start_at=DAY + timedelta(hours=4), end_at=DAY + timedelta(hours=7))
    a_signed = dataclasses.replace(a, state="signed")
    # run 1: A signed, B approved: the report says B earns 4 (cap 16); nothing is
    # claimed yet, B is held until the day is complete, for its 4 units
    report = bill_services(counted([a_signed, b]), PAYER, UTC).by_note()
    assert (report["A"].units, report["B"].units) == (12, 4)
    run1 = claims([a_signed, b], people)
    assert run1.lines == []
    assert [(h.line.note_ids, h.line.units, h.reasons) for h in run1.held] == [
        (("B",), 4, (HELD_DAY_NOT_APPROVED,))
    ]
    # run 2: both approved: the day is claimed once, 16 units, never 12 + 16
    run2 = claims([a, b], people)
    assert [(ln.note_ids, ln.units) for ln in run2.lines] == [(("A", "B"), 16)]
    assert run2.held == []


def test_a_returned_note_holds_its_day():
    people = {"mcd:MX1": LEE}
    a = fact("A", 60, state="returned")
    b = fact("B", 60, start_at=DAY + timedelta(hours=2), end_at=DAY + timedelta(hours=3))
    batch = claims([a, b], people)
    assert batch.lines == [] and [h.reasons for h in batch.held] == [(HELD_DAY_NOT_APPROVED,)]
    # a note the payer does not pay for (no units, no cap) does not hold the day
    c = fact("C", 30, state="signed", contact_type="no_show")
    assert [ln.units for ln in claims([b, c], people).lines] == [4]


# --- MEDIUM 4: overlapping contacts -----------------------------------------------------


def test_the_same_hour_entered_twice_is_held_not_claimed_twice():
    people = {"mcd:MX1": LEE}
    batch = claims([fact("A", 60), fact("B", 60)], people)
    assert batch.lines == []
    [held] = batch.held
    assert held.reasons == (HELD_OVERLAP,) and "overlaps_other_contact" in held.line.flags
    # a second peer claiming the same hour: the later service is held
    both = claims([fact("A", 60), fact("C", 60, peer="Bo")], people)
    assert [ln.note_ids for ln in both.lines] == [("A",)]
    assert [(h.line.note_ids, HELD_OVERLAP in h.reasons) for h in both.held] == [(("C",), True)]


# --- LOW 8: names ------------------------------------------------------------------------


def test_latin_letters_that_do_not_decompose_are_spelt_out():
    assert x12_text("Łukasz Wałęsa") == "LUKASZ WALESA"
    assert x12_text("Søren Ærø Đorđević Œuvre Straße Þór ıtır") == (
        "SOREN AERO DORDEVIC OEUVRE STRASSE THOR ITIR"
    )
    assert x12_text("José Peña") == "JOSE PENA"
    assert x12_text("Anna☃Lee") == "ANNALEE"  # deleted, not a space
    assert x12_text("A~B*C:D^E") == "A B C D E"
    person = dataclasses.replace(LEE, name="Łukasz Wałęsa")
    batch = claims([fact("n1", 60)], {"mcd:MX1": person})
    nm1 = [s for s in segments(render_837p(batch, control_number=1, created=CREATED))]
    assert "NM1*IL*1*WALESA*LUKASZ****MI*MX1" in nm1


def test_a_name_with_no_letters_left_holds_the_claim():
    assert not has_letters("山田 太郎") and not has_letters("Иван") and has_letters("Ø")
    person = dataclasses.replace(LEE, name="山田 太郎")
    batch = claims([fact("n1", 60)], {"mcd:MX1": person})
    assert batch.lines == [] and [h.reasons for h in batch.held] == [(HELD_NO_NAME,)]


# --- LOW 12: no Medicaid id in a repr ----------------------------------------------------


def test_no_repr_of_the_billing_values_shows_the_medicaid_id():
    secret = "MXSECRET42"
    f = fact("n1", 60, medicaid=secret)
    run = bill_services([f, fact("n2", 60, medicaid=secret)], PAYER, UTC)
    [line] = run.lines
    held = HeldService(line, (HELD_OVERLAP,))
    for value in (f, line, *run.notes, held, run):
        assert secret not in repr(value), type(value).__name__

"""Claim lines from a billing run: NPI check digits, what holds a service back,
the billing provider file, and the CSV behind the 42 CFR Part 2 notice."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from peerdesk.domain.claims import (
    CSV_HEADER,
    HELD_NO_ADDRESS,
    HELD_NO_DATE_OF_BIRTH,
    HELD_NO_DIAGNOSIS,
    HELD_NO_MEDICAID_ID,
    HELD_NO_RENDERING_NPI,
    BillingProvider,
    Person,
    build_claims,
    npi_check_digit,
    npi_ok,
    parse_billing_provider,
    render_claims_csv,
)
from peerdesk.domain.day_rules import ServiceFact, bill_claims
from peerdesk.domain.exports import REDISCLOSURE_NOTICE
from peerdesk.domain.models import Address
from peerdesk.errors import ConfigError
from peerdesk.services.payers import load_payer_profiles

PAYER = load_payer_profiles()["medicaid_default"]
DAY = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


def npi(first9: str) -> str:
    return first9 + str(npi_check_digit(first9))


PROVIDER = BillingProvider(
    "River Peer Services", npi("123456789"), "123456789", "4 Ferry Road", "Marlinton", "WV",
    "249540000", "RPS01", "CH01", "Clearinghouse", "Billing", "3045550111",
    {"Ana": npi("111222333")},
)  # fmt: skip


def fact(note_id: str, minutes: int, *, peer: str = "Ana", medicaid: str | None = "MX1", **kw):
    values = {
        "note_id": note_id,
        "participant_id": "p1",
        "contact_type": "in_person",
        "start_at": DAY,
        "end_at": DAY + timedelta(minutes=minutes),
        "location_type": "office",
        "state": "approved",
        "peer": peer,
        "device_id": f"dev-{peer}",
        "medicaid_id": medicaid,
    }
    values.update(kw)
    return ServiceFact(**values)


def claims(facts, people, payer=PAYER, provider=PROVIDER):
    """As ``session.reports.claims``: every counted note billed, the claimable kept."""
    run = bill_claims(facts, payer, UTC)
    return build_claims(run, payer, provider, people, 2026, 3)


def test_npi_check_digit_follows_the_luhn_rule_with_the_80840_prefix():
    # the worked example of the NPI standard: 123456789 -> check digit 3
    assert npi_check_digit("123456789") == 3
    assert npi_ok("1234567893")
    assert not npi_ok("1234567890") and not npi_ok("123456789") and not npi_ok("12345678a3")


HOME = Address("8 Creek Lane", "Marlinton", "WV", "24954")


def test_a_claim_line_carries_everything_a_biller_needs():
    person = Person("MX1", "Lee Harmon", date(1979, 6, 1), None, HOME)
    batch = claims([fact("n1", 50, contact_type="group")], {"mcd:MX1": person})
    [line] = batch.lines
    assert (line.medicaid_id, line.service_date, line.procedure, line.units) == (
        "MX1",
        date(2026, 3, 9),
        "H0038-HQ",
        3,
    )
    assert (line.place_of_service, line.rendering_npi, line.billing_npi) == (
        "11",
        npi("111222333"),
        PROVIDER.npi,
    )
    assert line.diagnosis_code == "Z7189"  # the payer's default: no own code needed
    assert line.charge == Decimal("18.75") and line.note_ids == ("n1",)


def test_what_is_missing_holds_a_service_back_with_the_reason():
    people = {"mcd:MX1": Person("MX1", "Lee Harmon", None, None)}
    strict = dataclasses.replace(PAYER, diagnosis_required=True)
    batch = claims(
        [
            fact("n1", 30),  # no date of birth, no own diagnosis
            fact("n2", 30, medicaid=None, participant_id="p2"),  # no Medicaid id
            fact("n3", 30, peer="Ben", medicaid="MX9"),  # no NPI for Ben, unknown person
        ],
        people,
        payer=strict,
    )
    assert batch.lines == []
    held = {h.line.note_ids[0]: set(h.reasons) for h in batch.held}
    assert held["n1"] == {HELD_NO_DATE_OF_BIRTH, HELD_NO_DIAGNOSIS, HELD_NO_ADDRESS}
    assert HELD_NO_MEDICAID_ID in held["n2"]
    assert {HELD_NO_MEDICAID_ID, HELD_NO_RENDERING_NPI} <= held["n3"]


def test_the_claim_csv_starts_with_the_part_2_notice():
    person = Person("MX1", "Lee Harmon", date(1979, 6, 1), "F33.1", HOME)
    later = DAY + timedelta(hours=1)  # after n1: an overlapping contact would be held
    video = fact(
        "n2", 45, contact_type="video", start_at=later, end_at=later + timedelta(minutes=45)
    )
    batch = claims([fact("n1", 23), video], {"mcd:MX1": person})
    data, count = render_claims_csv(batch)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    notice = REDISCLOSURE_NOTICE.split("\n")
    assert [r[0] for r in rows[: len(notice)]] == notice
    start = rows.index(list(CSV_HEADER)) + 1
    body = [dict(zip(CSV_HEADER, r, strict=True)) for r in rows[start:]]
    assert count == len(body) == 2
    assert [(b["Procedure"], b["Units"], b["Place of service"], b["Diagnosis"]) for b in body] == [
        ("H0038", "2", "11", "F331"),  # as claims carry it: no dot
        ("H0038-95", "3", "02", "F331"),
    ]


VALID_PROVIDER = """\
name = "River Peer Services"
npi = "1234567893"
tax_id = "123456789"
address = "4 Ferry Road"
city = "Marlinton"
state = "WV"
zip = "249540000"
submitter_id = "RPS01"
receiver_id = "CH01"
receiver_name = "Clearinghouse"
contact_name = "Billing"
contact_phone = "3045550111"

[renderers]
"Ana's laptop" = "1112223337"
"""


def test_the_billing_provider_file_is_checked():
    renderer = npi("111222333")
    text = VALID_PROVIDER.replace("1112223337", renderer)
    provider = parse_billing_provider(text.encode(), "provider.toml")
    assert provider.rendering_npi("Ana's laptop", "x") == renderer
    assert provider.rendering_npi("Ben's laptop", "x") is None


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('npi = "1234567893"', 'npi = "1234567890"', "npi"),
        ('zip = "249540000"', 'zip = "24954"', "zip"),
        ('state = "WV"', 'state = "West Virginia"', "state"),
        ('"Ana\'s laptop" = "1112223337"', '"Ana\'s laptop" = "123"', "renderers.Ana's laptop"),
        ('contact_phone = "3045550111"', 'fax = "1"', "fax"),
    ],
)
def test_a_bad_billing_provider_file_names_the_key(old, new, key):
    renderer = npi("111222333")
    text = VALID_PROVIDER.replace("1112223337", renderer).replace(
        old.replace("1112223337", renderer), new
    )
    with pytest.raises(ConfigError) as err:
        parse_billing_provider(text.encode(), "provider.toml")
    assert f"key '{key}'" in str(err.value) and "provider.toml" in str(err.value)


def test_a_participants_diagnosis_code_is_kept_in_the_claim_form_and_checked(session):
    from peerdesk.errors import ValidationError

    person = session.participants.add("Lee Harmon", diagnosis_code=" f33.1 ").value
    assert session.participants.get(person.id).diagnosis_code == "F331"
    with pytest.raises(ValidationError) as err:
        session.participants.add("Lee Harmon", diagnosis_code="depression")
    assert err.value.field == "diagnosis_code"


def test_a_participants_address_is_checked_and_kept(session):
    from peerdesk.errors import ValidationError

    home = Address(" 8  Creek Lane", "Marlinton", "wv", "24954-1234")
    person = session.participants.add("Lee Harmon", address=home).value
    assert session.participants.get(person.id).address == Address(
        "8 Creek Lane", "Marlinton", "WV", "249541234"
    )
    for bad in (Address("8 Creek Lane", "Marlinton", "West Virginia", "24954"),
                Address("8 Creek Lane", "", "WV", "24954"),
                Address("8 Creek Lane", "Marlinton", "WV", "2495")):  # fmt: skip
        with pytest.raises(ValidationError) as err:
            session.participants.add("Lee Harmon", address=bad)
        assert err.value.field == "address"
    blank = session.participants.add("Lee Harmon", address=Address(" ", "", "", "")).value
    assert blank.address is None


@pytest.mark.parametrize(
    ("raw", "element"),
    [
        ("José Peña", "JOSE PENA"),
        ("Zoë O'Brien-Núñez", "ZOE O'BRIEN-NUNEZ"),
        ("a*b~c:d^e", "A B C D E"),  # the separators never reach the file
        ("  many   spaces\n", "MANY SPACES"),
    ],
)
def test_x12_text_keeps_letters_drops_accents_and_separators(raw: str, element: str) -> None:
    from peerdesk.domain.x12_837 import _text

    assert _text(raw) == element

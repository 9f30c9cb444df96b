"""Issue 19: what a laptop syncs about a participant is checked before it reaches
a claim (the supervisor's review cache), the newest record of a person wins, a
failed 837P leaves no claim CSV behind, and every 837P file gets its own
interchange control number."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from peerdesk.crypto.seal import BoxKeyPair
from peerdesk.domain.claims import (
    INVALID_ADDRESS,
    INVALID_DIAGNOSIS,
    INVALID_MEDICAID_ID,
    BillingProvider,
    npi_check_digit,
)
from peerdesk.domain.review import AgencyEvent, PulledRecord, TeamDevice
from peerdesk.errors import ValidationError
from peerdesk.ids import to_iso
from peerdesk.services import Session
from peerdesk.services.payers import load_payer_profiles
from peerdesk.store.review import Opened

PAYER = load_payer_profiles()["medicaid_default"]
AT = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
GOOD = {
    "display_name": "Lee Harmon",
    "date_of_birth": "1979-06-01",
    "medicaid_id": "MX1",
    "diagnosis_code": "F19.20",
    "address": {"line": "8 Creek Lane", "city": "Marlinton", "state": "WV", "zip": "24954"},
}


def npi(first9: str) -> str:
    return first9 + str(npi_check_digit(first9))


PROVIDER = BillingProvider(
    "River Peer Services", npi("123456789"), "123456789", "4 Ferry Road", "Marlinton", "WV",
    "249540000", "RPS01", "CH01", "Clearinghouse", "Billing", "3045550111",
    {"Ana": npi("111222333"), "Ben": npi("222333444")},
)  # fmt: skip


class Cache:
    """Records as a pull would store them, for laptops labelled Ana and Ben."""

    def __init__(self, sup: Session) -> None:
        self.inbox = sup._stores.review_inbox
        self.devices = {"Ana": "dev-ana", "Ben": "dev-ben"}
        self.inbox.save_devices(
            [
                TeamDevice(d, label, BoxKeyPair.generate().public_raw, False, "2026-01-01")
                for label, d in self.devices.items()
            ]
        )
        self.seq = 0
        self.events = 0

    def record(self, peer: str, kind: str, entity: str, payload: dict[str, Any]) -> None:
        self.seq += 1
        at = to_iso(AT)
        rec = PulledRecord(
            self.seq, self.devices[peer], str(uuid.uuid4()), kind, entity, "k", "v1", b"", at
        )
        self.inbox.store_records([Opened(rec, payload=payload)], self.seq)

    def person(self, peer: str, pid: str, **fields: Any) -> None:
        at = to_iso(AT)
        doc = {**GOOD, "phone": None, "details": "", "active": True}
        doc.update(created_at=at, updated_at=at, **fields)
        self.record(peer, "participant", pid, doc)

    def approved_note(self, peer: str, note_id: str, pid: str, hours: int = 0) -> None:
        start = AT + timedelta(hours=hours)
        self.record(
            peer,
            "note",
            note_id,
            {
                "participant_id": pid,
                "template": "free",
                "contact_type": "in_person",
                "location_type": "office",
                "start_at": to_iso(start),
                "end_at": to_iso(start + timedelta(hours=1)),
                "body": {"text": "walked over the plan"},
                "goals": [],
                "created_at": to_iso(start),
                "signed_at": to_iso(start + timedelta(hours=1)),
            },
        )
        self.events += 1
        event = AgencyEvent(self.events, self.devices[peer], note_id, "approved", to_iso(AT), "S")
        self.inbox.store_events([event], self.events)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"medicaid_id": "MX1~CLM*FAKE*9999"}, INVALID_MEDICAID_ID),
        ({"medicaid_id": "=HYPERLINK(1)"}, INVALID_MEDICAID_ID),
        ({"medicaid_id": "MXÉ1"}, INVALID_MEDICAID_ID),
        (
            {"address": {"line": "1 A St", "city": "X", "state": "W~V", "zip": "1*2"}},
            INVALID_ADDRESS,
        ),
        ({"diagnosis_code": "F19~CLM"}, INVALID_DIAGNOSIS),
    ],
    ids=["x12", "formula", "non-ascii", "address", "diagnosis"],
)
def test_a_synced_field_the_participant_rules_refuse_holds_the_claim(
    supervisor, tmp_path, fields, reason
):
    cache = Cache(supervisor)
    cache.person("Ana", "p1", **fields)
    cache.approved_note("Ana", "n1", "p1")
    batch = supervisor.reports.claims(2026, 3, PROVIDER, PAYER, tz=UTC)
    assert batch.lines == [] and [reason in h.reasons for h in batch.held] == [True]
    # the files hold nothing of it
    csv_path, x12_path = tmp_path / "c.csv", tmp_path / "c.837"
    supervisor.reports.write_claims(2026, 3, PROVIDER, PAYER, csv_path, x12_path, tz=UTC)
    x12 = x12_path.read_text("ascii")
    assert "CLM*FAKE" not in x12 and "HYPERLINK" not in csv_path.read_text("utf-8-sig")
    assert "W~V" not in x12


def test_an_empty_synced_address_holds_the_claim_instead_of_blank_n3_n4(supervisor):
    cache = Cache(supervisor)
    cache.person("Ana", "p1", address={})
    cache.approved_note("Ana", "n1", "p1")
    batch = supervisor.reports.claims(2026, 3, PROVIDER, PAYER, tz=UTC)
    assert batch.lines == [] and [h.reasons for h in batch.held] == [("no_address",)]


def test_the_newest_record_of_a_person_wins_across_laptops(supervisor):
    cache = Cache(supervisor)
    cache.person("Ana", "p1", display_name="Old Name")  # seq 1
    cache.person("Ben", "p7", display_name="Middle Name")  # seq 2
    cache.person("Ana", "p1", display_name="Newest Name")  # seq 3: Ana's row, updated
    people = supervisor._stores.team.team_people()
    assert [p.participant_id for p in people.values()] == ["p7", "p1"]  # oldest first
    cache.approved_note("Ana", "n1", "p1")
    batch = supervisor.reports.claims(2026, 3, PROVIDER, PAYER, tz=UTC)
    assert batch.people["MX1"].name == "Newest Name"


def test_a_failed_837p_leaves_no_claim_csv(supervisor, tmp_path):
    cache = Cache(supervisor)
    cache.person("Ana", "p1")
    cache.approved_note("Ana", "n1", "p1")
    csv_path, x12_path = tmp_path / "c.csv", tmp_path / "c.837"
    # a value only the 837P's last check refuses (the claim rules let it through)
    bad = BillingProvider(**{**_fields(PROVIDER), "contact_phone": "304555~111"})
    with pytest.raises(ValidationError):
        supervisor.reports.write_claims(2026, 3, bad, PAYER, csv_path, x12_path, tz=UTC)
    assert not csv_path.exists() and not x12_path.exists()
    # nor when the 837P cannot be written (its folder is missing)
    with pytest.raises(Exception):  # noqa: B017 - whatever the file system says
        supervisor.reports.write_claims(
            2026, 3, PROVIDER, PAYER, csv_path, tmp_path / "none" / "c.837", tz=UTC
        )
    assert not csv_path.exists()


def _fields(p: BillingProvider) -> dict[str, Any]:
    return {name: getattr(p, name) for name in BillingProvider.__slots__}


def test_every_837p_export_takes_the_next_control_number(supervisor, tmp_path):
    cache = Cache(supervisor)
    cache.person("Ana", "p1")
    cache.approved_note("Ana", "n1", "p1")
    batch = supervisor.reports.claims(2026, 3, PROVIDER, PAYER, tz=UTC)
    numbers = []
    for i in range(3):
        path = tmp_path / f"{i}.837"
        if i == 2:
            supervisor.reports.write_claims(
                2026, 3, PROVIDER, PAYER, tmp_path / "c.csv", path, tz=UTC
            )
        else:
            supervisor.reports.export_837p(batch, path)
        isa = path.read_text("ascii").split("~")[0].split("*")
        numbers.append(isa[13])
    assert numbers == ["000000001", "000000002", "000000003"]
    supervisor.reports.export_837p(batch, tmp_path / "x.837", control_number=77)
    assert supervisor.reports.export_837p(batch, tmp_path / "y.837").value == 1
    assert (tmp_path / "y.837").read_text("ascii").split("~")[0].split("*")[13] == "000000004"


def test_the_counter_survives_reopening_the_profile(manager, tmp_path):
    from peerdesk.crypto.kdf import KdfParams
    from tests.conftest import PASSPHRASE

    sup = manager.create("counter", PASSPHRASE, kdf_params=KdfParams.new(), role="supervisor")
    try:
        first = sup._stores.info.next_control_number()
    finally:
        sup.close()
    again = manager.open("counter")
    again.unlock(PASSPHRASE)
    try:
        assert again._stores.info.next_control_number() == first + 1
    finally:
        again.close()

"""One beneficiary seen by two peers on two laptops, against a real agency: the
supervisor's side joins them by Medicaid id (decrypted there only), so the daily
cap holds across peers and the claim lines carry the id; the agency, which
relays every record, never holds the Medicaid id in plaintext, and neither does
any file of the three profiles (databases, WAL, logs)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

uvicorn = pytest.importorskip("uvicorn")

from peerdesk.domain.claims import BillingProvider, npi_check_digit  # noqa: E402
from peerdesk.domain.models import Address  # noqa: E402
from peerdesk.services.payers import load_payer_profiles  # noqa: E402
from tests.conftest import drop_log_handlers  # noqa: E402
from tests.review.live import MARCH, pull, signed, sync  # noqa: E402


@pytest.fixture(autouse=True)
def _no_log_handlers_left() -> Iterator[None]:
    yield
    drop_log_handlers()


def npi(first9: str) -> str:
    return first9 + str(npi_check_digit(first9))


def files_holding(root: Path, needle: bytes) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if needle in data or needle.lower() in data:
                found.append(path)
    return found


def test_one_person_on_two_laptops_is_capped_once_and_claimed_by_medicaid_id(
    live, make_peer, make_supervisor, make_draft, data_dir
):
    medicaid = "MC" + secrets.token_hex(8).upper()
    ana, ben = make_peer("ana", "west"), make_peer("ben", "west")
    home = Address("8 Creek Lane", "Marlinton", "WV", "24954")
    at_ana = ana.participants.add(
        "Lee Harmon", medicaid_id=medicaid, date_of_birth=date(1979, 6, 1), address=home
    ).value.id
    at_ben = ben.participants.add(
        "Lee Harmon", medicaid_id=medicaid, date_of_birth=date(1979, 6, 1)
    ).value.id  # Ben has no address for Lee: Ana's record gives it
    # 150 minutes with Ana (10 units), then 120 with Ben (8 units): 18 > the cap of 16
    ana_note = signed(ana, make_draft, at_ana, MARCH, 150)
    ben_note = signed(ben, make_draft, at_ben, MARCH + timedelta(hours=5), 120)
    for peer in (ana, ben):
        sync(peer)

    sam = make_supervisor("Sam Okafor", "west")
    pull(sam)
    for item in sam.review.queue().items:
        read = sam.review.note(item.device_id, item.note_id)
        sam.review.decide(item.device_id, item.note_id, "approved", "", read.seen_seq, "Sam")

    payer = load_payer_profiles()["medicaid_default"]
    report = sam.reports.billing_report(2026, 3, payer)
    units = {r.peer: (r.units, r.approved_units) for r in report.rows}
    assert units == {"Ana's laptop": (10, 10), "Ben's laptop": (6, 6)}
    assert [(f.note_id, f.reason) for f in report.flags] == [(ben_note, "over_daily_cap")]

    provider = BillingProvider(
        "Westside Peer Services", npi("123456789"), "123456789", "1 Main Street", "Elkins",
        "WV", "262410000", "WPS01", "CLEAR01", "Clearinghouse", "Billing", "3045550100",
        {"Ana's laptop": npi("234567891"), "Ben's laptop": npi("345678912")},
    )  # fmt: skip
    batch = sam.reports.claims(2026, 3, provider, payer)
    assert batch.held == []
    assert [(ln.medicaid_id, ln.units, ln.note_ids) for ln in batch.lines] == [
        (medicaid, 10, (ana_note,)),
        (medicaid, 6, (ben_note,)),
    ]
    # the peer's own laptop knows nothing of Ben's notes: its figure is its own
    assert ana.reports.note_units(payer)[ana_note].units == 10

    # the agency relayed participants, notes and decisions, and holds no Medicaid id
    needle = medicaid.encode()
    stored = [p for p in live.directory.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in stored) > 100_000  # the scan reads its database
    assert files_holding(live.directory, needle) == []
    assert files_holding(live.directory, ana_note.encode())  # ids are routing data: found
    # nor does any profile folder (the peers', the supervisor's, their logs)
    assert files_holding(data_dir, needle) == []

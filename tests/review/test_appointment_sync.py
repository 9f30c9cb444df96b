"""Appointments end to end (issue 21), against a real agency: a peer schedules an
appointment with a ride and logs the ride; after a sync and a pull the
supervisor's copy holds the appointment (with the ride and its trip's id) and the
trip; the agency stores sealed ``appointment`` records and none of their words."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

uvicorn = pytest.importorskip("uvicorn")

from sqlalchemy import text  # noqa: E402

from peerdesk.agency.storage import Storage  # noqa: E402
from peerdesk.domain.appointments import Appointment, Ride  # noqa: E402
from tests.conftest import drop_log_handlers  # noqa: E402
from tests.review.live import pull, sync  # noqa: E402

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_log_handlers_left() -> Iterator[None]:
    yield
    drop_log_handlers()


def files_holding(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_an_appointment_and_its_ride_reach_the_supervisor_sealed(live, make_peer, make_supervisor):
    canary = "cnry" + secrets.token_hex(8)
    ana = make_peer("ana", "appts")
    person = ana.participants.add("Jordan Ride").value
    starts = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    a = ana.appointments.schedule(
        Appointment("", person.id, starts, 60, f"Intake {canary}", T0, T0,
                    place=f"Clinic {canary}",
                    ride=Ride(f"Home {canary}", f"Clinic {canary}", Decimal("4.5")))
    ).value  # fmt: skip
    done = ana.appointments.complete_ride(a.id, Decimal("9.1"), starts - timedelta(minutes=30))
    sync(ana)
    status = ana.link.status()
    assert status.pending == 0 and status.quarantined == 0

    sam = make_supervisor("Sam Appts", "appts")
    assert pull(sam)[-1].broken == 0
    device_id = next(p.device_id for p in sam.review.peers())
    seen = sam.review.person_record(device_id, person.id)
    assert [x.what for x in seen.appointments] == [f"Intake {canary}"]
    ride = seen.appointments[0].ride
    assert ride is not None and ride.actual_miles == Decimal("9.1")
    assert ride.trip_id == done.value.ride.trip_id  # type: ignore[union-attr]

    storage = Storage.from_url(live.settings.database_url)
    try:
        with storage.engine.connect() as conn:
            kinds = [r[0] for r in conn.execute(text("SELECT kind FROM records"))]
            stored = [repr(tuple(r)) for r in conn.execute(text("SELECT * FROM records"))]
    finally:
        storage.close()
    assert kinds.count("appointment") == 2 and kinds.count("trip") == 1
    assert not any(canary in row for row in stored)
    assert files_holding(live.directory, canary.encode()) == []

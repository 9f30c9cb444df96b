"""The workforce record end to end against a real agency (issue 23): a peer's
supervision sessions, certification and CEU entries reach the supervisor (hours
and reminders on the Team rows); a private wellbeing check-in never leaves the
laptop (no outbox row, no agency row or byte, nothing the supervisor can open);
a check-in the peer shares reaches the supervisor, that one only."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

uvicorn = pytest.importorskip("uvicorn")

from sqlalchemy import inspect, text  # noqa: E402

from peerdesk.agency.storage import Storage  # noqa: E402
from peerdesk.domain.workforce import (  # noqa: E402
    Certification,
    CeuEntry,
    Expiry,
    FollowUp,
    SelfCarePlan,
    SessionFormat,
    SupervisionSession,
    WellbeingCheckIn,
)
from tests.conftest import drop_log_handlers  # noqa: E402
from tests.review.live import pull, sync  # noqa: E402

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_log_handlers_left() -> Iterator[None]:
    yield
    drop_log_handlers()


def agency_rows(live) -> list[str]:
    """Every row of every agency table, as text (sealed bytes as hex too)."""
    storage = Storage.from_url(live.settings.database_url)
    out: list[str] = []
    try:
        with storage.engine.connect() as conn:
            for table in inspect(conn).get_table_names():
                for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                    out.append(repr(tuple(row)))
    finally:
        storage.close()
    return out


def files_holding(root, needle: bytes) -> list:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def outbox_rows(session) -> list[tuple]:
    return list(session._db.conn.execute("SELECT * FROM outbox"))


def supervisor_opened(sam) -> list[str]:
    """Every payload the supervisor's cache holds, decrypted, as text."""
    repo = sam._stores.team_workforce
    seqs = [r[0] for r in sam._db.conn.execute("SELECT seq FROM review_payloads")]
    return [repr(repo.payload(int(seq))) for seq in seqs]


def test_private_check_in_never_leaves_the_laptop_and_a_shared_one_reaches_the_supervisor(
    live, make_peer, make_supervisor
):
    private = "cnry-private-" + secrets.token_hex(8)
    shared_words = "cnry-shared-" + secrets.token_hex(8)
    today = date.today()
    ana = make_peer("wf-ana", "wf")
    work = ana.workforce
    work.add_session(
        SupervisionSession(
            "", today, 90, SessionFormat.INDIVIDUAL, "Sam Wf", T0, T0,
            ("boundaries",), (FollowUp("read the ethics code"),),
        )
    )  # fmt: skip
    work.add_session(SupervisionSession("", today, 30, SessionFormat.GROUP, "Sam Wf", T0, T0))
    work.set_certification(
        Certification(
            "", "PA", "CPS-123", today - timedelta(days=700), today + timedelta(days=20), T0, T0
        )
    )
    work.add_ceu(CeuEntry("", today, "Trauma-informed care", "PCB", Decimal("6.5"), T0, "cert 42"))
    secret = work.add_check_in(WellbeingCheckIn("", today, 1, 5, 2, T0, private)).value
    work.save_self_care(SelfCarePlan(f"signs {private}", f"helps {private}", f"call {private}"))
    sync(ana)
    assert ana.link.status().pending == 0 and ana.link.status().quarantined == 0

    # the private check-in: in no outbox row, no agency row, no agency file
    assert all(private not in repr(r) and secret.id not in repr(r) for r in outbox_rows(ana))
    rows = agency_rows(live)
    assert rows and all(private not in r and secret.id not in r for r in rows)
    assert files_holding(live.directory, private.encode()) == []
    assert files_holding(live.directory, secret.id.encode()) == []

    sam = make_supervisor("Sam Wf", "wf")
    progress = pull(sam)
    assert progress[-1].broken == 0
    # nothing the supervisor can open holds it
    opened = supervisor_opened(sam)
    assert opened and all(private not in o for o in opened)
    [row] = sam.workforce.team(today)
    assert row.name == "Wf-Ana's laptop"
    assert row.status.supervision.done == Decimal("2.00")  # 90 + 30 minutes
    assert row.status.expiry.state is Expiry.DUE_30 and row.status.expiry.days == 20
    assert row.status.ceu.done == Decimal("6.5")
    assert row.status.last_session == today
    assert row.status.open_follow_ups == 1
    assert row.record.check_ins == ()
    seen = sam.workforce.of_peer(row.device_id)
    assert [s.minutes for s in seen.sessions] == [90, 30]
    assert seen.sessions[0].topics == ("boundaries",)

    # the peer shares one new check-in: the supervisor sees that one only
    other = work.add_check_in(WellbeingCheckIn("", today, 4, 2, 5, T0, shared_words)).value
    work.share_check_in(other.id)
    sync(ana)
    pull(sam)
    seen = sam.workforce.of_peer(row.device_id)
    assert [(c.id, c.note) for c in seen.check_ins] == [(other.id, shared_words)]
    assert all(private not in o for o in supervisor_opened(sam))
    assert all(private not in r and secret.id not in r for r in agency_rows(live))
    assert files_holding(live.directory, private.encode()) == []
    # and it was sealed on the way: its words are in no agency file either
    assert files_holding(live.directory, shared_words.encode()) == []

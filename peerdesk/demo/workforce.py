"""Demo workforce records (issue 23): the demo peer's own supervision sessions,
certification (due for renewal soon), CEU entries, one private check-in and a
self-care plan (:func:`add_demo_workforce`, so ``make run`` shows My work and,
after a sync and a pull, the demo supervisor's Team row); and a varied team for
a supervisor's cache (:func:`seed_team_workforce`, the Team screenshot): one
peer on track, one short of hours with the certification due in 30 days, one
expired, one without a certification, one who shared a check-in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from peerdesk.domain.review import PulledRecord
from peerdesk.domain.workforce import (
    Certification,
    CeuEntry,
    FollowUp,
    SelfCarePlan,
    SessionFormat,
    SupervisionSession,
    WellbeingCheckIn,
)
from peerdesk.ids import new_id, to_iso
from peerdesk.store.review import Opened
from peerdesk.wire.workforce_payloads import Workforce, payload_of

T0 = datetime(2026, 1, 1, tzinfo=UTC)
IND, GRP = SessionFormat.INDIVIDUAL, SessionFormat.GROUP


def _sessions(today: date, plan: list[tuple[int, int, SessionFormat]]) -> list[SupervisionSession]:
    topics = (("Boundaries with a participant",), ("Self-disclosure", "Documentation"),
              ("Crisis plan follow-up",), ("Group facilitation",))  # fmt: skip
    return [
        SupervisionSession(
            "", today - timedelta(days=days), minutes, fmt, "Demo Supervisor", T0, T0,
            topics[n % len(topics)],
            (FollowUp("Read the state's ethics guidance", n % 2 == 1),) if n % 2 == 0 else (),
        )
        for n, (days, minutes, fmt) in enumerate(plan)
    ]  # fmt: skip


def add_demo_workforce(session: Any, today: date | None = None) -> None:
    """Fill the demo peer profile's workforce record (an unlocked peer session)."""
    today = today or date.today()
    work = session.workforce
    for s in _sessions(today, [(3, 60, IND), (17, 90, GRP), (40, 60, IND), (70, 45, IND)]):
        work.add_session(s, today=today)
    work.set_certification(
        Certification(
            "", "WV", "CPRS-20417", today - timedelta(days=680), today + timedelta(days=45), T0, T0
        )
    )
    for days, title, provider, hours in (
        (30, "Ethics for peer specialists", "State certification board", "6"),
        (120, "Trauma-informed care", "Regional training center", "3.5"),
        (300, "Motivational interviewing basics", "County behavioral health", "4"),
    ):
        work.add_ceu(
            CeuEntry("", today - timedelta(days=days), title, provider, Decimal(hours), T0,
                     "certificate on file"),
            today=today,
        )  # fmt: skip
    work.add_check_in(
        WellbeingCheckIn("", today - timedelta(days=2), 3, 4, 4, T0, "Busy week; walked twice."),
        today=today,
    )
    work.save_self_care(
        SelfCarePlan(
            "Skipping lunch, short sleep, replaying calls at night.",
            "A walk after work, my own meeting on Thursdays, music.",
            "My sponsor; the peer warmline; my supervisor.",
        )
    )


#: (sessions: (days ago, minutes, kind)), certification expiry in days (None: none),
#: CEU hours, a shared check-in
_TEAM: list[tuple[list[tuple[int, int, SessionFormat]], int | None, list[str], bool]] = [
    ([(2, 60, IND), (12, 60, GRP), (25, 30, IND)], 400, ["6", "6", "4"], False),
    ([(9, 45, IND)], 24, ["3"], True),
    ([(33, 60, IND), (60, 60, IND)], -12, ["6", "3", "2"], False),
    ([(5, 90, GRP), (19, 60, IND)], None, [], False),
    ([(1, 60, IND), (8, 30, IND), (15, 60, GRP)], 52, ["6", "6", "6", "4"], False),
]


def seed_team_workforce(session: Any, device_ids: list[str], today: date | None = None) -> int:
    """Put workforce records of the laptops ``device_ids`` into a supervisor's
    cache (an unlocked supervisor session with those laptops), as a pull would.
    Returns how many records were stored."""
    today = today or date.today()
    cache = session._stores.review_inbox
    seq = cache.cursors()[0]
    opened: list[Opened] = []
    now = datetime.combine(today, datetime.min.time(), UTC)

    def put(device_id: str, record: Workforce, record_id: str) -> None:
        nonlocal seq
        seq += 1
        kind, payload = payload_of(record)
        rec = PulledRecord(seq, device_id, new_id(), kind, record_id, "demo", "notes-v1", b"",
                           to_iso(now))  # fmt: skip
        opened.append(Opened(rec, payload=payload))

    for n, device_id in enumerate(device_ids):
        sessions, expiry, ceus, shared = _TEAM[n % len(_TEAM)]
        for s in _sessions(today, sessions):
            put(device_id, s, new_id())
        if expiry is not None:
            expires = today + timedelta(days=expiry)
            put(device_id, Certification(new_id(), "WV", f"CPRS-{20400 + n}",
                                         expires - timedelta(days=730), expires, T0, T0), new_id())  # fmt: skip
        for k, hours in enumerate(ceus):
            put(device_id, CeuEntry("", today - timedelta(days=40 * k + 10), f"Training {k + 1}",
                                    "State certification board", Decimal(hours), T0), new_id())  # fmt: skip
        if shared:
            put(device_id, WellbeingCheckIn("", today - timedelta(days=3), 2, 4, 3, T0,
                                            "Heavy caseload this month; can we talk?", True), new_id())  # fmt: skip
    cache.store_records(opened, seq)
    return len(opened)

"""The supervisor's cache of workforce records (issue 23), from records sealed
the way a laptop seals them: a check-in that does not say it was shared is
broken (a tampered or buggy laptop cannot push a private one into the team
view), a shared one is kept; the newest version of a session wins; the Team
rows total each peer's hours."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from peerdesk.domain.workforce import (
    FollowUp,
    SessionFormat,
    SupervisionSession,
    WellbeingCheckIn,
)
from peerdesk.ids import new_id
from peerdesk.link.pull import open_one
from peerdesk.store.review import PAYLOAD
from peerdesk.wire.workforce_payloads import payload_of
from tests.review.conftest import Sealer

T0 = datetime(2026, 1, 1, tzinfo=UTC)
DAY = date(2026, 3, 16)


def test_unshared_check_ins_are_broken_shared_ones_kept_newest_session_wins(
    supervisor, sealer: Sealer
):
    private = WellbeingCheckIn(new_id(), DAY, 1, 5, 1, T0, "not meant to be sent")
    shared = WellbeingCheckIn(new_id(), DAY, 4, 2, 4, T0, "please read", True)
    sid = new_id()
    first = SupervisionSession(sid, DAY, 60, SessionFormat.INDIVIDUAL, "Sam", T0, T0,
                               follow_ups=(FollowUp("call"),))  # fmt: skip
    later = SupervisionSession(sid, DAY, 90, SessionFormat.INDIVIDUAL, "Sam", T0, T0,
                               follow_ups=(FollowUp("call", True),))  # fmt: skip
    records = [
        sealer.record("wellbeing", private.id, payload_of(private)[1]),
        sealer.record("wellbeing", shared.id, payload_of(shared)[1]),
        sealer.record("supervision", sid, payload_of(first)[1]),
        sealer.record("supervision", sid, payload_of(later)[1]),
    ]
    opened = [open_one(r, sealer.keys) for r in records]
    assert opened[0].code == PAYLOAD and "not shared" in (opened[0].broken or "")
    assert all(o.broken is None for o in opened[1:])
    inbox = supervisor._stores.review_inbox
    inbox.save_devices([sealer.device])
    inbox.store_records(opened, records[-1].seq)
    [row] = supervisor.workforce.team(DAY)
    assert [c.note for c in row.record.check_ins] == ["please read"]
    assert [(s.minutes, s.open_follow_ups) for s in row.record.sessions] == [(90, 0)]
    assert row.status.supervision.done == Decimal("1.50")  # 90 min, the newest version
    seen = supervisor.workforce.of_peer(sealer.device.device_id)
    assert seen.check_ins == row.record.check_ins

"""Supervisor review against a real agency: the ``peerdesk-agency`` CLI and the
FastAPI app under uvicorn, HTTPS on 127.0.0.1 with a throwaway CA, and real
peer and supervisor profiles (nothing mocked).

* two peers of team "north" sync notes and trips; a peer of team "south" too;
* a supervisor enrolls with an invite, pulls before IT granted the review keys
  (every record listed broken: no key), then after the grant (repaired);
* one note approved, one returned; the returned one is amended and resubmitted;
  a decision on the stale copy is refused (NoteChanged), then it is approved;
  the peers' laptops get every decision; the billing and mileage totals equal
  the numbers worked out by hand;
* a removed supervisor is refused and cannot open what laptops seal after the
  rotation, while a supervisor added later reads old and new notes;
* a record altered on the server is listed as broken and does not stop the pull;
  a cancelled pull resumes where it stopped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, timedelta
from decimal import Decimal

import pytest

uvicorn = pytest.importorskip("uvicorn")


from peerdesk.domain.exports import REDISCLOSURE_NOTICE  # noqa: E402
from peerdesk.domain.models import ContactType, NoteState  # noqa: E402
from peerdesk.domain.reports import PeerMiles, PeerUnits  # noqa: E402
from peerdesk.domain.review import QueueFilter  # noqa: E402
from peerdesk.errors import (  # noqa: E402
    AgencyRejected,
    AgencyUnreachable,
    NoteChanged,
    ValidationError,
)
from peerdesk.link.client import AgencyClient  # noqa: E402
from peerdesk.link.pull import open_grants, open_one  # noqa: E402
from peerdesk.link.steps import run_inline  # noqa: E402
from peerdesk.store.review import NO_KEY  # noqa: E402
from tests.conftest import drop_log_handlers  # noqa: E402
from tests.review.live import MARCH, pull, signed, sync  # noqa: E402


@pytest.fixture(autouse=True)
def _no_log_handlers_left() -> Iterator[None]:
    yield
    drop_log_handlers()


def test_review_round_trip_with_two_peers_and_hand_computed_totals(
    live, make_peer, make_supervisor, make_draft, tmp_path
):
    ana, ben, sol = make_peer("ana", "north"), make_peer("ben", "north"), make_peer("sol", "south")
    p1 = ana.participants.add("Harper Lane").value.id
    ana_50 = signed(ana, make_draft, p1, MARCH, 50)  # 50 min -> (50+7)//15 = 3 units
    ana_22 = signed(ana, make_draft, p1, MARCH + timedelta(hours=3), 22, ContactType.PHONE)  # 1
    ana.trips.add(
        date(2026, 3, 2),
        "medical",
        "clinic",
        with_participant=True,
        participant_id=p1,
        miles=Decimal("12.5"),
        destination="County clinic",
    )
    p3 = ben.participants.add("Jordan Pike").value.id
    ben_60 = signed(ben, make_draft, p3, MARCH + timedelta(days=8), 60, ContactType.GROUP)  # 4
    ben.trips.add(date(2026, 3, 20), "pharmacy", "pharmacy", miles=Decimal("7.15"))
    p9 = sol.participants.add("Other Team").value.id
    sol_note = signed(sol, make_draft, p9, MARCH, 30)
    for peer in (ana, ben, sol):
        sync(peer)

    # -- the supervisor enrolls; pulls before IT granted the keys: nothing opens ----------
    sam = make_supervisor("Sam Okafor", "north", grant=False)
    progress = pull(sam)
    assert [p.stage for p in progress][0] == "grants" and progress[-1].done
    assert progress[-1].keys == 0 and progress[-1].broken == progress[-1].records > 0
    page = sam.review.queue(tz=UTC)
    assert page.total == progress[-1].records
    assert all(i.broken and "not granted" in i.broken for i in page.items)
    broken_before = progress[-1].broken

    live.grant(sam.review.info().supervisor_id)
    progress = pull(sam)
    assert progress[-1].keys == 1 and progress[-1].repaired == broken_before
    assert progress[-1].records == progress[-1].broken == 0  # nothing new, nothing broken
    page = sam.review.queue(tz=UTC)
    assert [(i.note_id, i.peer, i.participant_name, i.state, i.broken) for i in page.items] == [
        (ana_50, "Ana's laptop", "Harper Lane", "received", None),
        (ana_22, "Ana's laptop", "Harper Lane", "received", None),
        (ben_60, "Ben's laptop", "Jordan Pike", "received", None),
    ]
    assert sol_note not in {i.note_id for i in page.items}  # another team
    assert {p.label for p in sam.review.peers()} == {"Ana's laptop", "Ben's laptop"}

    reader = sam.review.note(page.items[0].device_id, ana_50, tz=UTC)
    assert reader.note["body"] == {"text": "met 02 Mar"}
    assert [t["miles"] for t in reader.trips] == ["12.5"]
    assert [(e.state, e.actor) for e in reader.history] == [("received", "peer")]

    # -- decisions --------------------------------------------------------------------------
    approved = sam.review.decide(
        page.items[0].device_id, ana_50, "approved", "", reader.seen_seq, "Sam Okafor"
    ).value
    assert approved.state == "approved" and approved.seq > 0
    ben_line = page.items[2]
    ben_read = sam.review.note(ben_line.device_id, ben_60, tz=UTC)
    with pytest.raises(ValidationError) as err:
        sam.review.decide(ben_line.device_id, ben_60, "returned", "  ", ben_read.seen_seq, "Sam")
    assert err.value.field == "comment"
    sam.review.decide(
        ben_line.device_id, ben_60, "returned", "Add the plan.", ben_read.seen_seq, "Sam Okafor"
    )
    assert {i.note_id: i.state for i in sam.review.queue(tz=UTC).items}[ben_60] == "returned"

    sync(ana)
    sync(ben)
    assert ana.notes.get(ana_50).state is NoteState.APPROVED
    assert ben.notes.get(ben_60).state is NoteState.RETURNED
    [fb] = ben.notes.feedback_for(ben_60).items
    assert (fb.decision, fb.comment, fb.reviewer) == ("returned", "Add the plan.", "Sam Okafor")

    # -- amended and resubmitted; the stale copy cannot be decided ---------------------------
    ben.notes.add_addendum(ben_60, "Plan: group again next Tuesday.")
    ben.notes.resubmit(ben_60)
    sync(ben)
    with pytest.raises(NoteChanged) as changed:
        sam.review.decide(ben_line.device_id, ben_60, "approved", "", ben_read.seen_seq, "Sam")
    assert changed.value.code == "note_changed" and "open it again" in str(changed.value)
    pull(sam)
    ben_read = sam.review.note(ben_line.device_id, ben_60, tz=UTC)
    assert ben_read.item.state == "resubmitted"
    assert [a["text"] for a in ben_read.addenda] == ["Plan: group again next Tuesday."]
    sam.review.decide(
        ben_line.device_id, ben_60, "approved", "Thanks.", ben_read.seen_seq, "Sam Okafor"
    )
    with pytest.raises(NoteChanged) as again:
        sam.review.decide(ben_line.device_id, ben_60, "returned", "No.", ben_read.seen_seq, "Sam")
    assert again.value.code == "already_decided"
    sync(ben)
    assert ben.notes.get(ben_60).state is NoteState.APPROVED
    pull(sam)
    history = sam.review.note(ben_line.device_id, ben_60, tz=UTC).history
    assert [(e.state, e.actor) for e in history] == [
        ("received", "peer"),
        ("returned", "Sam Okafor"),
        ("resubmitted", "peer"),
        ("approved", "Sam Okafor"),
    ]
    assert sam.review.queue(QueueFilter(states=frozenset({"received"})), tz=UTC).total == 1

    # -- reports: the totals worked out by hand ----------------------------------------------
    billing = sam.reports.billing_report(2026, 3, tz=UTC)
    ana_dev, ben_dev = page.items[0].device_id, ben_line.device_id
    assert billing.rows == [
        # Ana: 3 + 1 units; the 22-minute phone note is not approved yet
        PeerUnits("Ana's laptop", ana_dev, notes=2, units=4, flagged=1, approved_units=3),
        # Ben: 60 minutes of group -> (60+7)//15 = 4 units, approved after the resubmission
        PeerUnits("Ben's laptop", ben_dev, notes=1, units=4, flagged=0, approved_units=4),
    ]
    assert [(f.note_id, f.reason) for f in billing.flags] == [(ana_22, "unapproved")]
    # split by code and modifier: in person, phone (93) and group (HQ)
    assert [(c.peer, c.procedure, c.units, c.approved_units) for c in billing.codes] == [
        ("Ana's laptop", "H0038", 3, 3),
        ("Ana's laptop", "H0038-93", 1, 0),
        ("Ben's laptop", "H0038-HQ", 4, 4),
    ]
    mileage = sam.reports.mileage_report(2026, 3)
    assert mileage.rows == [
        PeerMiles("Ana's laptop", ana_dev, 1, Decimal("12.5"), Decimal("8.75")),  # x 0.70
        PeerMiles("Ben's laptop", ben_dev, 1, Decimal("7.15"), Decimal("5.01")),  # 5.005 up
    ]
    rows = sam.reports.export_report(billing, tmp_path / "billing.csv").value
    assert rows == 3 + 3  # two peers and one flag, and the three code rows
    exported = list(csv.reader(io.StringIO((tmp_path / "billing.csv").read_text("utf-8-sig"))))
    assert exported[0] == [REDISCLOSURE_NOTICE.split("\n")[0]]
    kinds = [e.detail.get("kind") for e in sam._audit.entries() if e.event == "review"]
    assert kinds.count("decision") == 3 and "enroll" in kinds and "pull" in kinds


def test_a_removed_supervisor_cannot_open_notes_sealed_after_the_rotation(
    live, make_peer, make_supervisor, make_draft
):
    peer = make_peer("dee", "east")
    person = peer.participants.add("Avery Ford").value.id
    before = signed(peer, make_draft, person, MARCH, 45)
    sync(peer)
    old = make_supervisor("Old Supervisor", "east")
    pull(old)
    assert [i.note_id for i in old.review.queue(tz=UTC).items] == [before]
    old_id = old.review.info().supervisor_id

    live.cli("supervisor", "remove", old_id)
    live.cli(
        "rotate-review-key", "--old-valid-days", "0", "--passphrase-file", str(live.passphrase_file)
    )
    after = signed(peer, make_draft, person, MARCH + timedelta(days=1), 30)
    sync(peer)  # the old key is refused now: the laptop takes the new bundle and reseals

    with pytest.raises(AgencyRejected) as refused:
        pull(old)
    assert (refused.value.status, refused.value.code) == (403, "removed")
    assert [i.note_id for i in old.review.queue(tz=UTC).items] == [before]  # kept what it had

    new = make_supervisor("New Supervisor", "east")
    pull(new)
    lines = new.review.queue(tz=UTC).items
    assert [(i.note_id, i.broken) for i in lines] == [(before, None), (after, None)]

    # Even with the ciphertext in hand, the removed supervisor's keys do not open it.
    with new._stores.client() as client:
        fresh = [r for r in client.review_records(0, 100).records if r.entity_id == after]
    old_keys, _ = open_grants(old._stores.review_inbox.grants(), old._device.secrets().box, old_id)
    assert fresh and fresh[0].key_id not in old_keys
    assert open_one(fresh[0], old_keys).code == NO_KEY


def test_an_altered_record_is_listed_and_a_cancelled_pull_resumes(
    live, make_peer, make_supervisor, make_draft
):
    peer = make_peer("eve", "west")
    person = peer.participants.add("Kendall Oakes").value.id
    notes = [signed(peer, make_draft, person, MARCH + timedelta(days=d), 30) for d in range(5)]
    sync(peer)
    # the agency points the note's record at another record's place in its segment
    live.execute(
        "UPDATE records SET part = part + 1 WHERE entity_id = :note AND kind = 'note'",
        note=notes[2],
    )
    sup = make_supervisor("West Supervisor", "west")

    pages = 0

    def stop_after_two_pages() -> bool:
        return pages >= 2

    for step in sup.link.pull(stop_after_two_pages, page_size=2):
        pages += step.stage == "records"
    assert step.stage == "cancelled" and not step.done
    assert 0 < sup.review.queue(tz=UTC).total < 5

    progress = list(run_inline(sup.link.run(page_size=2)))  # as the desktop app pulls
    assert progress[-1].done
    lines = {i.note_id: i for i in sup.review.queue(tz=UTC).items}
    assert set(lines) == set(notes)
    broken = lines[notes[2]]
    assert broken.broken and "altered" in broken.broken and str(broken.seq) in broken.broken
    assert all(lines[n].broken is None for n in notes if n != notes[2])
    # the supervisor's client trusts the provisioned CA only, like the laptop's
    with AgencyClient(live.url, credential="c" * 43) as system_trust_only:
        with pytest.raises(AgencyUnreachable, match="TLS certificate"):
            system_trust_only.review_keys()

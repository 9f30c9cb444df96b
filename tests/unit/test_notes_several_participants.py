"""The notes list's name search (issue 21): a page and a count of several
participants' notes (a tuple of ids), one person's as before, none for no ids."""

from __future__ import annotations

from peerdesk.demo.profiles import ensure_demo_profile
from peerdesk.services import ProfileManager


def test_notes_of_several_participants(tmp_path):
    session = ensure_demo_profile(ProfileManager(root=tmp_path))
    try:
        every = session.notes.page(limit=50).items
        people = sorted({n.participant_id for n in every})
        assert len(people) >= 3
        two = (people[0], people[1])
        page = session.notes.page(limit=50, participant_id=two)
        assert {n.participant_id for n in page.items} == set(two)
        assert len(page.items) == sum(n.participant_id in two for n in every)
        assert session.notes.count(participant_id=two) == len(page.items)
        one = session.notes.page(limit=50, participant_id=people[2]).items
        assert {n.participant_id for n in one} == {people[2]}
        assert session.notes.page(limit=50, participant_id=()).items == []
        assert session.notes.count(participant_id=()) == 0
        assert session.notes.count(participant_id=[]) == 0
    finally:
        session.close()

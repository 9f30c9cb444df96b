"""The peer's side of a return: an addendum answers it, the note is resubmitted
(returned -> submitted and a "resubmit" record journaled in one transaction),
and on the wire addenda and resubmissions travel under their note's id."""

from __future__ import annotations

import pytest

from peerdesk.domain.models import NoteState
from peerdesk.errors import InvalidTransition, ValidationError
from tests.sync.conftest import agency, enrolled, fake_time, run_sync  # noqa: F401 - fixtures


def _device_id(session) -> str:
    return session._device.get().device_id


@pytest.fixture
def returned(enrolled, agency, run_sync, make_draft):  # noqa: F811
    """A peer's note the supervisor returned (and an addendum written before that)."""
    s = enrolled
    person = s.participants.add("Riley Stone").value
    note = s.notes.sign(s.notes.create_draft(make_draft(person.id)).value.id).value
    early = s.notes.add_addendum(note.id, "Written before the return.").value
    run_sync(s)
    agency.send_feedback(_device_id(s), note.id, "returned", "Add the plan.", "Sam Okafor")
    run_sync(s)
    assert s.notes.get(note.id).state is NoteState.RETURNED
    return s, note, early


def test_resubmitting_needs_an_addendum_written_after_the_return(returned):
    s, note, _early = returned
    pending = s._outbox.counts().pending
    with pytest.raises(ValidationError, match="add an addendum") as err:
        s.notes.resubmit(note.id)
    assert err.value.field == "addendum"
    assert s.notes.get(note.id).state is NoteState.RETURNED
    assert s._outbox.counts().pending == pending


def test_resubmitting_moves_the_note_and_journals_it_in_one_go(returned, agency, run_sync):  # noqa: F811
    s, note, early = returned
    answer = s.notes.add_addendum(note.id, "Plan: call the landlord on Tuesday.").value

    resubmitted = s.notes.resubmit(note.id).value

    assert resubmitted.state is NoteState.SUBMITTED
    journal = [(e.entity, e.entity_id) for e in s._outbox.pending()]
    assert journal == [("addendum", answer.id), ("resubmit", note.id)]
    assert s._audit.entries(limit=1)[0].event == "note_resubmitted"
    with pytest.raises(InvalidTransition):
        s.notes.resubmit(note.id)  # submitted now, not returned

    run_sync(s)

    sent = [(k, eid, p) for k, eid, p in agency.opened(_device_id(s)) if k != "escrow"]
    kinds = [(k, eid) for k, eid, _ in sent]
    assert ("addendum", note.id) in kinds and ("resubmit", note.id) in kinds
    addenda = [p for k, _, p in sent if k == "addendum"]
    assert {p["id"] for p in addenda} == {early.id, answer.id}
    assert all(p["note_id"] == note.id for p in addenda)
    [resubmit] = [p for k, _, p in sent if k == "resubmit"]
    assert resubmit["note_id"] == note.id
    assert resubmit["addendum_ids"] == [answer.id]  # not the one written before the return
    assert s._outbox.counts().pending == 0


def test_only_a_returned_note_can_be_resubmitted(enrolled, make_draft):  # noqa: F811
    s = enrolled
    person = s.participants.add("Quinn Hale").value
    draft = s.notes.create_draft(make_draft(person.id)).value
    with pytest.raises(InvalidTransition, match="cannot resubmit a note that is draft"):
        s.notes.resubmit(draft.id)
    signed = s.notes.sign(draft.id).value
    s.notes.add_addendum(signed.id, "an addendum")
    with pytest.raises(InvalidTransition, match="signed"):
        s.notes.resubmit(signed.id)

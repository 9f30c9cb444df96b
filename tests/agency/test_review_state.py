"""The review state machine that ingest applies (pure, no database)."""

from __future__ import annotations

from peerdesk.agency.review_state import review_changes


def test_a_new_note_is_created_received_with_its_event() -> None:
    changes = review_changes([(7, "note", "n1"), (8, "addendum", "n1")], {})
    assert changes.created == [("n1", "received", 8)]
    assert changes.updated == [] and changes.events == [("n1", "received", 7)]


def test_addenda_and_resubmits_of_unknown_notes_change_nothing() -> None:
    changes = review_changes([(3, "addendum", "n1"), (4, "resubmit", "n1")], {})
    assert (changes.created, changes.updated, changes.events) == ([], [], [])


def test_a_resubmit_resubmits_only_a_returned_note() -> None:
    current = {"ret": ("returned", 10), "rec": ("received", 10), "app": ("approved", 10)}
    changes = review_changes(
        [(11, "addendum", "ret"), (12, "resubmit", "ret"), (13, "resubmit", "ret"),
         (14, "resubmit", "rec"), (15, "resubmit", "app")],
        current,
    )  # fmt: skip
    assert changes.created == []
    assert changes.updated == [("ret", "resubmitted", 13), ("rec", "received", 14),
                               ("app", "approved", 15)]  # fmt: skip
    assert changes.events == [("ret", "resubmitted", 12)]  # once, at the first resubmit


def test_last_seq_never_goes_down_and_unchanged_rows_are_not_written() -> None:
    changes = review_changes([(5, "addendum", "n1")], {"n1": ("received", 9)})
    assert (changes.created, changes.updated, changes.events) == ([], [], [])


def test_a_note_resent_under_a_new_op_id_only_moves_last_seq() -> None:
    changes = review_changes([(20, "note", "n1")], {"n1": ("approved", 9)})
    assert changes.updated == [("n1", "approved", 20)] and changes.events == []


def test_a_note_created_in_the_batch_stays_received_through_its_resubmit_and_repeat() -> None:
    # its own record, then a resubmit (it was never returned), the same note id under a
    # new op id, and an addendum: one row, received, at the highest seq; one event
    changes = review_changes(
        [(3, "note", "n1"), (4, "resubmit", "n1"), (5, "note", "n1"), (6, "addendum", "n1"),
         (7, "note", "n2")],
        {},
    )  # fmt: skip
    assert changes.created == [("n1", "received", 6), ("n2", "received", 7)]
    assert changes.updated == []
    assert changes.events == [("n1", "received", 3), ("n2", "received", 7)]


def test_created_and_known_notes_in_one_batch_keep_their_own_rows() -> None:
    changes = review_changes(
        [(10, "note", "new"), (11, "resubmit", "old"), (12, "addendum", "new")],
        {"old": ("returned", 9)},
    )
    assert changes.created == [("new", "received", 12)]
    assert changes.updated == [("old", "resubmitted", 11)]
    assert changes.events == [("new", "received", 10), ("old", "resubmitted", 11)]

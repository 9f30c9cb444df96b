"""The paged notes list: the core's keyset page (``NoteRepo.page``) and the Qt
table model on top of it (``ui.models.notes``), tested without a window; then
the notes screen's view fetching pages as it scrolls."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from peerdesk.domain.models import NoteState
from peerdesk.errors import ValidationError
from peerdesk.services import Session
from peerdesk.services.payers import load_payer_profiles
from peerdesk.store.notes import MAX_PAGE
from tests.bench.seed import note_drafts, seed_notes
from ui.models.notes import (
    COL_DATE,
    COL_PARTICIPANT,
    COL_STATE,
    COL_TEMPLATE,
    ID_ROLE,
    NotesFilter,
    NotesListModel,
)
from ui.operations import change
from ui.screens.notes import NotesScreen
from ui.taskman import TaskManager

#: states given to the seeded notes, in turn (a signed note's review state may move on)
CYCLE = [NoteState.SIGNED, NoteState.SUBMITTED, NoteState.APPROVED, NoteState.RETURNED]


@pytest.fixture
def tm(qtbot: Any) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown(timeout=10)


@pytest.fixture
def people(session: Session) -> list[str]:
    return [session.participants.add(name).value.id for name in ("Robin Example", "Sam Sample")]


def seed(session: Session, people: list[str], signed: int, drafts: int = 0) -> list[str]:
    """``signed`` notes (review states cycling through CYCLE) and ``drafts`` drafts;
    returns every id, newest first."""
    seed_notes(session, signed, people)
    ids = [r[0] for r in session._db.conn.execute("SELECT id FROM notes ORDER BY id")]
    with session._db.atomic():
        for i, note_id in enumerate(ids):
            session._db.conn.execute(
                "UPDATE notes SET state = ? WHERE id = ?", (CYCLE[i % 4].value, note_id)
            )
    for draft in note_drafts(people, drafts):
        session.notes.create_draft(draft)
    return [r[0] for r in session._db.conn.execute("SELECT id FROM notes ORDER BY id DESC")]


def walk(session: Session, limit: int, **filters: Any) -> tuple[list[str], int]:
    """Every page from the start; the ids in order and the number of pages."""
    ids: list[str] = []
    after, pages = None, 0
    while True:
        assert pages <= session.notes.count(), "the pages never end"
        page = session.notes.page(after=after, limit=limit, **filters)
        pages += 1
        ids += [n.id for n in page.items]
        if not page.has_more:
            return ids, pages
        after = page.next_after


def ids_where(session: Session, sql: str, *params: Any) -> list[str]:
    return [
        r[0]
        for r in session._db.conn.execute(
            f"SELECT id FROM notes WHERE {sql} ORDER BY id DESC", params
        )
    ]


def damage(session: Session, victim: str, donor: str) -> None:
    """Give draft ``victim`` the body envelope of ``donor``: it no longer decrypts
    (envelopes are bound to their row)."""
    session._db.conn.execute(
        "UPDATE notes SET body = (SELECT body FROM notes WHERE id = ?) WHERE id = ?",
        (donor, victim),
    )
    session._db.conn.commit()


# --- the core: NoteRepo.page ----------------------------------------------------------


def test_pages_walk_every_note_newest_first_without_gaps_or_repeats(session, people):
    everything = seed(session, people, signed=437, drafts=3)

    for limit in (1, 7, 200, 440, 1000):
        ids, pages = walk(session, limit)
        assert ids == everything, limit
        assert pages == max(1, -(-440 // limit)), limit  # the last page knows it is the last

    first = session.notes.page(limit=5)
    assert [n.id for n in first.items] == everything[:5]
    assert first.next_after == everything[4]
    assert all(n.addenda == () for n in first.items)  # the list never needs them
    assert first.items[0].body  # decrypted domain objects, like list()


def test_pages_filter_by_states_and_participant(session, people):
    seed(session, people, signed=300, drafts=5)

    for states in ([NoteState.DRAFT], ["approved"], [NoteState.SUBMITTED, NoteState.RETURNED]):
        values = [NoteState(s).value for s in states]
        marks = ", ".join("?" * len(values))
        want = ids_where(session, f"state IN ({marks})", *values)
        assert want, states
        assert walk(session, 17, states=states)[0] == want
        assert session.notes.count(states=states) == len(want)
    assert walk(session, 50, states=NoteState.DRAFT)[0] == ids_where(session, "state = 'draft'")

    mine = ids_where(session, "participant_id = ?", people[1])
    assert walk(session, 9, participant_id=people[1])[0] == mine
    assert session.notes.count(participant_id=people[1]) == len(mine) > 0
    both = ids_where(session, "participant_id = ? AND state = 'signed'", people[0])
    assert walk(session, 11, participant_id=people[0], states=["signed"])[0] == both

    assert session.notes.page(states=[]).items == []
    assert session.notes.count(states=[]) == 0
    assert session.notes.count() == 305
    with pytest.raises(ValidationError):
        session.notes.page(states=["lost"])


def test_a_page_decrypts_only_its_own_rows(session, people, monkeypatch):
    seed(session, people, signed=1000)
    opened: list[str] = []
    real = session._stores.notes.unseal

    def counting(record_id: str, field: str, blob: bytes, table: str | None = None) -> Any:
        opened.append(record_id)
        return real(record_id, field, blob, table)

    monkeypatch.setattr(session._stores.notes, "unseal", counting)
    page = session.notes.page(limit=50)
    assert len(page.items) == 50
    assert sorted(set(opened)) == sorted(n.id for n in page.items)
    # body, goals and coordination contact of each row, nothing else
    assert len(opened) == 150


def test_damaged_rows_are_reported_skipped_and_still_move_the_cursor(session, people):
    seed(session, people, signed=10, drafts=4)
    drafts = ids_where(session, "state = 'draft'")  # the 4 newest notes
    damage(session, drafts[1], drafts[0])
    damage(session, drafts[2], drafts[0])

    first = session.notes.page(limit=3)
    assert [n.id for n in first.items] == [drafts[0]]
    assert [e.record_id for e in first.damaged] == drafts[1:3]
    assert first.next_after == drafts[2]  # past the damaged rows

    ids, _ = walk(session, 3)
    assert len(ids) == 12 and drafts[1] not in ids and drafts[2] not in ids
    only_damaged = session.notes.page(after=drafts[0], limit=2)
    assert only_damaged.items == [] and only_damaged.has_more  # a page of damage goes on


def test_page_size_is_bounded(session):
    for bad in (0, -1, MAX_PAGE + 1):
        with pytest.raises(ValidationError):
            session.notes.page(limit=bad)


# --- the model, without a window --------------------------------------------------------


def loaded(qtbot, model: NotesListModel) -> None:
    qtbot.waitUntil(lambda: not model.is_loading and model.pages_loaded > 0)


def test_first_page_fills_the_columns_and_more_can_be_fetched(qtbot, session, people, tm):
    everything = seed(session, people, signed=450)
    model = NotesListModel(session, tm, page_size=200)
    assert model.rowCount() == 0 and not model.canFetchMore()

    model.refresh()
    loaded(qtbot, model)

    assert model.rowCount() == 200 and model.columnCount() == 4
    assert model.total == 450
    assert model.canFetchMore() and not model.exhausted
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["Date", "Participant", "Template", "State"]
    note = session.notes.get(everything[0])
    cell = {c: model.index(0, c).data() for c in (COL_DATE, COL_PARTICIPANT, COL_TEMPLATE)}
    assert cell == {
        COL_DATE: note.start_at.astimezone().strftime("%Y-%m-%d %H:%M"),
        COL_PARTICIPANT: session.participants.get(note.participant_id).display_name,
        COL_TEMPLATE: "GIRP",
    }
    assert (
        model.index(0, COL_STATE).data()
        == {
            "signed": "Signed",
            "submitted": "Submitted",
            "approved": "Approved",
            "returned": "Returned",
        }[note.state.value]
    )
    assert [model.index(r, 0).data(ID_ROLE) for r in range(200)] == everything[:200]
    assert model.index(0, 0).flags() & Qt.ItemFlag.ItemIsSelectable
    assert not model.index(0, 0).flags() & Qt.ItemFlag.ItemIsEditable
    assert model.index(0, 0).data(Qt.ItemDataRole.EditRole) is None


def test_fetch_more_appends_pages_in_order_until_the_last(qtbot, session, people, tm):
    everything = seed(session, people, signed=530)
    model = NotesListModel(session, tm, page_size=200)
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    model.refresh()
    loaded(qtbot, model)
    while model.canFetchMore():
        pages = model.pages_loaded
        model.fetchMore()
        model.fetchMore()  # a second call while a page is on its way is ignored
        qtbot.waitUntil(lambda pages=pages: model.pages_loaded == pages + 1)
    assert [r.id for r in model.rows] == everything
    assert inserted == [(0, 199), (200, 399), (400, 529)]
    assert model.exhausted and not model.canFetchMore()
    assert model.canFetchMore(model.index(0, 0)) is False  # a table: no children


def test_pages_are_read_on_the_db_thread_never_the_gui_thread(qtbot, session, people, tm):
    seed(session, people, signed=250)
    seen: list[tuple[bool, bool]] = []
    real = session.notes.page

    def page(**kwargs: Any) -> Any:
        seen.append((tm.in_db_thread(), threading.current_thread() is threading.main_thread()))
        return real(**kwargs)

    session.notes.page = page
    model = NotesListModel(session, tm, page_size=100)
    model.refresh()
    loaded(qtbot, model)
    model.fetchMore()
    qtbot.waitUntil(lambda: model.pages_loaded == 2)
    assert seen == [(True, False), (True, False)]


def test_state_filter_and_participant_filter(qtbot, session, people, tm):
    seed(session, people, signed=40, drafts=3)
    model = NotesListModel(session, tm, page_size=10)
    model.refresh(NotesFilter.of("draft"))
    loaded(qtbot, model)
    assert model.total == 3 and model.rowCount() == 3 and model.exhausted
    assert {r.state for r in model.rows} == {NoteState.DRAFT}

    model.refresh(NotesFilter.of([NoteState.APPROVED, NoteState.RETURNED], people[0]))
    loaded(qtbot, model)
    want = ids_where(session, "state IN ('approved', 'returned') AND participant_id = ?", people[0])
    while model.canFetchMore():
        model.fetchMore()
        qtbot.waitUntil(lambda: not model.is_loading)
    assert [r.id for r in model.rows] == want and model.total == len(want)


def test_a_refresh_or_clear_drops_pages_still_on_their_way(qtbot, session, people, tm):
    seed(session, people, signed=300, drafts=2)
    model = NotesListModel(session, tm, page_size=100)
    model.refresh()  # all states: would bring 100 signed notes...
    model.refresh(NotesFilter.of(NoteState.DRAFT))  # ...but the drafts were asked for last
    qtbot.waitUntil(lambda: not tm.busy)
    assert model.pages_loaded == 1
    assert [r.state for r in model.rows] == [NoteState.DRAFT, NoteState.DRAFT]

    model.refresh()
    model.clear()  # locking while the first page is read
    qtbot.waitUntil(lambda: not tm.busy)
    assert model.rowCount() == 0 and model.total is None and not model.canFetchMore()


def test_damaged_notes_are_counted_not_shown(qtbot, session, people, tm):
    seed(session, people, signed=5, drafts=3)
    drafts = ids_where(session, "state = 'draft'")
    damage(session, drafts[1], drafts[0])
    model = NotesListModel(session, tm, page_size=100)
    model.refresh()
    loaded(qtbot, model)
    assert model.rowCount() == 7 and model.damaged == 1
    assert drafts[1] not in [r.id for r in model.rows]


def test_a_saved_or_signed_note_updates_the_list_without_reading_it_again(
    qtbot, session, people, tm, make_draft
):
    seed(session, people, signed=30)
    model = NotesListModel(session, tm, page_size=10)
    model.refresh()
    loaded(qtbot, model)
    reads: list[int] = []
    model.page_loaded.connect(reads.append)
    newest_before = model.rows[0].id

    draft = session.notes.create_draft(make_draft(people[1])).value
    model.note_changed(draft)  # the editor's note_changed signal
    assert model.rows[0].id == draft.id and model.rowCount() == 11 and model.total == 31
    assert model.rows[1].id == newest_before
    assert model.index(0, COL_STATE).data() == "Draft"
    assert model.index(0, COL_PARTICIPANT).data() == "Sam Sample"

    signed = session.notes.sign(draft.id).value
    model.note_changed(signed)
    assert model.index(0, COL_STATE).data() == "Signed" and model.rowCount() == 11

    # An old note beyond the pages loaded is left for fetchMore to bring.
    oldest = session.notes.get(ids_where(session, "1")[-1])
    model.note_changed(oldest)
    assert model.row_of(oldest.id) == -1 and model.rowCount() == 11
    assert reads == []

    drafts_only = NotesListModel(session, tm, page_size=10)
    drafts_only.refresh(NotesFilter.of(NoteState.DRAFT))
    loaded(qtbot, drafts_only)
    second = session.notes.create_draft(make_draft(people[0])).value
    drafts_only.note_changed(second)
    assert [r.id for r in drafts_only.rows] == [second.id]
    drafts_only.note_changed(session.notes.sign(second.id).value)  # no longer a draft
    assert drafts_only.rowCount() == 0 and drafts_only.total == 0


def test_a_note_for_a_new_participant_gets_its_name(qtbot, session, people, tm, make_draft):
    seed(session, people, signed=3)
    model = NotesListModel(session, tm)
    model.refresh()
    loaded(qtbot, model)
    newcomer = session.participants.add("Quinn Newcomer").value
    model.note_changed(session.notes.create_draft(make_draft(newcomer.id)).value)
    assert model.index(0, COL_PARTICIPANT).data() == "(unknown)"
    qtbot.waitUntil(lambda: model.index(0, COL_PARTICIPANT).data() == "Quinn Newcomer")


def test_clear_forgets_every_row_and_name(qtbot, session, people, tm):
    seed(session, people, signed=3)
    model = NotesListModel(session, tm)
    model.refresh()
    loaded(qtbot, model)
    model.clear()
    assert model.rowCount() == 0 and model.rows == ()
    assert model.index(0, COL_PARTICIPANT).data() is None
    assert model._names == {}


# --- the screen: the view asks for pages as it scrolls -----------------------------------


@pytest.fixture
def screen(qtbot, session, tm) -> NotesScreen:
    w = NotesScreen(session, tm, load_payer_profiles()["medicaid_default"], page_size=50)
    qtbot.addWidget(w)
    w.resize(1000, 600)
    w.show()
    return w


def test_the_view_loads_pages_as_it_scrolls_to_the_end(qtbot, session, people, tm):
    everything = seed(session, people, signed=333)
    screen = NotesScreen(session, tm, load_payer_profiles()["medicaid_default"], page_size=50)
    qtbot.addWidget(screen)
    screen.resize(1000, 600)
    screen.show()
    model = screen.model
    loaded(qtbot, model)
    qtbot.waitUntil(lambda: not tm.busy)
    assert model.rowCount() == 50  # a screenful needs one page: nothing more is read
    assert screen.status.text() == "333 notes"

    while not model.exhausted:
        screen.table.scrollToBottom()
        qtbot.waitUntil(lambda: not tm.busy)
    assert [r.id for r in screen.notes] == everything
    assert screen.table.rowCount() == 333
    assert screen.table.item(332, COL_DATE).text() == model.index(332, COL_DATE).data()


def test_choosing_a_state_shows_only_those_notes(qtbot, session, people, tm, screen):
    seed(session, people, signed=20, drafts=2)
    screen.refresh()
    qtbot.waitUntil(lambda: screen.model.total == 22)
    screen.state_filter.setCurrentIndex(screen.state_filter.findData(NoteState.RETURNED))
    qtbot.waitUntil(lambda: screen.model.total == 5)
    assert {screen.table.item(r, COL_STATE).text() for r in range(5)} == {"Returned"}
    assert screen.status.text() == "5 notes"


def test_activating_a_row_opens_that_note(qtbot, session, people, tm, screen):
    seed(session, people, signed=60)
    screen.refresh()
    loaded(qtbot, screen.model)
    index = screen.model.index(7, COL_DATE)
    screen.table.setCurrentIndex(index)
    screen.table.activated.emit(index)
    qtbot.waitUntil(lambda: screen.editor.note is not None)
    assert screen.editor.note.id == screen.notes[7].id


def test_status_counts_damaged_notes_and_clear_empties_the_list(qtbot, session, people, tm):
    seed(session, people, signed=4, drafts=2)
    drafts = ids_where(session, "state = 'draft'")
    damage(session, drafts[1], drafts[0])
    w = NotesScreen(session, tm, load_payer_profiles()["medicaid_default"])
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.model.total is not None)
    assert w.status.text() == "6 notes 1 damaged note could not be read."
    w.clear()
    assert w.table.rowCount() == 0 and w.status.text() == ""
    assert w.table.item(0, 0) is None
    assert w.model.rowCount(QModelIndex()) == 0


def test_a_new_note_starts_empty_after_another_note_was_shown(
    qtbot, session, people, tm, screen, make_draft
):
    shown = session.notes.sign(session.notes.create_draft(make_draft(people[0])).value.id).value
    screen.refresh()
    loaded(qtbot, screen.model)
    screen.open_row(0)
    editor = screen.editor
    qtbot.waitUntil(lambda: editor.note is not None and editor.note.id == shown.id)
    assert editor.section_edits["goal"].toPlainText() == shown.body["goal"]

    screen.new_note(people[1])
    qtbot.waitUntil(lambda: editor.note is None)
    assert {s: e.toPlainText() for s, e in editor.section_edits.items()} == dict.fromkeys(
        ("goal", "intervention", "response", "plan"), ""
    )
    assert not editor.has_unsaved_changes


def test_a_participant_added_elsewhere_is_offered_for_a_new_note(qtbot, session, tm, screen):
    editor = screen.editor
    qtbot.waitUntil(lambda: not tm.busy)
    assert editor.participant_combo.findText("Added Later") < 0
    change(tm, session.participants.add, "Added Later").run()  # as the participants screen does
    screen.new_note()
    qtbot.waitUntil(lambda: editor.participant_combo.findText("Added Later") >= 0)
    assert not editor.has_unsaved_changes

"""The supervisor's review queue: the paged model against what the core lists,
filters (peer, state, dates), a record that does not open shown as such without
breaking the list, the reader (note, addenda, trips of that contact, history),
keyboard access, the supervisor window (sections, first run, lock), and the
screenshots review-queue.png and review-reader.png."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

import ui.app
from peerdesk.demo.profiles import DEMO_PASSPHRASE, ensure_demo_profile
from peerdesk.demo.review import SeedResult
from peerdesk.domain.review import QueueFilter
from peerdesk.services import ProfileManager, Session
from tests.conftest import PASSPHRASE
from tests.ui.fake_clock import FakeClock
from tests.ui.review_helpers import (
    SUPERVISOR,
    add_broken_note,
    add_contact,
    guarded,
)
from tests.ui.widget_text import widget_text
from ui.app import MainWindow
from ui.models.review import COL_PARTICIPANT, COL_PEER, COL_STATE, ReviewQueueModel
from ui.screens.review import ReviewScreen
from ui.screens.review_reader import APPROVE_KEY, RETURN_KEY
from ui.taskman import TaskManager


@pytest.fixture
def screen(
    qtbot: Any, supervisor: Session, review_tm: TaskManager, seeded: SeedResult
) -> ReviewScreen:
    widget = ReviewScreen(supervisor, review_tm, lambda: "Sam Okafor", page_size=40)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.total is not None and widget.peer_combo.count() == 5)
    return widget


def core_page(session: Session, flt: QueueFilter, offset: int, limit: int) -> list[str]:
    page = guarded(session, lambda: session.review.queue(flt, offset=offset, limit=limit))
    return [i.note_id for i in page.items]


# --- the model --------------------------------------------------------------------------


def test_the_queue_loads_page_by_page_oldest_contact_first_as_the_core_lists_it(
    qtbot: Any, supervisor: Session, review_tm: TaskManager, seeded: SeedResult
) -> None:
    model = ReviewQueueModel(supervisor, review_tm, page_size=50)
    everything = QueueFilter()
    model.refresh(everything)
    qtbot.waitUntil(lambda: model.pages_loaded == 1)
    total = guarded(supervisor, lambda: supervisor.review.queue(everything, limit=1).total)
    assert model.total == total == 240
    assert model.rowCount() == 50 and model.canFetchMore()
    assert [i.note_id for i in model.items] == core_page(supervisor, everything, 0, 50)
    model.fetchMore()
    assert not model.canFetchMore()  # one request at a time
    qtbot.waitUntil(lambda: model.pages_loaded == 2)
    assert [i.note_id for i in model.items[50:]] == core_page(supervisor, everything, 50, 50)
    starts = [i.contact_start for i in model.items]
    assert starts == sorted(starts)  # oldest contact first
    while model.canFetchMore():
        pages = model.pages_loaded
        model.fetchMore()
        qtbot.waitUntil(lambda pages=pages: model.pages_loaded == pages + 1)
    assert model.rowCount() == 240 and not model.has_more


def test_an_older_refresh_never_lands_after_a_newer_one(
    qtbot: Any, supervisor: Session, review_tm: TaskManager, seeded: SeedResult
) -> None:
    model = ReviewQueueModel(supervisor, review_tm, page_size=30)
    model.refresh(QueueFilter())
    approved = QueueFilter(states=frozenset({"approved"}))
    model.refresh(approved)  # while the first is on its way
    qtbot.waitUntil(lambda: model.pages_loaded == 1)
    qtbot.waitUntil(lambda: not review_tm.busy)
    assert model.pages_loaded == 1
    assert {i.state for i in model.items} == {"approved"}
    model.clear()
    assert model.rowCount() == 0 and model.total is None


# --- filters ----------------------------------------------------------------------------


def test_filters_by_peer_state_and_contact_dates(
    qtbot: Any, screen: ReviewScreen, supervisor: Session, seeded: SeedResult
) -> None:
    model = screen.model
    # default: what waits for a decision (received or resubmitted)
    assert {i.state for i in model.items} <= {"received", "resubmitted"}
    waiting = QueueFilter(states=frozenset({"received", "resubmitted"}))
    assert model.total == guarded(supervisor, lambda: supervisor.review.queue(waiting).total)
    assert f"{model.total} notes found" in screen.count_label.text()

    device = seeded.devices[1]
    screen.peer_combo.setCurrentIndex(screen.peer_combo.findData(device))
    qtbot.waitUntil(lambda: model.pages_loaded == 1 and model.filter.device_id == device)
    assert model.rowCount() > 0 and {i.device_id for i in model.items} == {device}
    peer = model.items[0].peer
    assert all(model.index(r, COL_PEER).data() == peer for r in range(model.rowCount()))

    screen.state_combo.setCurrentIndex(screen.state_combo.findText("Approved"))
    qtbot.waitUntil(lambda: model.pages_loaded == 1 and model.filter.states == {"approved"})
    core = QueueFilter(device_id=device, states=frozenset({"approved"}))
    assert model.total == guarded(supervisor, lambda: supervisor.review.queue(core).total) > 0
    assert {model.index(r, COL_STATE).data() for r in range(model.rowCount())} == {"Approved"}

    screen.state_combo.setCurrentIndex(screen.state_combo.findText("All states"))
    screen.date_from.setDate(QDate(2025, 9, 1))
    screen.date_to.setDate(QDate(2025, 9, 30))
    screen.dates_check.setChecked(True)
    qtbot.waitUntil(lambda: model.pages_loaded == 1 and model.filter.date_from is not None)
    assert model.filter == QueueFilter(device, frozenset(), date(2025, 9, 1), date(2025, 9, 30))
    assert model.rowCount() > 0
    assert all(
        date(2025, 9, 1) <= i.contact_start.astimezone().date() <= date(2025, 9, 30)
        for i in model.items
    )
    screen.date_from.setDate(QDate(2025, 10, 2))  # after the last date: said, nothing listed
    qtbot.waitUntil(lambda: screen.problem.isVisible())
    assert screen.problem.text() == "The end date is before the start date."
    assert model.rowCount() == 0 and "No notes match" in screen.count_label.text()


# --- broken records ---------------------------------------------------------------------


def test_a_record_that_does_not_open_is_a_line_saying_so_and_the_rest_still_loads(
    qtbot: Any, supervisor: Session, review_tm: TaskManager, seeded: SeedResult
) -> None:
    device = seeded.devices[0]
    broken = guarded(
        supervisor, lambda: add_broken_note(supervisor, device, datetime(2025, 4, 1, tzinfo=UTC))
    )
    screen = ReviewScreen(supervisor, review_tm, lambda: "Sam Okafor", page_size=40)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.model.pages_loaded == 1)
    model = screen.model
    rows = [r for r in range(model.rowCount()) if model.item_at(r).broken]
    assert len(rows) == 1
    text = model.index(rows[0], COL_PARTICIPANT).data()
    assert text.startswith("Cannot be read:") and "altered" in text
    assert device in text and f"record {broken.seq}" in text  # device and record id
    assert model.index(rows[0], COL_STATE).data() == "Cannot be read"
    assert model.index(rows[0], COL_PARTICIPANT).data(Qt.ItemDataRole.ToolTipRole) == text
    good = [i for i in model.items if not i.broken]
    assert len(good) == 39 and all(i.participant_name for i in good)
    assert "1 record cannot be read" in screen.count_label.text()
    # paging on past it works, and it can be opened without a decision
    screen.select_row(rows[0])
    reader = screen.reader
    qtbot.waitUntil(lambda: reader.reviewed is not None)
    assert "Cannot be read" in reader.view.toPlainText()
    assert not reader.approve_button.isEnabled() and not reader.return_button.isEnabled()
    assert "cannot be read" in reader.decision_box.title()
    model.fetchMore()
    qtbot.waitUntil(lambda: model.pages_loaded == 2)
    assert model.rowCount() == 80


# --- the reader -------------------------------------------------------------------------


def test_selecting_a_line_reads_the_note_with_its_addenda_trips_and_history(
    qtbot: Any, screen: ReviewScreen, supervisor: Session, seeded: SeedResult
) -> None:
    device = seeded.devices[2]
    contact = datetime(2024, 12, 3, 15, 0, tzinfo=UTC)  # before every generated note
    note_id = guarded(supervisor, lambda: add_contact(supervisor, device, contact))
    screen.refresh()
    qtbot.waitUntil(lambda: screen.model.pages_loaded == 1 and screen.model.total is not None)
    row = screen.model.row_of(device, note_id)
    assert row == 0  # the oldest contact
    screen.select_row(row)
    reader = screen.reader
    qtbot.waitUntil(lambda: reader.reviewed is not None and reader.key == (device, note_id))
    text = " ".join(reader.view.toPlainText().split())
    assert text.startswith("Robin Example")
    assert "Walked to the pantry and planned the bus pass." in text
    assert "Length: 50 minutes" in text and "Contact type: In person" in text
    assert "Medicaid ID: MC-4412" in text and "food security" in text
    assert "Late entry: the pantry opens at nine." in text  # the addendum
    assert "Grocery · Store · 14.5 miles · Hilltop food pantry" in text  # the trip that day
    assert "Waiting for review · " in text and " · peer" in text  # history
    assert reader.approve_button.isEnabled() and reader.return_button.isEnabled()


def test_return_needs_a_comment_and_the_keys_and_tab_order_reach_everything(
    qtbot: Any, screen: ReviewScreen
) -> None:
    reader = screen.reader
    screen.select_row(0)
    qtbot.waitUntil(lambda: reader.reviewed is not None)
    keys = {s.key().toString() for s in reader.shortcuts}
    assert (
        keys
        == {APPROVE_KEY.toString(), RETURN_KEY.toString()}
        == {
            "Ctrl+Shift+A",
            "Ctrl+Shift+R",
        }
    )
    returning = next(s for s in reader.shortcuts if s.key() == RETURN_KEY)
    returning.activated.emit()  # Ctrl+Shift+R with no comment: nothing is sent
    assert "Write what the peer should change" in reader.message_text
    assert reader.comment.hasFocus() and not screen.taskman.busy
    assert reader.reviewed.item.state == "received"

    # Tab goes through the filters, the queue, the note, the comment and the buttons.
    screen.peer_combo.setFocus()
    order = [screen.peer_combo]
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [
        screen.peer_combo,
        screen.state_combo,
        screen.dates_check,
        screen.table,
        reader.view,
        reader.comment,
        reader.approve_button,
    ]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is reader.return_button
    # the queue is walked with the arrow keys, and each line is read as it is reached
    screen.table.setFocus()
    screen.select_row(0)
    first = reader.key
    qtbot.keyClick(screen.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: reader.key != first and reader.reviewed is not None)
    assert reader.key == (screen.model.item_at(1).device_id, screen.model.item_at(1).note_id)


# --- the window -------------------------------------------------------------------------


@pytest.fixture
def window(
    qtbot: Any, supervisor: Session, seeded: SeedResult, manager: ProfileManager
) -> Iterator[MainWindow]:
    win = MainWindow(supervisor, manager, idle_timeout_s=0)
    assert win.role.name == "supervisor"
    qtbot.addWidget(win)
    win.resize(1280, 780)
    win.show()
    # not enrolled: once the window has read that, it shows Sync (first run)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.sync)
    yield win
    if win.session.is_unlocked:
        win.close()


def test_a_supervisor_profile_opens_review_reports_and_sync_first_run_on_sync(
    qtbot: Any, window: MainWindow, screenshot_path: Any
) -> None:
    titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert titles == ["Review", "Reports", "Team", "Sync"]
    assert all(not window.sidebar.item(i).icon().isNull() for i in range(4))
    # not enrolled yet: the window opens on Sync, with the supervisor enrollment form
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sync)
    assert window.sync.stack.currentWidget() is window.sync.enroll_page
    assert window.sync.name_edit.text() == SUPERVISOR
    assert "Not connected to an agency yet" in window.sync_label.text()
    shortcuts = [a.shortcut().toString() for a in window.section_actions]
    assert shortcuts == ["Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4"]
    assert window.lock_action.shortcut() == QKeySequence("Ctrl+L")
    assert window.grab().save(str(screenshot_path("supervisor-enroll.png")))

    window.section_actions[0].trigger()
    assert window.stack.currentWidget() is window.review
    review = window.review
    qtbot.waitUntil(lambda: review.model.pages_loaded == 1)
    review.select_row(3)
    qtbot.waitUntil(lambda: review.reader.reviewed is not None)
    qtbot.waitUntil(lambda: not window.taskman.busy)
    assert window.grab().save(str(screenshot_path("review-queue.png")))


def test_the_reader_with_addenda_and_trips_screenshot(
    qtbot: Any, window: MainWindow, supervisor: Session, seeded: SeedResult,
    screenshot_path: Any,
) -> None:  # fmt: skip
    note_id = guarded(
        supervisor,
        lambda: add_contact(supervisor, seeded.devices[0], datetime(2024, 12, 3, 15, tzinfo=UTC)),
    )
    window.go_to(window.review)
    review = window.review
    qtbot.waitUntil(lambda: review.model.pages_loaded == 1)
    review.refresh()
    qtbot.waitUntil(lambda: review.model.row_of(seeded.devices[0], note_id) == 0)
    review.select_row(0)
    qtbot.waitUntil(lambda: review.reader.reviewed is not None)
    review.reader.comment.setPlainText("Please add what the participant said about the bus pass.")
    review.splitter.setSizes([420, 820])
    qtbot.waitUntil(lambda: not window.taskman.busy)
    assert window.grab().save(str(screenshot_path("review-reader.png")))


def test_lock_destroys_the_decrypted_views_and_signs_in_again(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = window.session
    window.go_to(window.review)
    qtbot.waitUntil(lambda: window.review.model.pages_loaded == 1)
    name = window.review.model.items[0].participant_name
    screens = window.screens()
    seen: dict[str, Any] = {}

    def fake_sign_in(mgr: ProfileManager, last: str, parent: QWidget | None = None) -> Session:
        seen["locked"] = not first.is_unlocked
        seen["alive"] = [s for s in screens if shiboken6.isValid(s)]
        seen["names"] = [w for w in window.findChildren(QWidget) if name in widget_text(w)]
        again = mgr.open(last)
        again.unlock(PASSPHRASE)
        return again

    monkeypatch.setattr(ui.app, "sign_in", fake_sign_in)
    window.lock_action.trigger()
    assert seen == {"locked": True, "alive": [], "names": []}
    assert window.session is not first and window.session.is_unlocked
    assert window.role.name == "supervisor" and window.successor is None
    # still not enrolled: the window goes to Sync once it has read that; then Review
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sync)
    window.go_to(window.review)
    qtbot.waitUntil(lambda: window.review.model.pages_loaded == 1)


def test_unlocking_a_peer_profile_after_a_lock_opens_the_peer_window(
    qtbot: Any, window: MainWindow, manager: ProfileManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    peer = ensure_demo_profile(manager)
    peer.close()

    def fake_sign_in(mgr: ProfileManager, last: str, parent: QWidget | None = None) -> Session:
        other = mgr.open(peer.name)
        other.unlock(DEMO_PASSPHRASE)
        return other

    monkeypatch.setattr(ui.app, "sign_in", fake_sign_in)
    window.lock()
    successor = window.latest()
    assert successor is not window and type(successor) is MainWindow
    qtbot.addWidget(successor)
    assert successor.isVisible() and not window.isVisible()
    assert successor.session.role == "peer" and not window.session.is_unlocked
    assert [successor.sidebar.item(i).text() for i in range(6)][0] == "Today"
    successor.close()
    assert not successor.session.is_unlocked


def test_every_control_of_the_supervisor_window_has_a_name_and_ctrl_keys_reach_it(
    qtbot: Any, window: MainWindow
) -> None:
    from tests.ui.test_accessibility import shortcut_clashes, unnamed_controls

    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sync)
    problems: dict[str, list[str]] = {}
    for index, key in enumerate(window.role.keys()):
        window.section_actions[index].trigger()
        screen = window.screens()[index]
        assert window.stack.currentWidget() is screen
        focus = window.focusWidget()
        assert focus is not None and screen.isAncestorOf(focus)  # into the section
        qtbot.waitUntil(lambda: not window.taskman.busy)
        if key == "review":
            window.review.select_row(0)
            qtbot.waitUntil(lambda: window.review.reader.reviewed is not None)
            window.review.dates_check.setChecked(True)  # the date fields too
        problems[key] = unnamed_controls(screen)
    problems["window"] = unnamed_controls(window)
    assert {k: v for k, v in problems.items() if v} == {}
    # the Reports screen's keys (Ctrl+E, Ctrl+P, claims) leave Ctrl+L to the lock
    assert shortcut_clashes(window) == []
    window.sidebar_action.trigger()
    assert window.focusWidget() is window.sidebar


def test_a_new_profile_can_be_made_for_a_supervisor(qtbot: Any, manager: ProfileManager) -> None:
    from peerdesk.crypto.kdf import KdfParams
    from ui.dialogs.profile_setup import CreateProfileDialog

    made: list[dict[str, Any]] = []

    def create(name: str, passphrase: str, **options: Any) -> Session:
        made.append(options)
        return manager.create(name, passphrase, kdf_params=KdfParams.new(), **options)

    dialog = CreateProfileDialog(manager, create=create)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.chosen_role == "peer"  # the default: a peer specialist
    qtbot.keyClicks(dialog.name, "sam")
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClicks(dialog.confirm, PASSPHRASE)
    after = dialog.confirm.nextInFocusChain()
    while not after.focusPolicy() & Qt.FocusPolicy.TabFocus:
        after = after.nextInFocusChain()
    assert after is dialog.role  # Tab goes there from the confirmation
    dialog.role.setCurrentIndex(dialog.role.findData("supervisor"))
    assert "reviews the notes your team syncs" in dialog.role_message.text()
    dialog.create_button.click()
    assert made == [{"role": "supervisor"}]
    assert dialog.session is not None and dialog.session.role == "supervisor"
    window = MainWindow(dialog.session, manager, idle_timeout_s=0)
    qtbot.addWidget(window)
    assert window.role.name == "supervisor"
    window.close()


def test_the_supervisor_window_locks_itself_when_idle(
    qtbot: Any, supervisor: Session, seeded: SeedResult, manager: ProfileManager,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    asked: list[str] = []
    monkeypatch.setattr(ui.app, "sign_in", lambda mgr, last, parent=None: asked.append(last))
    clock = FakeClock()
    window = MainWindow(supervisor, manager, idle_timeout_s=0.5, idle_clock=clock)
    qtbot.addWidget(window)
    window.show()
    assert window.idle.active and window.idle.timeout_s == 0.5
    assert supervisor.is_unlocked  # no idle time has passed on the window's clock
    clock.advance(0.6)
    qtbot.waitUntil(lambda: asked == [SUPERVISOR], timeout=10_000)
    assert not supervisor.is_unlocked and not window.isVisible()

"""Supervisor decisions through the UI, against a real agency (the FastAPI app
under uvicorn, HTTPS on 127.0.0.1, the ``peerdesk-agency`` CLI; nothing mocked):

* a supervisor profile enrolls with the form of its Sync section, pulls (the
  records are listed as unreadable until IT grants the review key, then
  repaired by the next pull), approves one note, returns one (a comment is
  required), and a decision on a note that changed at the agency is refused
  with a clear message, the change is pulled and the note read again;
* the peer's note editor offers "Resubmit" for the returned note once an
  addendum answers it, and the resubmitted note comes back to the queue;
* a pull shows its progress, stops when cancelled and the next one resumes.
"""

from __future__ import annotations

import ssl
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("uvicorn")

from peerdesk.config import provisioning_toml
from peerdesk.domain.models import ContactType, NoteState
from peerdesk.domain.review import QueueFilter
from peerdesk.services import ProfileManager, Session
from tests.conftest import PASSPHRASE
from tests.review.live import (  # noqa: F401 - fixtures
    LiveAgency,
    live,
    make_peer,
    make_supervisor,
    signed,
    sync,
)
from tests.ui.review_helpers import guarded
from tests.ui.review_helpers import make_supervisor as new_supervisor_profile
from tests.ui.sync_helpers import quiet_network
from ui.app import MainWindow
from ui.screens.review_reader import RETURN_KEY

MARCH = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def wait_for_pull(qtbot: Any, window: MainWindow) -> None:
    controller = window.link
    qtbot.waitUntil(lambda: not controller.running, timeout=30_000)
    qtbot.waitUntil(lambda: not window.taskman.busy, timeout=10_000)


def row_of(window: MainWindow, note_id: str) -> int:
    model = window.review.model
    return next(r for r in range(model.rowCount()) if model.item_at(r).note_id == note_id)


def open_in_reader(qtbot: Any, window: MainWindow, note_id: str) -> None:
    review = window.review
    qtbot.waitUntil(lambda: any(i.note_id == note_id for i in review.model.items))
    review.select_row(row_of(window, note_id))
    reader = review.reader
    qtbot.waitUntil(lambda: reader.reviewed is not None and reader.reviewed.item.note_id == note_id)


def test_enroll_pull_approve_return_and_a_note_that_changed_meanwhile(
    qtbot: Any,
    live: LiveAgency,  # noqa: F811
    make_peer: Any,  # noqa: F811
    manager: ProfileManager,
    make_draft: Any,
    tmp_path: Path,
    screenshot_path: Any,
) -> None:
    ana, ben = make_peer("ana", "ui-north"), make_peer("ben", "ui-north")
    harper = ana.participants.add("Harper Lane").value.id
    ana_50 = signed(ana, make_draft, harper, MARCH, 50)
    ana_22 = signed(ana, make_draft, harper, MARCH + timedelta(hours=3), 22, ContactType.PHONE)
    jordan = ben.participants.add("Jordan Pike").value.id
    ben_60 = signed(ben, make_draft, jordan, MARCH + timedelta(days=8), 60, ContactType.GROUP)
    sync(ana)
    sync(ben)

    sam = new_supervisor_profile(manager, "sam")
    window = MainWindow(sam, manager, idle_timeout_s=0)
    assert window.role.name == "supervisor"
    qtbot.addWidget(window)
    window.resize(1280, 780)
    window.show()
    try:
        # -- first run: the enrollment form of the Sync section -----------------------------
        sync_screen = window.sync
        qtbot.waitUntil(lambda: window.stack.currentWidget() is sync_screen)
        provisioning = tmp_path / "provisioning.toml"
        provisioning.write_text(provisioning_toml(live.provisioning()), encoding="utf-8")
        sync_screen.provisioning_edit.setText(str(provisioning))
        sync_screen.code_edit.setText("NOT-A-CODE")
        sync_screen.name_edit.setText("Sam Okafor")
        sync_screen.enroll_button.click()
        qtbot.waitUntil(lambda: sync_screen.enroll_button.isEnabled(), timeout=20_000)
        assert sync_screen.code_field.error.isVisible()  # refused, said next to the code
        assert not window.link.is_enrolled

        sync_screen.code_edit.setText(live.invite("Sam Okafor", "ui-north"))
        sync_screen.enroll_button.click()
        qtbot.waitUntil(lambda: window.link.is_enrolled, timeout=20_000)
        qtbot.waitUntil(lambda: window.link.running or
                        window.link.progress is not None, timeout=10_000)  # fmt: skip
        wait_for_pull(qtbot, window)  # enrolled: a first pull starts by itself
        assert sync_screen.stack.currentWidget() is sync_screen.panel
        assert "team ui-north" in window.sync_label.text()
        # IT has not granted the review key yet: every record is listed, none opens
        review = window.review
        review.state_combo.setCurrentIndex(review.state_combo.findText("All states"))
        qtbot.waitUntil(lambda: review.model.total is not None and review.model.total > 0)
        assert all(i.broken and "not granted" in i.broken for i in review.model.items)

        live.grant(guarded(sam, sam.review.info).supervisor_id)
        sync_screen.run_button.click()
        assert window.link.running and sync_screen.cancel_button.isEnabled()
        wait_for_pull(qtbot, window)
        assert sync_screen.result_label.text().startswith("Finished. Records received:")
        qtbot.waitUntil(lambda: "3 notes waiting for a decision" in window.sync_label.text())

        # -- approve ------------------------------------------------------------------------
        window.go_to(review)
        review.state_combo.setCurrentIndex(review.state_combo.findText("Waiting for a decision"))
        qtbot.waitUntil(lambda: review.model.total == 3 and review.model.rowCount() == 3)
        assert [i.participant_name for i in review.model.items] == ["Harper Lane"] * 2 + [
            "Jordan Pike"
        ]
        reader = review.reader
        open_in_reader(qtbot, window, ana_50)
        assert "met 02 Mar" in reader.view.toPlainText()
        reader.approve_button.click()
        qtbot.waitUntil(lambda: "Approved and co-signed by Sam Okafor at" in reader.message_text)
        qtbot.waitUntil(lambda: reader.reviewed.item.state == "approved")
        row = row_of(window, ana_50)
        assert review.model.item_at(row).state == "approved"
        assert "Approved · " in reader.view.toPlainText().split("Review history")[1]
        assert not reader.approve_button.isEnabled()

        # -- return: a comment is required ------------------------------------------------
        open_in_reader(qtbot, window, ben_60)
        reader.return_button.click()
        assert "Write what the peer should change" in reader.message_text
        assert guarded(sam, lambda: sam.review.note(*reader.key).item.state) == "received"
        reader.comment.setPlainText("Add the plan for next week.")
        next(s for s in reader.shortcuts if s.key() == RETURN_KEY).activated.emit()
        qtbot.waitUntil(lambda: "Returned to the peer by Sam Okafor" in reader.message_text)
        qtbot.waitUntil(lambda: reader.reviewed.item.state == "returned")
        assert reader.comment.toPlainText() == ""

        # -- a note that changed at the agency after it was read -----------------------------
        open_in_reader(qtbot, window, ana_22)
        ana.notes.add_addendum(ana_22, "Late entry: the call was about the bus pass.")
        sync(ana)
        reader.comment.setPlainText("Looks right.")
        reader.approve_button.click()
        qtbot.waitUntil(lambda: "changed after you opened it" in reader.message_text)
        assert reader.message.isVisible() and reader.comment.toPlainText() == "Looks right."
        # the window pulls what changed and reads the note again: the addendum is there
        qtbot.waitUntil(
            lambda: "the call was about the bus pass" in reader.view.toPlainText(),
            timeout=20_000,
        )
        wait_for_pull(qtbot, window)
        assert "changed after you opened it" in reader.message_text  # still said
        assert window.grab().save(str(screenshot_path("review-note-changed.png")))
        reader.approve_button.click()
        qtbot.waitUntil(lambda: "Approved and co-signed" in reader.message_text)
        states = {
            i.note_id: i.state for i in guarded(sam, lambda: sam.review.queue(QueueFilter()).items)
        }
        assert states == {ana_50: "approved", ana_22: "approved", ben_60: "returned"}
    finally:
        window.close()
    sync(ana)
    sync(ben)
    assert ana.notes.get(ana_22).state is NoteState.APPROVED
    [feedback] = ben.notes.feedback_for(ben_60).items
    assert (feedback.decision, feedback.comment, feedback.reviewer) == (
        "returned",
        "Add the plan for next week.",
        "Sam Okafor",
    )


def test_the_peer_resubmits_a_returned_note_once_an_addendum_answers_it(
    qtbot: Any,
    live: LiveAgency,  # noqa: F811
    make_peer: Any,  # noqa: F811
    make_supervisor: Any,  # noqa: F811
    manager: ProfileManager,
    make_draft: Any,
) -> None:
    ben: Session = make_peer("ben", "ui-south")
    person = ben.participants.add("Jordan Pike").value.id
    note_id = signed(ben, make_draft, person, MARCH, 60, ContactType.GROUP)
    sync(ben)
    sam: Session = make_supervisor("Sam South", "ui-south")
    list(sam.link.pull())
    read = sam.review.note(sam.review.queue().items[0].device_id, note_id)
    sam.review.decide(read.item.device_id, note_id, "returned", "Add the plan.", read.seen_seq,
                      "Sam South")  # fmt: skip
    sync(ben)
    assert ben.notes.get(note_id).state is NoteState.RETURNED

    window = MainWindow(
        ben, manager, idle_timeout_s=0, network=quiet_network(), sync_startup_delay_ms=None
    )
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    try:
        window.show_note(note_id)
        editor = window.notes.editor
        panel = editor.feedback_panel
        qtbot.waitUntil(lambda: panel.resubmit_button.isVisible() and panel.texts() != [])
        assert "Add the plan." in panel.texts()[0]
        assert not panel.resubmit_button.isEnabled()  # nothing answers the comment yet
        assert "add an addendum below that answers the comment" in panel.resubmit_hint.text()

        editor.addendum_edit.setPlainText("Plan: group again next Tuesday.")
        editor.addendum_button.click()
        qtbot.waitUntil(lambda: panel.resubmit_button.isEnabled())
        assert "1 addendum written in answer to the comment" in panel.resubmit_hint.text()
        panel.resubmit_button.click()
        qtbot.waitUntil(
            lambda: editor.note is not None and editor.note.state is NoteState.SUBMITTED
        )
        qtbot.waitUntil(lambda: not panel.resubmit_button.isVisible())
        qtbot.waitUntil(lambda: not window.taskman.busy)
    finally:
        window.close()
    reopened = manager.open("ben")
    reopened.unlock(PASSPHRASE)
    try:
        sync(reopened)
    finally:
        reopened.close()
    list(sam.link.pull())
    again = sam.review.note(read.item.device_id, note_id)
    assert again.item.state == "resubmitted"
    assert [a["text"] for a in again.addenda] == ["Plan: group again next Tuesday."]


class GatedAgency(httpx.BaseTransport):
    """HTTPS to the live agency (trusting its CA), with the record pages held until
    :attr:`gate` is set; :attr:`entered` is set when one waits (the test's cue)."""

    def __init__(self, ca_pem: str) -> None:
        self.inner = httpx.HTTPTransport(verify=ssl.create_default_context(cadata=ca_pem))
        self.gate = threading.Event()
        self.entered = threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/review/records":
            self.entered.set()
            if not self.gate.wait(timeout=30):
                raise httpx.ReadTimeout("the test never let the request go", request=request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def test_a_pull_shows_its_progress_and_can_be_cancelled_then_resumed(
    qtbot: Any,
    live: LiveAgency,  # noqa: F811
    make_peer: Any,  # noqa: F811
    make_supervisor: Any,  # noqa: F811
    manager: ProfileManager,
    make_draft: Any,
) -> None:
    eve = make_peer("eve", "ui-west")
    person = eve.participants.add("Kendall Oakes").value.id
    notes = [signed(eve, make_draft, person, MARCH + timedelta(days=d), 30) for d in range(3)]
    sync(eve)
    sam: Session = make_supervisor("West Supervisor", "ui-west")
    gated = GatedAgency(live.ca_pem)
    window = MainWindow(sam, manager, idle_timeout_s=0, sync_transport=gated)
    qtbot.addWidget(window)
    window.show()
    try:
        screen = window.sync
        qtbot.waitUntil(lambda: window.link.is_enrolled)
        window.go_to(screen)
        assert screen.stack.currentWidget() is screen.panel
        assert "Never" in screen.details.last_pull_label.text()
        screen.run_button.click()
        assert not screen.run_button.isEnabled() and screen.cancel_button.isEnabled()
        assert screen.cancel_button.hasFocus() and screen.progress_bar.isVisible()
        assert gated.entered.wait(20)
        qtbot.waitUntil(lambda: "Fetching notes" in screen.progress_label.text())
        assert "pulling notes" in window.sync_label.text()
        # while the pull waits for the agency, the profile is free: the queue reads
        review = window.review
        review.refresh()
        qtbot.waitUntil(lambda: review.model.pages_loaded == 1)  # the pull is still running
        assert window.link.running and not gated.gate.is_set()
        screen.cancel_button.click()
        gated.gate.set()  # the page in flight is stored; the pull stops after it
        wait_for_pull(qtbot, window)
        assert screen.result_label.text() == (
            "Pull did not finish: The pull was stopped; the next one goes on from there."
        )
        assert screen.run_button.isEnabled() and not screen.progress_bar.isVisible()
        assert "Never" in screen.details.last_pull_label.text()  # not a complete pull

        screen.run_button.click()
        wait_for_pull(qtbot, window)
        assert screen.result_label.text().startswith("Finished.")
        assert screen.details.last_pull_label.text() != "Never"
        queue = guarded(sam, lambda: sam.review.queue(QueueFilter()).items)
        assert sorted(i.note_id for i in queue) == sorted(notes)
        assert screen.details.waiting_label.text() == "3"
    finally:
        window.close()
        gated.close()

"""Crisis support through the UI (issue 21), against a real agency (the FastAPI
app under uvicorn in this process, HTTPS on 127.0.0.1; nothing mocked):

* a peer opens the crisis panel from the Participants screen, flags the person
  with a reason, writes the six steps of a safety plan (the panel lists 988 and
  the plan's contacts), and signs a crisis note after many older unsynced notes;
* a sync with small batches sends the crisis records in the FIRST batch;
* after the supervisor's pull the crisis note heads the Review queue with its
  marker and the screen says how many people are in crisis;
* the panel's screenshot at 1366x768 (resources/screenshots/crisis-safety-plan.png
  under ``make screenshots``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

pytest.importorskip("uvicorn")

from peerdesk.domain.models import NoteTemplate
from peerdesk.link.sync import BatchDone, SyncOptions
from tests.review.live import (  # noqa: F401 - fixtures
    LiveAgency,
    live,
    make_peer,
    make_supervisor,
    pull,
)
from tests.review.test_crisis_sync import acked_ops, ops_of
from tests.ui.sync_helpers import guarded
from ui.models.review import COL_PARTICIPANT
from ui.screens.crisis import CrisisPanel
from ui.screens.participants import ParticipantsScreen
from ui.screens.review import ReviewScreen
from ui.taskman import TaskManager

OLDER_NOTES = 20
PLAN = {
    "warning_signs": "stops answering the phone\nsleeps all day",
    "coping": "walk to the river\nplay guitar",
    "distractions": "the library on Main St\ncousin Dee's kitchen",
    "help_people": "Dee (cousin) 555-0142\nMarcus, sponsor, 555-0199",
    "professionals": "Dr. Ana Ortiz, Harbor Clinic, 555-0100\n988: call or text, any hour",
    "environment": "Dee keeps the medication\nno alcohol in the house",
}


def panel_of(qtbot: Any, screen: ParticipantsScreen) -> CrisisPanel:
    screen.crisis_button.click()
    panel = screen.crisis.panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.view is not None)
    return panel


def test_flag_plan_and_crisis_note_sync_first_and_head_the_review_queue(
    qtbot: Any,
    live: LiveAgency,  # noqa: F811
    make_peer: Any,  # noqa: F811
    make_supervisor: Any,  # noqa: F811
    make_draft: Any,
    screenshot_path: Any,
) -> None:
    ana = make_peer("ana", "ui-crisis")
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    calm = ana.participants.add("Casey Calm").value
    robin = ana.participants.add("Robin Storm").value
    for i in range(OLDER_NOTES):
        draft = make_draft(calm.id if i % 2 else robin.id, NoteTemplate.FREE,
                           body={"text": f"older visit {i}"}, start=start + timedelta(days=i))  # fmt: skip
        ana.notes.sign(ana.notes.create_draft(draft).value.id)

    # -- the peer: Participants -> Crisis… -> flag, safety plan ---------------------------
    taskman = TaskManager()
    screen = ParticipantsScreen(ana, taskman)
    qtbot.addWidget(screen)
    screen.show()
    try:
        qtbot.waitUntil(lambda: screen.model.rowCount() == 2)
        screen.select(robin.id)
        qtbot.waitUntil(lambda: screen.crisis_button.isEnabled())
        panel = panel_of(qtbot, screen)
        assert "not flagged" in panel.banner.text()
        assert not panel.clear_button.isEnabled()
        panel.flag_button.click()  # no reason: refused, said in the panel
        qtbot.waitUntil(lambda: "few words" in panel.status.text())
        panel.reason.setText("called at night, says they cannot keep safe")
        panel.flag_button.click()
        qtbot.waitUntil(lambda: panel.banner.text().startswith("IN CRISIS"))
        assert "cannot keep safe" in panel.banner.text() and "ana" in panel.banner.text()
        assert panel.clear_button.isEnabled() and not panel.flag_button.isEnabled()
        for key, text in PLAN.items():
            panel.steps[key].setPlainText(text)
        panel.save_button.click()
        qtbot.waitUntil(lambda: panel.status.text() == "The safety plan is saved.")
        qtbot.waitUntil(lambda: panel.view is not None and panel.view.plan is not None)
        lines = [panel.lines.item(i).text() for i in range(panel.lines.count())]
        assert "988" in lines[0]  # the national line first
        assert any("Dee (cousin) 555-0142" in line for line in lines)
        assert any("Dr. Ana Ortiz" in line for line in lines)
        panel.resize(1366, 768)
        qtbot.waitUntil(lambda: panel.isVisible())
        shot = screenshot_path("crisis-safety-plan.png")
        assert panel.grab().save(str(shot))
        plan = guarded(ana, lambda: ana.record.crisis(robin.id).plan)
        assert plan is not None and plan.coping == ("walk to the river", "play guitar")

        # a crisis note, and a later note of someone else (not urgent)
        def notes() -> tuple[str, str]:
            d = make_draft(robin.id, NoteTemplate.FREE, body={"text": "crisis call, used the plan"},
                           start=start + timedelta(days=40))  # fmt: skip
            crisis = ana.notes.sign(ana.notes.create_draft(d).value.id).value.id
            d = make_draft(calm.id, NoteTemplate.FREE, body={"text": "ordinary"},
                           start=start + timedelta(days=41))  # fmt: skip
            return crisis, ana.notes.sign(ana.notes.create_draft(d).value.id).value.id

        crisis_note, later = guarded(ana, notes)
        flag_id = guarded(ana, lambda: ana.record.crisis(robin.id).flag).id  # type: ignore[union-attr]
        urgent = guarded(ana, lambda: ops_of(ana, {flag_id, plan.id, crisis_note}))
        assert len(urgent) == 3

        # -- the sync: small batches, the crisis records first ---------------------------
        def run() -> tuple[set[str], int]:
            first: set[str] | None = None
            batches = 0
            for event in ana.link.sync(SyncOptions(batch_bytes=1024)):
                if isinstance(event, BatchDone):
                    batches += 1
                    acked = acked_ops(ana)
                    if first is None and acked >= urgent:
                        first = acked  # what had gone when the last crisis record had
            assert first is not None
            return first, batches

        first_batch, batches = guarded(ana, run)
        assert first_batch == urgent and batches > 3
        assert not guarded(ana, lambda: ops_of(ana, {later})) & first_batch
    finally:
        screen.crisis.clear()
        taskman.shutdown(timeout=10)

    # -- the supervisor: pull, the Review screen ------------------------------------------
    sam = make_supervisor("Sam Crisis", "ui-crisis")
    assert pull(sam)[-1].broken == 0
    review_tm = TaskManager()
    review = ReviewScreen(sam, review_tm, lambda: "Sam Crisis")
    qtbot.addWidget(review)
    review.resize(1366, 768)
    review.show()
    try:
        qtbot.waitUntil(lambda: review.model.total == OLDER_NOTES + 2, timeout=10_000)
        top = review.model.item_at(0)
        assert top is not None and (top.note_id, top.crisis) == (crisis_note, True)
        shown = review.model.index(0, COL_PARTICIPANT).data()
        assert shown == "⚠ CRISIS: Robin Storm"
        second = review.model.index(1, COL_PARTICIPANT).data()
        assert "CRISIS" not in second
        qtbot.waitUntil(lambda: review.crisis_banner.isVisible())
        assert review.crisis_banner.text().startswith("1 participant")
        assert "in crisis" in review.crisis_banner.text()
    finally:
        review_tm.shutdown(timeout=10)


# -- the panel from every place, on the demo profile (Tobias Wren is in crisis) -------------


def test_the_crisis_panel_opens_from_every_place_and_the_shortcut(
    qtbot: Any, tmp_path: Any
) -> None:
    from peerdesk.demo.profiles import ensure_demo_profile
    from peerdesk.services import ProfileManager
    from ui.app import MainWindow
    from ui.screens.crisis import CRISIS_SHORTCUT

    manager = ProfileManager(root=tmp_path)
    window = MainWindow(ensure_demo_profile(manager), manager, autosave_ms=50, idle_timeout_s=0)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    try:
        assert window.crisis_action.shortcut() == CRISIS_SHORTCUT
        # Participants: the button, then the shortcut with the same person in view
        people = window.participants
        window.go_to(people)
        qtbot.waitUntil(lambda: "Tobias Wren" in people.model.names())
        tobias = next(e[0] for e in people.model._all if e[1] == "Tobias Wren")
        people.select(tobias)
        qtbot.waitUntil(lambda: people.current is not None and people.current.id == tobias)
        panel = panel_of(qtbot, people)
        qtbot.waitUntil(lambda: panel.banner.text().startswith("IN CRISIS"))
        assert "988 Suicide" in panel.steps["professionals"].toPlainText()
        panel.close()
        window.crisis_action.trigger()  # Ctrl+Shift+K: the participant in view
        opened = window.today.crisis.panel
        assert opened is not None and opened.participant_id == tobias
        qtbot.waitUntil(lambda: opened.view is not None)
        opened.close()
        # the record window's button
        record = people.open_record()
        assert record is not None
        record.crisis_button.click()
        assert record.crisis.panel is not None and record.crisis.panel.participant_id == tobias
        assert record.crisis_participant() == (tobias, "Tobias Wren")
        record.close()
        # Today: the participant of the chosen draft
        window.go_to(window.today)
        today = window.today
        qtbot.waitUntil(lambda: today.data is not None and today.drafts.count() > 0)
        today.drafts.setCurrentRow(0)
        who = today.crisis_participant()
        assert who is not None and who[1] in people.model.names()
        today.crisis_button.click()
        assert today.crisis.panel is not None and today.crisis.panel.participant_id == who[0]
        today.crisis.clear()
        # the note editor: the note's participant
        note = today.data.drafts[0]  # type: ignore[union-attr]
        window.show_note(note.id)
        editor = window.notes.editor
        qtbot.waitUntil(lambda: editor.crisis_participant() is not None)
        assert editor.crisis_participant() == who
        editor.crisis_button.click()
        assert editor.crisis.panel is not None and editor.crisis.panel.participant_id == who[0]
        editor.crisis.clear()
    finally:
        if window.session.is_unlocked:
            window.close()

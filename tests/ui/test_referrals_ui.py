"""Referrals from the note editor and the participant page: the resource picker
records an encrypted referral linked to the note; the participant page lists
the person's referrals and records the follow-up (connected, not connected)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from peerdesk.crypto.envelope import looks_like_envelope
from peerdesk.domain.models import NoteDraft
from peerdesk.domain.referrals import ReferralStatus
from peerdesk.services import Session
from peerdesk.services.payers import load_payer_profiles
from ui.dialogs.refer import DirectoryPickerDialog
from ui.screens.note_editor import NoteEditor
from ui.screens.participants import ParticipantsScreen
from ui.taskman import TaskManager


@pytest.fixture
def tm(qtbot: Any) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown(timeout=10)


def pick(qtbot: Any, dialog: DirectoryPickerDialog, text: str, row: int = 0) -> None:
    qtbot.waitUntil(lambda: dialog.results.count() > 0)  # it opens browsing
    dialog.search_edit.clear()
    qtbot.keyClicks(dialog.search_edit, text)
    qtbot.waitUntil(
        lambda: (
            not dialog.search.pending
            and dialog.search.answered_for is not None
            and dialog.search.answered_for[0] == text
        )
    )
    dialog.choose(row)
    assert dialog.refer_button.isEnabled()


def test_a_referral_from_a_note_is_encrypted_and_linked_to_the_note(
    qtbot: Any, session: Session, tm: TaskManager, make_draft: Callable[..., NoteDraft]
) -> None:
    person = session.participants.add("Robin Example").value
    note = session.notes.create_draft(make_draft(person.id)).value
    payer = load_payer_profiles()[session.policy.payer_profile]
    editor = NoteEditor(session, tm, payer, autosave_ms=50, confirm=lambda: True)
    qtbot.addWidget(editor)
    editor.show()
    editor.open_note(note.id)
    qtbot.waitUntil(lambda: editor.note is not None and editor.participant_combo.count() == 1)

    editor.refer_button.click()
    qtbot.waitUntil(lambda: editor.refer_dialog is not None)
    dialog = editor.refer_dialog
    assert dialog is not None and dialog.note_id == note.id
    assert "Robin Example" in dialog.intro.text()
    pick(qtbot, dialog, "food pantry alder")
    qtbot.keyClicks(dialog.follow_up, "Call back Friday.")
    dialog.refer_button.click()
    qtbot.waitUntil(lambda: editor.refer_dialog is None)  # closed once saved

    [referral] = session.directory.referrals(note_id=note.id).items
    assert referral.participant_id == person.id
    assert referral.service_name == "Alder Falls Food Pantry"
    assert referral.follow_up == "Call back Friday."
    assert "recorded" in editor.status_label.text()
    # On disk: the note link and status are plain, where the person was referred is not.
    row = session._db.execute(
        "SELECT note_id, status, details FROM referrals WHERE id = ?", (referral.id,)
    ).fetchone()
    assert row[0] == note.id and row[1] == "made"
    assert looks_like_envelope(row[2]) and b"Pantry" not in row[2] and b"Friday" not in row[2]
    assert "referral" in {e.entity for e in session._outbox.pending(limit=100)}


def test_refer_from_a_new_empty_note_asks_for_the_note_first(
    qtbot: Any, session: Session, tm: TaskManager
) -> None:
    session.participants.add("Robin Example")
    payer = load_payer_profiles()[session.policy.payer_profile]
    editor = NoteEditor(session, tm, payer, autosave_ms=50)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.participant_combo.count() == 1)
    editor.refer_button.click()
    assert "Write something in the note first" in editor.status_label.text()
    assert session.directory.referrals().items == []


@pytest.fixture
def page(qtbot: Any, session: Session, tm: TaskManager) -> ParticipantsScreen:
    screen = ParticipantsScreen(session, tm)
    qtbot.addWidget(screen)
    screen.resize(1000, 760)
    screen.show()
    return screen


def _select(qtbot: Any, page: ParticipantsScreen, participant_id: str) -> None:
    qtbot.waitUntil(lambda: page.model.row_of(participant_id) >= 0)
    page.select(participant_id)
    qtbot.waitUntil(lambda: page.current is not None and page.current.id == participant_id)
    panel = page.referrals_panel
    qtbot.waitUntil(lambda: panel.participant is not None and panel.status.text() != "")


def test_the_participant_page_lists_referrals_and_records_the_follow_up(
    qtbot: Any, session: Session, page: ParticipantsScreen
) -> None:
    session.directory.seed_if_empty()
    person = session.participants.add("Sam Sample").value
    dental = session.directory.search("dental").hits[0].id
    referral = session.directory.refer(person.id, dental).value
    page.refresh()
    _select(qtbot, page, person.id)
    panel = page.referrals_panel

    assert panel.table.rowCount() == 1
    assert panel.table.item(0, 0).text() == "Community Dental Clinic"
    assert panel.table.item(0, 2).text() == "Referral made, not followed up yet"
    assert not panel.connected_button.isEnabled()  # nothing selected yet
    panel.select(0)
    assert panel.connected_button.isEnabled() and panel.not_connected_button.isEnabled()

    panel.connected_button.click()
    qtbot.waitUntil(lambda: panel.table.item(0, 2).text() == "Connected with the service")
    assert session.directory.referral(referral.id).status is ReferralStatus.CONNECTED
    assert "Follow-up saved" in panel.status.text()
    panel.select(0)
    assert not panel.connected_button.isEnabled()

    panel.not_connected_button.click()
    qtbot.waitUntil(lambda: panel.table.item(0, 2).text() == "Did not connect")
    assert session.directory.referral(referral.id).status is ReferralStatus.NOT_CONNECTED


def test_refer_to_a_resource_from_the_participant_page(
    qtbot: Any, session: Session, page: ParticipantsScreen
) -> None:
    person = session.participants.add("Avery Sample").value
    page.refresh()
    _select(qtbot, page, person.id)
    panel = page.referrals_panel
    assert panel.status.text() == "No referrals yet."

    dialog = panel.refer()
    assert dialog is not None and dialog.note_id is None
    pick(qtbot, dialog, "dial a ride")
    dialog.refer_button.click()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)

    assert panel.table.item(0, 0).text() == "Dial-a-Ride"
    [referral] = session.directory.referrals(participant_id=person.id).items
    assert referral.note_id is None and referral.service_name == "Dial-a-Ride"


def test_clearing_the_page_drops_the_referrals(
    qtbot: Any, session: Session, page: ParticipantsScreen
) -> None:
    session.directory.seed_if_empty()
    person = session.participants.add("Sam Sample").value
    session.directory.refer(person.id, session.directory.search("dental").hits[0].id)
    page.refresh()
    _select(qtbot, page, person.id)
    assert page.referrals_panel.table.rowCount() == 1

    page.clear()

    assert page.referrals_panel.table.rowCount() == 0
    assert page.referrals_panel.referrals == [] and page.referrals_panel.participant is None

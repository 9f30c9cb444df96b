"""The peer's side of review: "This month" on the Today screen (units, notes,
flagged notes, miles and reimbursement: the core's month summary) and the
peer's own mileage claim export (no participant data, warned about, audited)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from peerdesk.domain.models import ContactType, NoteDraft
from peerdesk.services import Session
from ui.dialogs.export import ExportWarningDialog
from ui.formats import money, number
from ui.screens.today import TodayScreen
from ui.taskman import TaskManager

TODAY = date.today()


def first_of_month() -> datetime:
    """00:05 on the first of this month (read when the test runs: the conftest
    fixture makes ``TODAY`` the test's day, also in a run across a month's end)."""
    return datetime.combine(TODAY.replace(day=1), time(0, 5)).astimezone()


@pytest.fixture
def tm(qtbot: Any, session: Session) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown(timeout=10)


@pytest.fixture
def month(session: Session, make_draft: Callable[..., NoteDraft]) -> dict[str, Any]:
    """This month: two signed notes (50 and 22 minutes), a draft, two trips (one
    with a participant to a named place); last month: a note and a trip."""
    robin = session.participants.add("Robin Example").value.id
    first = first_of_month()
    ids = []
    for minutes, contact in ((50, ContactType.IN_PERSON), (22, ContactType.PHONE)):
        draft = make_draft(robin, start=first + timedelta(minutes=minutes), minutes=minutes,
                           contact_type=contact)  # fmt: skip
        ids.append(session.notes.sign(session.notes.create_draft(draft).value.id).value.id)
    session.notes.create_draft(make_draft(robin, start=first, minutes=30))
    last_month = first - timedelta(days=3)
    session.notes.sign(session.notes.create_draft(make_draft(robin, start=last_month)).value.id)
    day = first.date()
    session.trips.add(day, "medical", "clinic", miles=Decimal("12.5"), with_participant=True,
                      participant_id=robin, destination="Hilltop clinic")  # fmt: skip
    session.trips.add(day, "pharmacy", "pharmacy", miles=Decimal("7.15"))
    session.trips.add(last_month.date(), "grocery", "store", miles=Decimal("40"))
    return {"notes": ids}


@pytest.fixture
def screen(qtbot: Any, session: Session, tm: TaskManager, month: dict[str, Any]) -> TodayScreen:
    widget = TodayScreen(session, tm)
    qtbot.addWidget(widget)
    widget.resize(1100, 720)
    widget.show()
    qtbot.waitUntil(lambda: widget.data is not None)
    return widget


def test_this_month_shows_the_core_month_summary(screen: TodayScreen, session: Session) -> None:
    summary = session.reports.month_summary(TODAY.year, TODAY.month)
    # 50 min -> 3 units, 22 min -> 1 unit (CMS 8-minute rounding); all three are flagged:
    # the draft is unsigned, the signed ones are not approved yet
    assert (summary.units, summary.notes, summary.flagged) == (4, 3, 3)
    assert summary.miles == Decimal("19.65")
    assert summary.amount == Decimal("13.76")  # 19.65 x 0.70 = 13.755, to the cent
    assert screen.data is not None and screen.data.month == summary
    text = screen.month_summary.text()
    assert f"Billable units: {summary.units} from 3 notes" in text
    assert "Flagged notes: 3 (unsigned, not approved yet or over the day's limit)" in text
    assert f"Miles: {number(summary.miles)} · reimbursement {money(summary.amount)}" in text
    assert "at $0.70 a mile" in text
    assert screen.month_box.title().startswith("This month: ")
    screen.clear()
    assert screen.month_summary.text() == ""


def test_the_mileage_claim_has_no_participant_data_and_is_audited(
    qtbot: Any, screen: TodayScreen, session: Session, tmp_path: Path
) -> None:
    shown: list[ExportWarningDialog] = []

    def confirm(dialog: ExportWarningDialog) -> bool:
        shown.append(dialog)
        return True

    target = tmp_path / "claim.csv"
    screen.export_claim(str(target), confirm=confirm)
    qtbot.waitUntil(lambda: screen.claim_status.isVisible())
    assert screen.claim_status.text().startswith(f"Mileage claim written to {target}")
    assert not shown[0].identifiable
    content = target.read_text("utf-8-sig")
    assert "Robin" not in content and "Hilltop" not in content and "42 CFR" not in content
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[1] == ["Date", "Purpose", "Destination type", "Miles"]
    assert rows[-1] == ["Total", "", "", "19.65"]
    [entry] = [e.detail for e in session._audit.entries() if e.event == "export"]
    assert (entry["report"], entry["identifiable"]) == ("mileage_claim", False)


def test_a_claim_to_a_missing_folder_says_why(
    qtbot: Any, screen: TodayScreen, tmp_path: Path
) -> None:
    target = tmp_path / "gone" / "claim.csv"
    screen.export_claim(str(target), confirm=lambda _dialog: True)
    qtbot.waitUntil(lambda: screen.claim_status.isVisible())
    assert screen.claim_status.text().startswith("Problem: The file")
    assert "does not exist" in screen.claim_status.text()
    assert not target.parent.exists() and screen.claim_button.isEnabled()

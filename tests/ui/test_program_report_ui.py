"""The supervisor's program report tab: de-identified aggregates of pulled
records (as a pull stores them: sealed by a laptop, opened with the review key),
small groups hidden, exported as CSV with no names and audited."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from peerdesk.domain.outcomes import Occasion, OutcomeCheckIn
from peerdesk.domain.record import Episode, Goal, GoalStatus, LifeDomain, RecoveryPlan, new_goal_id
from peerdesk.ids import new_id
from peerdesk.link.pull import open_one
from peerdesk.services import Session
from peerdesk.wire.record_payloads import payload_of
from tests.review.conftest import Sealer
from tests.ui.test_accessibility import unnamed_controls
from ui.screens.program_report import ProgramReportPanel
from ui.taskman import TaskManager

T = datetime(2026, 1, 5, tzinfo=UTC)


def pulled(supervisor: Session, sealer: Sealer, people: int) -> None:
    records = []
    for i in range(people):
        pid = new_id()
        goal_status = GoalStatus.MET if i % 2 == 0 else GoalStatus.IN_PROGRESS
        plan = RecoveryPlan(new_id(), pid, (Goal(new_goal_id(), f"secret goal {i}", LifeDomain.WORK,
                            goal_status, date(2026, 1, 5)),), T, T)  # fmt: skip
        items = [
            plan,
            Episode(new_id(), pid, date(2026, 1, 5), f"secret source {i}", T, T),
            OutcomeCheckIn(
                new_id(), pid, date(2026, 1, 5), Occasion.INTAKE, T, (2,) * 5, (3,) * 10
            ),
            OutcomeCheckIn(
                new_id(), pid, date(2026, 4, 5), Occasion.FOLLOW_UP, T, (3,) * 5, (4,) * 10
            ),
        ]
        for item in items:
            kind, doc = payload_of(item)
            records.append(sealer.record(kind, item.id, doc))
    opened = [open_one(r, sealer.keys) for r in records]
    assert all(o.broken is None for o in opened)
    supervisor._stores.review_inbox.store_records(opened, records[-1].seq)


def test_the_program_report_tab_shows_and_exports_de_identified_figures(
    qtbot: Any, supervisor: Session, review_tm: TaskManager, tmp_path: Path
) -> None:
    pulled(supervisor, Sealer(), 6)
    panel = ProgramReportPanel(supervisor, review_tm)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.table.rowCount() > 0)
    assert unnamed_controls(panel) == []
    shown = {(m.section, m.measure): m.value for m in panel.lines}
    assert shown[("enrollment", "people enrolled at any time")] == "6"
    assert shown[("goals", "goals met")] == "3"
    assert shown[("outcomes", "WHO-5 percentage: change (mean)")] == "20.0"
    assert shown[("outcomes", "BARC-10 total: change (mean)")] == "10.0"
    # the box refuses a group smaller than the floor, and says why
    panel.min_cell.setValue(1)
    assert panel.min_cell.value() == panel.min_cell.minimum() == 3
    assert "At least 3" in panel.min_cell.toolTip()
    panel.min_cell.setValue(10)  # small groups hidden
    qtbot.waitUntil(
        lambda: (
            {(m.section, m.measure): m.value for m in panel.lines}[
                ("enrollment", "people enrolled at any time")
            ]
            == "<10"
        )
    )
    target = tmp_path / "program.csv"
    panel.export(target)
    qtbot.waitUntil(lambda: target.exists() and "Written" in panel.status.text())
    text = target.read_text()
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == ["section", "measure", "value", "people"] and len(rows) > 10
    assert "secret" not in text
    exports = [e.detail for e in supervisor._audit.entries() if e.event == "export"]
    assert exports and exports[-1]["format"] == "program_csv"


def test_a_supervisor_reads_a_participants_record_read_only(
    qtbot: Any, supervisor: Session, review_tm: TaskManager
) -> None:
    from functools import partial

    from ui.screens.record import RecordWindow

    sealer = Sealer()
    pulled(supervisor, sealer, 1)
    [(device_id, pid)] = list(supervisor._stores.team_records.everyone())
    window = RecordWindow(
        supervisor, review_tm, pid, "Harper", read_only=True,
        load=partial(supervisor.review.person_overview, device_id, pid),
    )  # fmt: skip
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.overview is not None)
    assert window.goals.item(0, 0).text() == "secret goal 0"
    assert [v for _d, v in window.who5_chart.points] == [40, 60]
    assert [v for _d, v in window.barc_chart.points] == [30, 40]
    assert not window.add_goal.isVisible() and not window.add_check_in.isVisible()
    assert unnamed_controls(window) == []

"""The Reports screen: the numbers shown are the core's report objects (billing
under the chosen payer profile, mileage, overdue), the charts draw the same
numbers, exports warn first and carry the 42 CFR Part 2 notice (CSV and PDF),
are audited, and a path that cannot be written says why and leaves no file;
keyboard access; the screenshot reports.png."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QApplication

from peerdesk.demo.review import SeedResult
from peerdesk.domain.exports import REDISCLOSURE_NOTICE
from peerdesk.services import ProfileManager, Session
from peerdesk.services.payers import load_payer_profiles
from tests.ui.review_helpers import guarded
from ui.app import MainWindow
from ui.dialogs.export import ExportWarningDialog
from ui.formats import money, number
from ui.screens.report_tabs import MILEAGE, OVERDUE, flag_names
from ui.screens.reports import ReportsScreen
from ui.taskman import TaskManager

#: the generated cache ends on 1 April 2026: March is a full month
YEAR, MONTH = 2026, 3


def normal(text: str) -> str:
    """Words of a text as one line (NFKC: the PDF's "ﬁ" ligature is "fi")."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for the exports (tmp_path also holds the profiles)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


@pytest.fixture
def answers() -> list[bool]:
    """What the test answers to the export warnings, in order (True: write)."""
    return []


@pytest.fixture
def dialogs() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def screen(
    qtbot: Any,
    supervisor: Session,
    review_tm: TaskManager,
    seeded: SeedResult,
    answers: list[bool],
    dialogs: list[dict[str, Any]],
) -> ReportsScreen:
    def confirm(dialog: ExportWarningDialog) -> bool:
        dialogs.append(
            {
                "warning": dialog.warning.text(),
                "notice": dialog.notice.toPlainText(),
                "notice_shown": not dialog.notice.isHidden(),
                "default": dialog.cancel_button.isDefault(),
                "identifiable": dialog.identifiable,
            }
        )
        return answers.pop(0)

    widget = ReportsScreen(
        supervisor, review_tm, load_payer_profiles(), today=lambda: date(2026, 4, 15),
        confirm_export=confirm,
    )  # fmt: skip
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.set_month(YEAR, MONTH)
    widget.show()
    qtbot.waitUntil(lambda: widget.reports is not None and widget.reports.month == MONTH)
    qtbot.waitUntil(lambda: not review_tm.busy)
    return widget


def audit_exports(session: Session) -> list[dict[str, Any]]:
    return guarded(
        session, lambda: [e.detail for e in session._audit.entries() if e.event == "export"]
    )


# --- numbers ----------------------------------------------------------------------------


def test_the_tables_and_charts_show_the_core_reports(
    screen: ReportsScreen, supervisor: Session
) -> None:
    billing = guarded(supervisor, lambda: supervisor.reports.billing_report(YEAR, MONTH))
    assert billing.rows and billing.flags  # the generated month has both
    assert screen.tabs.table_texts(screen.tabs.billing_table) == [
        [r.peer, str(r.notes), str(r.units), str(r.approved_units), str(r.flagged)]
        for r in billing.rows
    ]
    reasons = flag_names()
    assert screen.tabs.table_texts(screen.tabs.flags_table) == [
        [f.peer, f.date.isoformat(), f.note_id, reasons[f.reason]] for f in billing.flags
    ]
    assert [(b.label, b.value) for b in screen.tabs.billing_chart.bars] == [
        (r.peer, r.units) for r in billing.rows
    ]
    assert f"{billing.total_units} units in total" in screen.tabs.billing_summary.text()

    mileage = guarded(supervisor, lambda: supervisor.reports.mileage_report(YEAR, MONTH))
    assert mileage.rows and mileage.rate == Decimal("0.70")
    assert screen.tabs.table_texts(screen.tabs.mileage_table) == [
        [r.peer, str(r.trips), number(r.miles), money(r.amount)] for r in mileage.rows
    ]
    assert [b.value for b in screen.tabs.mileage_chart.bars] == [r.miles for r in mileage.rows]
    assert screen.tabs.mileage_summary.text().startswith(
        f"{number(mileage.total_miles)} miles in {sum(r.trips for r in mileage.rows)} trips, "
        f"{money(mileage.total_amount)} at $0.70 per mile"
    )

    overdue = screen.reports.overdue
    assert overdue == guarded(
        supervisor, lambda: supervisor.reports.overdue_report(screen.reports.made_at)
    )
    shown = screen.tabs.table_texts(screen.tabs.overdue_table)
    assert len(shown) == len(overdue) > 0
    assert shown[0] == [
        overdue[0].peer,
        overdue[0].contact_date.isoformat(),
        overdue[0].note_id,
        {"signature": "Signature", "review": "Review"}[overdue[0].kind],
        str(overdue[0].days),
    ]
    assert sum(b.value for b in screen.tabs.overdue_chart.bars) == len(overdue)


def test_the_payer_profile_and_the_month_change_the_numbers(
    qtbot: Any, screen: ReportsScreen, supervisor: Session
) -> None:
    strict = screen.payer_combo.findData("strict_full_units")
    assert strict >= 0 and screen.payer_combo.currentData() == "medicaid_default"
    screen.payer_combo.setCurrentIndex(strict)
    qtbot.waitUntil(lambda: screen.reports.payer_key == "strict_full_units")
    core = guarded(
        supervisor, lambda: supervisor.reports.billing_report(YEAR, MONTH, "strict_full_units")
    )
    assert core.payer == "Medicaid (example strict units)"
    assert [row[2] for row in screen.tabs.table_texts(screen.tabs.billing_table)] == [
        str(r.units) for r in core.rows
    ]
    assert "Medicaid (example strict units)" in screen.tabs.billing_summary.text()
    screen.set_month(2026, 2)
    qtbot.waitUntil(lambda: screen.reports.month == 2)
    february = guarded(
        supervisor, lambda: supervisor.reports.billing_report(2026, 2, "strict_full_units")
    )
    assert [row[0] for row in screen.tabs.table_texts(screen.tabs.billing_table)] == [
        r.peer for r in february.rows
    ]
    assert "February 2026" in screen.status.text()


# --- exports ----------------------------------------------------------------------------


def test_csv_export_warns_first_and_writes_the_notice_then_the_rows(
    qtbot: Any,
    screen: ReportsScreen,
    supervisor: Session,
    answers: list[bool],
    dialogs: list[dict[str, Any]],
    out: Path,
) -> None:
    target = out / "units.csv"
    answers.extend([False, True])
    screen.export("csv", target)  # the user says no: nothing is written
    assert dialogs[0]["identifiable"] and dialogs[0]["default"]  # Cancel is the default
    assert "NOT encrypted" in dialogs[0]["warning"] and "42 CFR Part 2" in dialogs[0]["warning"]
    assert dialogs[0]["notice"] == REDISCLOSURE_NOTICE and dialogs[0]["notice_shown"]
    assert not target.exists() and list(out.iterdir()) == []
    assert screen.export_status.text() == "Export cancelled: nothing was written."

    screen.export("csv", target)
    qtbot.waitUntil(lambda: screen.export_status.text().startswith("Written to"))
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig"))))
    paragraphs = REDISCLOSURE_NOTICE.split("\n")
    assert [r[0] for r in rows[: len(paragraphs)]] == paragraphs  # the notice comes first
    billing = screen.reports.billing
    peers = [r[0] for r in rows if r and r[0] in {p.peer for p in billing.rows}]
    assert len(peers) >= len(billing.rows)
    assert "recorded in the activity log" in screen.export_status.text()
    [audited] = audit_exports(supervisor)
    assert (audited["format"], audited["report"], audited["identifiable"]) == (
        "csv",
        "billing",
        True,
    )
    assert str(target) not in str(audited)  # the path is kept as a digest only
    assert sorted(p.name for p in out.iterdir()) == ["units.csv"]  # no temp file left


def test_pdf_export_has_the_notice_at_the_top_and_the_numbers(
    qtbot: Any,
    screen: ReportsScreen,
    supervisor: Session,
    answers: list[bool],
    out: Path,
) -> None:
    target = out / "units.pdf"
    answers.append(True)
    screen.export("pdf", target)
    qtbot.waitUntil(lambda: screen.export_status.text().startswith("Written to"))
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    text = normal("\n".join(page.extract_text() for page in pypdf.PdfReader(target).pages))
    notice = normal(REDISCLOSURE_NOTICE)
    assert text.startswith(normal(screen.current_report()[2]))  # the title
    assert notice in text and text.index(notice) < text.index("Flagged notes")
    first = screen.reports.billing.rows[0]
    squeezed = text.replace(" ", "")  # a long id may wrap in its column
    assert f"{first.peer}{first.device_id}{first.notes}{first.units}".replace(" ", "") in squeezed
    [audited] = audit_exports(supervisor)
    assert (audited["format"], audited["report"], audited["records"]) == (
        "pdf",
        "billing",
        len(screen.reports.billing.rows)
        + len(screen.reports.billing.codes)  # the units by code and modifier
        + len(screen.reports.billing.flags),
    )


def test_the_mileage_report_holds_no_participant_data_and_says_so(
    qtbot: Any,
    screen: ReportsScreen,
    answers: list[bool],
    dialogs: list[dict[str, Any]],
    out: Path,
) -> None:
    screen.tabs.setCurrentIndex(MILEAGE)
    answers.append(True)
    target = out / "miles.csv"
    screen.export("csv", target)
    qtbot.waitUntil(lambda: screen.export_status.text().startswith("Written to"))
    assert not dialogs[0]["identifiable"] and not dialogs[0]["notice_shown"]
    assert "no information about participants" in dialogs[0]["warning"]
    content = target.read_text("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert "42 CFR" not in content and rows[0] == ["Mileage, 2026-03, at 0.70 per mile"]
    assert rows[1] == ["Peer", "Device", "Trips", "Miles", "Amount"]
    assert [r[0] for r in rows[2:]] == [r.peer for r in screen.reports.mileage.rows]


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_a_path_that_cannot_be_written_is_said_and_leaves_no_file(
    qtbot: Any,
    screen: ReportsScreen,
    supervisor: Session,
    answers: list[bool],
    out: Path,
    fmt: str,
) -> None:
    screen.tabs.setCurrentIndex(OVERDUE)
    answers.append(True)
    missing = out / "no such folder" / f"overdue.{fmt}"
    screen.export(fmt, missing)
    qtbot.waitUntil(lambda: screen.export_status.text().startswith("Problem:"))
    text = screen.export_status.text()
    assert str(missing) in text and "does not exist" in text and "no file was left" in text
    assert list(out.iterdir()) == []
    assert audit_exports(supervisor) == []  # nothing written, nothing recorded
    assert screen.csv_button.isEnabled() and screen.pdf_button.isEnabled()  # can try again

    # a file name that is a folder: refused too, the folder is untouched
    folder = out / f"a folder.{fmt}"
    folder.mkdir()
    answers.append(True)
    screen.export(fmt, folder)
    qtbot.waitUntil(lambda: "that name is a folder" in screen.export_status.text())
    assert list(folder.iterdir()) == [] and sorted(out.iterdir()) == [folder]


def test_the_warning_dialog_is_answered_with_the_keyboard(
    qtbot: Any, supervisor: Session, review_tm: TaskManager, seeded: SeedResult, tmp_path: Path
) -> None:
    """The real dialog (no answer hook): Enter cancels, "Write the file" writes."""
    screen = ReportsScreen(
        supervisor, review_tm, load_payer_profiles(), today=lambda: date(2026, 3, 9)
    )
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.reports is not None)
    target = tmp_path / "overdue.csv"
    screen.tabs.setCurrentIndex(OVERDUE)
    seen: list[str] = []

    def answer(press_write: bool) -> Callable[[], None]:
        def act() -> None:
            dialog = screen.warning_dialog
            if dialog is None or not dialog.isVisible():
                QTimer.singleShot(10, act)  # not shown yet
                return
            try:
                focused = dialog.focusWidget()
                seen.append(focused.text() if focused is not None else "")
                if press_write:
                    dialog.write_button.click()
                else:
                    qtbot.keyClick(focused, Qt.Key.Key_Return)  # Enter: the default
            finally:
                if dialog.isVisible():
                    dialog.reject()  # never leave the test waiting on a dialog

        return act

    QTimer.singleShot(0, answer(False))
    screen.export("csv", target)
    assert not target.exists() and seen == ["Cancel"]
    QTimer.singleShot(0, answer(True))
    screen.export("csv", target)
    qtbot.waitUntil(lambda: target.exists())
    first = next(csv.reader(io.StringIO(target.read_text("utf-8-sig"))))
    assert first == [REDISCLOSURE_NOTICE.split("\n")[0]]


# --- keyboard and window ------------------------------------------------------------------


def test_keyboard_order_and_shortcuts(qtbot: Any, screen: ReportsScreen) -> None:
    keys = sorted(s.key().toString() for s in screen.findChildren(QShortcut))
    assert keys == ["Ctrl+E", "Ctrl+P", "Ctrl+Shift+E", "F5"]  # Shift+E: the claims
    screen.month_edit.setFocus()
    order = [screen.month_edit]
    for _ in range(4):
        here = QApplication.focusWidget()
        for _section in range(3):  # Tab goes through the month and the year first
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            if QApplication.focusWidget() is not here:
                break
        order.append(QApplication.focusWidget())
    assert order == [
        screen.month_edit,
        screen.payer_combo,
        screen.refresh_button,
        screen.tabs.tabBar(),
        screen.tabs.billing_table,
    ]


@pytest.fixture
def window(
    qtbot: Any, supervisor: Session, seeded: SeedResult, manager: ProfileManager
) -> Iterator[MainWindow]:
    win = MainWindow(supervisor, manager, idle_timeout_s=0)
    assert win.role.name == "supervisor"
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    # not enrolled: once the window has read that, it shows Sync (first run)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.sync)
    yield win
    if win.session.is_unlocked:
        win.close()


def test_reports_in_the_supervisor_window(
    qtbot: Any, window: MainWindow, screenshot_path: Any
) -> None:
    window.section_actions[1].trigger()
    reports = window.reports
    assert window.stack.currentWidget() is reports
    reports.set_month(YEAR, MONTH)
    qtbot.waitUntil(lambda: reports.reports is not None and reports.reports.month == MONTH)
    qtbot.waitUntil(lambda: not window.taskman.busy)
    assert window.grab().save(str(screenshot_path("reports.png")))
    reports.tabs.setCurrentIndex(MILEAGE)
    assert window.grab().save(str(screenshot_path("reports-mileage.png")))
    reports.clear()
    assert reports.tabs.billing_table.rowCount() == 0 and reports.reports is None
    assert not reports.csv_button.isEnabled()


def test_claims_are_written_beside_each_other_after_the_warning(
    qtbot: Any,
    screen: ReportsScreen,
    supervisor: Session,
    answers: list[bool],
    dialogs: list[dict[str, Any]],
    out: Path,
) -> None:
    from peerdesk.demo.review import demo_provider, seed_review_cache

    # a second team whose people have Medicaid ids (the first one's have none)
    guarded(supervisor, lambda: seed_review_cache(supervisor, devices=3, notes=150, trips=0,
                                                  seed=5, days=31, beneficiaries=True))  # fmt: skip
    provider = guarded(supervisor, lambda: demo_provider(supervisor))
    rows = "\n".join(f'"{peer}" = "{npi}"' for peer, npi in provider.renderers.items())
    billing_file = out / "provider.toml"
    billing_file.write_text(
        f'name = "Demo"\nnpi = "{provider.npi}"\ntax_id = "990000001"\naddress = "1 Main"\n'
        'city = "Elkins"\nstate = "WV"\nzip = "262410000"\nsubmitter_id = "DEMO1"\n'
        'receiver_id = "CH1"\nreceiver_name = "Clearinghouse"\ncontact_name = "Billing"\n'
        f'contact_phone = "3045550100"\n[renderers]\n{rows}\n'
    )
    screen.refresh()
    qtbot.waitUntil(lambda: screen.claims_button.isEnabled())

    answers.append(False)  # "Cancel": nothing written
    screen.export_claims(billing_file, out / "claims.csv")
    assert "nothing was written" in screen.export_status.text()
    assert list(out.iterdir()) == [billing_file]

    answers.append(True)
    screen.export_claims(billing_file, out / "claims.csv")
    qtbot.waitUntil(lambda: screen.export_status.text().startswith("Written to"))
    assert dialogs[-1]["identifiable"] and dialogs[-1]["notice_shown"]
    written = list(csv.reader(io.StringIO((out / "claims.csv").read_text("utf-8-sig"))))
    notice = REDISCLOSURE_NOTICE.split("\n")
    assert [r[0] for r in written[: len(notice)]] == notice
    x12 = (out / "claims.837").read_text("ascii")
    assert x12.startswith("ISA*") and "*005010X222A1~" in x12
    lines = x12.count("\nSV1*")
    assert lines > 0 and f"{lines} claim lines" in screen.export_status.text()
    assert "held back" in screen.export_status.text()  # the first team's people
    kinds = [(e["report"], e["format"], e["records"]) for e in audit_exports(supervisor)]
    assert sorted(kinds) == [("claims", "csv", lines), ("claims_837p", "x12", lines)]


def test_an_837p_already_beside_the_claims_csv_is_replaced_only_when_asked(
    qtbot: Any, screen: ReportsScreen, supervisor: Session, answers: list[bool], out: Path
) -> None:
    # issue 19: the 837P was written beside the CSV over any file of that name
    billing_file = out / "provider.toml"
    billing_file.write_text(
        'name = "Demo"\nnpi = "1234567893"\ntax_id = "990000001"\naddress = "1 Main"\n'
        'city = "Elkins"\nstate = "WV"\nzip = "262410000"\nsubmitter_id = "DEMO1"\n'
        'receiver_id = "CH1"\nreceiver_name = "Clearinghouse"\ncontact_name = "Billing"\n'
        'contact_phone = "3045550100"\n'
    )
    kept = out / "claims.837"
    kept.write_text("last month's file")
    asked: list[Path] = []
    screen.confirm_overwrite = lambda path: asked.append(path) or False
    screen.refresh()
    qtbot.waitUntil(lambda: screen.claims_button.isEnabled())
    answers.append(True)
    screen.export_claims(billing_file, out / "claims.csv")
    assert asked == [kept] and "was kept" in screen.export_status.text()
    assert kept.read_text() == "last month's file" and not (out / "claims.csv").exists()

    screen.confirm_overwrite = lambda path: True
    answers.append(True)
    screen.export_claims(billing_file, out / "claims.csv")
    qtbot.waitUntil(lambda: screen.export_status.text().startswith("Written to"))
    assert kept.read_text("ascii").startswith("ISA*")

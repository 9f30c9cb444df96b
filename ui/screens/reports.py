"""The Reports screen: a month of billable units, mileage, and overdue notes.

Top: the month (Alt+M), the payer profile (Alt+Y; the rules that turn minutes
into H0038 units) and Refresh (F5). Three tabs, each a table with a painted bar
chart beside it (:class:`ui.charts.BarChart`) and a line with the totals:

- **Billable units**: per peer, notes with a contact in the month, units (after
  the daily cap), approved units and flagged notes; below, every flagged note
  with the reason in words (unsigned, not approved yet, over the daily cap...);
- **Mileage**: per peer, trips, miles and the reimbursement at the policy's rate;
- **Overdue notes**: notes overdue for signature or for review, most overdue first.

Everything comes from the decrypted data on this machine (``session.reports.billing_report``,
``mileage_report``, ``overdue_report``), read in one DB job. **Export CSV…**
(Ctrl+E) and **Export PDF…** (Ctrl+P) write the report of the current tab: a
warning first (:class:`ui.dialogs.export.ExportWarningDialog`: plaintext on disk,
the 42 CFR Part 2 notice in the file, the export is audited), then the file
dialog. The CSV is written by the core (``session.reports.export_report``), the PDF by
:mod:`ui.pdf`; both whole or not at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.billing import PayerProfile
from peerdesk.domain.exports import REDISCLOSURE_NOTICE, is_identifiable
from peerdesk.domain.reports import BillingReport, MileageReport, OverdueNote
from peerdesk.errors import PeerDeskError
from peerdesk.services import Session
from ui.charts import Bar, BarChart
from ui.dialogs.export import ExportWarningDialog, ask_export_path
from ui.errors import message_for
from ui.i18n import tr
from ui.pdf import render_report_pdf, save_report_pdf
from ui.taskman import Latest, TaskManager
from ui.widgets import make_error_label

__all__ = [
    "ReportSet",
    "ReportsScreen",
    "flag_names",
    "load_reports",
    "money",
    "number",
]

BILLING, MILEAGE, OVERDUE = range(3)
KINDS = ("billing", "mileage", "overdue")


def flag_names() -> dict[str, str]:
    """Why a note is flagged in the billing report, in words."""
    return {
        "unsigned": tr("Not signed"),
        "unapproved": tr("Not approved yet"),
        "over_daily_cap": tr("Over the daily cap (fewer units billed)"),
        "overlaps_other_contact": tr("Overlaps another contact"),
        "below_unit_minimum": tr("Too short for one unit"),
        "invalid_times": tr("Start or end time not usable"),
        "unknown_contact_type": tr("Unknown contact type"),
    }


def overdue_kind_names() -> dict[str, str]:
    return {"signature": tr("Signature"), "review": tr("Review")}


def number(value: Decimal | int) -> str:
    """A count or an amount of miles as plain digits ("12.5", "3")."""
    if isinstance(value, int):
        return str(value)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def money(value: Decimal) -> str:
    return "$" + format(value.quantize(Decimal("0.01")), "f")


def month_title(year: int, month: int) -> str:
    return QLocale().toString(QDate(year, month, 1), "MMMM yyyy")


@dataclass(frozen=True, slots=True)
class ReportSet:
    """The three reports of one month, read in one DB job."""

    year: int
    month: int
    payer_key: str
    billing: BillingReport
    mileage: MileageReport
    overdue: list[OverdueNote]
    made_at: datetime


def load_reports(
    session: Session, year: int, month: int, payer_key: str, now: datetime | None = None
) -> ReportSet:
    """Run on the DB thread (touches no widget)."""
    made = now or datetime.now().astimezone()
    return ReportSet(
        year,
        month,
        payer_key,
        session.reports.billing_report(year, month, payer_key),
        session.reports.mileage_report(year, month),
        session.reports.overdue_report(now),
        made,
    )


def _export_csv(session: Session, report: Any, target: Path) -> int:
    """Write a report as CSV and audit it (DB thread)."""
    return session.reports.export_report(report, target, "csv").value


def _table(headers: Sequence[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]], numeric: set[int]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = QTableWidgetItem(value)
            if c in numeric:
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, cell)


def _summary_label(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


class ReportsScreen(QWidget):
    """Month and payer pickers, three report tabs with charts, exports."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        payers: dict[str, PayerProfile],
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        confirm_export: Callable[[ExportWarningDialog], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self.payers = payers
        self._latest = Latest()
        self._loaded_once = False
        self.reports: ReportSet | None = None
        #: the warning dialog while it is open (tests answer it)
        self.warning_dialog: ExportWarningDialog | None = None
        self._confirm = confirm_export or (
            lambda dialog: dialog.exec() == QDialog.DialogCode.Accepted
        )
        self.setObjectName("reportsScreen")
        self.setAccessibleName(tr("Reports"))

        # --- pickers
        day = today()
        self.month_edit = QDateEdit(QDate(day.year, day.month, 1))
        self.month_edit.setObjectName("reportMonth")
        self.month_edit.setDisplayFormat("MMMM yyyy")
        self.month_edit.setAccessibleName(tr("Report month"))
        self.month_edit.setCurrentSection(QDateEdit.Section.MonthSection)
        month_label = QLabel(tr("&Month:"))
        month_label.setBuddy(self.month_edit)
        self.payer_combo = QComboBox()
        self.payer_combo.setObjectName("reportPayer")
        self.payer_combo.setAccessibleName(tr("Payer profile"))
        for key, profile in payers.items():
            self.payer_combo.addItem(profile.name, key)
            self.payer_combo.setItemData(
                self.payer_combo.count() - 1, profile.description, Qt.ItemDataRole.ToolTipRole
            )
        wanted = self.payer_combo.findData(session.policy.payer_profile)
        self.payer_combo.setCurrentIndex(max(wanted, 0))
        payer_label = QLabel(tr("Pa&yer profile:"))
        payer_label.setBuddy(self.payer_combo)
        self.refresh_button = QPushButton(tr("&Refresh"))
        self.refresh_button.setAccessibleName(tr("Make the reports again"))
        self.refresh_button.setToolTip(tr("Make the reports again (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(month_label)
        top.addWidget(self.month_edit)
        top.addSpacing(12)
        top.addWidget(payer_label)
        top.addWidget(self.payer_combo, 1)
        top.addSpacing(12)
        top.addWidget(self.refresh_button)

        self.status = _summary_label(tr("Reports status"))
        self.problem = make_error_label()
        self.problem.setAccessibleName(tr("Reports problem"))
        self.problem.hide()

        # --- tabs
        self.tabs = QTabWidget()
        self.tabs.setObjectName("reportTabs")
        self.tabs.setAccessibleName(tr("Reports"))

        self.billing_summary = _summary_label(tr("Billable units summary"))
        self.billing_table = _table(
            [tr("Peer"), tr("Notes"), tr("Units"), tr("Approved units"), tr("Flagged notes")],
            tr("Billable units per peer"),
        )
        self.billing_chart = BarChart(tr("Units per peer"))
        self.flags_table = _table(
            [tr("Peer"), tr("Date of service"), tr("Note"), tr("Why it is flagged")],
            tr("Flagged notes"),
        )
        flags_label = QLabel(tr("&Flagged notes:"))
        flags_label.setBuddy(self.flags_table)
        self.tabs.addTab(
            self._tab(
                self.billing_summary,
                self.billing_table,
                self.billing_chart,
                extra=(flags_label, self.flags_table),
            ),
            tr("&Billable units"),
        )

        self.mileage_summary = _summary_label(tr("Mileage summary"))
        self.mileage_table = _table(
            [tr("Peer"), tr("Trips"), tr("Miles"), tr("Amount")], tr("Mileage per peer")
        )
        self.mileage_chart = BarChart(tr("Miles per peer"))
        self.tabs.addTab(
            self._tab(self.mileage_summary, self.mileage_table, self.mileage_chart),
            tr("M&ileage"),
        )

        self.overdue_summary = _summary_label(tr("Overdue notes summary"))
        self.overdue_table = _table(
            [tr("Peer"), tr("Contact date"), tr("Note"), tr("Overdue for"), tr("Days overdue")],
            tr("Notes overdue for signature or review"),
        )
        self.overdue_chart = BarChart(tr("Overdue notes per peer"))
        self.tabs.addTab(
            self._tab(self.overdue_summary, self.overdue_table, self.overdue_chart),
            tr("&Overdue notes"),
        )

        # --- exports
        self.csv_button = QPushButton(tr("Export &CSV…"))
        self.csv_button.setObjectName("exportCsv")
        self.csv_button.setAccessibleName(tr("Export the shown report as CSV"))
        self.csv_button.setToolTip(tr("Write the report of this tab to a CSV file (Ctrl+E)"))
        self.pdf_button = QPushButton(tr("Export &PDF…"))
        self.pdf_button.setObjectName("exportPdf")
        self.pdf_button.setAccessibleName(tr("Export the shown report as PDF"))
        self.pdf_button.setToolTip(tr("Write the report of this tab to a PDF file (Ctrl+P)"))
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.export_status = _summary_label(tr("Export result"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_status, 1)
        bottom.addWidget(self.csv_button)
        bottom.addWidget(self.pdf_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.problem)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        self.setTabOrder(self.month_edit, self.payer_combo)
        self.setTabOrder(self.payer_combo, self.refresh_button)
        self.setTabOrder(self.refresh_button, self.tabs)
        self.setTabOrder(self.tabs, self.billing_table)
        self.setTabOrder(self.billing_table, self.flags_table)
        self.setTabOrder(self.flags_table, self.csv_button)
        self.setTabOrder(self.csv_button, self.pdf_button)

        self.month_edit.dateChanged.connect(lambda _d: self.refresh())
        self.payer_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        for keys, slot in (
            (QKeySequence(QKeySequence.StandardKey.Refresh), self.refresh),
            (QKeySequence("Ctrl+E"), lambda: self.export("csv")),
            (QKeySequence("Ctrl+P"), lambda: self.export("pdf")),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._set_export_enabled(False)

    def _tab(
        self,
        summary: QLabel,
        table: QTableWidget,
        chart: BarChart,
        *,
        extra: tuple[QLabel, QTableWidget] | None = None,
    ) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(summary)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(table)
        splitter.addWidget(chart)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        column.addWidget(splitter, 3)
        if extra is not None:
            column.addWidget(extra[0])
            column.addWidget(extra[1], 2)
        return page

    # --- loading ----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous() and not self._loaded_once:
            self.refresh()

    def shown_month(self) -> tuple[int, int]:
        chosen = self.month_edit.date()
        return chosen.year(), chosen.month()

    def set_month(self, year: int, month: int) -> None:
        self.month_edit.setDate(QDate(year, month, 1))

    def payer_key(self) -> str:
        return str(self.payer_combo.currentData() or self.session.policy.payer_profile)

    def refresh(self) -> None:
        """Make the three reports for the chosen month and payer (one DB job)."""
        if self.taskman.closed:
            return
        self._loaded_once = True
        year, month = self.shown_month()
        self.status.setText(
            tr("Making the reports for {month}…").format(month=month_title(year, month))
        )
        self.problem.hide()
        only = self._latest.begin()
        self.taskman.db(load_reports, self.session, year, month, self.payer_key()).success(
            only(self.show_reports)
        ).failure(only(self._failed)).run()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PeerDeskError):
            raise exc
        self.status.setText(tr("The reports could not be made."))
        self.problem.setText(tr("Problem: {message}").format(message=message_for(exc)))
        self.problem.show()

    # --- showing ----------------------------------------------------------------------

    def show_reports(self, reports: ReportSet) -> None:
        self.reports = reports
        self._show_billing(reports.billing)
        self._show_mileage(reports.mileage)
        self._show_overdue(reports.overdue)
        self.status.setText(
            tr(
                "Reports for {month}, made {when} from the notes and trips on this computer."
            ).format(
                month=month_title(reports.year, reports.month),
                when=reports.made_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            )
        )
        self._set_export_enabled(True)

    def _show_billing(self, report: BillingReport) -> None:
        rows = [
            [r.peer, str(r.notes), str(r.units), str(r.approved_units), str(r.flagged)]
            for r in report.rows
        ]
        _fill(self.billing_table, rows, {1, 2, 3, 4})
        reasons = flag_names()
        _fill(
            self.flags_table,
            [
                [f.peer, f.date.isoformat(), f.note_id, reasons.get(f.reason, f.reason)]
                for f in report.flags
            ],
            set(),
        )
        self.billing_chart.set_bars(
            [Bar(r.peer, r.units, tr("%n unit(s)", None, r.units)) for r in report.rows]
        )
        notes = sum(r.notes for r in report.rows)
        approved = sum(r.approved_units for r in report.rows)
        flagged = sum(r.flagged for r in report.rows)
        self.billing_summary.setText(
            tr(
                "{code} under “{payer}”: {units} unit(s) in total, {approved} of them "
                "approved, from {notes} note(s); {flagged} note(s) flagged."
            ).format(
                code=report.code,
                payer=report.payer,
                units=report.total_units,
                approved=approved,
                notes=notes,
                flagged=flagged,
            )
            if report.rows
            else tr("No notes with a contact in this month.")
        )

    def _show_mileage(self, report: MileageReport) -> None:
        rows = [[r.peer, str(r.trips), number(r.miles), money(r.amount)] for r in report.rows]
        _fill(self.mileage_table, rows, {1, 2, 3})
        self.mileage_chart.set_bars(
            [
                Bar(
                    r.peer,
                    r.miles,
                    tr("{miles} mi · {amount}").format(
                        miles=number(r.miles), amount=money(r.amount)
                    ),
                )
                for r in report.rows
            ]
        )
        if report.rows:
            text = tr("{miles} miles in {trips} trip(s), {amount} at {rate} per mile.").format(
                miles=number(report.total_miles),
                trips=sum(r.trips for r in report.rows),
                amount=money(report.total_amount),
                rate=money(report.rate),
            )
        else:
            text = tr("No trips in this month.")
        if report.invalid:
            text += " " + tr(
                "%n trip(s) not counted: the miles or odometer readings are not usable.",
                None,
                len(report.invalid),
            )
        self.mileage_summary.setText(text)

    def _show_overdue(self, overdue: Sequence[OverdueNote]) -> None:
        kinds = overdue_kind_names()
        rows = [
            [o.peer, o.contact_date.isoformat(), o.note_id, kinds.get(o.kind, o.kind), str(o.days)]
            for o in overdue
        ]
        _fill(self.overdue_table, rows, {4})
        per_peer = Counter(o.peer for o in overdue)
        self.overdue_chart.set_bars(
            [
                Bar(peer, count, tr("%n note(s)", None, count))
                for peer, count in sorted(per_peer.items(), key=lambda kv: (-kv[1], kv[0]))
            ]
        )
        signature = sum(1 for o in overdue if o.kind == "signature")
        self.overdue_summary.setText(
            tr("{total} overdue: {signature} for signature, {review} for review (today).").format(
                total=len(overdue), signature=signature, review=len(overdue) - signature
            )
            if overdue
            else tr("Nothing is overdue today.")
        )

    def table_texts(self, table: QTableWidget) -> list[list[str]]:
        """The cells of a table, row by row (for tests and screen readers)."""
        return [
            [
                (item.text() if (item := table.item(r, c)) is not None else "")
                for c in range(table.columnCount())
            ]
            for r in range(table.rowCount())
        ]

    # --- exports ----------------------------------------------------------------------

    def _set_export_enabled(self, on: bool) -> None:
        self.csv_button.setEnabled(on)
        self.pdf_button.setEnabled(on)

    def current_report(self) -> tuple[str, Any, str] | None:
        """``(kind, report, title)`` of the current tab, None before the first load."""
        reports = self.reports
        if reports is None:
            return None
        month = month_title(reports.year, reports.month)
        index = self.tabs.currentIndex()
        if index == BILLING:
            return "billing", reports.billing, tr("Billable units, {month}").format(month=month)
        if index == MILEAGE:
            return "mileage", reports.mileage, tr("Mileage, {month}").format(month=month)
        return (
            "overdue",
            reports.overdue,
            tr("Overdue notes, {date}").format(date=reports.made_at.date().isoformat()),
        )

    def suggested_name(self, kind: str, fmt: str) -> str:
        reports = self.reports
        stamp = f"{reports.year:04d}-{reports.month:02d}" if reports else ""
        if kind == "overdue" and reports is not None:
            stamp = reports.made_at.date().isoformat()
        return f"peerdesk-{kind}-{stamp}.{fmt}"

    def export(self, fmt: str, path: Path | str | None = None) -> None:
        """Export the current tab's report: warn, ask for the file (unless
        ``path`` is given), write it whole or not at all, audit it."""
        current = self.current_report()
        if current is None or self.taskman.closed or not self.csv_button.isEnabled():
            return
        kind, report, title = current
        dialog = ExportWarningDialog(
            title, fmt, REDISCLOSURE_NOTICE, self, identifiable=is_identifiable(report)
        )
        self.warning_dialog = dialog
        try:
            confirmed = self._confirm(dialog)
        finally:
            self.warning_dialog = None
            dialog.deleteLater()
        if not confirmed:
            self.export_status.setText(tr("Export cancelled: nothing was written."))
            return
        target = (
            Path(path)
            if path is not None
            else ask_export_path(self, self.suggested_name(kind, fmt), fmt)
        )
        if target is None:
            self.export_status.setText(tr("Export cancelled: nothing was written."))
            return
        self._set_export_enabled(False)
        self.export_status.setText(tr("Writing {path}…").format(path=target))
        if fmt == "pdf":
            lines = [
                tr("Made {when} by {profile} with PeerDesk.").format(
                    when=datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
                    profile=self.session.name,
                )
            ]
            rendered = render_report_pdf(report, title, lines)
            job = self.taskman.db(save_report_pdf, self.session, rendered, target)
        else:
            job = self.taskman.db(_export_csv, self.session, report, target)
        job.success(lambda rows: self._exported(target, rows)).failure(
            lambda exc: self._export_failed(target, exc)
        ).run()

    def _exported(self, target: Path, rows: int) -> None:
        self._set_export_enabled(self.reports is not None)
        self.export_status.setText(
            tr(
                "Written to {path}: %n row(s). The export is recorded in the activity log.",
                None,
                rows,
            ).format(path=target)
        )

    def _export_failed(self, target: Path, exc: BaseException) -> None:
        self._set_export_enabled(self.reports is not None)
        if not isinstance(exc, PeerDeskError):
            raise exc
        self.export_status.setText(tr("Problem: {message}").format(message=message_for(exc)))

    # --- lock -------------------------------------------------------------------------

    def clear(self) -> None:
        """Drop every report (on lock); answers still on their way are ignored."""
        self._latest.drop()
        self.reports = None
        for table in (self.billing_table, self.flags_table, self.mileage_table, self.overdue_table):
            table.setRowCount(0)
        for chart in (self.billing_chart, self.mileage_chart, self.overdue_chart):
            chart.clear()
        for label in (
            self.billing_summary,
            self.mileage_summary,
            self.overdue_summary,
            self.status,
            self.export_status,
            self.problem,
        ):
            label.clear()
        self._set_export_enabled(False)

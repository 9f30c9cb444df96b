"""The three tabs of the Reports screen (:mod:`ui.screens.reports`), each a table
with a painted bar chart beside it (:class:`ui.charts.BarChart`) and a line with
the totals:

- **Billable units**: per peer, notes with a contact in the month, units (after
  the day rules and the daily cap), approved units and flagged notes; below, the
  units per peer split by code and modifier (H0038, H0038-HQ group, H0038-95
  video...), then every flagged note with the reason in words (unsigned, not
  approved yet, over the daily cap...);
- **Mileage**: per peer, trips, miles and the reimbursement at the policy's rate;
- **Overdue notes**: notes overdue for signature or for review, most overdue first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.reports import BillingReport, MileageReport, OverdueNote
from ui.charts import Bar, BarChart
from ui.formats import money, number
from ui.i18n import tr
from ui.screens.note_billing import modifier_words
from ui.widgets import text_label

__all__ = [
    "BILLING",
    "MILEAGE",
    "OVERDUE",
    "ReportTabs",
    "billing_summary",
    "flag_names",
    "overdue_kind_names",
]

BILLING, MILEAGE, OVERDUE = range(3)


def flag_names() -> dict[str, str]:
    """Why a note is flagged in the billing report, in words."""
    return {
        "unsigned": tr("Not signed"),
        "unapproved": tr("Not approved yet"),
        "over_daily_cap": tr("Over the day's limit (fewer units billed)"),
        "overlaps_other_contact": tr("Overlaps another contact"),
        "below_unit_minimum": tr("Too short for one unit"),
        "invalid_times": tr("Start or end time not usable"),
        "unknown_contact_type": tr("Unknown contact type"),
    }


def overdue_kind_names() -> dict[str, str]:
    return {"signature": tr("Signature"), "review": tr("Review")}


def billing_summary(report: BillingReport) -> str:
    """The line under the billing tab: its four counts each go to tr() as n (a
    sentence with several counts has no one n for all of them), so every count
    takes its own plural in each language, and the sentence around them is a
    template translated once."""
    if not report.rows:
        return tr("No notes with a contact in this month.")
    return tr(
        "{code} under “{payer}”: {units} in total, {approved}, from {notes}; {flagged}."
    ).format(
        code=report.code,
        payer=report.payer,
        units=tr("%n unit(s)", None, report.total_units),
        approved=tr("%n of them approved", None, sum(r.approved_units for r in report.rows)),
        notes=tr("%n note(s)", None, sum(r.notes for r in report.rows)),
        flagged=tr("%n note(s) flagged", None, sum(r.flagged for r in report.rows)),
    )


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


class ReportTabs(QTabWidget):
    """Billable units, mileage and overdue notes of one month (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportTabs")
        self.setAccessibleName(tr("Reports"))

        self.billing_summary = text_label(tr("Billable units summary"))
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
        self.codes_table = _table(
            [tr("Peer"), tr("Code and modifiers"), tr("Units"), tr("Approved units")],
            tr("Units per peer by code and modifier"),
        )
        codes_label = QLabel(tr("Units by code and mo&difier:"))
        codes_label.setBuddy(self.codes_table)
        self.addTab(
            self._tab(
                self.billing_summary,
                self.billing_table,
                self.billing_chart,
                extra=(codes_label, self.codes_table, flags_label, self.flags_table),
            ),
            tr("&Billable units"),
        )

        self.mileage_summary = text_label(tr("Mileage summary"))
        self.mileage_table = _table(
            [tr("Peer"), tr("Trips"), tr("Miles"), tr("Amount")], tr("Mileage per peer")
        )
        self.mileage_chart = BarChart(tr("Miles per peer"))
        self.addTab(
            self._tab(self.mileage_summary, self.mileage_table, self.mileage_chart),
            tr("M&ileage"),
        )

        self.overdue_summary = text_label(tr("Overdue notes summary"))
        self.overdue_table = _table(
            [tr("Peer"), tr("Contact date"), tr("Note"), tr("Overdue for"), tr("Days overdue")],
            tr("Notes overdue for signature or review"),
        )
        self.overdue_chart = BarChart(tr("Overdue notes per peer"))
        self.addTab(
            self._tab(self.overdue_summary, self.overdue_table, self.overdue_chart),
            tr("&Overdue notes"),
        )

    @staticmethod
    def _tab(
        summary: QLabel,
        table: QTableWidget,
        chart: BarChart,
        *,
        extra: tuple[QLabel | QTableWidget, ...] = (),
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
        for widget in extra:
            column.addWidget(widget, 2 if isinstance(widget, QTableWidget) else 0)
        return page

    def show_reports(
        self, billing: BillingReport, mileage: MileageReport, overdue: Sequence[OverdueNote]
    ) -> None:
        self._show_billing(billing)
        self._show_mileage(mileage)
        self._show_overdue(overdue)

    @staticmethod
    def _procedure_words(procedure: str) -> str:
        """``H0038-HQ`` -> ``H0038-HQ (group)``."""
        words = modifier_words()
        meant = [words[m] for m in procedure.split("-")[1:] if m in words]
        return f"{procedure} ({', '.join(meant)})" if meant else procedure

    def _show_billing(self, report: BillingReport) -> None:
        rows = [
            [r.peer, str(r.notes), str(r.units), str(r.approved_units), str(r.flagged)]
            for r in report.rows
        ]
        _fill(self.billing_table, rows, {1, 2, 3, 4})
        _fill(
            self.codes_table,
            [
                [c.peer, self._procedure_words(c.procedure), str(c.units), str(c.approved_units)]
                for c in report.codes
            ],
            {2, 3},
        )
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
        self.billing_summary.setText(billing_summary(report))

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
            text = tr(
                "{miles} miles in %n trip(s), {amount} at {rate} per mile.",
                None,
                sum(r.trips for r in report.rows),
            ).format(
                miles=number(report.total_miles),
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

    @staticmethod
    def table_texts(table: QTableWidget) -> list[list[str]]:
        """The cells of a table, row by row (for tests and screen readers)."""
        return [
            [
                (item.text() if (item := table.item(r, c)) is not None else "")
                for c in range(table.columnCount())
            ]
            for r in range(table.rowCount())
        ]

    def clear(self) -> None:
        for table in (
            self.billing_table,
            self.codes_table,
            self.flags_table,
            self.mileage_table,
            self.overdue_table,
        ):
            table.setRowCount(0)
        for chart in (self.billing_chart, self.mileage_chart, self.overdue_chart):
            chart.clear()
        for label in (self.billing_summary, self.mileage_summary, self.overdue_summary):
            label.clear()

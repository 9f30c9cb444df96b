"""The Reports screen: a month of billable units, mileage, and overdue notes.

Top: the month (Alt+M), the payer profile (Alt+Y; the rules that turn minutes
into H0038 units) and Refresh (F5). Below, three tabs (billable units, mileage,
overdue notes: :class:`ui.screens.report_tabs.ReportTabs`).

Everything comes from the decrypted data on this machine (``session.reports.billing_report``,
``mileage_report``, ``overdue_report``), read in one DB job the first time the
screen is shown and again when the data it counts changed. **Export CSV…**
(Ctrl+E) and **Export PDF…** (Ctrl+P) write the report of the current tab: a
warning first (:class:`ui.dialogs.export.ExportWarningDialog`: plaintext on disk,
the 42 CFR Part 2 notice in the file, the export is audited), then the file
dialog. The CSV is written by the core (``session.reports.export_report``), the PDF by
:mod:`ui.pdf`; both whole or not at all. **Claims…** (Ctrl+Shift+E) writes the month's
claim lines for a clearinghouse under the chosen payer: the same warning, then
the billing provider file and where to write the CSV; the ASC X12 837P file goes
beside it (same name, ``.837``; one already there is replaced only when the user
says so); services held back are counted with the reason
(``session.reports.write_claims``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.billing import PayerProfile
from peerdesk.domain.claims import ClaimBatch
from peerdesk.domain.exports import REDISCLOSURE_NOTICE, is_identifiable
from peerdesk.domain.reports import BillingReport, MileageReport, OverdueNote
from peerdesk.errors import PeerDeskError
from peerdesk.services import Session
from ui.dialogs.export import ExportWarningDialog, ask_export_path, ask_provider_file
from ui.errors import message_for
from ui.formats import month_name
from ui.i18n import tr
from ui.operations import Follower, change
from ui.pdf import render_report_pdf, save_report_pdf
from ui.screens.program_report import ProgramReportPanel
from ui.screens.report_tabs import BILLING, MILEAGE, ReportTabs
from ui.taskman import Latest, TaskManager
from ui.widgets import make_error_label, text_label

__all__ = ["ReportSet", "ReportsScreen", "claims_written", "load_reports"]


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


def claims_written(csv_path: Path, x12_path: Path, *, lines: int, units: int) -> str:
    """What the claim export says it wrote: the line count and the unit count each
    go to tr() as n, so each takes its own plural (in Spanish "1 línea de
    reclamación, 4 unidades")."""
    return tr("Written to {csv} and {x12}: {lines}, {units}.").format(
        csv=csv_path,
        x12=x12_path.name,
        lines=tr("%n claim line(s)", None, lines),
        units=tr("%n unit(s)", None, units),
    )


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
        confirm_overwrite: Callable[[Path], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self.payers = payers
        self._latest = Latest()
        self.reports: ReportSet | None = None
        #: the warning dialog while it is open (tests answer it)
        self.warning_dialog: ExportWarningDialog | None = None
        self._confirm = confirm_export or (
            lambda dialog: dialog.exec() == QDialog.DialogCode.Accepted
        )
        #: asked before the 837P beside the claims CSV replaces a file (tests answer)
        self.confirm_overwrite = confirm_overwrite or self._ask_overwrite
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

        self.status = text_label(tr("Reports status"))
        self.problem = make_error_label()
        self.problem.setAccessibleName(tr("Reports problem"))
        self.problem.hide()
        self.tabs = ReportTabs()
        #: the de-identified program report (issue 20), a tab of its own with its export
        self.program = ProgramReportPanel(session, taskman)
        self.program_index = self.tabs.addTab(self.program, tr("&Program"))

        # --- exports
        self.csv_button = QPushButton(tr("Export &CSV…"))
        self.csv_button.setObjectName("exportCsv")
        self.csv_button.setAccessibleName(tr("Export the shown report as CSV"))
        self.csv_button.setToolTip(tr("Write the report of this tab to a CSV file (Ctrl+E)"))
        self.pdf_button = QPushButton(tr("Export &PDF…"))
        self.pdf_button.setObjectName("exportPdf")
        self.pdf_button.setAccessibleName(tr("Export the shown report as PDF"))
        self.pdf_button.setToolTip(tr("Write the report of this tab to a PDF file (Ctrl+P)"))
        self.claims_button = QPushButton(tr("C&laims…"))
        self.claims_button.setObjectName("exportClaims")
        self.claims_button.setAccessibleName(
            tr("Write the month's claim lines and 837P file for a clearinghouse")
        )
        self.claims_button.setToolTip(
            tr("Write the month's claim lines (CSV) and ASC X12 837P file (Ctrl+Shift+E)")
        )
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.claims_button.clicked.connect(lambda: self.export_claims())
        self.export_status = text_label(tr("Export result"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_status, 1)
        bottom.addWidget(self.csv_button)
        bottom.addWidget(self.pdf_button)
        bottom.addWidget(self.claims_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.problem)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        self.setTabOrder(self.month_edit, self.payer_combo)
        self.setTabOrder(self.payer_combo, self.refresh_button)
        self.setTabOrder(self.refresh_button, self.tabs)
        self.setTabOrder(self.tabs, self.tabs.billing_table)
        self.setTabOrder(self.tabs.billing_table, self.tabs.flags_table)
        self.setTabOrder(self.tabs.flags_table, self.csv_button)
        self.setTabOrder(self.csv_button, self.pdf_button)
        self.setTabOrder(self.pdf_button, self.claims_button)

        self.month_edit.dateChanged.connect(lambda _d: self.refresh())
        self.payer_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        for keys, slot in (
            (QKeySequence(QKeySequence.StandardKey.Refresh), self.refresh),
            (QKeySequence("Ctrl+E"), lambda: self.export("csv")),
            (QKeySequence("Ctrl+P"), lambda: self.export("pdf")),
            (QKeySequence("Ctrl+Shift+E"), lambda: self.export_claims()),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._set_export_enabled(False)
        # made the first time the screen is shown, again when the data changed
        kinds = {"participants", "notes", "trips", "review"}
        Follower(self, taskman, kinds, self.refresh, on_first_show=True)

    # --- loading ----------------------------------------------------------------------

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
        year, month = self.shown_month()
        self.status.setText(
            tr("Making the reports for {month}…").format(month=month_name(year, month))
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
        self.tabs.show_reports(reports.billing, reports.mileage, reports.overdue)
        self.status.setText(
            tr(
                "Reports for {month}, made {when} from the notes and trips on this computer."
            ).format(
                month=month_name(reports.year, reports.month),
                when=reports.made_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            )
        )
        self._set_export_enabled(True)

    # --- exports ----------------------------------------------------------------------

    def _set_export_enabled(self, on: bool) -> None:
        self.csv_button.setEnabled(on)
        self.pdf_button.setEnabled(on)
        self.claims_button.setEnabled(on)

    def current_report(self) -> tuple[str, Any, str] | None:
        """``(kind, report, title)`` of the current tab, None before the first load."""
        reports = self.reports
        if reports is None:
            return None
        month = month_name(reports.year, reports.month)
        index = self.tabs.currentIndex()
        if index == self.program_index:
            return None  # the program report has its own export
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

    def _warn_and_confirm(self, title: str, fmt: str, *, identifiable: bool) -> bool:
        """Show the 42 CFR Part 2 warning before an export; True when confirmed.
        The open dialog is ``warning_dialog`` while it waits (tests answer it)."""
        dialog = ExportWarningDialog(
            title, fmt, REDISCLOSURE_NOTICE, self, identifiable=identifiable
        )
        self.warning_dialog = dialog
        try:
            return bool(self._confirm(dialog))
        finally:
            self.warning_dialog = None
            dialog.deleteLater()

    def export(self, fmt: str, path: Path | str | None = None) -> None:
        """Export the current tab's report: warn, ask for the file (unless
        ``path`` is given), write it whole or not at all, audit it."""
        current = self.current_report()
        if current is None or self.taskman.closed or not self.csv_button.isEnabled():
            return
        kind, report, title = current
        confirmed = self._warn_and_confirm(title, fmt, identifiable=is_identifiable(report))
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
            job = change(self.taskman, save_report_pdf, self.session, rendered, target)
        else:
            job = change(self.taskman, self.session.reports.export_report, report, target, "csv")
        job.origin(self).success(lambda written: self._exported(target, written.value)).failure(
            lambda exc: self._export_failed(target, exc)
        ).run()

    def export_claims(
        self, provider: Path | str | None = None, target: Path | str | None = None
    ) -> None:
        """Write the shown month's claims (see the module docstring): warn, ask for
        the billing provider file and the CSV's name (unless given), then one DB job."""
        reports = self.reports
        if reports is None or self.taskman.closed or not self.claims_button.isEnabled():
            return
        title = tr("Claims, {month}").format(month=month_name(reports.year, reports.month))
        confirmed = self._warn_and_confirm(title, "csv", identifiable=True)
        billing = Path(provider) if provider is not None else None
        if confirmed and billing is None:
            billing = ask_provider_file(self)
        csv_path = Path(target) if target is not None else None
        if confirmed and billing is not None and csv_path is None:
            csv_path = ask_export_path(self, self.suggested_name("claims", "csv"), "csv")
        if not confirmed or billing is None or csv_path is None:
            self.export_status.setText(tr("Export cancelled: nothing was written."))
            return
        x12_path = csv_path.with_suffix(".837")
        if x12_path.exists() and not self.confirm_overwrite(x12_path):
            self.export_status.setText(
                tr("Export cancelled: {name} is already there and was kept.").format(
                    name=x12_path.name
                )
            )
            return
        self._set_export_enabled(False)
        self.export_status.setText(tr("Writing {path}…").format(path=csv_path))
        change(
            self.taskman,
            self.session.reports.write_claims,
            reports.year,
            reports.month,
            billing,
            reports.payer_key,
            csv_path,
            x12_path,
        ).origin(self).success(
            lambda written: self._claims_written(csv_path, x12_path, written.value)
        ).failure(lambda exc: self._export_failed(csv_path, exc)).run()

    def _ask_overwrite(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self,
            tr("Replace the claim file?"),
            tr("{name} is already there. Replace it with this month's 837P file?").format(
                name=path.name
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _claims_written(self, csv_path: Path, x12_path: Path, batch: ClaimBatch) -> None:
        self._set_export_enabled(self.reports is not None)
        text = claims_written(csv_path, x12_path, lines=len(batch.lines), units=batch.units)
        if batch.held:
            text += " " + tr(
                "%n service(s) held back (something a claim needs is missing or wrong, "
                "a contact overlaps another, or the day is not fully approved); the CLI "
                "lists them.",
                None,
                len(batch.held),
            )
        self.export_status.setText(text)

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

    # --- lock -------------------------------------------------------------------------

    def clear(self) -> None:
        """Drop every report (on lock); answers still on their way are ignored."""
        self._latest.drop()
        self.reports = None
        self.tabs.clear()
        self.program.clear()
        for label in (self.status, self.export_status, self.problem):
            label.clear()
        self._set_export_enabled(False)

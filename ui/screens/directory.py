"""The directory screen (titled "Resources", what peers call it): the community
resource directory, searchable offline.

- Crisis lines (988, the local crisis lines ...) are always pinned at the top in
  their own labelled group, whatever is typed or filtered.
- Search as you type (:class:`ui.models.directory.DirectorySearch`: debounced,
  on the DB thread, stale answers dropped); a word typed with a typo still finds
  the service, and the screen says which word was searched instead.
- Filters: category, county, language, open now, and within N miles of a town.
- Each result shows its name, organisation and phone numbers, and says in words
  when the entry may be outdated (never checked, or not checked for more than
  ``Policy.directory_stale_days``).
- The detail pane shows the whole entry; "Suggest a correction…" sends a fix to
  the agency and "Refer participant…" records a referral (both through
  :mod:`ui.dialogs.refer`).

The first time the screen opens, the seed directory is imported on the DB thread
if the profile has none (``session.directory.seed_if_empty``). The directory
is public; :meth:`DirectoryScreen.clear` closes a dialog and drops the last
message, which may name a participant.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.directory import (
    DAY_CODES,
    SearchFilters,
    SearchResults,
    ServiceDetail,
    ServiceSummary,
    service_phones,
    service_schedules,
)
from peerdesk.domain.referrals import Correction, Referral
from peerdesk.errors import PeerDeskError
from peerdesk.services import Session
from ui.dialogs.refer import CorrectionDialog, ReferParticipantDialog
from ui.errors import message_for
from ui.formats import short_date
from ui.i18n import tr
from ui.models.directory import (
    DEBOUNCE_MS,
    ID_ROLE,
    DirectoryInfo,
    DirectorySearch,
    focus_results,
    freshness,
    get_service,
    load_directory_info,
    result_item,
    search_field,
)
from ui.operations import Follower, change
from ui.screens.directory_export import DirectoryExport
from ui.taskman import Latest, TaskManager
from ui.widgets import list_texts, list_widget, side_by_side

__all__ = ["DirectoryScreen", "detail_text"]

DEFAULT_MILES = 25

#: a dialog about one service
D = TypeVar("D", CorrectionDialog, ReferParticipantDialog)


def _hours(byday: str, opens: str, closes: str) -> str:
    """ "MO,TU" "09:00" "17:00" as "Mon, Tue 09:00–17:00" (day names in the UI language)."""
    locale = QLocale()
    days = [
        locale.dayName(DAY_CODES.index(code) + 1, QLocale.FormatType.ShortFormat)
        if code in DAY_CODES
        else code
        for code in (c.strip() for c in byday.split(","))
        if code
    ]
    times = f"{opens[:5]}–{closes[:5]}" if opens and closes else ""
    return " ".join(x for x in (", ".join(days), times) if x)


def detail_text(detail: ServiceDetail, today: date, stale_days: int) -> str:
    """The whole entry as plain text (shown, selectable and read out)."""
    s = detail.service
    lines = [s.name]
    if detail.organization is not None and detail.organization.name != s.name:
        lines.append(detail.organization.name)
    stale = freshness(s.assured_date, today, stale_days)
    if stale:
        lines.append(stale)
    elif s.assured_date is not None:
        lines.append(tr("Last checked {date}").format(date=short_date(s.assured_date)))
    if s.status == "temporarily closed":
        lines.append(tr("Temporarily closed"))
    if s.alert:
        lines.append(tr("Alert: {text}").format(text=s.alert))
    lines.append("")
    if s.description:
        lines += [s.description, ""]
    for phone in service_phones(s, detail.locations, detail.organization):
        extra = f" ({phone.description})" if phone.description else ""
        lines.append(tr("Phone: {number}").format(number=phone.number) + extra)
    for label, value in (
        (
            tr("Website: {value}"),
            s.url or (detail.organization.website if detail.organization else ""),
        ),
        (tr("Email: {value}"), s.email),
    ):
        if value:
            lines.append(label.format(value=value))
    for loc in detail.locations:
        for a in loc.addresses:
            street = ", ".join(x for x in (a.address_1, a.address_2, a.city, a.state_province) if x)
            lines.append(tr("Address: {address}").format(address=street))
        if loc.transportation:
            lines.append(tr("Getting there: {text}").format(text=loc.transportation))
    hours = [
        x.description or _hours(x.byday, x.opens_at, x.closes_at)
        for x in service_schedules(s, detail.locations)
    ]
    if any(hours):
        lines.append(tr("Hours: {hours}").format(hours="; ".join(h for h in hours if h)))
    languages = [lang.name or lang.code for lang in s.languages]
    if languages:
        lines.append(tr("Languages: {languages}").format(languages=", ".join(languages)))
    for label, value in (
        (tr("Who can use it: {value}"), s.eligibility_description),
        (tr("How to apply: {value}"), s.application_process),
        (tr("Cost: {value}"), s.fees_description),
        (tr("Interpreters: {value}"), s.interpretation_services),
    ):
        if value:
            lines.append(label.format(value=value))
    if detail.categories:
        lines.append(
            tr("Categories: {names}").format(names=", ".join(t.name for t in detail.categories))
        )
    areas = [a.name for a in s.service_areas if a.name]
    if areas:
        lines.append(tr("Serves: {areas}").format(areas=", ".join(areas)))
    return "\n".join(lines).strip()


class DirectoryScreen(QWidget):
    """Search the directory, see an entry, suggest a correction, refer someone,
    export the directory as HSDS 3."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] = datetime.now,
        debounce_ms: int = DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self._today = today
        self._now = now
        self.info: DirectoryInfo | None = None
        self.results: SearchResults | None = None
        self.current: ServiceDetail | None = None
        self.dialog: QDialog | None = None
        self._loading_info = False
        self._detail_latest = Latest()
        self._filling = False
        self.setObjectName("directoryScreen")
        self.setAccessibleName(tr("Resources"))

        self.search = DirectorySearch(session, taskman, self, debounce_ms=debounce_ms)
        self.search.answered.connect(self._show_results)
        self.search.failed.connect(self._show_problem)

        side_by_side(self, self._build_left(), self._build_right(), (3, 2))

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(
            lambda: self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        )
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh.activated.connect(self.refresh)
        # a signed directory update came with a sync
        Follower(self, taskman, {"directory"}, self.refresh)

    # --- building ---------------------------------------------------------------------

    def _build_left(self) -> QWidget:
        pane = QWidget()
        self.search_edit, search_label = search_field()
        self.search_edit.textChanged.connect(self.search.set_query)
        self.search_edit.returnPressed.connect(self._to_results)

        filters = QGroupBox(tr("Filters"))
        grid = QGridLayout(filters)
        self.category = self._combo(tr("Category"))
        self.county = self._combo(tr("County"))
        self.language = self._combo(tr("Language"))
        self.open_now = QCheckBox(tr("&Open now"))
        self.open_now.setAccessibleName(tr("Open now"))
        self.town = self._combo(tr("Near town"))
        self.miles = QSpinBox()
        self.miles.setRange(1, 300)
        self.miles.setValue(DEFAULT_MILES)
        self.miles.setSuffix(tr(" miles"))
        self.miles.setAccessibleName(tr("Within this many miles"))
        self.miles.setEnabled(False)
        for row, (text, widget) in enumerate(
            (
                (tr("Cate&gory:"), self.category),
                (tr("Co&unty:"), self.county),
                (tr("&Language:"), self.language),
            )
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, row, 0)
            grid.addWidget(widget, row, 1, 1, 3)
        near_label = QLabel(tr("&Within:"))
        near_label.setBuddy(self.miles)
        of_label = QLabel(tr("o&f:"))
        of_label.setBuddy(self.town)
        grid.addWidget(near_label, 3, 0)
        grid.addWidget(self.miles, 3, 1)
        grid.addWidget(of_label, 3, 2)
        grid.addWidget(self.town, 3, 3)
        grid.addWidget(self.open_now, 4, 0, 1, 4)
        grid.setColumnStretch(3, 1)
        for combo in (self.category, self.county, self.language, self.town):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.open_now.toggled.connect(self._filters_changed)
        self.miles.valueChanged.connect(self._filters_changed)

        self.crisis_box = QGroupBox(tr("Crisis lines — always here, whatever you search"))
        self.crisis_list = list_widget(tr("Crisis lines"))
        self.crisis_list.setMaximumHeight(150)
        crisis_label = QLabel(tr("C&risis lines:"))
        crisis_label.setBuddy(self.crisis_list)
        crisis = QVBoxLayout(self.crisis_box)
        crisis.addWidget(crisis_label)
        crisis.addWidget(self.crisis_list)

        self.results_list = list_widget(tr("Search results"))
        results_label = QLabel(tr("Res&ults:"))
        results_label.setBuddy(self.results_list)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Search status"))

        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        search_row = QHBoxLayout()
        search_row.addWidget(search_label)
        search_row.addWidget(self.search_edit, 1)
        layout.addLayout(search_row)
        layout.addWidget(filters)
        layout.addWidget(self.crisis_box)
        layout.addWidget(results_label)
        layout.addWidget(self.results_list, 1)
        layout.addWidget(self.status)
        for view in (self.crisis_list, self.results_list):
            view.currentItemChanged.connect(self._current_changed)
            view.itemActivated.connect(lambda _item: self.detail.setFocus())
        return pane

    def _build_right(self) -> QWidget:
        box = QGroupBox(tr("Service"))
        self.detail = QTextBrowser()
        self.detail.setAccessibleName(tr("Service details"))
        self.detail.setOpenLinks(False)
        self.detail.setPlaceholderText(tr("Choose a service in the list to see all about it."))
        detail_label = QLabel(tr("&Details:"))
        detail_label.setBuddy(self.detail)
        self.correct_button = QPushButton(tr("Suggest a &correction…"))
        self.correct_button.setAccessibleName(tr("Suggest a correction to this entry"))
        self.refer_button = QPushButton(tr("&Refer participant…"))
        self.refer_button.setAccessibleName(tr("Refer a participant to this service"))
        for button in (self.correct_button, self.refer_button):
            button.setEnabled(False)
        self.correct_button.clicked.connect(self.suggest_correction)
        self.refer_button.clicked.connect(self.refer_participant)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(tr("Last action"))
        self.exporting = DirectoryExport(self.session, self.taskman, self, self.message)
        buttons = QHBoxLayout()
        buttons.addWidget(self.correct_button)
        buttons.addWidget(self.refer_button)
        buttons.addStretch(1)
        buttons.addWidget(self.exporting.button)
        layout = QVBoxLayout(box)
        layout.addWidget(detail_label)
        layout.addWidget(self.detail, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        return box

    @staticmethod
    def _combo(name: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setMinimumContentsLength(14)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        return combo

    # --- loading ----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous() and self.info is None:
            self.refresh()

    def refresh(self) -> None:
        """Read the filters' choices and the crisis lines (importing the seed
        directory the first time), then search again."""
        if self.taskman.closed or self._loading_info:
            return
        self._loading_info = True

        def failed(exc: BaseException) -> None:
            self._loading_info = False
            if not isinstance(exc, PeerDeskError):
                raise exc
            self._show_problem(message_for(exc))

        change(self.taskman, load_directory_info, self.session).origin(self).success(
            lambda loaded: self._show_info(loaded.value)
        ).failure(failed).run()

    def _show_info(self, info: DirectoryInfo) -> None:
        self._loading_info = False
        self.info = info
        self._filling = True
        try:
            self._fill(
                self.category, tr("All categories"), [(t.name, t.id) for t in info.categories]
            )
            self._fill(self.county, tr("Any county"), [(a, a) for a in info.areas])
            self._fill(self.language, tr("Any language"), [(x, x) for x in info.languages])
            self._fill(self.town, tr("(choose a town)"), [(t.name, t.id) for t in info.towns])
        finally:
            self._filling = False
        self.crisis_list.clear()
        for hit in info.crisis:
            self._add(self.crisis_list, hit)
        self.search.filters = self.filters()
        self.search.search_now()

    @staticmethod
    def _fill(combo: QComboBox, anything: str, entries: list[tuple[str, str]]) -> None:
        kept = combo.currentData()
        combo.clear()
        combo.addItem(anything, None)
        for text, data in entries:
            combo.addItem(text, data)
        index = combo.findData(kept) if kept is not None else 0
        combo.setCurrentIndex(max(index, 0))

    # --- searching --------------------------------------------------------------------

    def filters(self) -> SearchFilters:
        category = self.category.currentData()
        town = self.town.currentData()
        return SearchFilters(
            categories=(category,) if category else (),
            county=self.county.currentData(),
            language=self.language.currentData(),
            open_at=self._now() if self.open_now.isChecked() else None,
            town=town,
            within_miles=float(self.miles.value()) if town else None,
        )

    def _filters_changed(self, *_args: object) -> None:
        self.miles.setEnabled(self.town.currentData() is not None)
        if self._filling or self.info is None:
            return
        self.search.set_filters(self.filters())

    def _to_results(self) -> None:
        if self.search.timer.isActive():
            self.search.search_now()
        focus_results(self.results_list)

    def _show_results(self, results: SearchResults) -> None:
        self.results = results
        keep = self.current.service.id if self.current else None
        self.results_list.blockSignals(True)
        try:
            self.results_list.clear()
            for hit in results.hits:
                item = self._add(self.results_list, hit)
                if hit.id == keep:
                    self.results_list.setCurrentItem(item)
        finally:
            self.results_list.blockSignals(False)
        self.status.setText(self._status_text(results))

    def _status_text(self, results: SearchResults) -> str:
        if not results.hits:
            return tr("No services match. Try fewer or shorter words, or clear a filter.")
        parts = []
        if results.more:
            parts.append(
                tr(
                    "The first %n services found; type more words to narrow them.",
                    None,
                    len(results.hits),
                )
            )
        else:
            parts.append(tr("%n service(s) found.", None, len(results.hits)))
        for typed, instead in results.corrections:
            parts.append(
                tr("Nothing matched “{typed}”, so “{instead}” was searched instead.").format(
                    typed=typed, instead=", ".join(instead)
                )
            )
        return " ".join(parts)

    def _add(self, widget: QListWidget, hit: ServiceSummary) -> QListWidgetItem:
        item = result_item(hit, self._today(), self.session.policy.directory_stale_days)
        widget.addItem(item)
        return item

    def _show_problem(self, message: str) -> None:
        self.status.setText(tr("Problem: {message}").format(message=message))

    # --- detail -----------------------------------------------------------------------

    def _current_changed(self, item: QListWidgetItem | None, _old: object) -> None:
        if item is None:
            return
        other = self.results_list if item.listWidget() is self.crisis_list else self.crisis_list
        other.blockSignals(True)
        other.setCurrentRow(-1)  # no current item (what setCurrentItem(None) does)
        other.clearSelection()
        other.blockSignals(False)
        self.open_service(item.data(ID_ROLE))

    def open_service(self, service_id: str) -> None:
        """Show one entry in the detail pane (read on the DB thread)."""
        only = self._detail_latest.begin()

        @only
        def show(detail: ServiceDetail) -> None:
            self._show_detail(detail)

        @only
        def failed(exc: BaseException) -> None:
            if not isinstance(exc, PeerDeskError):
                raise exc
            self.detail.setPlainText(message_for(exc))

        self.taskman.db(get_service, self.session, service_id).success(show).failure(failed).run()

    def _show_detail(self, detail: ServiceDetail) -> None:
        self.current = detail
        self.detail.setPlainText(
            detail_text(detail, self._today(), self.session.policy.directory_stale_days)
        )
        self.correct_button.setEnabled(True)
        self.refer_button.setEnabled(True)

    # --- actions ----------------------------------------------------------------------

    def _open_dialog(self, dialog: QDialog) -> QDialog:
        if self.dialog is not None:
            self.dialog.reject()
        self.dialog = dialog
        dialog.finished.connect(lambda _result, d=dialog: self._dialog_closed(d))
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _service_dialog(self, kind: type[D]) -> D | None:
        """Open a dialog about the service shown (None when none is)."""
        if self.current is None:
            return None
        s = self.current.service
        dialog = kind(self.session, self.taskman, s.id, s.name, self)
        self._open_dialog(dialog)
        return dialog

    def suggest_correction(self) -> CorrectionDialog | None:
        dialog = self._service_dialog(CorrectionDialog)
        if dialog is not None:
            dialog.suggested.connect(self._suggested)
        return dialog

    def _suggested(self, _correction: Correction) -> None:
        self.message.setText(
            tr("Thank you: your suggestion goes to the agency with the next sync.")
        )

    def refer_participant(self) -> ReferParticipantDialog | None:
        dialog = self._service_dialog(ReferParticipantDialog)
        if dialog is not None:
            dialog.referred.connect(self._referred)
        return dialog

    def _referred(self, referral: Referral) -> None:
        self.message.setText(
            tr("Referral to {service} recorded. Follow it up on the participant's page.").format(
                service=referral.service_name
            )
        )

    # --- tests and screen readers ------------------------------------------------------

    #: the lines of one of the lists
    texts = staticmethod(list_texts)

    @property
    def busy(self) -> bool:
        """A search or a read is still under way."""
        return self.search.pending or self._loading_info or self.taskman.busy

    # --- lock -------------------------------------------------------------------------

    def clear(self) -> None:
        """Close an open dialog (it may show participants' names) and drop the last
        message; results still on their way are ignored."""
        self.search.stop()
        self._detail_latest.drop()
        if self.dialog is not None:
            self.dialog.reject()
        self.message.clear()

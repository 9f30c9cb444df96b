"""The note editor's live billing figure: what the note comes to under the payer's
rules among the participant's other notes of that day, in plain words
("Billable: 3 units of peer support, group (45 minutes)"); the billing code
(H0038-HQ) is in the tooltip (:func:`codes_of`), not in the sentence (issue 21).

The figure is :func:`peerdesk.domain.day_rules.preview`, the engine the reports,
the CLI and the claim files use. The day's other notes are read on the DB thread
(``session.reports.day_context``) when the participant or the date changes; until
they arrive the note is shown on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from peerdesk.domain.billing import FLAG_OVER_DAILY_CAP, PayerProfile, units_for_total
from peerdesk.domain.day_rules import DayContext, NoteUnits, ServiceFact, preview
from peerdesk.domain.models import ContactType, LocationType
from peerdesk.domain.times import local_tz
from peerdesk.services import Session
from ui import labels
from ui.i18n import tr
from ui.taskman import TaskManager

__all__ = ["DayFigure", "codes_of", "describe", "modifier_words", "procedure_words"]


def procedure_words() -> dict[str, str]:
    """What a procedure code means, in plain words (the code goes in a tooltip)."""
    return {"H0038": tr("peer support")}


def codes_of(billed: NoteUnits) -> str:
    """The tooltip of the figure: the billing code with its modifiers."""
    return tr("Billing code: {code}").format(code=billed.procedure)


def modifier_words() -> dict[str, str]:
    """What a modifier means, in the words a peer uses."""
    return {
        "HQ": tr("group"),
        "95": tr("video"),
        "GT": tr("video"),
        "93": tr("phone"),
    }


def describe(billed: NoteUnits, profile: PayerProfile) -> str:
    """The figure of one note in words."""
    words = [modifier_words().get(m, m) for m in billed.modifiers]
    if not words:
        try:
            words = [labels.contact_names()[ContactType(billed.contact_type)].lower()]
        except (KeyError, ValueError):
            words = []
    # the procedure carries its modifiers ("H0038-HQ"): the words are the base code's
    service = procedure_words().get(billed.procedure.split("-")[0], billed.procedure)
    what = service + (", " + ", ".join(words) if words else "")
    if billed.units == 1:
        text = tr("Billable: 1 unit of {what} ({minutes} minutes)")
    else:
        text = tr("Billable: {units} units of {what} ({minutes} minutes)")
    text = text.format(units=billed.units, what=what, minutes=billed.minutes)
    if FLAG_OVER_DAILY_CAP in billed.flags:
        text += " " + tr(
            "Fewer units are billed: this person's day already reached the payer's limit "
            "of {cap} units."
        ).format(cap=profile.daily_cap_units)
    elif billed.units_before_cap != units_for_total(billed.minutes, profile):
        text += " " + tr("The day's minutes of this service are counted together.")
    return text


def overnight(start_at: datetime, end_at: datetime) -> str:
    """The words added when a contact goes past midnight (' Ends the next day,
    2026-12-08.'), else nothing."""
    end = end_at.astimezone()
    if end.date() == start_at.astimezone().date():
        return ""
    return " " + tr("Ends the next day, {date}.").format(date=end.date().isoformat())


class DayFigure:
    """The day's other notes of the participant, loaded when needed."""

    def __init__(self, session: Session, taskman: TaskManager, then: Callable[[], None]) -> None:
        self.session = session
        self.taskman = taskman
        self.then = then
        self.context: DayContext | None = None
        self._key: tuple[str, date] | None = None

    def forget(self) -> None:
        """The notes changed: read the day again when next needed."""
        self._key = None
        self.context = None

    def _want(self, participant_id: str, day: date) -> DayContext | None:
        key = (participant_id, day)
        if key != self._key:
            self._key = key
            self.context = None

            def arrived(context: DayContext) -> None:
                self._arrived(key, context)

            self.taskman.db(self.session.reports.day_context, participant_id, day).success(
                arrived
            ).failure(self._unread).run()
        return self.context

    def _unread(self, _exc: BaseException) -> None:
        """The day could not be read (a locked or damaged profile): the note is
        shown on its own, and the day is tried again on the next change."""
        self._key = None

    def _arrived(self, key: tuple[str, date], context: DayContext) -> None:
        if key == self._key:
            self.context = context
            self.then()

    def figure(
        self,
        profile: PayerProfile,
        *,
        note_id: str,
        state: str,
        participant_id: str | None,
        contact: ContactType,
        location: LocationType | str,
        start_at: datetime,
        end_at: datetime,
    ) -> NoteUnits:
        """What the note comes to among its day (on its own until the day is read)."""
        zone = local_tz()
        context = None
        if participant_id is not None:
            context = self._want(participant_id, start_at.astimezone(zone).date())
        fact = ServiceFact(
            note_id=note_id,
            participant_id=participant_id or "",
            contact_type=contact,
            start_at=start_at,
            end_at=end_at,
            location_type=location,
            state=state,
            peer=context.peer if context else "",
            device_id=context.device_id if context else "",
            medicaid_id=context.medicaid_id if context else None,
        )
        return preview(fact, context.facts if context else [], profile, zone)

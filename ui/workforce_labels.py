"""Words and colours of the workforce record (issue 23): a status always says
itself in words, and its colour only repeats them (a tinted cell with dark text,
readable in a light or dark palette)."""

from __future__ import annotations

import enum
from datetime import date

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTableWidgetItem

from peerdesk.domain.workforce import Expiry, ExpiryReminder, Period, Progress, SessionFormat
from ui.formats import number, short_date
from ui.i18n import tr


class Level(enum.Enum):
    GOOD = "good"
    SOON = "soon"
    LATE = "late"
    UNKNOWN = "unknown"


#: cell tints (with black text); the words carry the meaning
TINTS = {
    Level.GOOD: QColor("#d5f0da"),
    Level.SOON: QColor("#ffe9a8"),
    Level.LATE: QColor("#f7c6cb"),
    Level.UNKNOWN: QColor("#e4e4e4"),
}


def format_names() -> dict[SessionFormat, str]:
    return {SessionFormat.INDIVIDUAL: tr("Individual"), SessionFormat.GROUP: tr("Group")}


def hours(value: object) -> str:
    return number(value)  # type: ignore[arg-type]


def progress_text(p: Progress) -> tuple[str, Level]:
    """Like "1.75 of 2 h — short 0.25 h" (and its level)."""
    done = tr("{done} of {required} h").format(done=hours(p.done), required=hours(p.required))
    if p.met:
        return tr("{done} — on track").format(done=done), Level.GOOD
    return tr("{done} — short {short} h").format(done=done, short=hours(p.short_by)), Level.SOON


def period_text(p: Progress) -> str:
    return tr("{start} to {end}").format(
        start=short_date(p.period.start), end=short_date(p.period.end)
    )


def expiry_text(r: ExpiryReminder) -> tuple[str, Level]:
    """The certification's reminder in words (and its level)."""
    if r.state is Expiry.NONE or r.expires_on is None or r.days is None:
        return tr("No certification recorded"), Level.UNKNOWN
    when = short_date(r.expires_on)
    if r.state is Expiry.EXPIRED:
        return tr("Expired {date} (%n day(s) ago)", None, -r.days).format(date=when), Level.LATE
    if r.state is Expiry.DUE_30:
        return tr("Renew now: expires {date} (in %n day(s))", None, r.days).format(
            date=when
        ), Level.LATE
    if r.state is Expiry.DUE_60:
        return tr("Renew soon: expires {date} (in %n day(s))", None, r.days).format(date=when), (
            Level.SOON
        )
    return tr("Current until {date}").format(date=when), Level.GOOD


def last_session_text(last: date | None, window: Period) -> tuple[str, Level]:
    """The last supervision session against the requirement window (and its
    level): none at all is missing; one before the window needs attention."""
    if last is None:
        return tr("No session recorded"), Level.UNKNOWN
    if last < window.start:
        return tr("{date} — none since {start}").format(
            date=short_date(last), start=short_date(window.start)
        ), Level.SOON
    return short_date(last), Level.GOOD


def follow_up_text(text: str, done: bool) -> str:
    """A follow-up with its state in words, not only a mark."""
    if done:
        return tr("✓ done: {text}").format(text=text)
    return tr("○ open: {text}").format(text=text)


def level_word(level: Level) -> str:
    return {
        Level.GOOD: tr("OK"),
        Level.SOON: tr("Attention"),
        Level.LATE: tr("Urgent"),
        Level.UNKNOWN: tr("Missing"),
    }[level]


def status_item(text: str, level: Level) -> QTableWidgetItem:
    """A table cell that says its status in words, then tints it."""
    item = QTableWidgetItem(f"{level_word(level)}: {text}")
    item.setBackground(QBrush(TINTS[level]))
    item.setForeground(QBrush(QColor("#000000")))
    item.setToolTip(text)
    return item

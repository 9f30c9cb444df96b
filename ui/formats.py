"""Numbers, amounts, dates and sizes as every screen writes them.

Dates and sizes are in the UI language (Qt's locale: "19 nov 2026" in Spanish);
numbers and money are plain digits, as the reports and their CSV files hold them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from PySide6.QtCore import QDate, QLocale

from peerdesk.domain.times import from_iso, local_text

__all__ = [
    "format_size",
    "format_when",
    "long_date",
    "money",
    "month_name",
    "number",
    "short_date",
]


def number(value: Decimal | int) -> str:
    """A count or an amount of miles as plain digits, without trailing zeros or an
    exponent ("12.5", "100", "3")."""
    if isinstance(value, int):
        return str(value)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def money(value: Decimal) -> str:
    """Dollars and cents ("$12.25")."""
    return "$" + format(value.quantize(Decimal("0.01")), "f")


def month_name(year: int, month: int) -> str:
    """Like "November 2026"."""
    return QLocale().toString(QDate(year, month, 1), "MMMM yyyy")


def short_date(day: date) -> str:
    """Like "19 Nov 2026", read the same everywhere."""
    return QLocale().toString(QDate(day.year, day.month, day.day), "d MMM yyyy")


def long_date(day: date) -> str:
    """The locale's long date ("Thursday, 19 November 2026")."""
    return QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat)


def clock_time(moment: datetime) -> str:
    """A moment's local time of day, "14:30"."""
    return moment.astimezone().strftime("%H:%M")


def format_when(iso: str | None) -> str:
    """An ISO time from the core as local "2026-11-23 14:02" ("" for None)."""
    if not iso:
        return ""
    try:
        moment: datetime = from_iso(iso)
    except ValueError:
        return iso
    return local_text(moment)


def format_size(n_bytes: int) -> str:
    """A byte count in the UI language ("12.3 KB")."""
    return QLocale().formattedDataSize(
        max(0, int(n_bytes)), 1, QLocale.DataSizeFormat.DataSizeSIFormat
    )

"""Reports as PDF, with Qt's own PDF writer (``QPdfWriter`` + ``QTextDocument``).

:func:`render_pdf` lays a report out as a small HTML document (title, a few
lines about it, the 42 CFR Part 2 redisclosure notice at the top when the report
holds identifiable data, then its tables) and prints it into memory, US Letter.
It returns the PDF bytes: nothing touches the disk here. The caller writes them
with the core's atomic export helper (temporary file in the target folder,
fsync, rename), so a failed export leaves no partial file.

It paints with fonts, so call it on the GUI thread; it takes a few milliseconds
for a month of 20 peers. :func:`render_report_pdf` does this for a core report
(the same tables as the CSV, :func:`peerdesk.exports.report_tables`), and
:func:`save_report_pdf` writes the bytes atomically and records the export in
the audit log (``session.reports.save_export``), on the DB thread.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from peerdesk.domain.exports import (
    REDISCLOSURE_NOTICE,
    is_identifiable,
    report_kind,
    report_tables,
)
from peerdesk.services import OpResult, Session

__all__ = [
    "PdfExport",
    "PdfTable",
    "render_pdf",
    "render_report_pdf",
    "report_html",
    "save_report_pdf",
    "tables_of",
]


@dataclass(frozen=True, slots=True)
class PdfTable:
    """One table of a report: a heading, column headers and rows of words."""

    heading: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    #: columns written right-aligned (numbers)
    numeric: frozenset[int] = field(default_factory=frozenset)
    #: said instead of an empty table
    empty_text: str = ""


def _cell(tag: str, text: str, right: bool) -> str:
    align = ' align="right"' if right else ""
    return f"<{tag}{align}>{html.escape(text)}</{tag}>"


def report_html(
    title: str, lines: Sequence[str], tables: Sequence[PdfTable], notice: str | None
) -> str:
    """The report as HTML for QTextDocument (every text escaped)."""
    parts = [
        "<html><head><style>"
        "body { font-family: sans-serif; font-size: 10pt; }"
        "h1 { font-size: 16pt; } h2 { font-size: 12pt; margin-top: 14px; }"
        "th { background-color: #e6e6e6; }"
        "td, th { font-size: 8pt; }"
        ".notice { font-size: 9pt; border: 1px solid #000000; }"
        "</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    if notice:
        parts.append(
            '<table class="notice" width="100%" cellpadding="6" cellspacing="0">'
            f"<tr><td>{html.escape(notice).replace(chr(10), '<br/>')}</td></tr></table>"
        )
    for line in lines:
        parts.append(f"<p>{html.escape(line)}</p>")
    for table in tables:
        parts.append(f"<h2>{html.escape(table.heading)}</h2>")
        if not table.rows:
            parts.append(f"<p>{html.escape(table.empty_text)}</p>")
            continue
        parts.append('<table width="100%" border="1" cellpadding="3" cellspacing="0">')
        parts.append(
            "<tr>"
            + "".join(_cell("th", h, i in table.numeric) for i, h in enumerate(table.headers))
            + "</tr>"
        )
        for row in table.rows:
            parts.append(
                "<tr>"
                + "".join(_cell("td", str(v), i in table.numeric) for i, v in enumerate(row))
                + "</tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def render_pdf(
    title: str,
    lines: Sequence[str],
    tables: Sequence[PdfTable],
    *,
    notice: str | None = None,
    creator: str = "PeerDesk",
) -> bytes:
    """The report as PDF bytes (US Letter, landscape). ``notice`` (the
    redisclosure notice) is printed first, above the tables."""
    data = QByteArray()
    buffer = QBuffer(data)
    if not buffer.open(QIODevice.OpenModeFlag.WriteOnly):
        raise RuntimeError("cannot open a memory buffer for the PDF")
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator(creator)
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.Letter),
            QPageLayout.Orientation.Landscape,  # room for ids beside the numbers
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    document = QTextDocument()
    document.setHtml(report_html(title, lines, tables, notice))
    document.print_(writer)
    del writer  # ends the PDF (the trailer is written when the writer goes away)
    buffer.close()
    return bytes(data.data())


# --- a report as PDF ------------------------------------------------------------------

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def tables_of(report: Any) -> list[PdfTable]:
    """The tables of a core report (:func:`peerdesk.exports.report_tables`, the same
    as the CSV), numbers right-aligned."""
    out = []
    for table in report_tables(report):
        numeric = frozenset(
            i
            for i in range(len(table.header))
            if table.rows and all(_NUMBER.match(row[i] or "0") for row in table.rows)
        )
        out.append(PdfTable(table.title, table.header, table.rows, numeric, "None."))
    return out


@dataclass(frozen=True, slots=True)
class PdfExport:
    """A report rendered to PDF, ready to be written (on the DB thread)."""

    kind: str
    data: bytes = field(repr=False)
    rows: int
    identifiable: bool


def render_report_pdf(report: Any, title: str, lines: Sequence[str] = ()) -> PdfExport:
    """Render a core report (GUI thread): the redisclosure notice first when it
    holds identifiable data (:func:`peerdesk.exports.is_identifiable`)."""
    identifiable = is_identifiable(report)
    tables = tables_of(report)
    data = render_pdf(title, lines, tables, notice=REDISCLOSURE_NOTICE if identifiable else None)
    rows = sum(len(t.rows) for t in tables)
    return PdfExport(report_kind(report), data, rows, identifiable)


def save_report_pdf(session: Session, export: PdfExport, path: Path | str) -> OpResult[int]:
    """Write the PDF whole or not at all and audit the export (DB thread). An
    export that cannot be audited did not happen: the file is removed again.
    The rows written."""
    return session.reports.save_export(
        export.kind, path, export.data, export.rows, fmt="pdf", identifiable=export.identifiable
    )

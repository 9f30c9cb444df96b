"""A plain horizontal bar chart, painted with QPainter (no QtCharts: it is not
part of PySide6-Essentials).

:class:`BarChart` shows one bar per label, longest value = full width, with the
value written at the end of each bar, so the numbers never depend on reading a
bar's length or colour. Colours come from the palette (highlight for the bars,
text colours for the words): light and dark themes both work. The chart is a
picture of a table that is on screen beside it; for a screen reader its
accessible description lists the same label/value pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.i18n import tr

__all__ = ["Bar", "BarChart"]


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its value and how the value is written."""

    label: str
    value: float | int | Decimal
    text: str


class BarChart(QWidget):
    """Horizontal bars with their labels on the left and values on the right."""

    #: the tallest a bar gets, in pixels (at the default font)
    BAR_HEIGHT = 18
    GAP = 6
    #: the most labels drawn; more are summed up in one line under the chart
    MAX_BARS = 25

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._bars: list[Bar] = []
        self.setAccessibleName(title)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(60)

    # --- data -------------------------------------------------------------------------

    @property
    def bars(self) -> list[Bar]:
        return list(self._bars)

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self._bars = list(bars)
        if self._bars:
            description = "; ".join(f"{b.label}: {b.text}" for b in self._bars)
        else:
            description = tr("Nothing to show for this month.")
        self.setAccessibleDescription(description)
        self.updateGeometry()
        self.update()

    def clear(self) -> None:
        self.set_bars([])

    # --- geometry ---------------------------------------------------------------------

    def _shown(self) -> list[Bar]:
        return self._bars[: self.MAX_BARS]

    def _row_height(self) -> int:
        return max(self.BAR_HEIGHT, QFontMetrics(self.font()).height() + 4)

    def sizeHint(self) -> QSize:
        rows = max(1, len(self._shown()))
        extra = 1 if len(self._bars) > self.MAX_BARS else 0
        return QSize(360, 12 + (rows + extra) * (self._row_height() + self.GAP))

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 60)

    # --- painting ---------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        bar_colour = palette.color(QPalette.ColorRole.Highlight)
        metrics = QFontMetrics(self.font())
        shown = self._shown()
        rect = self.rect().adjusted(6, 6, -6, -6)
        painter.setPen(text)
        if not shown:
            painter.drawText(
                QRectF(rect),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                tr("Nothing to show for this month."),
            )
            return
        label_width = min(
            max(metrics.horizontalAdvance(b.label) for b in shown) + 10, rect.width() // 3
        )
        value_width = max(metrics.horizontalAdvance(b.text) for b in shown) + 10
        bar_space = max(10, rect.width() - label_width - value_width)
        top_value = max((float(b.value) for b in shown), default=0.0)
        row = self._row_height()
        y = rect.top()
        for bar in shown:
            label_rect = QRectF(rect.left(), y, label_width - 6, row)
            elided = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 6)
            painter.setPen(text)
            painter.drawText(
                label_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), elided
            )
            share = float(bar.value) / top_value if top_value > 0 else 0.0
            length = max(0.0, share * bar_space)
            x = rect.left() + label_width
            if length > 0:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(bar_colour)
                painter.drawRoundedRect(QRectF(x, y + 3, length, row - 6), 2, 2)
            painter.setPen(text)
            painter.drawText(
                QRectF(x + length + 6, y, value_width, row),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                bar.text,
            )
            y += row + self.GAP
        hidden = len(self._bars) - len(shown)
        if hidden > 0:
            painter.drawText(
                QRectF(rect.left(), y, rect.width(), row),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                tr("%n more not drawn (see the table).", None, hidden),
            )

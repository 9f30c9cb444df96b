"""A score over time, painted with QPainter (PySide6-Essentials has no QtCharts).

:class:`ScoreChart` draws one instrument's scores of one person as points joined
by a line on a fixed scale (the instrument's range), each point with its value
written above it, and a dashed line at the instrument's marker (WHO-5 poor
wellbeing, BARC-10 strong recovery capital). So the numbers never depend on
reading a position or a colour; the same points are in the table beside the
chart, and the chart's accessible description lists them for a screen reader.
Colours come from the palette, so light and dark themes both work.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.i18n import tr

__all__ = ["ScoreChart"]


class ScoreChart(QWidget):
    """Points (day, score) on a fixed scale from ``low`` to ``high``."""

    MARGIN = 8

    def __init__(
        self,
        title: str,
        low: int,
        high: int,
        *,
        marker: int | None = None,
        marker_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.low, self.high = low, high
        self.marker, self.marker_label = marker, marker_label
        self._points: list[tuple[date, int]] = []
        self.setAccessibleName(title)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(140)
        self._describe()

    @property
    def points(self) -> list[tuple[date, int]]:
        return list(self._points)

    def set_points(self, points: Sequence[tuple[date, int]]) -> None:
        self._points = sorted(points)
        self._describe()
        self.update()

    def clear(self) -> None:
        self.set_points([])

    def _describe(self) -> None:
        if not self._points:
            self.setAccessibleDescription(tr("No scores yet."))
            return
        self.setAccessibleDescription(
            "; ".join(f"{day.isoformat()}: {value}" for day, value in self._points)
        )

    def sizeHint(self) -> QSize:
        return QSize(420, 180)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._paint(painter)
        finally:
            painter.end()

    def _y(self, plot: QRectF, value: float) -> float:
        span = max(self.high - self.low, 1)
        return plot.bottom() - (value - self.low) / span * plot.height()

    def _paint(self, painter: QPainter) -> None:
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        faint = pal.color(QPalette.ColorRole.Mid)
        line = pal.color(QPalette.ColorRole.Highlight)
        fm = QFontMetrics(self.font())
        m = self.MARGIN
        left = m + fm.horizontalAdvance(str(self.high)) + 6
        plot = QRectF(
            left,
            m + fm.height() + 4,
            self.width() - left - m - fm.horizontalAdvance("0000-00-00") / 2,
            self.height() - 2 * m - 2 * fm.height() - 8,
        )
        painter.setPen(text)
        painter.drawText(QRectF(m, m, self.width() - 2 * m, fm.height()), 0, self.title)
        painter.setPen(QPen(faint, 1))
        painter.drawRect(plot)
        for value in (self.low, self.high):
            y = self._y(plot, value)
            painter.setPen(text)
            painter.drawText(
                QRectF(m, y - fm.height() / 2, left - m - 4, fm.height()),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                str(value),
            )
        if self.marker is not None:
            y = self._y(plot, self.marker)
            painter.setPen(QPen(faint, 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            painter.drawText(
                QRectF(plot.left() + 4, y + 1, plot.width() - 8, fm.height()),
                int(Qt.AlignmentFlag.AlignLeft),
                f"{self.marker_label} ({self.marker})",
            )
        if not self._points:
            painter.setPen(text)
            painter.drawText(plot, int(Qt.AlignmentFlag.AlignCenter), tr("No scores yet."))
            return
        first, last = self._points[0][0], self._points[-1][0]
        days = max((last - first).days, 1)

        def x_of(day: date) -> float:
            if len(self._points) == 1:
                return plot.center().x()
            return plot.left() + 10 + (day - first).days / days * (plot.width() - 20)

        spots = [QPointF(x_of(day), self._y(plot, value)) for day, value in self._points]
        painter.setPen(QPen(line, 2))
        for a, b in zip(spots, spots[1:], strict=False):
            painter.drawLine(a, b)
        painter.setBrush(line)
        for spot, (_day, value) in zip(spots, self._points, strict=True):
            painter.setPen(QPen(line, 2))
            painter.drawEllipse(spot, 4, 4)
            painter.setPen(text)
            painter.drawText(
                QRectF(spot.x() - 30, spot.y() - fm.height() - 6, 60, fm.height()),
                int(Qt.AlignmentFlag.AlignCenter),
                str(value),
            )
        painter.setPen(text)
        bottom = plot.bottom() + 4
        for day in {first, last}:
            x = x_of(day)
            painter.drawText(
                QRectF(x - 50, bottom, 100, fm.height()),
                int(Qt.AlignmentFlag.AlignCenter),
                day.isoformat(),
            )

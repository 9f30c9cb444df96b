"""Icons: SVG files in ``resources/icons/`` drawn at whatever size and device
pixel ratio the screen asks for, in the colours of the current palette.

The section and action icons are drawn with ``currentColor``; :class:`PaletteSvgIconEngine`
replaces it with the palette's text colour when it paints (highlighted text for a
selected item, the disabled text colour for a disabled one), so the icons follow a
light or dark system palette without a second set of files. The application icon
keeps its own colours and is loaded by Qt's SVG icon engine.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QImage,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer

from peerdesk.services.app import ICONS_DIR, icon_path

__all__ = ["APP_ICON", "ICON_NAMES", "PaletteSvgIconEngine", "app_icon", "icon"]

#: the icons drawn in the palette's colours (one SVG file each)
ICON_NAMES = (
    "today",
    "participants",
    "notes",
    "trips",
    "week",
    "resources",
    "sync",
    "lock",
    "review",
    "reports",
    "mywork",
    "team",
)
#: the application icon (fixed colours)
APP_ICON = "peerdesk"


def _text_colour(mode: QIcon.Mode) -> QColor:
    palette = QGuiApplication.palette()
    if mode == QIcon.Mode.Disabled:
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    if mode == QIcon.Mode.Selected:
        return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
    return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)


class PaletteSvgIconEngine(QIconEngine):
    """Draws one SVG with ``currentColor`` set to the palette's text colour."""

    def __init__(self, svg: bytes, name: str = "") -> None:
        super().__init__()
        self._svg = svg
        self._name = name
        self._renderers: dict[str, QSvgRenderer] = {}

    def _renderer(self, colour: QColor) -> QSvgRenderer:
        name = colour.name(QColor.NameFormat.HexRgb)  # SVG colours have no alpha
        renderer = self._renderers.get(name)
        if renderer is None:
            data = self._svg.replace(b"currentColor", name.encode("ascii"))
            renderer = self._renderers[name] = QSvgRenderer(QByteArray(data))
            renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        return renderer

    # --- QIconEngine ------------------------------------------------------------------

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        colour = _text_colour(mode)
        painter.save()
        try:
            painter.setOpacity(painter.opacity() * colour.alphaF())
            self._renderer(colour).render(painter, QRectF(rect))
        finally:
            painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        """A pixmap of ``size`` logical pixels for a screen with device pixel ratio
        ``scale``: drawn at ``size * scale`` device pixels, never scaled up."""
        device = QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))
        image = QImage(device, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.paint(painter, QRect(0, 0, device.width(), device.height()), mode, state)
        finally:
            painter.end()
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        return size

    def clone(self) -> QIconEngine:
        return PaletteSvgIconEngine(self._svg, self._name)

    def key(self) -> str:
        return "PaletteSvgIconEngine"

    def iconName(self) -> str:
        return self._name

    def isNull(self) -> bool:
        return not self._svg


@cache
def _svg_bytes(name: str) -> bytes:
    return icon_path(name).read_bytes()


def icon(name: str) -> QIcon:
    """The icon ``name`` (one of :data:`ICON_NAMES`), in the palette's colours."""
    if name not in ICON_NAMES:
        raise KeyError(f"no icon named {name!r} in {ICONS_DIR}")
    return QIcon(PaletteSvgIconEngine(_svg_bytes(name), name))


def app_icon() -> QIcon:
    """The application icon (window, task bar), from its SVG file."""
    return QIcon(str(icon_path(APP_ICON)))

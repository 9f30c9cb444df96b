"""Small widgets shared by the screens.

Colours come from the palette (light or dark, whatever the system uses): nothing
here sets a colour of its own. Problems are said in words ("Problem: ..."), in
bold, so they never depend on colour.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerdesk.errors import PeerDeskError, ValidationError
from ui.errors import message_for
from ui.i18n import tr
from ui.icons import icon

__all__ = [
    "FieldWithError",
    "FormFields",
    "PlaceholderPage",
    "contrast_ratio",
    "heading_label",
    "list_texts",
    "list_widget",
    "make_error_label",
    "over",
    "readable_palette",
    "side_by_side",
    "text_label",
]


def make_error_label(label: QLabel | None = None) -> QLabel:
    """A label for a problem in words: bold, word-wrapped, in the palette's text colour."""
    label = label if label is not None else QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def heading_label(text: str = "") -> QLabel:
    """A screen's heading: larger, bold, word-wrapped."""
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def list_widget(name: str) -> QListWidget:
    """A list of word-wrapped lines of different heights, with its accessible name."""
    widget = QListWidget()
    widget.setAccessibleName(name)
    widget.setWordWrap(True)
    widget.setUniformItemSizes(False)
    widget.setSpacing(2)
    return widget


def list_texts(widget: QListWidget) -> list[str]:
    """The lines of a list, in order (for tests and screen readers)."""
    return [widget.item(i).text() for i in range(widget.count())]


def text_box(
    name: str, text: str = "", *, placeholder: str = "", height: int = 60
) -> QPlainTextEdit:
    """A short multi-line text field of a form: named for screen readers, Tab
    moves on (it does not type a tab), a fixed height."""
    edit = QPlainTextEdit(text)
    edit.setAccessibleName(name)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    return edit


def text_label(name: str) -> QLabel:
    """A line of plain text the screen fills in (word-wrapped, selectable with the
    mouse), with its accessible name."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


def side_by_side(
    owner: QWidget, left: QWidget, right: QWidget, stretch: tuple[int, int]
) -> QSplitter:
    """Fill ``owner`` with two panes in a horizontal splitter that never collapses
    one; ``stretch`` shares the width out between them."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(left)
    splitter.addWidget(right)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    splitter.setChildrenCollapsible(False)
    layout = QVBoxLayout(owner)
    layout.addWidget(splitter)
    return splitter


class FieldWithError(QWidget):
    """A form field with its error message right under it (hidden when fine)."""

    def __init__(self, editor: QWidget, extra: QWidget | None = None) -> None:
        super().__init__()
        self.editor = editor
        self.error = make_error_label()
        self.error.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        if extra is None:
            layout.addWidget(editor)
        else:
            row = QHBoxLayout()
            row.addWidget(editor, 1)
            row.addWidget(extra)
            layout.addLayout(row)
        layout.addWidget(self.error)

    def set_error(self, message: str) -> None:
        self.error.setText(tr("Problem: {message}").format(message=message) if message else "")
        self.error.setVisible(bool(message))
        self.error.setAccessibleName(self.error.text())
        self.editor.setAccessibleDescription(message)


class FormFields:
    """The fields of a form, each with its problem said under it
    (:class:`FieldWithError`), and a status line for the problems that belong to
    no field. ``fields`` maps the core's field names (``ValidationError.field``)
    to the fields."""

    def __init__(self, status: QLabel) -> None:
        self.status = status
        self.fields: dict[str, FieldWithError] = {}

    def add(
        self,
        form: QFormLayout,
        text: str,
        editor: QWidget,
        key: str,
        extra: QWidget | None = None,
    ) -> FieldWithError:
        """A row: ``text`` as the label (its buddy and, without the accelerator and
        colon, the editor's accessible name), the editor and its error."""
        field = FieldWithError(editor, extra)
        label = QLabel(text)
        label.setBuddy(editor)
        editor.setAccessibleName(label.text().replace("&", "").rstrip(":"))
        form.addRow(label, field)
        self.fields[key] = field
        return field

    def set_error(self, field: str | None, message: str) -> None:
        """Show ``message`` next to ``field`` (and move the focus there), or on the
        status line when the problem belongs to no field."""
        target = self.fields.get(field or "")
        if target is None:
            self.status.setText(message)
            return
        target.set_error(message)
        target.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def error_of(self, field: str) -> str:
        """The message shown next to ``field`` ("" when none)."""
        return self.fields[field].error.text()

    def clear(self) -> None:
        for field in self.fields.values():
            field.set_error("")
        self.status.setText("")

    def show_failure(self, exc: BaseException, not_saved: str) -> None:
        """A save that failed: a problem with what was typed next to its field (and
        ``not_saved`` on the status line), any other PeerDesk error on the status
        line; anything else is a bug and is raised again."""
        if isinstance(exc, ValidationError):
            self.status.setText(not_saved)
            self.set_error(exc.field, message_for(exc))
        elif isinstance(exc, PeerDeskError):
            self.status.setText(message_for(exc))
        else:
            self.status.setText("")
            raise exc


class PlaceholderPage(QWidget):
    """A page that says what it will hold once it is built: an icon, a heading
    and two paragraphs. It has no controls and pretends to do nothing."""

    def __init__(
        self,
        icon_name: str,
        heading: str,
        what: str,
        status: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(heading)
        self._icon = icon(icon_name)
        self.picture = picture = QLabel()
        picture.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self._draw_icon()
        self.heading = QLabel(heading)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.what = QLabel(what)
        self.status = QLabel(status)
        for label in (self.heading, self.what, self.status):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column = QVBoxLayout()
        column.setSpacing(12)
        column.addWidget(picture)
        column.addWidget(self.heading)
        column.addWidget(self.what)
        column.addWidget(self.status)
        column.addStretch(1)
        box = QWidget()
        box.setLayout(column)
        box.setMaximumWidth(640)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.addWidget(box, 1, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        outer.addStretch(0)

    def _draw_icon(self) -> None:
        self.picture.setPixmap(self._icon.pixmap(QSize(48, 48), self.devicePixelRatioF()))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._draw_icon()  # the icon is drawn in the palette's text colour


# --- contrast ---------------------------------------------------------------------------

#: WCAG 2 AA for normal text
MIN_CONTRAST = 4.5

#: (text role, background role, which one may change) pairs that must read well
_TEXT_PAIRS = (
    (QPalette.ColorRole.WindowText, QPalette.ColorRole.Window, "text"),
    (QPalette.ColorRole.Text, QPalette.ColorRole.Base, "text"),
    (QPalette.ColorRole.Text, QPalette.ColorRole.AlternateBase, "text"),
    (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Button, "text"),
    (QPalette.ColorRole.ToolTipText, QPalette.ColorRole.ToolTipBase, "text"),
    (QPalette.ColorRole.PlaceholderText, QPalette.ColorRole.Base, "text"),
    # The selected row (the sidebar's current section): Fusion's light highlight
    # with white text is about 3.7:1, so the highlight is darkened.
    (QPalette.ColorRole.HighlightedText, QPalette.ColorRole.Highlight, "background"),
)


def relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0 black .. 1 white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def over(colour: QColor, background: QColor) -> QColor:
    """``colour`` drawn over an opaque ``background`` (alpha blended), as seen."""
    alpha = colour.alphaF()
    return QColor.fromRgbF(
        colour.redF() * alpha + background.redF() * (1 - alpha),
        colour.greenF() * alpha + background.greenF() * (1 - alpha),
        colour.blueF() * alpha + background.blueF() * (1 - alpha),
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of colour ``a`` shown on background ``b`` (1 .. 21);
    a translucent ``a`` is blended over ``b`` first."""
    la, lb = relative_luminance(over(a, b)), relative_luminance(b)
    light, dark = max(la, lb), min(la, lb)
    return (light + 0.05) / (dark + 0.05)


def _pushed_apart(moving: QColor, fixed: QColor, minimum: float) -> QColor:
    """``moving`` made darker or lighter (away from ``fixed``) until the two
    reach ``minimum``:1, keeping its hue."""
    darken = relative_luminance(fixed) > 0.18  # light partner: go darker
    colour = QColor(moving)
    for _ in range(60):
        if contrast_ratio(colour, fixed) >= minimum:
            break
        # the typed accessors, not getHslF() (typed as returning object): the same values
        lightness = colour.lightnessF()
        lightness = max(0.0, lightness - 0.02) if darken else min(1.0, lightness + 0.02)
        colour = QColor.fromHslF(
            max(colour.hslHueF(), 0.0), colour.hslSaturationF(), lightness, colour.alphaF()
        )
    return colour


def readable_palette(palette: QPalette, minimum: float = MIN_CONTRAST) -> QPalette:
    """``palette`` (the system's, light or dark) with every text role readable on
    its background at ``minimum``:1 or better. Roles that already read well are left
    as they are; the others are only made darker or lighter, never given a colour of
    their own. Disabled text is left alone (WCAG exempts inactive controls)."""
    out = QPalette(palette)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for text_role, background_role, change in _TEXT_PAIRS:
            text = out.color(group, text_role)
            background = out.color(group, background_role)
            if contrast_ratio(text, background) >= minimum:
                continue
            if change == "text":
                seen = over(text, background)  # a translucent text colour, as drawn
                out.setColor(group, text_role, _pushed_apart(seen, background, minimum))
            else:
                out.setColor(group, background_role, _pushed_apart(background, text, minimum))
    return out


def table(name: str, headers: Sequence[str]) -> QTableWidget:
    """A read-only table of whole-row single selection, named for screen readers."""
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(list(headers))
    t.setAccessibleName(name)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def fill(t: QTableWidget, rows: Sequence[Sequence[str | QTableWidgetItem]]) -> None:
    """Put ``rows`` in ``t`` (texts, or items that carry a tint or data)."""
    t.setRowCount(0)
    t.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            t.setItem(r, c, cell if isinstance(cell, QTableWidgetItem) else QTableWidgetItem(cell))

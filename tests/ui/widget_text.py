"""Every text a widget shows or tells a screen reader, for "is it gone after lock" checks."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QWidget


def widget_text(widget: QWidget) -> str:
    """Every text a widget shows or tells a screen reader (for "is it gone" checks)."""
    parts = [widget.windowTitle(), widget.accessibleName(), widget.accessibleDescription()]
    for getter in ("text", "toPlainText", "currentText", "placeholderText", "title"):
        value = getattr(widget, getter, None)
        if callable(value):
            try:
                parts.append(str(value()))
            except TypeError:
                pass
    count = getattr(widget, "count", None)
    item_text = getattr(widget, "itemText", None)
    if callable(count) and callable(item_text):
        parts.extend(item_text(i) for i in range(count()))
    model = getattr(widget, "model", None)
    if callable(model) and model() is not None:
        m = model()
        try:
            columns = m.columnCount(QModelIndex())
        except TypeError:  # a list model: one column (PySide makes columnCount private)
            columns = 1
        for row in range(m.rowCount(QModelIndex())):
            for column in range(columns):
                parts.append(str(m.index(row, column).data() or ""))
    return "\n".join(parts)

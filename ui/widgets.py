"""Small widgets shared by the screens."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget


class FieldWithError(QWidget):
    """A form field with its error message right under it (hidden when fine)."""

    def __init__(self, editor: QWidget, extra: QWidget | None = None) -> None:
        super().__init__()
        self.editor = editor
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setVisible(False)
        self.error.setStyleSheet("color: #b00020;")  # the words carry the meaning, too
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
        self.error.setText(
            QCoreApplication.translate("widgets", "Problem: {message}").format(message=message)
            if message
            else ""
        )
        self.error.setVisible(bool(message))
        self.error.setAccessibleName(self.error.text())
        self.editor.setAccessibleDescription(message)

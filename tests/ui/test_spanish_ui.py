"""Issue 21, Must-show 3: no English in the Spanish UI.

The catalogue tests prove every string the code asks for has a Spanish
translation; this one looks at what a person actually sees. It opens the peer's
and the supervisor's window (demo data) in Spanish, visits every section and every
tab in it, presses every button there (but the ones that sync, sign, delete or
lock), reads every dialog that opens (presses its Save/OK once as it is, reads
what it says, then cancels it) and the window after each
press (where a refused form says what is wrong, often in the core's words), and
reads the words of the interface itself (labels, buttons, tab and group titles,
table headers, placeholders, tooltips, accessible names, actions), not the
records' data. None of it may be a sentence of the English catalogue (a string
shown untranslated: the wrong context, a missing tr(), a core sentence shown in
English), whole or with its placeholders filled in, nor carry the everyday English
words no Spanish sentence has ("the", "please", "your"...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextEdit,
    QToolButton,
    QWidget,
)

from peerdesk.demo.profiles import ensure_demo_profile
from peerdesk.resources import translation_path
from peerdesk.services import ProfileManager
from tests.ui.review_helpers import make_supervisor
from ui.app import MainWindow
from ui.i18n import install_translators, read_ts

_TAG = re.compile(r"<[^>]+>")
#: everyday English words no Spanish sentence of the interface has
_ENGLISH_WORDS = re.compile(
    r"\b(the|please|your|you|enter|choose|cannot|must|should|could not|was not|is not)\b",
    re.IGNORECASE,
)
#: buttons the walk does not press: they sync, sign, delete, erase or lock
_NOT_PRESSED = re.compile(r"sincroniz|firm|elimin|borr|descart|salir|bloque|cerrar", re.I)
_PLACEHOLDER = re.compile(r"\{[a-z_0-9]*\}|%n|%[0-9]")


def _clean(text: str) -> str:
    text = _TAG.sub(" ", text).replace("&&", "\0").replace("&", "").replace("\0", "&")
    return " ".join(text.split())


class English:
    """The English sentences of the catalogue whose Spanish is different."""

    def __init__(self) -> None:
        self.exact: set[str] = set()
        patterns = []
        for message in read_ts(translation_path("es", ".ts")):
            source = _clean(message.source)
            if not any(_clean(t) != source for t in message.translations):
                continue  # the same in both languages ("PeerDesk", "OK"...)
            if not _PLACEHOLDER.search(source):
                self.exact.add(source)
                continue
            literal = _PLACEHOLDER.sub(" ", source)
            if len(re.findall(r"[A-Za-z]{3,}", literal)) < 2:
                continue  # mostly placeholders: it would match any text
            parts = [re.escape(p) for p in _PLACEHOLDER.split(source)]
            patterns.append(".+?".join(parts))
        self.pattern = re.compile("|".join(f"(?:{p})" for p in patterns))

    def finds(self, text: str) -> bool:
        text = _clean(text)
        if not text:
            return False
        return (
            text in self.exact
            or text.rstrip(":") in self.exact
            or bool(self.pattern.fullmatch(text))
            or bool(_ENGLISH_WORDS.search(text))
        )


def interface_words(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for each word of the interface visible under ``root``."""
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        name = widget.objectName() or type(widget).__name__
        yield f"{name} tooltip", widget.toolTip()
        yield f"{name} accessible name", widget.accessibleName()
        if isinstance(widget, QLabel):
            yield name, widget.text()
        elif isinstance(widget, QAbstractButton):
            yield name, widget.text()
        elif isinstance(widget, QGroupBox):
            yield name, widget.title()
        elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            yield f"{name} placeholder", widget.placeholderText()
        elif isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                yield f"{name} tab", widget.tabText(index)
                yield f"{name} tab tooltip", widget.tabToolTip(index)
        elif isinstance(widget, QHeaderView) and widget.model() is not None:
            model = widget.model()
            for section in range(widget.count()):
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.headerData(section, widget.orientation(), role)
                    if isinstance(value, str):
                        yield f"{name} header", value
    for action in root.findChildren(QAction):
        yield "action", action.text()
        yield "action tooltip", action.toolTip()


@pytest.fixture
def spanish_window_language(qapp: QApplication) -> Iterator[None]:
    default = QLocale()
    installed = install_translators(qapp, QLocale("es"))
    assert installed, "the Spanish catalogue did not load"
    yield
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(default)


def english_in(qtbot: Any, window: MainWindow, *, press: bool = True) -> list[str]:
    english = English()
    qtbot.addWidget(window)
    window.show()
    found: set[str] = set()
    place = ""

    def look(root: QWidget, where: str) -> None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()
        for what, text in interface_words(root):
            if english.finds(text):
                found.add(f"{where}: {what}: {_clean(text)!r}")

    pressed: set[int] = set()

    def read_and_cancel_a_dialog() -> None:
        """Read a dialog; press its Save/OK once, empty (a form then says what is
        missing, in the core's words too) and read it again; then cancel it."""
        modal = QApplication.activeModalWidget()
        if modal is None:
            return
        look(modal, f"{place}: dialog {type(modal).__name__}")
        box = modal.findChild(QDialogButtonBox)
        accept = None
        if box is not None and not isinstance(modal, QFileDialog | QMessageBox):
            accept = next(
                (
                    b
                    for b in box.buttons()
                    if box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole
                    and b.isEnabled()
                    and not _NOT_PRESSED.search(b.text())
                ),
                None,
            )
        if accept is not None and id(modal) not in pressed:
            pressed.add(id(modal))
            accept.click()
            return  # read again (or the dialog it opened) on the next tick
        if isinstance(modal, QDialog):
            modal.reject()
        else:
            modal.close()

    dialogs = QTimer()
    dialogs.setInterval(20)
    dialogs.timeout.connect(read_and_cancel_a_dialog)
    dialogs.start()
    try:
        for index in range(window.sidebar.count()):
            window.sidebar.setCurrentRow(index)
            section = place = window.sidebar.item(index).text()
            qtbot.waitUntil(lambda: not window.taskman.busy)
            look(window, section)
            for tabs in window.findChildren(QTabWidget):
                if not tabs.isVisibleTo(window):
                    continue
                for tab in range(tabs.count()):
                    tabs.setCurrentIndex(tab)
                    qtbot.waitUntil(lambda: not window.taskman.busy)
                    look(window, f"{section}, tab {tabs.tabText(tab)}")
            if not press:
                continue
            buttons = [
                b
                for b in window.findChildren(QPushButton) + window.findChildren(QToolButton)
                if b.isVisibleTo(window)
                and b.isEnabled()
                and b.text()
                and not _NOT_PRESSED.search(b.text())
            ]
            for button in buttons:
                window.sidebar.setCurrentRow(index)
                if not (button.isVisibleTo(window) and button.isEnabled()):
                    continue
                place = f"{section}, after {_clean(button.text())}"
                button.click()
                qtbot.waitUntil(lambda: not window.taskman.busy)
                look(window, place)
    finally:
        dialogs.stop()
    window.close()
    return sorted(found)


def test_the_peers_window_shows_no_english_in_spanish(
    qtbot: Any, tmp_path: Any, spanish_window_language: None
) -> None:
    manager = ProfileManager(root=tmp_path)
    window = MainWindow(ensure_demo_profile(manager), manager, idle_timeout_s=0)
    assert english_in(qtbot, window) == []


def test_the_supervisors_window_shows_no_english_in_spanish(
    qtbot: Any, tmp_path: Any, spanish_window_language: None
) -> None:
    manager = ProfileManager(root=tmp_path)
    window = MainWindow(make_supervisor(manager), manager, idle_timeout_s=0)
    assert english_in(qtbot, window) == []


def test_the_check_finds_english_whole_and_filled_in() -> None:
    english = English()
    assert english.finds("&Participants") or english.finds("Participants")
    assert not english.finds("Participantes")
    # a template with its placeholders filled in
    filled = [s for s in english.pattern.pattern.split("|") if ".+?" in s]
    assert filled, "no template with placeholders in the catalogue"
    assert english.finds(
        "The file /tmp/x.csv was not written (disk full); no file was left behind."
    )
    assert not english.finds("No se escribió el archivo /tmp/x.csv")


def test_the_walk_reads_the_interface_english_is_found_in_english(
    qtbot: Any, tmp_path: Any
) -> None:
    """The control: the same walk over the English window finds hundreds of
    catalogue sentences, so an empty list in Spanish means something."""
    manager = ProfileManager(root=tmp_path)
    window = MainWindow(ensure_demo_profile(manager), manager, idle_timeout_s=0)
    found = english_in(qtbot, window, press=False)
    assert len(found) > 200
    sections = {line.split(":")[0] for line in found}
    assert len(sections) >= 6  # every section was visited

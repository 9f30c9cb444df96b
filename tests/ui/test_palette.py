"""Light and dark palettes: the window draws with palette roles only (no colour of
its own anywhere), and under a light and a dark system palette every label, the
sidebar (its selected row too), lists and problem messages reach WCAG AA contrast
(4.5:1)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QDate, QEvent, QTime
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QStyleFactory,
    QWidget,
)

from peerdesk.demo.profiles import ensure_demo_profile
from peerdesk.services import ProfileManager
from ui.app import MainWindow
from ui.application import follow_system_palette
from ui.widgets import MIN_CONTRAST, contrast_ratio, readable_palette

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


def light_system_palette() -> QPalette:
    """Fusion's own light palette (what Linux desktops without a theme get)."""
    return QStyleFactory.create("Fusion").standardPalette()


def dark_system_palette() -> QPalette:
    """A dark palette like Windows' or GNOME's dark mode hands to Fusion."""
    palette = QPalette()
    colours = {
        Role.Window: "#2b2b2b",
        Role.WindowText: "#f0f0f0",
        Role.Base: "#1e1e1e",
        Role.AlternateBase: "#262626",
        Role.Text: "#f0f0f0",
        Role.Button: "#353535",
        Role.ButtonText: "#f0f0f0",
        Role.ToolTipBase: "#3c3c3c",
        Role.ToolTipText: "#f0f0f0",
        Role.PlaceholderText: "#9a9a9a",
        Role.Highlight: "#2f65ca",
        Role.HighlightedText: "#ffffff",
        Role.Link: "#8ab4f8",
        Role.BrightText: "#ff6b6b",
        Role.Light: "#4a4a4a",
        Role.Midlight: "#3d3d3d",
        Role.Mid: "#262626",
        Role.Dark: "#1a1a1a",
        Role.Shadow: "#000000",
    }
    for role, name in colours.items():
        palette.setColor(role, QColor(name))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(Group.Disabled, role, QColor("#7f7f7f"))
    return palette


SYSTEM_PALETTES = {"light": light_system_palette, "dark": dark_system_palette}


@pytest.fixture(params=sorted(SYSTEM_PALETTES))
def themed(request: Any, qapp: QApplication, qtbot: Any, tmp_path: Path) -> Iterator[Any]:
    """The main window on the demo profile under a light or a dark system palette,
    as the app applies it (readable_palette)."""
    qapp.setPalette(readable_palette(SYSTEM_PALETTES[request.param]()))
    manager = ProfileManager(root=tmp_path)
    window = MainWindow(ensure_demo_profile(manager), manager, autosave_ms=50, idle_timeout_s=0)
    qtbot.addWidget(window)
    window.resize(1200, 760)
    window.show()
    qtbot.waitUntil(lambda: window.today.data is not None)
    try:
        yield request.param, window
    finally:
        window.close()
        qapp.setPalette(QPalette())  # back to the platform's palette


def background_of(widget: QWidget) -> QColor:
    """The colour a (label's) text is drawn on: the nearest widget that paints its
    own background (a window, a scroll area's viewport, an auto-filled widget)."""
    current: QWidget | None = widget
    while current is not None:
        parent = current.parentWidget()
        is_viewport = isinstance(parent, QAbstractScrollArea) and parent.viewport() is current
        if current.autoFillBackground() or current.isWindow() or is_viewport:
            return current.palette().color(Group.Active, current.backgroundRole())
        current = parent
    raise AssertionError("no background found")


def low_contrast_labels(window: QWidget) -> list[str]:
    problems = []
    for label in window.findChildren(QLabel):
        if not (label.isVisible() and label.isEnabled() and label.text().strip()):
            continue
        label.ensurePolished()
        text = label.palette().color(Group.Active, label.foregroundRole())
        ratio = contrast_ratio(text, background_of(label))
        if ratio < MIN_CONTRAST:
            problems.append(f"{label.text()[:40]!r}: {ratio:.2f}")
    return problems


def show_problem_messages(window: MainWindow, qtbot: Any) -> list[QLabel]:
    """Make a problem message visible on the trips form and in the note editor."""
    window.go_to(window.trips)
    window.trips.miles.setText("twelve")
    window.trips.save()
    trip_error = window.trips.fields["miles"].error
    window.go_to(window.notes)
    editor = window.notes.editor
    editor.open_new()
    editor.date_edit.setDate(QDate(2026, 1, 5))
    editor.start_edit.setTime(QTime(15, 0))
    editor.end_edit.setTime(QTime(14, 0))  # ends before it starts: said next to the field
    window.go_to(window.trips)
    qtbot.waitUntil(lambda: trip_error.isVisible())
    return [trip_error, editor.end_error]


def test_no_widget_sets_a_colour_of_its_own(themed: Any) -> None:
    _name, window = themed
    coloured = [
        f"{type(w).__name__} {w.objectName()}: {w.styleSheet()}"
        for w in [window, *window.findChildren(QWidget)]
        if re.search(r"colou?r|background|#[0-9a-f]{3}|rgb", w.styleSheet(), re.IGNORECASE)
    ]
    assert coloured == []


def test_labels_sidebar_and_lists_are_readable(
    themed: Any, qtbot: Any, screenshot_path: Any
) -> None:
    name, window = themed
    problems = []
    for index in range(len(window.role.keys())):
        window.go_to(index)
        qtbot.waitUntil(lambda: not window.taskman.busy)
        problems += [f"section {index}: {p}" for p in low_contrast_labels(window)]
    if name == "dark":
        notes = window.notes
        window.go_to(notes)
        qtbot.waitUntil(lambda: notes.table.rowCount() == 4)
        notes.open_row(0)
        qtbot.waitUntil(lambda: notes.editor.note is not None and not window.taskman.busy)
        editor = window.notes.editor  # the sections are shown once laid out
        qtbot.waitUntil(lambda: all(e.isVisible() for e in editor.section_edits.values()))
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        assert window.grab().save(str(screenshot_path("main-window-dark.png")))
    errors = show_problem_messages(window, qtbot)
    assert errors[0].text().startswith("Problem:")
    for label in errors:
        ratio = contrast_ratio(
            label.palette().color(Group.Active, label.foregroundRole()), background_of(label)
        )
        if ratio < MIN_CONTRAST:
            problems.append(f"problem message {label.text()!r}: {ratio:.2f}")

    sidebar = window.sidebar
    palette = sidebar.palette()
    for group in (Group.Active, Group.Inactive):
        for text, back in ((Role.Text, Role.Base), (Role.HighlightedText, Role.Highlight)):
            ratio = contrast_ratio(palette.color(group, text), palette.color(group, back))
            if ratio < MIN_CONTRAST:
                problems.append(f"sidebar {group.name} {text.name} on {back.name}: {ratio:.2f}")
    for view in window.findChildren(QAbstractItemView):
        p = view.palette()
        ratio = contrast_ratio(p.color(Group.Active, Role.Text), p.color(Group.Active, Role.Base))
        if ratio < MIN_CONTRAST:
            problems.append(f"list {view.accessibleName()!r}: {ratio:.2f}")
    assert problems == []


def test_the_dark_palette_really_is_dark_in_the_window(themed: Any) -> None:
    """Guards the test above: the window took the system palette it was given."""
    name, window = themed
    window_colour = window.sidebar.palette().color(Role.Base)
    assert (window_colour.lightnessF() < 0.3) == (name == "dark")


def test_readable_palette_only_darkens_or_lightens_what_reads_badly() -> None:
    light = light_system_palette()
    fixed = readable_palette(light)
    # Fusion's light highlight with white text is about 3.7:1: darkened, same hue.
    assert contrast_ratio(light.color(Role.HighlightedText), light.color(Role.Highlight)) < 4.5
    highlight = fixed.color(Role.Highlight)
    assert contrast_ratio(fixed.color(Role.HighlightedText), highlight) >= MIN_CONTRAST
    assert abs(highlight.hslHueF() - light.color(Role.Highlight).hslHueF()) < 0.02
    # What already reads well is not touched.
    assert fixed.color(Role.Window) == light.color(Role.Window)
    assert fixed.color(Role.WindowText) == light.color(Role.WindowText)
    dark = dark_system_palette()
    assert readable_palette(dark).color(Role.Highlight) == dark.color(Role.Highlight)


def test_the_app_follows_the_platform_palette_made_readable(qapp: QApplication) -> None:
    try:
        follow_system_palette(qapp)
        palette = qapp.palette()
        ratio = contrast_ratio(palette.color(Role.HighlightedText), palette.color(Role.Highlight))
        assert ratio >= MIN_CONTRAST
    finally:
        qapp.setPalette(QPalette())

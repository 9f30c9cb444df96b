"""Guard for the Qt binding itself: PySide6 6.12.0 on Python 3.11 drops a
reference to None on every void Qt call, and after a few thousand calls the
interpreter aborts ("none_dealloc"). pyproject.toml excludes that release; this
test fails if such a binding is installed again."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject


def test_void_qt_calls_keep_the_reference_count_of_none():
    probe = QObject()
    before = sys.getrefcount(None)
    for i in range(500):
        probe.setObjectName(f"probe-{i}")
    assert sys.getrefcount(None) - before > -50  # -500 on PySide6 6.12.0

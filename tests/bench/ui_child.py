"""The child side of the UI benchmarks (``tests/bench/desktop.py`` starts it).

    python -m tests.bench.ui_child startup --root DIR --profile NAME
    python -m tests.bench.ui_child paging --mode paged|all --root DIR --profile NAME

Each prints one JSON line on stdout. Times are ``time.monotonic()`` readings
(CLOCK_MONOTONIC, shared by every process on the machine), so the parent can
subtract the moment it spawned this process; durations are in seconds.
"""

from __future__ import annotations

import time

T_MAIN = time.monotonic()  # before anything heavy is imported

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

PASSPHRASE = "benchmark passphrase for the river valley"


def _status_kib(key: str) -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kib() -> int:
    """Resident set size now (Linux: /proc/self/status), KiB."""
    return _status_kib("VmRSS")


def reset_peak_rss() -> bool:
    """Start measuring the peak RSS from here (Linux >= 4.0), so the 64 MiB the
    key derivation needed at unlock is not what the list is charged with."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_kib() -> int:
    """Peak RSS since :func:`reset_peak_rss` (else since the process started)."""
    peak = _status_kib("VmHWM")
    if peak:
        return peak
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(maxrss if sys.platform != "darwin" else maxrss // 1024)


def startup(root: Path, profile: str) -> dict[str, Any]:
    """Import the app, unlock, build and show the main window; note when it is
    first painted and when the notes list has its first page."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    import ui.app
    from peerdesk.config import log_dir
    from peerdesk.logs import setup_logging
    from peerdesk.services import ProfileManager

    marks: dict[str, float] = {"main": T_MAIN, "imported": time.monotonic()}
    setup_logging(log_dir())
    app = QApplication([sys.argv[0]])
    app.setApplicationName("PeerDesk")
    manager = ProfileManager(root=root)
    session = manager.open(profile)
    marks["opened"] = time.monotonic()
    session.unlock(PASSPHRASE)
    marks["unlocked"] = time.monotonic()
    window = ui.app.MainWindow(session, manager)
    marks["built"] = time.monotonic()

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "painted" not in marks:
                marks["painted"] = time.monotonic()
                check()
            return False

    def check() -> None:
        if "painted" in marks and "first_page" in marks:
            app.quit()

    def first_page(_rows: int) -> None:
        if "first_page" not in marks:
            marks["first_page"] = time.monotonic()
            marks["first_page_rows"] = window.notes.model.rowCount()
            marks["total_notes"] = window.notes.model.total or 0
            check()

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    window.notes.model.page_loaded.connect(first_page)
    window.resize(1200, 760)
    window.show()
    marks["shown"] = time.monotonic()
    QTimer.singleShot(30_000, app.quit)  # never hang a benchmark
    app.exec()
    window.close()
    return marks


def paging(root: Path, profile: str, mode: str) -> dict[str, Any]:
    """``paged``: the notes model's first page after unlock, then fetchMore to
    the end. ``all``: what the list did before paging: every note read and
    decrypted in one DB job, then put in a QTableWidget."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem

    from peerdesk.services import ProfileManager
    from ui import labels
    from ui.models.notes import NotesListModel
    from ui.taskman import TaskManager

    app = QApplication([sys.argv[0]])
    session = ProfileManager(root=root).open(profile)
    t0 = time.monotonic()
    session.unlock(PASSPHRASE)
    unlocked = time.monotonic()
    out: dict[str, Any] = {"mode": mode, "unlock_s": unlocked - t0}
    taskman = TaskManager()
    out["rss_before_kib"] = rss_kib()
    out["peak_reset"] = reset_peak_rss()
    done: list[bool] = []

    if mode == "paged":
        model = NotesListModel(session, taskman)

        def arrived(_rows: int) -> None:
            if "first_page_s" not in out:
                out["first_page_s"] = time.monotonic() - unlocked
                out["first_page_rows"] = model.rowCount()
            if model.canFetchMore():
                model.fetchMore()
            elif model.exhausted:
                out["all_rows_s"] = time.monotonic() - unlocked
                out["rows"] = model.rowCount()
                done.append(True)
                app.quit()

        model.page_loaded.connect(arrived)
        model.refresh()
    else:
        table = QTableWidget(0, 4)

        def load() -> tuple[list[Any], dict[str, str]]:
            notes = session.notes.list().items
            names = {
                p.id: p.display_name for p in session.participants.list(include_inactive=True).items
            }
            return notes, names

        def fill(loaded: tuple[list[Any], dict[str, str]]) -> None:
            notes, names = loaded
            out["first_page_s"] = time.monotonic() - unlocked  # nothing shows before all is read
            out["read_peak_rss_kib"] = peak_rss_kib()  # the notes read, before the table
            table.setRowCount(len(notes))
            for row, note in enumerate(notes):
                values = (
                    note.start_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                    names.get(note.participant_id, "(unknown)"),
                    labels.template_short_names()[note.template],
                    labels.state_names()[note.state],
                )
                for col, value in enumerate(values):
                    table.setItem(row, col, QTableWidgetItem(value))
            out["all_rows_s"] = time.monotonic() - unlocked
            out["first_page_rows"] = out["rows"] = table.rowCount()
            done.append(True)
            app.quit()

        taskman.db(load).success(fill).run()

    QTimer.singleShot(600_000, app.quit)
    app.exec()
    out["completed"] = bool(done)
    out["peak_rss_kib"] = peak_rss_kib()
    taskman.shutdown(timeout=30)
    session.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=("startup", "paging"))
    ap.add_argument("--root", type=Path, required=True)
    ap.add_argument("--profile", required=True)
    ap.add_argument("--mode", choices=("paged", "all"), default="paged")
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.what == "startup":
        result = startup(args.root, args.profile)
    else:
        result = paging(args.root, args.profile, args.mode)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

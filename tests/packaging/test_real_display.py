"""``make run`` on a real X server: the app starts on Qt's xcb platform under Xvfb.

Every other UI test runs on Qt's offscreen platform, which needs none of the X11
libraries a desktop session uses. These tests prove that what
``packaging/system-deps.sh`` installs is enough for the real thing: Qt's xcb plugin
resolves every library it links, and ``python -m ui.app --demo`` (what ``make run``
starts) opens its window on an X server, draws it, and shuts down cleanly with its
demo agency.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.system import require_program

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is Linux only")


def qt_dir() -> Path:
    import PySide6

    return Path(PySide6.__file__).resolve().parent / "Qt"


@pytest.mark.parametrize("plugin", ["libqxcb.so", "libqoffscreen.so", "libqwayland.so"])
def test_qt_platform_plugins_find_every_library_they_link(plugin: str) -> None:
    ldd = require_program("ldd", "libc-bin")
    path = qt_dir() / "plugins" / "platforms" / plugin
    assert path.is_file(), f"{plugin} is not in this PySide6"
    env = {**os.environ, "LD_LIBRARY_PATH": str(qt_dir() / "lib")}
    out = subprocess.run([ldd, path], capture_output=True, text=True, env=env, check=True)
    missing = [line.strip() for line in out.stdout.splitlines() if "not found" in line]
    assert not missing, f"{plugin} lacks {missing}: run sudo packaging/system-deps.sh app"


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private X server; yields its DISPLAY. ``-displayfd`` lets Xvfb pick a free
    display number, so parallel test workers never collide."""
    binary = require_program("Xvfb", "xvfb")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        [binary, "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()  # written once the server accepts clients
        assert number.isdigit(), "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


#: Runs ``ui.app.main(["--demo"])`` unchanged, with one addition: once the main
#: window is exposed on the X server, grab the whole screen from the server (what a
#: person would see), save it and quit as Ctrl+C would.
CHILD = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    import ui.app

    shot = sys.argv[1]
    original = ui.app.quit_on_signals

    def watching(app):
        original(app)

        def poll():
            main = [
                w for w in app.topLevelWidgets()
                if w.isVisible() and w.windowHandle() is not None
                and w.windowHandle().isExposed() and w.width() >= 800
            ]
            if not main:
                return
            timer.stop()
            app.processEvents()
            image = app.primaryScreen().grabWindow(0).toImage()
            image.save(shot)
            print("PLATFORM", app.platformName(), flush=True)
            print("WINDOW", main[0].width(), main[0].height(), flush=True)
            app.quit()

        timer = QTimer(app)
        timer.timeout.connect(poll)
        timer.start(100)

    ui.app.quit_on_signals = watching
    sys.exit(ui.app.main(["--demo"]))
    """
)


@pytest.mark.slow
def test_make_run_opens_the_demo_window_on_a_real_x_server(xvfb: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "WAYLAND", "PEERDESK_"))}
    env.update(
        DISPLAY=xvfb,
        QT_QPA_PLATFORM="xcb",
        PEERDESK_DATA_DIR=str(tmp_path / "data"),
        PEERDESK_LOG_DIR=str(tmp_path / "logs"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    shot = tmp_path / "make-run.png"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(shot)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "PLATFORM xcb" in done.stdout, output
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert not image.isNull() and image.width() == 1280, output
    # A drawn window, not an empty screen: many colours (text, icons, the sidebar).
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 50, f"the screen has only {len(colours)} colours"

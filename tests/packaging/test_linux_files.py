"""The Linux desktop integration files: validated with the freedesktop and AppStream
validators (Debian packages desktop-file-utils and appstream), consistent with each
other, the launcher and the package version; and the icons rendered for every
platform."""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from peerdesk.bundle import app_version

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
sys.path.insert(0, str(PACKAGING))

import render_icons  # noqa: E402

from tests.system import require_program  # noqa: E402

DESKTOP = PACKAGING / "linux" / "peerdesk.desktop"
METAINFO = PACKAGING / "linux" / "org.peerdesk.PeerDesk.metainfo.xml"
LAUNCHER = PACKAGING / "linux" / "peerdesk.sh"


def test_the_desktop_file_passes_desktop_file_validate():
    validate = require_program("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([validate, DESKTOP], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_the_metainfo_passes_appstreamcli_validate():
    appstreamcli = require_program("appstreamcli", "appstream")
    result = subprocess.run(
        [appstreamcli, "validate", "--no-net", METAINFO], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_desktop_file_is_refused_by_the_validator(tmp_path):
    """The validator check above can fail: a desktop file without Name is refused."""
    validate = require_program("desktop-file-validate", "desktop-file-utils")
    broken = tmp_path / "peerdesk.desktop"
    broken.write_text(
        "\n".join(line for line in DESKTOP.read_text().splitlines() if not line.startswith("Name="))
    )
    assert subprocess.run([validate, broken], capture_output=True).returncode != 0


def test_desktop_file_metainfo_and_launcher_agree():
    desktop = configparser.ConfigParser(interpolation=None, strict=True)
    desktop.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    desktop.read(DESKTOP, encoding="utf-8")
    entry = desktop["Desktop Entry"]
    root = ElementTree.parse(METAINFO).getroot()
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("provides/binary") == entry["Exec"].split()[0] == "peerdesk"
    assert entry["Icon"] == render_icons.NAME == "peerdesk"
    # Qt sets WM_CLASS / the Wayland app id from the desktop file name
    assert entry["StartupWMClass"] == DESKTOP.stem


def test_the_metainfo_lists_a_release_for_this_version():
    root = ElementTree.parse(METAINFO).getroot()
    versions = [r.get("version") for r in root.iter("release")]
    assert app_version() in versions, "add a <release> for the new version to the metainfo"


def test_the_launcher_is_a_valid_shell_script_that_runs_the_bundle(tmp_path):
    assert subprocess.run(["sh", "-n", LAUNCHER]).returncode == 0
    # installed as usr/bin/peerdesk, it starts opt/peerdesk/peerdesk of the same root
    bin_dir = tmp_path / "usr" / "bin"
    bundle = tmp_path / "opt" / "peerdesk"
    bin_dir.mkdir(parents=True)
    bundle.mkdir(parents=True)
    shutil.copyfile(LAUNCHER, bin_dir / "peerdesk")
    (bin_dir / "peerdesk").chmod(0o755)
    fake = bundle / "peerdesk"
    fake.write_text('#!/bin/sh\necho "bundle got: $*"\n')
    fake.chmod(0o755)
    out = subprocess.run(
        [bin_dir / "peerdesk", "--self-test", "a b"], capture_output=True, text=True
    )
    assert out.stdout.strip() == "bundle got: --self-test a b"


# --- icons ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def icons(qapp: object, tmp_path_factory: pytest.TempPathFactory) -> Path:
    # qapp first: the renderer must not make a QGuiApplication the widget tests inherit
    out = tmp_path_factory.mktemp("icons")
    render_icons.write_icons(out)
    return out


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def test_hicolor_icons_in_every_size(icons):
    for size in render_icons.HICOLOR_SIZES:
        png = icons / "hicolor" / f"{size}x{size}" / "apps" / "peerdesk.png"
        assert _png_size(png.read_bytes()) == (size, size)
    assert (icons / "hicolor" / "scalable" / "apps" / "peerdesk.svg").read_bytes() == (
        render_icons.SVG.read_bytes()
    )


def test_the_icons_are_not_blank(icons, qapp):
    from PySide6.QtGui import QImage

    image = QImage(str(icons / "hicolor" / "48x48" / "apps" / "peerdesk.png"))
    colours = {image.pixel(x, y) for x in range(0, 48, 4) for y in range(0, 48, 4)}
    assert len(colours) > 3  # the teal tile, the white and yellow bubbles, transparency


def test_the_windows_ico_holds_every_size(icons):
    data = (icons / "peerdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, len(render_icons.ICO_SIZES))
    for i, size in enumerate(sorted(render_icons.ICO_SIZES)):
        width, _h, _c, _r, _planes, _bpp, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        assert (width or 256) == size
        assert _png_size(data[offset : offset + length]) == (size, size)


def test_the_macos_icns_holds_every_size(icons):
    data = (icons / "peerdesk.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    found, pos = {}, 8
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        found[kind] = _png_size(data[pos + 8 : pos + length])
        pos += length
    assert found == {kind: (s, s) for s, kind in render_icons.ICNS_TYPES.items()}

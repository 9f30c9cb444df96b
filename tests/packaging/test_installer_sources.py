"""The installer sources that cannot be built on this Linux machine (Inno Setup,
the macOS bundle) are checked for what they promise IT; the .deb helpers of
packaging/build.py are checked on their own."""

from __future__ import annotations

import ast
import importlib.util
import plistlib
import re
import sys
from pathlib import Path

import pytest

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
sys.path.insert(0, str(PACKAGING))
# loaded by path: a module named "build" may also be installed (pypa/build)
_spec = importlib.util.spec_from_file_location("peerdesk_packaging_build", PACKAGING / "build.py")
assert _spec is not None and _spec.loader is not None
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

ISS = PACKAGING / "windows" / "peerdesk.iss"
SPEC = PACKAGING / "peerdesk.spec"


def iss_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in ISS.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        match = re.fullmatch(r"\[(\w+)\]", line)
        if match:
            current = match.group(1)
            sections.setdefault(current, [])
        elif current:
            sections[current].append(line)
    return sections


def test_inno_setup_installs_per_machine_from_the_bundle():
    sections = iss_sections()
    setup = dict(line.split("=", 1) for line in sections["Setup"])
    assert setup["PrivilegesRequired"] == "admin"
    assert setup["DefaultDirName"] == r"{autopf}\PeerDesk"
    assert re.fullmatch(r"\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", setup["AppId"])
    assert any(r"dist\peerdesk\*" in line for line in sections["Files"])
    assert any(r"{autoprograms}\PeerDesk" in line for line in sections["Icons"])


def test_inno_setup_takes_the_provisioning_file_on_the_command_line():
    sections = iss_sections()
    provisioning = [line for line in sections["Files"] if "{param:PROVISIONING}" in line]
    assert len(provisioning) == 1
    line = provisioning[0]
    assert r'DestDir: "{commonappdata}\PeerDesk"' in line
    assert 'DestName: "provisioning.toml"' in line and "external" in line
    assert "Check: ProvisioningGiven" in line
    code = "\n".join(sections["Code"])
    assert "function ProvisioningGiven" in code and "function InitializeSetup" in code
    # the provisioning folder is made administrator-only
    assert any("icacls" in line and "/inheritance:r" in line for line in sections["Run"])


def test_the_uninstaller_never_removes_user_data():
    sections = iss_sections()
    assert "UninstallDelete" not in sections and "UninstallRun" not in sections
    text = ISS.read_text(encoding="utf-8")
    assert "{localappdata}" not in text and "{userappdata}" not in text
    kept = [line for line in sections["Files"] + sections["Dirs"] if "{commonappdata}" in line]
    assert kept and all("uninsneveruninstall" in line for line in kept)


def test_the_spec_is_python_with_a_macos_bundle_section():
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    calls = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert {"Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE"} <= calls
    text = SPEC.read_text(encoding="utf-8")
    for key in ("CFBundleShortVersionString", "NSHighResolutionCapable", "LSMinimumSystemVersion"):
        assert key in text
    assert "org.peerdesk.PeerDesk" in text and 'copy_metadata("peerdesk")' in text


def test_the_macos_entitlements_are_a_plist_with_one_exception():
    entitlements = plistlib.loads((PACKAGING / "macos" / "entitlements.plist").read_bytes())
    assert entitlements == {"com.apple.security.cs.allow-unsigned-executable-memory": True}


# --- .deb helpers -----------------------------------------------------------------------


def test_every_system_library_needs_a_package(monkeypatch, tmp_path):
    monkeypatch.setattr(build, "system_libraries", lambda _b: {"libc.so.6", "libGL.so.1"})
    monkeypatch.setattr(build, "glibc_needed", lambda _b: "2.36")
    assert build.deb_depends(tmp_path) == ["libc6 (>= 2.36)", "libgl1"]
    monkeypatch.setattr(build, "system_libraries", lambda _b: {"libc.so.6", "libnew.so.3"})
    with pytest.raises(SystemExit, match="libnew.so.3"):
        build.deb_depends(tmp_path)


def test_glibc_version_is_the_newest_asked_for(tmp_path):
    (tmp_path / "a.so").write_bytes(b"\x7fELF....GLIBC_2.17\x00GLIBC_2.34\x00")
    (tmp_path / "b.so").write_bytes(b"\x7fELF....GLIBC_2.28\x00GLIBC_PRIVATE\x00")
    (tmp_path / "notes.txt").write_bytes(b"GLIBC_2.99")  # not an ELF file
    assert build.glibc_needed(tmp_path) == "2.34"


def test_package_file_modes(tmp_path):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "tool").write_bytes(b"#!/bin/sh\n")
    (tmp_path / "lib.so").write_bytes(b"\x7fELF")
    (tmp_path / "data.json").write_bytes(b"{}")
    for path in tmp_path.rglob("*"):
        path.chmod(0o777 if path.is_dir() else 0o666)
    build._normalise_modes(tmp_path)
    modes = {p.name: p.stat().st_mode & 0o777 for p in tmp_path.rglob("*")}
    assert modes == {"bin": 0o755, "tool": 0o755, "lib.so": 0o755, "data.json": 0o644}

"""What makes CI pass on any fresh machine of its kind, not only on the last one:
``packaging/system-deps.sh`` installs every Debian package a check needs (and says
what to run when it cannot), and under ``CI=true`` a skipped test fails the run."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "system-deps.sh"


def deps(*args: str, path_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if path_dir is not None:
        env["PATH"] = f"{path_dir}:{env['PATH']}"
    return subprocess.run(
        ["bash", str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=60
    )


def listed(group: str | None = None) -> set[str]:
    return set(deps("--list", *([group] if group else [])).stdout.split())


def test_every_program_a_test_requires_comes_from_a_package_the_script_installs() -> None:
    """``require_program(name, package)`` in any test names a package of the list."""
    wanted: dict[str, str] = {}
    for path in (ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "require_program"
                and len(node.args) == 2
                and all(isinstance(a, ast.Constant) for a in node.args)
            ):
                wanted[str(node.args[0].value)] = str(node.args[1].value)  # type: ignore[attr-defined]
    assert {"desktop-file-validate", "appstreamcli", "dbus-daemon", "Xvfb"} <= set(wanted)
    # libc-bin (ldd) is Essential on every Debian system, so the script need not list it
    missing = {p for p in wanted.values() if p != "libc-bin"} - listed()
    assert not missing, f"tests need {missing}, which packaging/system-deps.sh does not install"


def test_the_app_group_is_part_of_the_full_list_and_has_qts_xcb_libraries() -> None:
    assert {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0"} <= listed(
        "app"
    )
    assert listed("app") < listed()
    assert {"desktop-file-utils", "appstream", "xvfb"} <= listed("check")


def test_an_unknown_argument_is_refused() -> None:
    done = deps("--colour")
    assert done.returncode == 2 and "unknown argument '--colour'" in done.stderr


def fake_system(tmp_path: Path, *, uid: int, installed: set[str]) -> Path:
    """``dpkg-query``, ``apt-get`` and ``id`` stand-ins: dpkg knows ``installed`` (a
    file apt-get adds to), apt-get logs its arguments, ``id -u`` prints ``uid``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    state = tmp_path / "installed"
    state.write_text("".join(f"{p}\n" for p in sorted(installed)))
    log = tmp_path / "apt.log"
    scripts = {
        "dpkg-query": f"""
            shift 2  # -W -f=FORMAT
            for p in "$@"; do grep -qxF "$p" {state} && echo "$p ii "; done; exit 0""",
        "apt-get": f"""
            echo "$@" >> {log}
            [ "$1" = update ] && exit 0
            for p in "$@"; do case "$p" in -*|install) ;; *) echo "$p" >> {state};; esac; done""",
        "id": f"echo {uid}",
    }
    for name, body in scripts.items():
        path = bin_dir / name
        path.write_text("#!/bin/bash\n" + textwrap.dedent(body).strip() + "\n")
        path.chmod(0o755)
    return bin_dir


def test_as_root_it_installs_only_what_is_missing_then_has_nothing_to_do(tmp_path: Path) -> None:
    everything = listed()
    bin_dir = fake_system(tmp_path, uid=0, installed=everything - {"xvfb", "appstream"})
    first = deps(path_dir=bin_dir)
    assert first.returncode == 0, first.stderr
    calls = (tmp_path / "apt.log").read_text().splitlines()
    assert len(calls) == 1 and calls[0].split()[-2:] == ["appstream", "xvfb"], calls
    assert "--no-install-recommends" in calls[0]
    again = deps(path_dir=bin_dir)
    assert again.returncode == 0 and "are installed" in again.stdout
    assert len((tmp_path / "apt.log").read_text().splitlines()) == 1  # apt-get not run again


def test_as_another_user_it_prints_the_command_and_fails(tmp_path: Path) -> None:
    bin_dir = fake_system(tmp_path, uid=1000, installed=listed() - {"desktop-file-utils"})
    done = deps(path_dir=bin_dir)
    assert done.returncode == 1
    assert "sudo packaging/system-deps.sh" in done.stderr
    assert "apt-get install -y --no-install-recommends desktop-file-utils" in done.stderr
    assert not (tmp_path / "apt.log").exists()


def test_check_mode_never_installs(tmp_path: Path) -> None:
    bin_dir = fake_system(tmp_path, uid=0, installed=set())
    done = deps("--check", "app", path_dir=bin_dir)
    assert done.returncode == 1 and "missing Debian packages" in done.stderr
    assert not (tmp_path / "apt.log").exists()


def test_ci_runs_the_script_before_anything_else() -> None:
    lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert "set -euo pipefail" in lines
    commands = [line for line in lines if not line.startswith(("set ", "cd ", "export "))]
    assert commands[0].endswith("packaging/system-deps.sh"), commands
    makefile = (ROOT / "Makefile").read_text()
    for target in ("test", "package-check"):
        line = next(x for x in makefile.splitlines() if x.startswith(f"{target}:"))
        assert "system-deps" in line, f"make {target} does not install the system packages"


GUARDED = """
import pytest

def test_passes():
    pass

def test_needs_a_program():
    pytest.skip("frobnicate is not installed")

@pytest.mark.skipif(True, reason="root ignores file permissions; see elsewhere")
def test_as_root():
    pass
"""


@pytest.mark.parametrize("ci", ["true", ""])
def test_under_ci_a_skip_for_a_missing_program_fails_the_run(tmp_path: Path, ci: str) -> None:
    (tmp_path / "test_guarded.py").write_text(GUARDED)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    env = {**os.environ, "CI": ci, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-c", str(tmp_path / "pytest.ini")]
        + ["-p", "no:cacheprovider", "-q", str(tmp_path / "test_guarded.py")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    if ci:
        assert done.returncode == 1, done.stdout
        assert "test_needs_a_program: Skipped: frobnicate is not installed" in done.stdout
        assert "test_as_root" not in done.stdout.split("CI counts as a failure")[-1]
    else:
        assert done.returncode == 0, done.stdout

"""packaging/agency: the systemd units (``systemd-analyze verify`` and its offline
security score) and the Dockerfile.

No image is built here: the test machine reaches no container registry, so the
base image cannot be pulled (and no Docker daemon runs). What can be checked
without one is: the Dockerfile's instructions (a slim base, a non-root USER, a
HEALTHCHECK on /healthz, nothing secret baked in, only the server's
requirements) and that those requirements are all the agency imports."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.system import require_program

ROOT = Path(__file__).resolve().parents[2]
AGENCY = ROOT / "packaging" / "agency"
INSTALLED = "/opt/peerdesk-agency/bin/peerdesk-agency"


# --- systemd ----------------------------------------------------------------------------


def _units(tmp_path: Path) -> list[Path]:
    """The units, with the installed program replaced by this venv's (verify
    checks that ExecStart names an executable)."""
    program = Path(sys.executable).with_name("peerdesk-agency")
    if not program.exists():
        pytest.skip("peerdesk-agency is not installed in this environment")
    out = []
    for name in ("peerdesk-agency.service", "peerdesk-agency-backup.service",
                 "peerdesk-agency-backup.timer"):  # fmt: skip
        text = (AGENCY / name).read_text("utf-8")
        assert INSTALLED in text or name.endswith(".timer")
        (tmp_path / name).write_text(text.replace(INSTALLED, str(program)), "utf-8")
        out.append(tmp_path / name)
    return out


def test_the_systemd_units_verify_and_the_service_is_hardened(tmp_path: Path) -> None:
    analyze = require_program("systemd-analyze", "systemd")
    units = _units(tmp_path)
    done = subprocess.run([analyze, "verify", *map(str, units)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    # verify ignores (with a warning) keys it does not know or values it cannot parse
    score = subprocess.run([analyze, "security", "--offline=yes", str(units[0])], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    output = score.stdout + score.stderr
    assert "Unknown key" not in output and "Failed to parse" not in output, output
    exposure = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", output)
    assert exposure is not None, output
    print(f"\nsystemd-analyze security: exposure {exposure[1]}")
    assert float(exposure[1]) <= 2.0  # "OK" is below 4; this unit scores 1.3 with systemd 252
    text = (AGENCY / "peerdesk-agency.service").read_text("utf-8")
    for setting in ("NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes",
                    "StateDirectory=peerdesk-agency", "StateDirectoryMode=0700", "UMask=0077",
                    "CapabilityBoundingSet=\n"):  # fmt: skip
        assert setting in text
    assert re.search(r"^User=(?!root)\w+", text, re.M)
    # the backup unit: the same private state directory, and old backups pruned
    text = (AGENCY / "peerdesk-agency-backup.service").read_text("utf-8")
    for setting in ("NoNewPrivileges=yes", "ProtectSystem=strict", "StateDirectoryMode=0700",
                    "UMask=0077", "CapabilityBoundingSet=\n"):  # fmt: skip
        assert setting in text, setting
    assert re.search(r"backup --keep \d+ --out", text)
    assert re.search(r"^User=(?!root)\w+", text, re.M)


def test_a_unit_with_a_typo_would_be_caught(tmp_path: Path) -> None:
    """The check above can fail: a misspelt hardening key is reported."""
    analyze = require_program("systemd-analyze", "systemd")
    unit = _units(tmp_path)[0]
    unit.write_text(unit.read_text().replace("ProtectSystem=strict", "ProtectSistem=strict"))
    score = subprocess.run([analyze, "security", "--offline=yes", str(unit)], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert "Unknown key" in score.stdout + score.stderr


# --- Dockerfile -------------------------------------------------------------------------


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    lines = (AGENCY / "Dockerfile").read_text("utf-8").splitlines()
    out: list[tuple[str, str]] = []
    current = ""
    for line in lines:
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line.rstrip("\\").rstrip() + " " if line.endswith("\\") else line
        if not line.endswith("\\"):
            word, _, rest = current.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
            current = ""
    return out


def test_the_dockerfile_runs_a_slim_image_as_non_root_with_a_health_check() -> None:
    steps = _instructions()
    words = [w for w, _ in steps]
    assert set(words) <= {"FROM", "ENV", "COPY", "RUN", "USER", "WORKDIR", "VOLUME", "EXPOSE",
                          "HEALTHCHECK", "CMD"}  # fmt: skip
    bases = [args for w, args in steps if w == "FROM"]
    assert bases and all(re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", b) for b in bases)
    users = [args for w, args in steps if w == "USER"]
    assert users, "no USER: the server would run as root"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0") and words.index("USER") > max(
        i for i, w in enumerate(words) if w == "RUN"
    )
    health = next(args for w, args in steps if w == "HEALTHCHECK")
    assert "/healthz" in health and "CMD" in health
    command = json.loads(next(args for w, args in steps if w == "CMD"))
    assert command[:2] == ["peerdesk-agency", "serve"]
    # the proxy is named at run time (PEERDESK_FORWARDED_ALLOW_IPS), never a default network
    assert "--forwarded-allow-ips" not in command
    assert not any("FORWARDED" in args for w, args in steps if w == "ENV")
    port = command[command.index("--port") + 1]
    assert f"127.0.0.1:{port}/healthz" in health


def test_the_dockerfile_bakes_in_no_secret_and_copies_no_agency_files() -> None:
    steps = _instructions()
    for word, args in steps:
        if word in ("ENV", "ARG"):
            assert not re.search(r"PASS|SECRET|TOKEN|CREDENTIAL|_KEY\b|DATABASE_URL", args, re.I), (
                args
            )
        if word == "COPY":
            sources = shlex.split(args)[:-1]
            assert all(s in ("peerdesk", "resources", "packaging/agency/requirements.txt")
                       for s in sources), sources  # fmt: skip
    ignore = (AGENCY / "Dockerfile.dockerignore").read_text("utf-8").splitlines()
    assert ignore[[ln.strip() for ln in ignore].index("*")] == "*"  # everything else stays out


def _requirements() -> list[str]:
    names = []
    for line in (AGENCY / "requirements.txt").read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(re.split(r"[\[<>=!~ ;]", line, maxsplit=1)[0])
    return names


_IMPORT_CHECK = r"""
import importlib, importlib.metadata as md, pkgutil, re, sys

wanted = sys.argv[1:]
allowed, todo = set(), [w.lower().replace("_", "-") for w in wanted]
while todo:  # the requirements and everything they require (psycopg with [binary])
    name = todo.pop()
    if name in allowed:
        continue
    allowed.add(name)
    try:
        requires = md.requires(name) or []
    except md.PackageNotFoundError:
        continue
    for req in requires:
        if "extra ==" in req and not (name == "psycopg" and "binary" in req):
            continue
        todo.append(re.split(r"[\[<>=!~ ;(]", req, maxsplit=1)[0].lower().replace("_", "-"))
owners = md.packages_distributions()

class Refuse:
    def find_spec(self, fullname, path=None, target=None):
        top = fullname.split(".")[0]
        dists = {d.lower().replace("_", "-") for d in owners.get(top, ())}
        if dists and not dists & allowed and top != "peerdesk":
            raise ModuleNotFoundError(f"{fullname} ({', '.join(sorted(dists))}) is not a server requirement")
        return None

sys.meta_path.insert(0, Refuse())
import peerdesk.agency
for m in pkgutil.walk_packages(peerdesk.agency.__path__, "peerdesk.agency."):
    if not m.name.endswith(("__main__", "migrations.env")):
        importlib.import_module(m.name)
import uvicorn, psycopg  # what serve imports when it starts, and the PostgreSQL driver
print("ok")
"""


def test_the_images_requirements_are_all_the_agency_imports() -> None:
    """Every agency module imports with only packaging/agency/requirements.txt
    (and what they require) importable: no PySide6, nothing of the desktop."""
    names = _requirements()
    assert "PySide6-Essentials" not in names and "prometheus_client" in names
    done = subprocess.run([sys.executable, "-c", _IMPORT_CHECK, *names], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("ok")
    # and the check can fail: without prometheus_client the metrics module does not import
    names.remove("prometheus_client")
    done = subprocess.run([sys.executable, "-c", _IMPORT_CHECK, *names], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert done.returncode != 0 and "prometheus_client" in done.stderr

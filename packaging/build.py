"""Build PeerDesk for the computer this runs on (``make package``), and check it (CI).

    .venv/bin/python packaging/build.py            # icons + bundle (+ .deb on Linux)
    .venv/bin/python packaging/build.py icons      # build/icons/ only
    .venv/bin/python packaging/build.py bundle     # dist/peerdesk/ (and PeerDesk.app on macOS)
    .venv/bin/python packaging/build.py deb        # dist/peerdesk_<version>_<arch>.deb
    .venv/bin/python packaging/build.py check      # CI, Linux: build everything and check it

``check`` (``make package-check``, run by ``.ci/run``):

1. builds the one-folder bundle with PyInstaller (``packaging/peerdesk.spec``);
2. checks its size (uncompressed, every file counted once) is under 150 MB;
3. runs ``dist/peerdesk/peerdesk --self-test`` (Qt offscreen) with no provisioning,
   with a freshly made provisioning file (the pinned key must be reported), with a
   broken one (must fail naming the key), and on a copy of the bundle whose
   directory seed was edited (must fail naming the file);
4. builds the .deb with dpkg-deb, lists it (``dpkg-deb -c``), checks that every
   library the bundle needs from the system is in its Depends;
5. installs it into a temporary root with ``dpkg --root`` (falls back to
   ``dpkg-deb -x`` where dpkg cannot run there, and says so), validates the
   installed .desktop and AppStream files, runs the installed ``/usr/bin/peerdesk``
   launcher with ``--self-test`` and ``dpkg --verify``;
6. prints the figures (sizes, times) and writes them to build/package-report.json.

Windows and macOS builds run ``bundle`` on those systems; see README, "For agency IT".
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from peerdesk.bundle import app_version  # noqa: E402

BUILD = ROOT / "build"
DIST = ROOT / "dist"
SPEC = HERE / "peerdesk.spec"
BUNDLE = DIST / "peerdesk"
ICONS = BUILD / "icons"
#: the goal for the uncompressed bundle, in MB (10^6 bytes)
SIZE_LIMIT_MB = 150.0
PACKAGE = "peerdesk"
DESKTOP_FILE = HERE / "linux" / "peerdesk.desktop"
METAINFO_FILE = HERE / "linux" / "org.peerdesk.PeerDesk.metainfo.xml"
LAUNCHER = HERE / "linux" / "peerdesk.sh"
EXAMPLE_PROVISIONING = HERE / "provisioning.example.toml"
#: Debian/Ubuntu packages for the libraries the bundle takes from the system (the
#: bundle carries the rest). The check fails when the bundle needs one not listed.
SONAME_PACKAGES = {
    "ld-linux-x86-64.so.2": "libc6",
    "ld-linux-aarch64.so.1": "libc6",
    "libc.so.6": "libc6",
    "libdl.so.2": "libc6",
    "libm.so.6": "libc6",
    "libpthread.so.0": "libc6",
    "libresolv.so.2": "libc6",
    "librt.so.1": "libc6",
    "libutil.so.1": "libc6",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libdrm.so.2": "libdrm2",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libxcb.so.1": "libxcb1",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libsystemd.so.0": "libsystemd0",
    "libgcrypt.so.20": "libgcrypt20",
    "libgpg-error.so.0": "libgpg-error0",
    "liblz4.so.1": "liblz4-1",
}
#: dpkg-deb compression, "method:level". zstd (dpkg >= 1.21.18: Debian 12, Ubuntu):
#: 53 MB in ~25 s here; "xz:6" makes 43 MB but takes ~4 minutes on 2 cores
#: (PEERDESK_DEB_COMPRESSION=xz:6 for a release).
DEB_COMPRESSION = "zstd:12"
#: the Debian packages whose validators the check runs
VALIDATOR_PACKAGES = {"desktop-file-validate": "desktop-file-utils", "appstreamcli": "appstream"}


def log(message: str) -> None:
    print(f"[package] {message}", flush=True)


def run(cmd: Sequence[str | Path], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a command; its output is returned (and shown when it fails)."""
    result = subprocess.run(
        [str(c) for c in cmd],
        capture_output=True,
        text=True,
        **kwargs,  # type: ignore[call-overload]
    )
    return result


def must(cmd: Sequence[str | Path], **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = run(cmd, **kwargs)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"failed ({result.returncode}): {' '.join(str(c) for c in cmd)}")
    return result


# --- icons and bundle -----------------------------------------------------------------


def build_icons() -> list[Path]:
    from render_icons import write_icons

    return write_icons(ICONS)


def build_bundle() -> Path:
    """dist/peerdesk/ from packaging/peerdesk.spec (and dist/PeerDesk.app on macOS)."""
    build_icons()
    env = dict(os.environ, PEERDESK_BUILD_DIR=str(BUILD), QT_QPA_PLATFORM="offscreen")
    must(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            DIST,
            "--workpath",
            BUILD / "pyinstaller",
            SPEC,
        ],
        env=env,
        cwd=ROOT,
    )
    executable = BUNDLE / ("peerdesk.exe" if sys.platform == "win32" else "peerdesk")
    if not executable.is_file():
        raise SystemExit(f"PyInstaller did not make {executable}")
    return BUNDLE


def tree_size(path: Path) -> int:
    """Bytes of every file under ``path`` (symbolic links not followed)."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def mb(n_bytes: int) -> float:
    return round(n_bytes / 1_000_000, 1)


# --- Debian package -------------------------------------------------------------------


def _elf_files(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def system_libraries(bundle: Path) -> set[str]:
    """Sonames the bundle's binaries need (directly, or through a system library:
    PyInstaller resolves them with ldd) that the bundle does not carry."""
    from PyInstaller.depend import bindepend

    carried = {p.name for p in bundle.rglob("*") if ".so" in p.name}
    needed: set[str] = set()
    for path in _elf_files(bundle):
        needed |= {name for name, _found in bindepend.get_imports(str(path))}
    return needed - carried


def glibc_needed(bundle: Path) -> str:
    """The newest GLIBC_2.x symbol version any binary of the bundle asks for."""
    newest = 0
    for path in _elf_files(bundle):
        for minor in re.findall(rb"GLIBC_2\.(\d+)", path.read_bytes()):
            newest = max(newest, int(minor))
    return f"2.{newest}"


def deb_depends(bundle: Path) -> list[str]:
    missing = sorted(s for s in system_libraries(bundle) if s not in SONAME_PACKAGES)
    if missing:
        raise SystemExit(
            "the bundle needs system libraries with no package in SONAME_PACKAGES "
            f"(packaging/build.py): {', '.join(missing)}"
        )
    packages = {SONAME_PACKAGES[s] for s in system_libraries(bundle)}
    packages.discard("libc6")
    return [f"libc6 (>= {glibc_needed(bundle)})", *sorted(packages)]


def _normalise_modes(root: Path) -> None:
    """Directories 0755, executables and ELF libraries 0755, other files 0644."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
            continue
        with path.open("rb") as fh:
            head = fh.read(4)
        executable = head == b"\x7fELF" or head[:2] == b"#!"
        path.chmod(0o755 if executable else 0o644)


def build_deb(bundle: Path = BUNDLE, out_dir: Path = DIST) -> Path:
    """dist/peerdesk_<version>_<arch>.deb: the bundle in /opt/peerdesk, the launcher
    /usr/bin/peerdesk, the .desktop and AppStream files, hicolor icons, /etc/peerdesk/
    (empty: IT puts provisioning.toml there) and the docs."""
    if not (bundle / "peerdesk").is_file():
        raise SystemExit(f"no bundle in {bundle}: run `packaging/build.py bundle` first")
    if not (ICONS / "hicolor").is_dir():
        build_icons()
    version = app_version()
    arch = must(["dpkg", "--print-architecture"]).stdout.strip()
    stage = BUILD / "deb" / "root"
    if stage.exists():
        shutil.rmtree(stage)
    shutil.copytree(bundle, stage / "opt" / PACKAGE, symlinks=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    shutil.copyfile(LAUNCHER, stage / "usr" / "bin" / PACKAGE)
    share = stage / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copyfile(DESKTOP_FILE, share / "applications" / DESKTOP_FILE.name)
    (share / "metainfo").mkdir(parents=True)
    shutil.copyfile(METAINFO_FILE, share / "metainfo" / METAINFO_FILE.name)
    shutil.copytree(ICONS / "hicolor", share / "icons" / "hicolor")
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    shutil.copyfile(EXAMPLE_PROVISIONING, doc / EXAMPLE_PROVISIONING.name)
    (doc / "copyright").write_text(
        "PeerDesk\nLicense: proprietary (LicenseRef-Proprietary); see the agency's agreement.\n"
        "It bundles Python, Qt (LGPL-3.0, via PySide6) and other libraries under their own\n"
        "licences, in /opt/peerdesk/_internal/.\n",
        encoding="utf-8",
    )
    (stage / "etc" / PACKAGE).mkdir(parents=True)
    _normalise_modes(stage)
    control_dir = stage / "DEBIAN"
    control_dir.mkdir()
    sums = []
    for path in sorted(p for p in stage.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(stage).as_posix()
        if not rel.startswith("DEBIAN/"):
            sums.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {rel}\n")
    (control_dir / "md5sums").write_text("".join(sums), encoding="utf-8")
    installed_kib = (tree_size(stage) + 1023) // 1024
    control = {
        "Package": PACKAGE,
        "Version": version,
        "Architecture": arch,
        "Maintainer": "PeerDesk packaging <packaging@peerdesk.invalid>",
        "Installed-Size": str(installed_kib),
        "Depends": ", ".join(deb_depends(bundle)),
        "Section": "misc",
        "Priority": "optional",
        "Description": "offline field tool for peer support specialists\n"
        " Case notes, ride logs and a community resource directory, encrypted on the\n"
        " laptop and synced to the agency when a connection comes back. The program\n"
        " is in /opt/peerdesk; the agency's provisioning file goes to\n"
        " /etc/peerdesk/provisioning.toml. User data stays in each user's home folder\n"
        " and is never removed by this package.",
    }
    (control_dir / "control").write_text(
        "".join(f"{k}: {v}\n" for k, v in control.items()), encoding="utf-8"
    )
    _normalise_modes(control_dir)
    out = out_dir / f"{PACKAGE}_{version}_{arch}.deb"
    out_dir.mkdir(parents=True, exist_ok=True)
    compress = os.environ.get("PEERDESK_DEB_COMPRESSION", DEB_COMPRESSION)
    method, _sep, level = compress.partition(":")
    must(
        ["dpkg-deb", "--root-owner-group", f"-Z{method}", f"-z{level or 9}", "--build", stage, out]
    )
    return out


# --- the CI check ---------------------------------------------------------------------


def _need_tools() -> None:
    """The validators and dpkg come from Debian packages that
    ``packaging/system-deps.sh`` installs (``make package-check`` runs it first); when
    one is missing, stop with the one command that installs them all."""
    missing = [
        f"{tool} (Debian package {package})"
        for tool, package in {**VALIDATOR_PACKAGES, "dpkg-deb": "dpkg"}.items()
        if shutil.which(tool) is None
    ]
    if missing:
        raise SystemExit(
            "the package check needs " + ", ".join(missing) + "; install them with: "
            "sudo packaging/system-deps.sh"
        )


def self_test(
    executable: Path, *args: str, expect_ok: bool = True, must_say: Sequence[str] = ()
) -> float:
    """Run ``executable --self-test ARGS`` with no display; check the verdict and
    the words; returns the seconds it took."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("PEERDESK_PROVISIONING", None)
    start = time.perf_counter()
    result = run([executable, "--self-test", *args], env=env, timeout=120)
    seconds = time.perf_counter() - start
    output = result.stdout + result.stderr
    if (result.returncode == 0) != expect_ok or not all(w in output for w in must_say):
        sys.stderr.write(output)
        raise SystemExit(
            f"self-test of {executable} {' '.join(args)}: exit {result.returncode}, "
            f"expected {'success' if expect_ok else 'failure'} mentioning {list(must_say)}"
        )
    print(
        "\n".join(f"    {line}" for line in result.stdout.strip().splitlines()),
        flush=True,
    )
    return seconds


def _test_provisioning(directory: Path) -> tuple[Path, Path, str]:
    """A good and a broken provisioning file (fresh key); returns their paths and the key id."""
    from peerdesk.config import ProvisionedPolicy, Provisioning, provisioning_toml
    from peerdesk.crypto.seal import SigningKeyPair

    root = SigningKeyPair.generate()
    prov = Provisioning(
        agency_name="CI Check Agency",
        agency_url="https://peerdesk.example.org",
        root_public_key=root.public_raw,
        root_key_id=root.key_id,
        policy=ProvisionedPolicy(auto_lock_minutes=5, locked=frozenset({"auto_lock_minutes"})),
    )
    directory.mkdir(parents=True, exist_ok=True)
    good = directory / "provisioning.toml"
    good.write_text(provisioning_toml(prov), encoding="utf-8")
    broken = directory / "broken.toml"
    broken.write_text(
        provisioning_toml(prov).replace("https://peerdesk.example.org", "http://evil.example"),
        encoding="utf-8",
    )
    return good, broken, root.key_id


def install_into_root(deb: Path, root: Path) -> str:
    """Install ``deb`` under ``root``; returns how ("dpkg --root" or "dpkg-deb -x")."""
    if root.exists():
        shutil.rmtree(root)
    admin = root / "var" / "lib" / "dpkg"
    for sub in ("info", "updates", "triggers"):
        (admin / sub).mkdir(parents=True)
    (admin / "status").write_text("", encoding="utf-8")
    (admin / "available").write_text("", encoding="utf-8")
    extra = [] if os.geteuid() == 0 else ["--force-not-root"]
    result = run(
        [
            "dpkg",
            f"--root={root}",
            *extra,
            "--force-depends",  # libc6, libgl1... are the host's, not in this root's database
            "--force-script-chrootless",
            "--no-triggers",
            "--install",
            deb,
        ]
    )
    if result.returncode == 0 and (root / "opt" / PACKAGE / "peerdesk").is_file():
        return "dpkg --root"
    log(f"dpkg --root did not work here ({result.stderr.strip()[-300:]}); using dpkg-deb -x")
    shutil.rmtree(root)
    root.mkdir(parents=True)
    must(["dpkg-deb", "-x", deb, root])
    return "dpkg-deb -x"


def check() -> dict[str, object]:
    if not sys.platform.startswith("linux"):
        raise SystemExit("the package check builds the Linux bundle and .deb: run it on Linux")
    _need_tools()
    report: dict[str, object] = {"version": app_version()}
    work = BUILD / "check"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)

    log("building the bundle with PyInstaller")
    start = time.perf_counter()
    bundle = build_bundle()
    report["bundle_build_s"] = round(time.perf_counter() - start, 1)
    size = tree_size(bundle)
    report["bundle_mb"] = mb(size)
    report["bundle_mib"] = round(size / 1048576, 1)
    report["bundle_files"] = sum(1 for p in bundle.rglob("*") if p.is_file())
    log(f"bundle: {report['bundle_mb']} MB ({report['bundle_mib']} MiB), built in "
        f"{report['bundle_build_s']} s")  # fmt: skip
    if size / 1_000_000 >= SIZE_LIMIT_MB:
        raise SystemExit(f"the bundle is {mb(size)} MB, over the {SIZE_LIMIT_MB} MB goal")

    executable = bundle / "peerdesk"
    version = must([executable, "--version"]).stdout.strip()
    if version != f"PeerDesk {app_version()}":
        raise SystemExit(f"--version said {version!r}")
    log(f"{executable} --version: {version}")
    log("self-test, not provisioned")
    report["self_test_s"] = round(self_test(executable, must_say=["all checks passed"]), 2)
    good, broken, kid = _test_provisioning(work / "provisioning")
    log("self-test with a provisioning file")
    self_test(executable, "--provisioning", str(good), must_say=[f"root key {kid} pinned"])
    log("self-test with a broken provisioning file (must fail, naming the key)")
    self_test(executable, "--provisioning", str(broken), expect_ok=False, must_say=["agency.url"])
    log("self-test on a copy of the bundle with an edited directory seed (must fail)")
    tampered = work / "tampered"
    shutil.copytree(bundle, tampered, symlinks=True)
    seed = tampered / "_internal" / "resources" / "directory" / "seed.json"
    seed.write_bytes(seed.read_bytes().replace(b"988", b"989", 1))
    self_test(
        tampered / "peerdesk",
        expect_ok=False,
        must_say=["directory/seed.json was changed"],
    )
    shutil.rmtree(tampered)

    log("building the .deb")
    start = time.perf_counter()
    deb = build_deb(bundle)
    report["deb_build_s"] = round(time.perf_counter() - start, 1)
    report["deb"] = deb.name
    report["deb_mb"] = mb(deb.stat().st_size)
    log(f"{deb.name}: {report['deb_mb']} MB, built in {report['deb_build_s']} s")
    listing = must(["dpkg-deb", "-c", deb]).stdout
    for wanted in (
        "./opt/peerdesk/peerdesk",
        "./opt/peerdesk/_internal/resources/directory/seed.json",
        "./usr/bin/peerdesk",
        "./usr/share/applications/peerdesk.desktop",
        "./usr/share/metainfo/org.peerdesk.PeerDesk.metainfo.xml",
        "./usr/share/icons/hicolor/256x256/apps/peerdesk.png",
        "./usr/share/icons/hicolor/scalable/apps/peerdesk.svg",
        "./etc/peerdesk/",
    ):
        if wanted not in listing:
            raise SystemExit(f"dpkg-deb -c: {wanted} is not in the package")
    lines = listing.splitlines()
    report["deb_entries"] = len(lines)
    print("\n".join(f"    {line}" for line in [*lines[:6], "    ...", *lines[-4:]]), flush=True)
    info = must(["dpkg-deb", "-f", deb, "Depends", "Installed-Size"]).stdout.strip()
    log(f"control: {' / '.join(info.splitlines())}")

    root = work / "root"
    report["install_method"] = install_into_root(deb, root)
    log(f"installed into {root} with {report['install_method']}")
    must(["desktop-file-validate", root / "usr/share/applications/peerdesk.desktop"])
    must(
        [
            "appstreamcli",
            "validate",
            "--no-net",
            root / "usr/share/metainfo/org.peerdesk.PeerDesk.metainfo.xml",
        ]
    )
    log("desktop-file-validate and appstreamcli validate: passed")
    launcher = root / "usr" / "bin" / "peerdesk"
    if not os.access(launcher, os.X_OK) or not launcher.stat().st_mode & stat.S_IXOTH:
        raise SystemExit(f"{launcher} is not executable")
    log(f"{launcher} --self-test")
    report["installed_self_test_s"] = round(
        self_test(launcher, "--provisioning", str(good), must_say=["all checks passed"]), 2
    )
    if report["install_method"] == "dpkg --root":
        verify = run(["dpkg", f"--root={root}", "--verify", PACKAGE])
        if verify.returncode != 0 or verify.stdout.strip():
            raise SystemExit(f"dpkg --verify: {verify.stdout}{verify.stderr}")
        log("dpkg --verify: every installed file matches the package")
    return report


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    action = args[0] if args else "all"
    start = time.perf_counter()
    if action == "icons":
        for path in build_icons():
            print(path)
    elif action == "bundle":
        log(f"bundle: {build_bundle()} ({mb(tree_size(BUNDLE))} MB)")
    elif action == "deb":
        log(f"package: {build_deb()}")
    elif action == "all":
        bundle = build_bundle()
        log(f"bundle: {bundle} ({mb(tree_size(bundle))} MB)")
        if sys.platform.startswith("linux") and shutil.which("dpkg-deb"):
            deb = build_deb(bundle)
            log(f"package: {deb} ({mb(deb.stat().st_size)} MB)")
    elif action == "check":
        report = check()
        report["total_s"] = round(time.perf_counter() - start, 1)
        (BUILD / "package-report.json").write_text(json.dumps(report, indent=2) + "\n")
        log("passed: " + ", ".join(f"{k}={v}" for k, v in report.items()))
        return 0
    else:
        print(__doc__, file=sys.stderr)
        return 2
    log(f"done in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

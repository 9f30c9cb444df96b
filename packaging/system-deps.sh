#!/usr/bin/env bash
# The Debian/Ubuntu packages PeerDesk's app and checks need from the system, in one
# place. Everything else (Python packages, Qt itself) goes into .venv from PyPI.
#
#   packaging/system-deps.sh                 # install what is missing (all groups)
#   packaging/system-deps.sh app             # only what `make run` needs
#   packaging/system-deps.sh --check [GROUP] # install nothing; exit 1 if something is missing
#   packaging/system-deps.sh --list [GROUP]  # print the package names
#
# Groups:
#   app    Qt's runtime libraries that a minimal Debian lacks (its X11/xcb and Wayland
#          platform plugins, OpenGL/EGL, fontconfig, D-Bus) and a font.
#   check  what `make test` and `make package-check` call: the .desktop and AppStream
#          validators, dbus-daemon (a private bus for the auto-lock test), Xvfb (the
#          app in a real X11 window), dpkg-deb, binutils (objdump), openssl,
#          pg_dump/pg_restore (agency backups), systemd-analyze and chromium (the
#          agency web console's browser tests).
#
# Idempotent and quick: when every package is installed it asks dpkg once and exits 0
# (about 0.1 s). As root it installs the missing ones with apt-get (running
# `apt-get update` first only when the package lists are missing or out of date for
# them). As another user it installs nothing and prints the one command to run,
# then exits 1, so a check can never pass on one machine and fail on the next.
set -euo pipefail

APP_PACKAGES=(
    # Qt's xcb platform plugin (libqxcb.so) and its X11 libraries
    libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
    libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0
    libxcb-shm0 libxcb-sync1 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1 libxcb-glx0
    libxkbcommon0 libxkbcommon-x11-0 libxext6 libxrender1 libxi6 libsm6 libice6
    # the Wayland plugin, OpenGL/EGL (QtGui links them), fonts, D-Bus, GLib
    libwayland-client0 libwayland-cursor0 libwayland-egl1
    libegl1 libgl1 libopengl0 libglx0
    libfontconfig1 libfreetype6 fonts-dejavu-core
    libdbus-1-3 libglib2.0-0
)
CHECK_PACKAGES=(
    desktop-file-utils   # desktop-file-validate
    appstream            # appstreamcli validate
    dbus-daemon          # a private session bus in tests/ui/test_autolock.py
    xvfb xauth           # tests/packaging/test_real_display.py: the app on a real X server
    dpkg                 # dpkg-deb, dpkg --root (make package-check)
    binutils             # objdump (PyInstaller's binary analysis)
    openssl              # the README's test certificate recipe (tests/agency)
    chromium             # the agency web console's browser tests (Playwright drives it)
    postgresql-client-15 # pg_dump/pg_restore of the test server's major version (backup tests)
    systemd              # systemd-analyze verify of packaging/agency's units
)

mode=install
groups=()
for arg in "$@"; do
    case "$arg" in
        --check) mode=check ;;
        --list) mode=list ;;
        app | check) groups+=("$arg") ;;
        -h | --help)
            sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "system-deps.sh: unknown argument '$arg' (groups: app, check; options: --check, --list)" >&2
            exit 2
            ;;
    esac
done
[ ${#groups[@]} -eq 0 ] && groups=(app check)

wanted=()
for group in "${groups[@]}"; do
    case "$group" in
        app) wanted+=("${APP_PACKAGES[@]}") ;;
        check) wanted+=("${CHECK_PACKAGES[@]}") ;;
    esac
done

if [ "$mode" = list ]; then
    printf '%s\n' "${wanted[@]}"
    exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps.sh: this is not a Debian/Ubuntu system (no dpkg-query)." >&2
    echo "Install the equivalents of: ${wanted[*]}" >&2
    exit 1
fi

missing() {
    # One dpkg-query for all of them; a package dpkg never heard of prints nothing.
    local installed
    installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${wanted[@]}" 2>/dev/null |
        awk '$2 ~ /^ii/ {print $1}' || true)
    local pkg
    for pkg in "${wanted[@]}"; do
        grep -qxF "$pkg" <<<"$installed" || printf '%s\n' "$pkg"
    done
}

mapfile -t todo < <(missing)
if [ ${#todo[@]} -eq 0 ]; then
    echo "system-deps.sh: all ${#wanted[@]} Debian packages (${groups[*]}) are installed"
    exit 0
fi

command_line="apt-get install -y --no-install-recommends ${todo[*]}"
if [ "$mode" = check ]; then
    echo "system-deps.sh: missing Debian packages: ${todo[*]}" >&2
    echo "install them with: sudo packaging/system-deps.sh   (or: sudo $command_line)" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "system-deps.sh: missing Debian packages: ${todo[*]}" >&2
    echo "run as root:  sudo packaging/system-deps.sh   (it runs: $command_line)" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "system-deps.sh: installing ${todo[*]}"
# Try with the package lists as they are; refresh them once if that fails (a fresh
# image often has none, or stale ones that name versions the mirror dropped).
if ! apt-get install -y -q --no-install-recommends "${todo[@]}"; then
    echo "system-deps.sh: refreshing the package lists (apt-get update) and trying again"
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${todo[@]}"
fi

mapfile -t still < <(missing)
if [ ${#still[@]} -ne 0 ]; then
    echo "system-deps.sh: still missing after apt-get: ${still[*]}" >&2
    exit 1
fi
echo "system-deps.sh: done"

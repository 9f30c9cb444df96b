"""Programs from the system (Debian packages) that some tests need.

Every one of them is installed by ``packaging/system-deps.sh`` (which ``.ci/run``
runs first). Outside CI a missing program skips its test with that command in the
reason; under ``CI=true`` it fails the test, so CI cannot pass on one machine and
fail on the next because something was installed there by hand.
"""

from __future__ import annotations

import os
import shutil

import pytest

INSTALL_HINT = "install it with: sudo packaging/system-deps.sh"


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_program(name: str, package: str) -> str:
    """The path of program ``name`` (from Debian package ``package``); skip the test
    without it, or fail it under CI."""
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed (Debian package {package}); {INSTALL_HINT}"
        if under_ci():
            pytest.fail(message)
        pytest.skip(message)
    return found

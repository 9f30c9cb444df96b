"""The build list of resource files (peerdesk/bundle.py): a bundle whose directory
seed, translation or any other resource was edited, removed or added after the
build is refused, naming the file."""

from __future__ import annotations

import shutil
import sys
import types
from pathlib import Path

import pytest

from peerdesk import bundle
from peerdesk.bundle import (
    BUILD_INFO_MODULE,
    build_info_source,
    bundled_manifest,
    resource_digests,
    verify_resources,
    write_build_info,
)
from peerdesk.errors import IntegrityError
from peerdesk.resources import RESOURCES_DIR


@pytest.fixture
def shipped(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the directory seed and a translation, with their build list."""
    root = tmp_path / "resources"
    for part in (("directory", "seed.json"), ("translations", "peerdesk_es.qm")):
        target = root.joinpath(*part)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(RESOURCES_DIR.joinpath(*part), target)
    return root, resource_digests(root)


def test_an_untouched_bundle_passes(shipped):
    root, manifest = shipped
    assert verify_resources(root, manifest) == 2


def test_an_edited_directory_seed_is_detected(shipped):
    root, manifest = shipped
    seed = root / "directory" / "seed.json"
    seed.write_bytes(seed.read_bytes().replace(b"988", b"989", 1))
    with pytest.raises(IntegrityError, match=r"directory/seed\.json was changed"):
        verify_resources(root, manifest)


def test_a_missing_and_an_added_file_are_named(shipped):
    root, manifest = shipped
    (root / "translations" / "peerdesk_es.qm").unlink()
    (root / "directory" / "extra.json").write_text("{}")
    with pytest.raises(IntegrityError) as err:
        verify_resources(root, manifest)
    assert "translations/peerdesk_es.qm is missing" in str(err.value)
    assert "directory/extra.json was added" in str(err.value)


def test_the_generated_module_carries_the_list(tmp_path, shipped, monkeypatch):
    root, manifest = shipped
    path = write_build_info(tmp_path / "info", root, "9.9.9")
    namespace: dict[str, object] = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    assert namespace["VERSION"] == "9.9.9" and namespace["RESOURCES"] == manifest
    assert build_info_source("1", {}).count("RESOURCES = {") == 1


def test_from_source_there_is_nothing_to_check():
    assert not bundle.is_bundle()
    assert bundled_manifest() is None
    assert verify_resources() == 0


def test_a_bundle_checks_its_own_list(shipped, monkeypatch):
    root, manifest = shipped
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    module = types.ModuleType(BUILD_INFO_MODULE)
    module.RESOURCES = manifest  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, BUILD_INFO_MODULE, module)
    assert verify_resources(root) == 2
    (root / "directory" / "seed.json").write_text("[]")
    with pytest.raises(IntegrityError, match="seed.json was changed"):
        verify_resources(root)


def test_a_bundle_without_its_list_is_refused(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setitem(sys.modules, BUILD_INFO_MODULE, None)  # import fails
    with pytest.raises(IntegrityError, match="no resource list"):
        bundled_manifest()

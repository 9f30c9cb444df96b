"""HSDS on disk: :func:`load` reads a JSON file or a folder holding a CSV
package; :func:`save_json` and :func:`save_csv_package` write them."""

from __future__ import annotations

from pathlib import Path

from peerdesk.domain.directory.model import Dataset
from peerdesk.errors import DirectoryDataError
from peerdesk.interop.hsds.csv_package import dump_csv_package, parse_csv_package
from peerdesk.interop.hsds.csv_tables import CSV_TABLES
from peerdesk.interop.hsds.json_format import dump_json, parse_json
from peerdesk.interop.hsds.reader import MAX_FILE_BYTES


def load(path: Path) -> Dataset:
    """Read an HSDS JSON file, or a folder holding a CSV package."""
    if path.is_dir():
        files: dict[str, bytes] = {}
        for canonical, (alias, _) in CSV_TABLES.items():
            for name in (canonical, alias):
                candidate = path / name
                if candidate.is_file():
                    files[name] = _read_bounded(candidate)
        return parse_csv_package(files)
    return parse_json(_read_bounded(path), source=path.name)


def _read_bounded(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DirectoryDataError(f"is larger than {MAX_FILE_BYTES} bytes", source=path.name)
        return path.read_bytes()
    except OSError as exc:
        raise DirectoryDataError(f"cannot be read: {exc.strerror}", source=str(path)) from None


def save_json(dataset: Dataset, path: Path) -> None:
    path.write_text(dump_json(dataset), encoding="utf-8")


def save_csv_package(dataset: Dataset, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in dump_csv_package(dataset).items():
        (folder / name).write_text(text, encoding="utf-8", newline="")

"""HSDS on disk: :func:`load` reads a JSON file or a folder holding a CSV
package (strictly: the first problem raises); :func:`save_json`,
:func:`save_csv_package` and :func:`save_export_json` write them. The import
that reports problems and goes on is :func:`.importing.import_path`."""

from __future__ import annotations

from pathlib import Path

from peerdesk.domain.directory.model import Dataset
from peerdesk.interop.hsds.csv_package import CSV_FILES, parse_csv_package
from peerdesk.interop.hsds.export import dump_csv_package, dump_export_json, formula_cells
from peerdesk.interop.hsds.importing import read_bounded
from peerdesk.interop.hsds.json_format import dump_json, parse_json


def load(path: Path) -> Dataset:
    """Read an HSDS JSON file, or a folder holding a CSV package."""
    if path.is_dir():
        files: dict[str, str | bytes] = {}
        for name in (*CSV_FILES, "datapackage.json"):
            candidate = path / name
            if candidate.is_file():
                files[name] = read_bounded(candidate)
        return parse_csv_package(files)
    return parse_json(read_bounded(path), source=path.name)


def save_json(dataset: Dataset, path: Path) -> None:
    """The internal form (what the agency stores and signs)."""
    path.write_text(dump_json(dataset), encoding="utf-8")


def save_export_json(dataset: Dataset, path: Path) -> None:
    """HSDS 3 JSON, each record as the official schema shapes it."""
    path.write_text(dump_export_json(dataset), encoding="utf-8")


def save_csv_package(dataset: Dataset, folder: Path) -> int:
    """Write the CSV package, every cell exactly as the data holds it; returns how
    many cells a spreadsheet would run as formulas (see :func:`.export.formula_cells`)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = dump_csv_package(dataset)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
    return sum(1 for _ in formula_cells(files))

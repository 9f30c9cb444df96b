"""The resource directory in Open Referral's Human Services Data Specification
(HSDS 3.x): read and write the directory model (:mod:`peerdesk.domain.directory`)
in both HSDS forms.

* **JSON** (:mod:`.json_format`): one object with the HSDS tables as arrays, or
  the "compiled" shape an HSDS API returns (services with their organization,
  locations and terms embedded).
* **CSV package** (:mod:`.csv_package`): a folder of one file per table, the 21
  tables of HSDS 3 (:mod:`.hsds3`) with their plural names.
* **Import** (:mod:`.importing`, :mod:`.shapes`): every shape the HSDS 3
  specification publishes (a dataset, one record, a list or API page, the
  tabular JSON, the CSV package); a bad record is reported and left out, never
  the file.
* **Export** (:mod:`.export`): HSDS 3 JSON and CSV that validate against the
  official schemas.
* **Files** (:mod:`.files`): :func:`load` reads a JSON file or a CSV folder.
* **Update documents** (:mod:`.update_doc`): a signed snapshot or delta's map.

Fields PeerDesk does not model (funding, contacts, cost options, metadata ...)
are kept with each record (``extra``) and given back on export.

The strict readers (:func:`parse_json`, :func:`parse_csv_package`, :func:`load`,
used for signed updates and stored data) raise on the first problem: :class:`~peerdesk.errors.DirectoryDataError` naming the
file, the record (``row 7`` counts like a spreadsheet: the header is row 1;
``services[3] (id '...')`` in JSON) and the field. Checked: JSON syntax, types,
required fields, enumerations, sizes (:data:`~.reader.MAX_ID`,
:data:`~.reader.MAX_SHORT`, :data:`~.reader.MAX_TEXT`, :data:`~.reader.MAX_ITEMS`,
:data:`~.reader.MAX_FILE_BYTES`), duplicate ids (per table, nested children
included), references (organization, location, taxonomy term, parent term,
taxonomy) and a few rules (age range, valid dates, opening times, day codes).
"""

from __future__ import annotations

from peerdesk.interop.hsds.csv_package import ALIASES, CSV_FILES, parse_csv_package
from peerdesk.interop.hsds.export import (
    dump_csv_package,
    dump_export_json,
    export_json,
    formula_cells,
)
from peerdesk.interop.hsds.files import load, save_csv_package, save_export_json, save_json
from peerdesk.interop.hsds.importing import (
    Imported,
    Problem,
    formula_problems,
    import_csv,
    import_json,
    import_path,
    merge,
    repair,
)
from peerdesk.interop.hsds.json_format import (
    HSDS_VERSION,
    dataset_from_json,
    dataset_to_json,
    dump_json,
    parse_json,
    record_from_json,
    record_to_json,
)
from peerdesk.interop.hsds.reader import (
    MAX_EXTENT,
    MAX_FILE_BYTES,
    MAX_ID,
    MAX_ITEMS,
    MAX_RECORDS,
    MAX_SHORT,
    MAX_TEXT,
)
from peerdesk.interop.hsds.update_doc import FORMAT, update_from_doc, update_to_doc

__all__ = [
    "ALIASES",
    "CSV_FILES",
    "FORMAT",
    "HSDS_VERSION",
    "MAX_EXTENT",
    "MAX_FILE_BYTES",
    "MAX_ID",
    "MAX_ITEMS",
    "MAX_RECORDS",
    "MAX_SHORT",
    "MAX_TEXT",
    "dataset_from_json",
    "dataset_to_json",
    "Imported",
    "Problem",
    "dump_csv_package",
    "dump_export_json",
    "dump_json",
    "export_json",
    "formula_cells",
    "formula_problems",
    "import_csv",
    "import_json",
    "import_path",
    "merge",
    "repair",
    "load",
    "parse_csv_package",
    "parse_json",
    "record_from_json",
    "record_to_json",
    "save_csv_package",
    "save_export_json",
    "save_json",
    "update_from_doc",
    "update_to_doc",
]

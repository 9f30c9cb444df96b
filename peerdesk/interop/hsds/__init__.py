"""The resource directory in Open Referral's Human Services Data Specification
(HSDS 3.x): read and write the directory model (:mod:`peerdesk.domain.directory`)
in both HSDS forms.

* **JSON** (:mod:`.json_format`): one object with the HSDS tables as arrays, or
  the "compiled" shape an HSDS API returns (services with their organization,
  locations and terms embedded).
* **CSV package** (:mod:`.csv_package`): a folder of one file per table
  (:mod:`.csv_tables`).
* **Files** (:mod:`.files`): :func:`load` reads a JSON file or a CSV folder.
* **Update documents** (:mod:`.update_doc`): a signed snapshot or delta's map.

Fields PeerDesk does not model (funding, contacts, cost options, metadata ...)
are ignored on import and therefore absent on export.

Every problem raises :class:`~peerdesk.errors.DirectoryDataError` naming the
file, the record (``row 7`` counts like a spreadsheet: the header is row 1;
``services[3] (id '...')`` in JSON) and the field. Checked: JSON syntax, types,
required fields, enumerations, sizes (:data:`~.reader.MAX_ID`,
:data:`~.reader.MAX_SHORT`, :data:`~.reader.MAX_TEXT`, :data:`~.reader.MAX_ITEMS`,
:data:`~.reader.MAX_FILE_BYTES`), duplicate ids (per table, nested children
included), references (organization, location, taxonomy term, parent term,
taxonomy) and a few rules (age range, valid dates, opening times, day codes).
"""

from __future__ import annotations

from peerdesk.interop.hsds.csv_package import dump_csv_package, parse_csv_package
from peerdesk.interop.hsds.csv_tables import CSV_TABLES
from peerdesk.interop.hsds.files import load, save_csv_package, save_json
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
    "CSV_TABLES",
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
    "dump_csv_package",
    "dump_json",
    "load",
    "parse_csv_package",
    "parse_json",
    "record_from_json",
    "record_to_json",
    "save_csv_package",
    "save_json",
    "update_from_doc",
    "update_to_doc",
]

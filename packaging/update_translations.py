"""Regenerate the UI translation catalogues in resources/translations/.

    .venv/bin/python packaging/update_translations.py

Runs pyside6-lupdate over ui/**/*.py into every peerdesk_<lang>.ts (keeping the
translations already there, dropping strings no longer in the code), adds the
strings lupdate's Python parser misses and the core's ``Msg("...")`` sentences
(context "core"; see ui/i18n.py), then compiles each .ts to
its .qm with pyside6-lrelease. New strings are left "unfinished": translate them
(in the .ts, by hand or with pyside6-linguist) and run this again. Exits 1 when a
call in ui/ or a Msg in the core cannot be extracted or a string is still untranslated.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peerdesk.resources import translation_path
from ui.i18n import LANGUAGES, extract_strings, message_files, read_ts, update_catalogues


def main() -> int:
    _found, problems = extract_strings(message_files())
    for problem in problems:
        print(f"cannot translate: {problem}", file=sys.stderr)
    for report in update_catalogues():
        print(report.rstrip())
    status = 1 if problems else 0
    for language in LANGUAGES:
        ts = translation_path(language, ".ts")
        todo = [m for m in read_ts(ts) if not m.finished]
        for message in todo:
            print(f"{ts.name}: not translated yet: {message.source!r}", file=sys.stderr)
        if todo:
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())

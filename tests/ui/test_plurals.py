"""Issue 21: a count shown in the UI goes to tr() as ``n`` so each language picks
its plural ("4 notas", not "4 nota"); the Spanish catalogue has nothing unfinished."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from peerdesk.services.app import translation_path
from ui.i18n import install_translators, read_ts, source_files, tr

#: "{count} note(s)": a count formatted in front of a word that depends on it
_COUNTED_WORD = re.compile(r"\{\w+\} \w+\(s\)")
#: summaries with several counts at once, each worded "(s)" in every language (the
#: report's billing line): one n cannot serve them all
SEVERAL_COUNTS = {
    "{code} under “{payer}”: {units} unit(s) in total, {approved} of them approved, "
    "from {notes} note(s); {flagged} note(s) flagged.",
    "Written to {csv} and {x12}: %n claim line(s), {units} unit(s).",
}


def _tr_text(call: ast.Call) -> tuple[str, int] | None:
    """The literal text of a tr()/translate() call and how many arguments follow it."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    first = {"tr": 0, "translate": 1}.get(name)
    if first is None or len(call.args) <= first:
        return None
    text = call.args[first]
    if not (isinstance(text, ast.Constant) and isinstance(text.value, str)):
        return None
    given = len(call.args) - first + len(call.keywords)
    return text.value, given


def uncounted(files: list[Path]) -> list[str]:
    """tr() calls that show a count without passing it as n."""
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or (taken := _tr_text(node)) is None:
                continue
            text, given = taken
            where = f"{path.name}:{node.lineno}"
            if "%n" in text and given < 3:
                found.append(f"{where}: %n without n: {text!r}")
            elif _COUNTED_WORD.search(text) and text not in SEVERAL_COUNTS:
                found.append(f"{where}: count formatted in, not passed as n: {text!r}")
    return found


def test_no_ui_count_is_formatted_into_a_tr_text() -> None:
    assert uncounted(source_files()) == []


def test_the_scan_finds_a_count_formatted_in(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        'tr("%n note(s)")\ntr("{n} trip(s) saved").format(n=2)\ntr("%n note(s)", None, 2)\n'
    )
    assert len(uncounted([bad])) == 2


def test_the_spanish_catalogue_has_no_unfinished_string() -> None:
    messages = read_ts(translation_path("es").with_suffix(".ts"))
    assert len(messages) > 300
    assert [m.source for m in messages if not m.finished] == []
    # every numerus message has Spanish's two forms
    assert [m.source for m in messages if m.numerus and len(m.translations) != 2] == []


def test_counts_are_plural_in_spanish(qapp: QApplication) -> None:
    installed = install_translators(qapp, QLocale("es"))
    try:
        assert tr("%n note(s)", None, 4) == "4 notas"
        assert tr("%n note(s)", None, 1) == "1 nota"
        assert "3 registros" in tr("%n record(s) could not be read.", None, 3)
        assert "1 registro." in tr("%n record(s) could not be read.", None, 1)
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
        QLocale.setDefault(QLocale("en_US"))

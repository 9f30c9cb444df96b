"""Issue 21: a count shown in the UI goes to tr() as ``n`` so each language picks
its plural ("4 notas", not "4 nota"); the Spanish catalogue has nothing unfinished."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from peerdesk.domain.reports import BillingReport, PeerUnits
from peerdesk.services.app import translation_path
from ui.i18n import install_translators, read_ts, source_files, tr
from ui.screens.report_tabs import billing_summary
from ui.screens.reports import claims_written

#: "{count} note(s)", "{count} claim line(s)": a count formatted in front of the
#: word (or the last of up to three words) that depends on it
_COUNTED_WORD = re.compile(r"\{\w+\}(?: [\w-]+){1,3}\(s\)")
#: the Spanish way of leaving the plural open ("nota(s)", "unidad(es)")
_OPEN_PLURAL = re.compile(r"\w\((?:s|es)\)")


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
            elif _COUNTED_WORD.search(text):
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


def test_the_scan_finds_a_sentence_of_several_counts_formatted_in(tmp_path: Path) -> None:
    """The report lines of issue 21 as they were: counts formatted into one text,
    each word with "(s)"; every count there must be its own numerus part."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        'tr("{code} under “{payer}”: {units} unit(s) in total, {approved} of them "\n'
        '   "approved, from {notes} note(s); {flagged} note(s) flagged.")\n'
        'tr("Written to {csv} and {x12}: %n claim line(s), {units} unit(s).", None, 2)\n'
        'tr("Written to {csv}: {lines} claim line(s).")\n'
        'tr("Written to {csv} and {x12}: {lines}, {units}.")\n'
    )
    assert [line.split(":")[1] for line in uncounted([bad])] == ["1", "3", "4"]


def test_the_spanish_catalogue_has_no_unfinished_string() -> None:
    messages = read_ts(translation_path("es").with_suffix(".ts"))
    assert len(messages) > 300
    assert [m.source for m in messages if not m.finished] == []
    # every numerus message has Spanish's two forms
    assert [m.source for m in messages if m.numerus and len(m.translations) != 2] == []
    # no Spanish text leaves a plural open ("nota(s)"): each count is a numerus part
    assert [t for m in messages for t in m.translations if _OPEN_PLURAL.search(t)] == []


@contextmanager
def speaking(qapp: QApplication, language: str) -> Iterator[None]:
    """The app in ``language`` (English: no catalogue) until the block ends."""
    installed = install_translators(qapp, QLocale(language))
    assert bool(installed) == (language != "en")
    try:
        yield
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
        QLocale.setDefault(QLocale("en_US"))


@pytest.fixture
def spanish(qapp: QApplication) -> Iterator[None]:
    with speaking(qapp, "es"):
        yield


@pytest.fixture(params=["en", "es"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    with speaking(qapp, request.param):
        yield request.param


def _billing(*, units: int, approved: int, notes: int, flagged: int) -> BillingReport:
    row = PeerUnits("Ana", "dev-1", notes=notes, units=units, flagged=flagged,
                    approved_units=approved)  # fmt: skip
    return BillingReport(rows=[row], flags=[], payer="Medicaid")


#: the billing line with every count 1, then with counts of 2 and more, and 0, then
#: with no notes; English has no catalogue: tr() makes the source's "(s)" the English
#: plural of each count
BILLING_LINES = {
    "en": (
        "H0038 under “Medicaid”: 1 unit in total, 1 of them approved, from 1 note; 1 note flagged.",
        "H0038 under “Medicaid”: 5 units in total, 2 of them approved, from 3 notes; "
        "0 notes flagged.",
        "No notes with a contact in this month.",
    ),
    "es": (
        "H0038 según «Medicaid»: 1 unidad en total, 1 de ellas aprobada, de 1 nota; "
        "1 nota señalada.",
        "H0038 según «Medicaid»: 5 unidades en total, 2 de ellas aprobadas, de 3 notas; "
        "0 notas señaladas.",
        "No hay notas con un contacto en este mes.",
    ),
}
#: the claim export's line: 1 line and 1 unit, 2 lines and 7 units, 1 line and 4 units
CLAIMS_LINES = {
    "en": (
        "1 claim line, 1 unit.",
        "2 claim lines, 7 units.",
        "1 claim line, 4 units.",
    ),
    "es": (
        "1 línea de reclamación, 1 unidad.",
        "2 líneas de reclamación, 7 unidades.",
        "1 línea de reclamación, 4 unidades.",  # each count its own plural
    ),
}


def test_the_billing_line_has_a_plural_for_each_count(language: str) -> None:
    ones = _billing(units=1, approved=1, notes=1, flagged=1)
    many = _billing(units=5, approved=2, notes=3, flagged=0)
    none = BillingReport(rows=[], flags=[])
    said = (billing_summary(ones), billing_summary(many), billing_summary(none))
    assert said == BILLING_LINES[language]


def test_the_claims_line_has_a_plural_for_each_count(language: str) -> None:
    csv, x12 = Path("/out/claims.csv"), Path("/out/claims.837")
    said = [claims_written(csv, x12, lines=n, units=u) for n, u in ((1, 1), (2, 7), (1, 4))]
    head = {"en": f"Written to {csv} and claims.837: ", "es": f"Escrito en {csv} y claims.837: "}
    assert said == [head[language] + tail for tail in CLAIMS_LINES[language]]


def test_counts_are_plural_in_spanish(spanish: None) -> None:
    assert tr("%n note(s)", None, 4) == "4 notas"
    assert tr("%n note(s)", None, 1) == "1 nota"
    assert "3 registros" in tr("%n record(s) could not be read.", None, 3)
    assert "1 registro." in tr("%n record(s) could not be read.", None, 1)

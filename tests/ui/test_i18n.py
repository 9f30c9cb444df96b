"""Translations: the Spanish catalogue loads and translates; every string the UI
code can ask for is in the catalogue (so a change that forgets to update the
translations fails here), every message is translated with its placeholders
intact, the .qm is compiled from the .ts, and the language comes from
PEERDESK_LANG or the system locale."""

from __future__ import annotations

import importlib
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from peerdesk.demo.profiles import ensure_demo_profile
from peerdesk.resources import TRANSLATIONS_DIR, translation_path
from peerdesk.services import ProfileManager
from ui import i18n
from ui.app import MainWindow
from ui.application import setup_application
from ui.i18n import (
    catalogue_language,
    choose_locale,
    extract_strings,
    install_translators,
    message_files,
    read_ts,
    source_files,
    tr,
    update_catalogue,
)

TS = translation_path("es", ".ts")
QM = translation_path("es", ".qm")


def test_spanish_catalogue_loads_and_translates_known_strings(
    spanish: list[QTranslator],
) -> None:
    assert (
        TRANSLATIONS_DIR == Path(i18n.__file__).resolve().parents[1] / "resources" / "translations"
    )
    assert len(spanish) == 2  # PeerDesk's own, and Qt's for the standard buttons
    assert tr("Participants") == "Participantes"
    assert tr("%n change(s) waiting to sync.", None, 1) == "1 cambio por sincronizar."
    assert tr("%n change(s) waiting to sync.", None, 4) == "4 cambios por sincronizar."
    assert QCoreApplication.translate("errors", "Please check what you entered.") == (
        "Revise lo que escribió."
    )
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancelar"


def test_english_and_unknown_languages_load_no_catalogue(qapp: QApplication) -> None:
    assert install_translators(qapp, QLocale("en_US")) == []
    assert install_translators(qapp, QLocale("fr_FR")) == []
    assert tr("Participants") == "Participants"


def test_language_comes_from_peerdesk_lang_or_the_system() -> None:
    assert choose_locale({"PEERDESK_LANG": "es"}, QLocale("en_US")).language() == (
        QLocale.Language.Spanish
    )
    assert choose_locale({}, QLocale("es_MX")).name() == "es_MX"
    assert choose_locale({"PEERDESK_LANG": " "}, QLocale("de_DE")).name() == "de_DE"
    assert catalogue_language(QLocale("es_MX")) == "es"  # any Spanish gets the Spanish
    assert catalogue_language(QLocale("es")) == "es"
    assert catalogue_language(QLocale("en_GB")) is None
    assert catalogue_language(QLocale("pt_BR")) is None


def test_startup_with_peerdesk_lang_es_shows_a_spanish_window(
    qapp: QApplication, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PEERDESK_LANG", "es")
    style, default_locale = qapp.style().name(), QLocale()
    installed = setup_application(qapp)
    try:
        assert qapp.style().name().lower() == "fusion"
        assert not qapp.windowIcon().isNull()
        manager = ProfileManager(root=tmp_path)
        window = MainWindow(ensure_demo_profile(manager), manager, idle_timeout_s=0)
        qtbot.addWidget(window)
        window.show()
        items = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
        assert items == [
            "Hoy",
            "Participantes",
            "Notas",
            "Viajes",
            "Semana",
            "Recursos",
            "Mi trabajo",
            "Sincronizar",
        ]
        qtbot.waitUntil(lambda: window.today.data is not None)
        assert window.today.title.text().startswith("Hoy, ")
        window.close()
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
        QLocale.setDefault(default_locale)
        qapp.setStyle(style)
        qapp.setPalette(QPalette())  # back to the platform's palette


# --- the catalogue and the code ---------------------------------------------------------


def test_every_ui_string_can_be_extracted() -> None:
    found, problems = extract_strings(message_files())
    assert [str(p) for p in problems] == []
    assert len(found) > 300


def test_every_ui_string_is_in_the_catalogue_with_its_kind() -> None:
    """Fails when code adds or changes a string and the .ts was not updated
    (run packaging/update_translations.py)."""
    found, _ = extract_strings(message_files())
    catalogue = {m.key[:3]: m.numerus for m in read_ts(TS)}
    missing = sorted(
        f"{f.path.name}:{f.line}: {f.source!r}" for f in found if f.key not in catalogue
    )
    assert missing == []
    wrong_kind = sorted(
        f"{f.path.name}:{f.line}: {f.source!r}" for f in found if f.numerus and not catalogue[f.key]
    )
    assert wrong_kind == []


def test_the_catalogue_is_what_the_update_script_makes(tmp_path: Path) -> None:
    """lupdate over ui/**/*.py (plus what it misses) gives exactly the committed
    messages: nothing missing, nothing stale."""
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    update_catalogue(copy, None, language="es")
    fresh = {m.key: m.translations for m in read_ts(copy)}
    committed = {m.key: m.translations for m in read_ts(TS)}
    assert sorted(set(fresh) - set(committed)) == []  # new strings not in the .ts
    assert sorted(set(committed) - set(fresh)) == []  # strings no longer in the code
    assert fresh == committed


PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%n|%[0-9]|%s|%d")


def _accelerators(text: str) -> int:
    return len(re.findall(r"&(?!&)", text.replace("&&", "")))


def test_every_message_is_translated_with_its_placeholders() -> None:
    problems = []
    for message in read_ts(TS):
        if not message.finished:
            problems.append(f"not translated: {message.source!r}")
            continue
        if message.numerus and len(message.translations) != 2:
            problems.append(f"Spanish has two plural forms: {message.source!r}")
        wanted = sorted(PLACEHOLDER.findall(message.source))
        for text in message.translations:
            if sorted(PLACEHOLDER.findall(text)) != wanted and not (
                message.numerus and "%n" not in text and "%n" in wanted
            ):
                problems.append(f"placeholders differ: {message.source!r} -> {text!r}")
            if _accelerators(text) != _accelerators(message.source):
                problems.append(f"keyboard accelerator differs: {message.source!r} -> {text!r}")
    assert problems == []


def test_the_qm_is_compiled_from_the_ts(tmp_path: Path) -> None:
    fresh = tmp_path / "peerdesk_es.qm"
    i18n.run_lrelease(TS, fresh)
    assert fresh.read_bytes() == QM.read_bytes(), "run packaging/update_translations.py"


def test_every_module_tr_looks_up_the_context_lupdate_writes(spanish: list[QTranslator]) -> None:
    """A module with a tr() of its own (another context) would show English."""
    found, _ = extract_strings(source_files())
    spanish_text = {m.key[:3]: m.translations[0] for m in read_ts(TS) if not m.numerus}
    by_file: dict[Path, str] = {}
    for item in found:
        if item.context == i18n.CONTEXT and spanish_text.get(item.key, item.source) != item.source:
            by_file.setdefault(item.path, item.source)
    assert len(by_file) >= 8
    root = Path(i18n.__file__).resolve().parents[1]
    wrong = []
    for path, source in by_file.items():
        module = importlib.import_module(
            ".".join(path.resolve().relative_to(root).with_suffix("").parts)
        )
        lookup = getattr(module, "tr", None)
        if lookup is None or lookup(source) == source:
            wrong.append(f"{path.name}: tr({source!r}) is not translated")
    assert wrong == []

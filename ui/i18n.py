"""Translations of the desktop app (Qt Linguist: ``.ts`` sources, ``.qm`` catalogues).

Every string a person sees goes through :func:`tr` (or
``QCoreApplication.translate(context, ...)`` with a literal context). ``pyside6-lupdate``
reads the Python sources and files every bare ``tr("...")`` call under the *empty*
context, whatever class or module it is in; :func:`tr` therefore translates in that
same context, so what lupdate extracts is what the app looks up. Give a short
disambiguation as the second argument when one English word needs two
translations (``tr("Other", "trip purpose")``); plurals pass the count as the
third (``tr("%n note(s)", None, count)``), which lupdate marks as a numerus message.

Catalogues live in ``resources/translations/`` (found through
:mod:`peerdesk.resources`, never the current directory): ``peerdesk_<lang>.ts`` is
edited (by hand or in Qt Linguist), ``peerdesk_<lang>.qm`` is compiled from it and
loaded at start-up. ``packaging/update_translations.py`` runs both tools;
:func:`update_catalogues` is the same thing as a function.

The language: ``PEERDESK_LANG`` (``es``, ``en``...) when set, else the system's
UI languages. English needs no catalogue.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from peerdesk.errors import Msg, english_plural
from peerdesk.services.app import TRANSLATIONS_DIR, translation_path

__all__ = [
    "CONTEXT",
    "LANGUAGES",
    "Found",
    "Message",
    "Problem",
    "catalogue_language",
    "choose_locale",
    "core_source_files",
    "core_text",
    "extract_strings",
    "install_translators",
    "message_files",
    "read_ts",
    "source_files",
    "tr",
    "translate_n",
    "update_catalogue",
    "update_catalogues",
]

#: the context lupdate gives bare ``tr()`` calls in Python code
CONTEXT = ""
#: languages with a catalogue in resources/translations/ (English is the source)
LANGUAGES = ("es",)
#: the context of the sentences the core writes for people (``Msg("...")``)
CORE_CONTEXT = "core"
#: the UI package whose sources are scanned for strings
UI_DIR = Path(__file__).resolve().parent
#: the core, whose ``Msg("...")`` sentences the desktop shows (the agency server and
#: the command line speak English only, so they are not scanned)
CORE_DIR = UI_DIR.parent / "peerdesk"
_CORE_SKIPPED = ("agency", "cli.py")
ENV_LANG = "PEERDESK_LANG"


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """Translate ``text`` (a string literal, so lupdate can find it). With a count
    ``n``, English (no catalogue) takes its plural: "1 note(s)" reads "1 note"."""
    return translate_n(CONTEXT, text, disambiguation, n)


def translate_n(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``QCoreApplication.translate`` in ``context``, and for a count ``n`` the
    English plural when no catalogue translated it ("word(s)" is only ever in the
    English source; Qt has already put the count in for ``%n``)."""
    shown = QCoreApplication.translate(context, text, disambiguation, n)
    return english_plural(shown, n) if n >= 0 else shown


def core_text(text: str) -> str:
    """A sentence the core wrote (a :class:`peerdesk.errors.Msg`) in the UI's
    language: its template looked up in context ``"core"``, its params filled in
    (those that are Msgs translated the same way). English, with its plurals made,
    when there is no translation. A plain ``str`` is returned as it is."""
    if not isinstance(text, Msg):
        return text
    params = {k: core_text(v) if isinstance(v, str) else v for k, v in text.params.items()}
    shown = translate_n(CORE_CONTEXT, text.template, None, -1 if text.n is None else text.n)
    if not params:
        return shown
    try:
        return shown.format(**params)
    except (KeyError, IndexError, ValueError):
        # a catalogue whose placeholders do not match: English rather than nothing
        return str(text)


# --- choosing and loading -------------------------------------------------------------


def choose_locale(env: Mapping[str, str] | None = None, system: QLocale | None = None) -> QLocale:
    """The locale of the UI: ``PEERDESK_LANG`` when set (``es``, ``es_MX``), else the
    system locale."""
    env = os.environ if env is None else env
    wanted = env.get(ENV_LANG, "").strip()
    if wanted:
        return QLocale(wanted)
    return system if system is not None else QLocale.system()


def catalogue_language(locale: QLocale, directory: Path = TRANSLATIONS_DIR) -> str | None:
    """The language whose catalogue to load for ``locale``: the first of its UI
    languages (in the user's order of preference) that PeerDesk has a catalogue
    for, or None when English (the source language) comes first or none fits."""
    for tag in locale.uiLanguages():
        name = tag.replace("-", "_")
        base = name.split("_")[0].lower()
        if base in ("en", "c"):
            return None
        for candidate in (name, base):
            if (directory / f"peerdesk_{candidate}.qm").is_file():
                return candidate
    return None


def install_translators(
    app: QCoreApplication, locale: QLocale, directory: Path = TRANSLATIONS_DIR
) -> list[QTranslator]:
    """Load PeerDesk's catalogue for ``locale`` (and Qt's own, for the standard
    buttons of message boxes) and install them on ``app``. Returns what was
    installed: nothing for English or a language without a catalogue."""
    language = catalogue_language(locale, directory)
    if language is None:
        return []
    ours = QTranslator(app)
    if not ours.load(str(directory / f"peerdesk_{language}.qm")):
        return []
    app.installTranslator(ours)
    installed = [ours]
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(QLocale(language), "qtbase", "_", qt_dir):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


# --- the catalogues -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a ``.ts`` file."""

    context: str
    source: str
    comment: str  #: the disambiguation, "" when none
    numerus: bool
    translations: tuple[str, ...]  #: one per plural form (one for a plain message)
    finished: bool

    @property
    def key(self) -> tuple[str, str, str, bool]:
        return (self.context, self.source, self.comment, self.numerus)


def read_ts(path: Path) -> list[Message]:
    """The messages of a Qt Linguist ``.ts`` file (obsolete and vanished ones left out)."""
    root = ElementTree.parse(path).getroot()
    out: list[Message] = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type", "") if translation is not None else "unfinished"
            if kind in ("obsolete", "vanished"):
                continue
            numerus = message.get("numerus") == "yes"
            if translation is None:
                texts: tuple[str, ...] = ()
            elif numerus:
                texts = tuple(form.text or "" for form in translation.iter("numerusform"))
            else:
                texts = (translation.text or "",)
            out.append(
                Message(
                    context=name,
                    source=message.findtext("source") or "",
                    comment=message.findtext("comment") or "",
                    numerus=numerus,
                    translations=texts,
                    finished=kind == "" and all(texts) and bool(texts),
                )
            )
    return out


def source_files(root: Path = UI_DIR) -> list[Path]:
    """The Python files lupdate reads: every ``.py`` under ``ui/``."""
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def core_source_files(root: Path = CORE_DIR) -> list[Path]:
    """The desktop core's Python files, whose ``Msg("...")`` sentences the UI shows
    (everything under ``peerdesk/`` but the agency server and the command line)."""
    return [p for p in source_files(root) if p.relative_to(root).parts[0] not in _CORE_SKIPPED]


def message_files() -> list[Path]:
    """Every file with strings for the catalogue: the UI's and the core's."""
    return source_files() + core_source_files()


def _tool(name: str) -> Path:
    """``lupdate`` / ``lrelease`` as shipped inside the PySide6 wheel."""
    import PySide6

    base = Path(PySide6.__file__).resolve().parent
    for candidate in (base / name, base / f"{name}.exe", base / "Qt" / "bin" / name):
        if candidate.is_file():
            return candidate
    script = Path(sys.executable).with_name(f"pyside6-{name}")
    if script.is_file():
        return script
    raise FileNotFoundError(f"{name} not found next to PySide6 ({base})")


def run_lupdate(ts: Path, sources: Iterable[Path], *, language: str) -> str:
    """Extract the strings of ``sources`` into ``ts`` (merging with what is there,
    dropping strings no longer in the code). Returns lupdate's report."""
    cmd = [
        str(_tool("lupdate")),
        *(str(p) for p in sources),
        "-no-obsolete",
        "-locations",
        "relative",
        "-source-language",
        "en",
        "-target-language",
        language,
        "-ts",
        str(ts),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return done.stdout + done.stderr


def run_lrelease(ts: Path, qm: Path) -> str:
    """Compile ``ts`` into ``qm``. Returns lrelease's report."""
    cmd = [str(_tool("lrelease")), str(ts), "-qm", str(qm)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return done.stdout + done.stderr


# --- extraction checked against the Python syntax tree ---------------------------------
#
# lupdate's Python parser has blind spots: it never marks a
# ``QCoreApplication.translate(context, text, None, n)`` call as a plural (numerus)
# message, and it silently skips a call whose count argument holds a nested call
# (``max(int(n), 0)``). :func:`extract_strings` reads the same calls from the
# syntax tree; :func:`update_catalogue` adds what lupdate missed, so every string the
# code can ask for is in the catalogue with the right kind.


@dataclass(frozen=True, slots=True)
class Found:
    """A translatable string found in the code."""

    context: str
    source: str
    comment: str
    numerus: bool
    path: Path
    line: int

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.context, self.source, self.comment)


@dataclass(frozen=True, slots=True)
class Problem:
    """A call that cannot be extracted (or would be looked up in another context)."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _arg(call: ast.Call, index: int, name: str) -> ast.expr | None:
    if len(call.args) > index:
        return call.args[index]
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


class _Extractor(ast.NodeVisitor):
    def __init__(self, path: Path, *, core: bool = False) -> None:
        self.path = path
        #: a core module: only its Msg("...") sentences count (no Qt there, so a
        #: tr or translate of its own is something else)
        self.core = core
        self.found: list[Found] = []
        self.problems: list[Problem] = []

    def _problem(self, node: ast.AST, message: str) -> None:
        self.problems.append(Problem(self.path, getattr(node, "lineno", 0), message))

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if not self.core and node.name == "tr" and node.col_offset == 0:
            self._problem(
                node,
                "a module-level tr() of its own: lupdate files bare tr() calls under the "
                "empty context, so import tr from ui.i18n instead",
            )
            return  # its body is a wrapper, not a string
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else None
        attr = func.attr if isinstance(func, ast.Attribute) else None
        if self.core:
            if name == "Msg":
                # a sentence of the core (peerdesk.errors.Msg): template first, n= a count
                self._take(node, CORE_CONTEXT, 0)
        elif name == "tr":
            self._take(node, "", 0)
        elif attr == "tr":
            self._problem(node, "obj.tr(): use tr() from ui.i18n (one context for lupdate)")
        elif name in ("translate", "translate_n") or attr == "translate":
            context = _literal(_arg(node, 0, "context"))
            if context is None:
                self._problem(node, "translate() needs a literal context")
            else:
                self._take(node, context, 1)
        self.generic_visit(node)

    def _take(self, call: ast.Call, context: str, first: int) -> None:
        names = ("source", "disambiguation", "n") if first else ("text", "disambiguation", "n")
        source_node = _arg(call, first, names[0])
        source = _literal(source_node)
        if source is None:
            kind = "an f-string" if isinstance(source_node, ast.JoinedStr) else "not a literal"
            self._problem(call, f"the text to translate is {kind}: lupdate cannot extract it")
            return
        if not source:
            self._problem(call, "empty text to translate")
            return
        comment_node = _arg(call, first + 1, names[1])
        comment = _literal(comment_node)
        if comment is None and not (
            comment_node is None
            or (isinstance(comment_node, ast.Constant) and comment_node.value is None)
        ):
            self._problem(call, "the disambiguation must be a literal string or None")
            return
        numerus = _arg(call, first + 2, names[2]) is not None
        self.found.append(Found(context, source, comment or "", numerus, self.path, call.lineno))


def extract_strings(files: Iterable[Path]) -> tuple[list[Found], list[Problem]]:
    """Every ``tr()`` / ``translate()`` string in ``files`` (``ui/i18n.py`` itself,
    which only wraps them, is skipped), and the calls that cannot be extracted."""
    found: list[Found] = []
    problems: list[Problem] = []
    for path in files:
        if path.resolve() == Path(__file__).resolve():
            continue
        extractor = _Extractor(path, core=path.resolve().is_relative_to(CORE_DIR))
        extractor.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        found.extend(extractor.found)
        problems.extend(extractor.problems)
    return found, problems


def _numerus_forms(root: ElementTree.Element) -> int:
    for message in root.iter("message"):
        if message.get("numerus") == "yes":
            translation = message.find("translation")
            if translation is not None:
                return max(1, len(list(translation.iter("numerusform"))))
    return 2


def _set_translation(
    message: ElementTree.Element, numerus: bool, forms: int, previous: Message | None
) -> None:
    old = message.find("translation")
    if old is not None:
        message.remove(old)
    translation = ElementTree.SubElement(message, "translation")
    texts: tuple[str, ...] = ()
    if previous is not None and previous.numerus == numerus:
        texts = previous.translations
    if numerus:
        message.set("numerus", "yes")
        for index in range(forms):
            form = ElementTree.SubElement(translation, "numerusform")
            form.text = texts[index] if index < len(texts) else ""
    else:
        message.attrib.pop("numerus", None)
        translation.text = texts[0] if texts else ""
    if not (previous is not None and previous.finished and previous.numerus == numerus):
        translation.set("type", "unfinished")


def reconcile(
    ts: Path, found: Iterable[Found], previous: Mapping[tuple[str, str, str], Message]
) -> list[str]:
    """Make ``ts`` hold every string of ``found`` with the right kind (plain or
    numerus), keeping translations from ``previous``, and write it back in one
    stable format. Returns what was changed."""
    tree = ElementTree.parse(ts)
    root = tree.getroot()
    forms = _numerus_forms(root)
    contexts: dict[str, ElementTree.Element] = {}
    messages: dict[tuple[str, str, str], ElementTree.Element] = {}
    for group in root.iter("context"):
        name = group.findtext("name") or ""
        contexts[name] = group
        for entry in group.iter("message"):
            key = (name, entry.findtext("source") or "", entry.findtext("comment") or "")
            messages[key] = entry
    wanted: dict[tuple[str, str, str], Found] = {}
    for item in found:
        if item.key not in wanted or item.numerus:
            wanted[item.key] = item
    changes: list[str] = []
    for key, item in wanted.items():
        message = messages.get(key)
        if message is None:
            context = contexts.get(item.context)
            if context is None:
                context = contexts[item.context] = ElementTree.SubElement(root, "context")
                ElementTree.SubElement(context, "name").text = item.context
            message = messages[key] = ElementTree.SubElement(context, "message")
            location = ElementTree.SubElement(message, "location")
            location.set("filename", os.path.relpath(item.path, ts.parent))
            location.set("line", str(item.line))
            ElementTree.SubElement(message, "source").text = item.source
            if item.comment:
                ElementTree.SubElement(message, "comment").text = item.comment
            _set_translation(message, item.numerus, forms, previous.get(key))
            changes.append(f"added (lupdate missed it): {item.path}:{item.line} {item.source!r}")
        elif (message.get("numerus") == "yes") != item.numerus:
            _set_translation(message, item.numerus, forms, previous.get(key))
            changes.append(f"made {'plural' if item.numerus else 'plain'}: {item.source!r}")
    # lupdate takes every Python "#:" comment before a string for a note to the
    # translator; here "#:" documents attributes (Sphinx style), so those go.
    for message in root.iter("message"):
        for note in message.findall("extracomment"):
            message.remove(note)
    ElementTree.indent(tree, space="    ")
    body = ElementTree.tostring(root, encoding="unicode")
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
        encoding="utf-8",
    )
    return changes


def update_catalogue(ts: Path, qm: Path | None, *, language: str) -> list[str]:
    """Bring ``ts`` up to date with the code (lupdate, then the strings it missed)
    and compile it to ``qm``. Translations already in ``ts`` are kept; new strings
    are left unfinished. Returns the reports. Calls that cannot be extracted are
    left out (:func:`extract_strings` lists them)."""
    files = source_files()
    found, _problems = extract_strings(message_files())
    previous = {m.key[:3]: m for m in read_ts(ts)} if ts.is_file() else {}
    ts.parent.mkdir(parents=True, exist_ok=True)
    reports = [run_lupdate(ts, files, language=language)]
    reports.extend(reconcile(ts, found, previous))
    if qm is not None:
        reports.append(run_lrelease(ts, qm))
    return reports


def update_catalogues(languages: Iterable[str] = LANGUAGES) -> list[str]:
    """Update every ``.ts`` in resources/translations/ and compile its ``.qm``."""
    reports: list[str] = []
    for language in languages:
        reports.extend(
            update_catalogue(
                translation_path(language, ".ts"),
                translation_path(language, ".qm"),
                language=language,
            )
        )
    return reports

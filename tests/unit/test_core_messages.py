"""Every sentence the desktop core writes for a person is translatable.

The errors whose own words the desktop shows (a ValidationError's message, why a
file could not be exported, why storage or a settings file failed, the problem in
directory data, each passphrase problem) are built in the desktop core with
:class:`peerdesk.errors.Msg`, whose literal template the catalogue tools extract
(context "core") and the UI translates. This test reads the syntax tree of every
desktop-core module (the agency server and the command line speak English only)
and fails for a message given as a plain string, an f-string or anything it cannot
trace to a Msg.
"""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest

from peerdesk.errors import (
    ConsentRequired,
    Msg,
    StorageUnavailable,
    ValidationError,
    english_plural,
    message_of,
)

CORE = Path(__file__).resolve().parents[2] / "peerdesk"
UI = CORE.parent / "ui"
SKIPPED = ("agency", "cli.py")

#: error class -> (index of its message argument, keyword name)
USER_FACING: dict[str, tuple[int, str]] = {
    "ValidationError": (0, "message"),
    "StorageUnavailable": (0, "message"),
    "ConfigError": (0, "message"),
    "ExportError": (1, "reason"),
    "DirectoryDataError": (0, "problem"),
}
#: attributes of another error that hold its (already translatable) message
MESSAGE_ATTRIBUTES = frozenset({"message", "problem", "reason"})


def desktop_core_files() -> list[Path]:
    return sorted(
        p
        for p in CORE.rglob("*.py")
        if "__pycache__" not in p.parts
        and p.relative_to(CORE).parts[0] not in SKIPPED
        and p.name != "errors.py"
    )


def _is_msg_annotation(node: ast.expr | None) -> bool:
    return (isinstance(node, ast.Name) and node.id == "Msg") or (
        isinstance(node, ast.Constant) and node.value == "Msg"
    )


class _Module:
    """What the module knows statically: its Msg-returning functions and the
    module-level tables whose values are all Msgs."""

    def __init__(self, tree: ast.Module, *, ui: bool = False) -> None:
        #: in the UI, a sentence translated on the spot (tr, translate) is fine too
        self.translated_by = ("tr", "translate") if ui else ()
        self.msg_functions = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and _is_msg_annotation(node.returns)
        }
        self.msg_tables: set[str] = set()
        for node in tree.body:
            target, value = None, None
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign):
                target, value = node.target, node.value
            if (
                isinstance(target, ast.Name)
                and isinstance(value, ast.Dict)
                and value.values
                and all(self.is_msg(v, None) for v in value.values)
            ):
                self.msg_tables.add(target.id)

    def is_msg(self, node: ast.expr, scope: ast.AST | None) -> bool:
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else None
            attr = func.attr if isinstance(func, ast.Attribute) else None
            return (
                name == "Msg" or name in self.msg_functions or (name or attr) in self.translated_by
            )
        if isinstance(node, ast.IfExp):
            return self.is_msg(node.body, scope) and self.is_msg(node.orelse, scope)
        if isinstance(node, ast.Attribute):
            return node.attr in MESSAGE_ATTRIBUTES
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            return node.value.id in self.msg_tables
        if isinstance(node, ast.Name) and scope is not None:
            return self._name_is_msg(node.id, scope)
        return False

    def _name_is_msg(self, name: str, scope: ast.AST) -> bool:
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            every = [*scope.args.posonlyargs, *scope.args.args, *scope.args.kwonlyargs]
            for arg in every:
                if arg.arg == name:
                    return _is_msg_annotation(arg.annotation)
        values: list[ast.expr] = []
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign):
                if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                    values.append(node.value)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                if node.target.id == name:
                    if _is_msg_annotation(node.annotation):
                        return True
                    if node.value is not None:
                        values.append(node.value)
        return bool(values) and all(self.is_msg(v, None) for v in values)


def _argument(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    if len(call.args) > index:
        return call.args[index]
    for item in call.keywords:
        if item.arg == keyword:
            return item.value
    return None


def untranslatable(path: Path) -> list[str]:
    """``file:line: Class(...)`` for each user-facing error built with a message
    that is not a Msg."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    module = _Module(tree, ui=path.is_relative_to(UI))
    shown = path.relative_to(CORE.parent) if path.is_relative_to(CORE.parent) else path.name
    found: list[str] = []

    def visit(node: ast.AST, scope: ast.AST | None) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            scope = node
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else None
            name = func.attr if isinstance(func, ast.Attribute) else name
            if name in USER_FACING:
                index, keyword = USER_FACING[name]
                message = _argument(node, index, keyword)
                if message is not None and not module.is_msg(message, scope):
                    found.append(f"{shown}:{node.lineno}: {name}(...)")
        for child in ast.iter_child_nodes(node):
            visit(child, scope)

    visit(tree, None)
    return found


def test_the_desktop_core_is_found() -> None:
    files = desktop_core_files()
    assert len(files) > 80
    assert not any("agency" in p.relative_to(CORE).parts for p in files)


@pytest.mark.parametrize(
    "package",
    sorted({p.relative_to(CORE).parts[0].removesuffix(".py") for p in desktop_core_files()}),
)
def test_every_message_the_desktop_shows_is_a_msg(package: str) -> None:
    files = [
        p
        for p in desktop_core_files()
        if p.relative_to(CORE).parts[0] in (package, f"{package}.py")
    ]
    problems = [problem for path in files for problem in untranslatable(path)]
    assert problems == []


def test_every_core_error_the_ui_raises_is_translated() -> None:
    files = sorted(p for p in UI.rglob("*.py") if "__pycache__" not in p.parts)
    assert len(files) > 40
    assert [problem for path in files for problem in untranslatable(path)] == []


def test_the_check_finds_plain_and_formatted_messages(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text(
        "def f(x: int, m: Msg, s: str) -> None:\n"
        "    raise ValidationError('plain', field='a')\n"  # 2: found
        "    raise ValidationError(f'{x} bad')\n"  # 3: found
        "    raise ValidationError(s)\n"  # 4: found
        "    raise ValidationError(Msg('{x} bad', x=x))\n"  # fine
        "    raise ValidationError(m)\n"  # fine: annotated Msg
        "    raise ExportError('p', 'disk full')\n"  # 7: found
        "    raise ExportError('p', reason=Msg('disk full'))\n"  # fine
        "    text = Msg('a') if x else Msg('b')\n"
        "    raise ValidationError(text)\n"  # fine
        "    other = 'a'\n"
        "    raise errors.ConfigError(other)\n"  # 12: found
        "    raise StorageUnavailable(WHY[x])\n"  # fine: a table of Msgs
        "    raise DirectoryDataError(_why(x), source='f')\n"  # fine: returns Msg
        "def _why(x: int) -> Msg:\n"
        "    return Msg('why')\n"
        "WHY = {1: Msg('one'), 2: Msg('two')}\n",
        encoding="utf-8",
    )
    found = [line.split(":")[1] for line in untranslatable(source)]
    assert found == ["2", "3", "4", "7", "12"]


# --- Msg itself -------------------------------------------------------------------------


def test_a_msg_is_its_english_sentence_and_keeps_its_template() -> None:
    limit = Msg("{what} is longer than {limit} characters", what=Msg("the name"), limit=64)
    assert limit == "the name is longer than 64 characters"
    assert limit.template == "{what} is longer than {limit} characters"
    assert limit.params["what"].template == "the name"
    error = ValidationError(limit, field="name")
    assert str(error) == "the name is longer than 64 characters"
    assert message_of(error) is limit
    assert message_of(ValidationError("plain")) is None


def test_a_plural_msg_takes_the_english_plural() -> None:
    assert Msg("%n attempt(s) left", n=1) == "1 attempt left"
    assert Msg("%n attempt(s) left", n=3) == "3 attempts left"
    assert english_plural("%n note(s) and 2 trip(s)", 2) == "%n notes and 2 trips"


def test_a_msg_survives_pickling_with_its_template() -> None:
    error = StorageUnavailable(Msg("the disk is full ({free} bytes free)", free=0))
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == "the disk is full (0 bytes free)"
    copy = message_of(again)
    assert copy is not None and copy.template == "the disk is full ({free} bytes free)"


def test_consent_required_is_built_from_msgs() -> None:
    error = ConsentRequired("expired", "County Housing")
    msg = message_of(error)
    assert msg is not None
    assert msg.params["why"].template == "the consent on file has expired"

"""The shape of the code (ARCHITECTURE.md), checked on every run: no product module
over 600 lines, no import cycle between modules, the UI imports only the service
layer and domain types, and SQL is written only under the storage packages.
import-linter (``make lint``) checks the package contracts; these are the rules it
cannot express."""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("peerdesk", "ui")
MAX_LINES = 600
#: append-only schema history: each migration stays as it shipped, so the file grows
MIGRATIONS = ("peerdesk/store/migrations.py", "peerdesk/agency/migrations/")
#: where SQL may be written: the laptop's storage and the agency's (and their migrations)
SQL_HOMES = ("peerdesk/store/", "peerdesk/agency/storage/", "peerdesk/agency/migrations/")
#: the only modules outside the service layer and the domain that ui may import
UI_ALLOWED = ("peerdesk.services", "peerdesk.domain", "peerdesk.errors")
UI_EXCEPTIONS = {("ui.app", "peerdesk.demo.profiles")}  # `peerdesk --demo`


def product_files() -> Iterator[Path]:
    for package in PRODUCT:
        yield from sorted((ROOT / package).rglob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def test_no_product_module_is_over_600_lines() -> None:
    too_long = {
        rel(path): n
        for path in product_files()
        if not rel(path).startswith(MIGRATIONS)
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"modules over {MAX_LINES} lines: {too_long}"


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules() -> None:
    """Every import counts, also those inside functions and under TYPE_CHECKING."""
    graph = grimp.build_graph(*PRODUCT, exclude_type_checking_imports=False)
    modules = set(graph.modules)
    edges = {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}
    assert strongly_connected(edges) == []


def imports_of(path: Path) -> Iterator[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).rpartition(".")[0] if path.name != "__init__.py" else None
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module_name(path) if path.name == "__init__.py" else package or ""
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                yield f"{base}.{node.module}" if node.module else base, node.lineno
            elif node.module:
                yield node.module, node.lineno


def test_ui_imports_only_the_service_layer_and_domain_types() -> None:
    wrong = [
        f"{rel(path)}:{line} imports {name}"
        for path in sorted((ROOT / "ui").rglob("*.py"))
        for name, line in imports_of(path)
        if (name == "peerdesk" or name.startswith("peerdesk."))
        and not name.startswith(UI_ALLOWED)
        and (module_name(path), name) not in UI_EXCEPTIONS
    ]
    assert not wrong, "\n".join(wrong)


SQL = re.compile(
    r"^\s*(SELECT\s.+\sFROM\s|INSERT\s+(OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s"
    r"|CREATE\s+(TABLE|INDEX|VIRTUAL|TRIGGER)|DROP\s+TABLE|PRAGMA\s)",
    re.IGNORECASE | re.DOTALL,
)


def sql_strings(path: Path) -> Iterator[int]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value):
            yield node.lineno


def test_sql_is_written_only_in_the_storage_packages() -> None:
    outside = [
        f"{rel(path)}:{line}"
        for path in product_files()
        if not rel(path).startswith(SQL_HOMES)
        for line in sql_strings(path)
    ]
    assert not outside, "SQL outside store/ and agency storage: " + ", ".join(outside)


def test_the_sql_finder_sees_sql(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text('q = "SELECT id FROM notes WHERE state = ?"\nt = "Selected from the list"\n')
    assert list(sql_strings(sample)) == [1]


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))

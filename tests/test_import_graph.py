"""Each stage imports only stages below it: the package's import graph, read from the source
with ast (imports inside functions included), has no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import gxreport

PACKAGE = Path(gxreport.__file__).resolve().parent


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ("gxreport", *path.relative_to(PACKAGE).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules ``name`` imports anywhere in its source.

    ``from pkg import sub`` is an import of the submodule ``pkg.sub`` (the package's
    ``__init__`` runs first in any case); of ``pkg`` itself only for other names.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                if f"{target}.{alias.name}" in known:
                    found.add(f"{target}.{alias.name}")
                elif target in known:
                    found.add(target)
    found.discard(name)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def cycle(edges: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph as a path (first module repeated at the end), or []."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return []

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_the_package_imports_without_a_cycle():
    assert cycle(graph()) == []


def test_the_graph_sees_imports_inside_functions_and_relative_ones():
    edges = graph()
    assert "gxreport.check" in edges["gxreport.pipeline"]  # imported inside report_findings
    assert "gxreport.importer.pdf" in edges["gxreport.importer"]  # inside read_source
    assert "gxreport.reading" in edges["gxreport.nextyear"]
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_the_library_never_imports_the_command_line():
    edges = graph()
    presentation = {"gxreport.start", "gxreport.cli", "gxreport.cli_chinese", "gxreport.console", "gxreport.__main__"}
    for name, targets in edges.items():
        if name not in presentation:
            assert not targets & presentation, name

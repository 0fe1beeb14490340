"""Each stage imports only stages below it: the package's import graph, read from the source
with ast (imports inside functions included), has no cycle, and no module imports a stage
that comes after its own (STAGES, in the order the README's developer map lists them)."""

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
    assert "gxreport.checks.check" in edges["gxreport.pipeline"]  # imported inside report_findings
    assert "gxreport.inputs.importer.pdf" in edges["gxreport.inputs.importer"]  # inside read_source
    assert "gxreport.inputs.reading" in edges["gxreport.inputs.nextyear"]
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_the_library_never_imports_the_command_line():
    edges = graph()
    presentation = {"gxreport.start", "gxreport.cli", "gxreport.commands", "gxreport.cli_chinese", "gxreport.console", "gxreport.__main__"}
    for name, targets in edges.items():
        if name not in presentation:
            assert not targets & presentation, name


# The stages, lowest first: a module may import its own stage and the stages below it.
STAGES = (
    ("core", ("gxreport", "gxreport.errors", "gxreport.text", "gxreport.fsio", "gxreport.sandbox", "gxreport.usercache")),
    ("declare", ("gxreport.declare",)),
    ("checks", ("gxreport.checks",)),
    ("compose", ("gxreport.compose",)),
    ("inputs", ("gxreport.inputs",)),
    ("outputs", ("gxreport.outputs",)),
    ("pipeline", ("gxreport.pipeline",)),
    ("office", ("gxreport.office",)),
    ("api", ("gxreport.api",)),
    ("web", ("gxreport.web",)),
    ("command line", ("gxreport.cli", "gxreport.commands", "gxreport.cli_chinese", "gxreport.console", "gxreport.start", "gxreport.__main__")),
)


def stage(module: str) -> int:
    """The index in STAGES of the stage ``module`` belongs to (the longest matching prefix)."""
    found = [(len(prefix), index) for index, (_, prefixes) in enumerate(STAGES) for prefix in prefixes
             if module == prefix or module.startswith(prefix + ".")]
    assert found, f"{module} belongs to no stage: add it to STAGES"
    return max(found)[1]


def test_each_stage_imports_only_the_stages_below_it():
    upward = sorted(
        f"{name} ({STAGES[stage(name)][0]}) imports {target} ({STAGES[stage(target)][0]})"
        for name, targets in graph().items() for target in targets if stage(target) > stage(name)
    )
    assert upward == []


def test_every_module_is_in_a_stage_and_the_order_is_enforced():
    assert all(stage(name) >= 0 for name in graph())
    assert stage("gxreport.inputs.workbook.reader") > stage("gxreport.declare.kinds")
    edges = {"gxreport.declare.kinds": {"gxreport.inputs.reading"}}
    assert [t for n, ts in edges.items() for t in ts if stage(t) > stage(n)] == ["gxreport.inputs.reading"]

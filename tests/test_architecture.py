"""Arrows point one way (STYLE.md, #17), checked by reading the source with ``ast``, not by importing it.

1. No import cycle between the project's modules: ``ecograph/``, ``cli.py`` and ``benchmarks/``.
   Every import counts, at module level and inside functions (a function-level import is a
   deferred arrow, not a missing one), and so do imports under ``if TYPE_CHECKING:``.
   Importing ``a.b.c`` runs ``a/__init__.py`` and ``a/b/__init__.py`` too, but that implied
   arrow to a parent package is not counted: a package that re-exports its own modules
   (``ecograph.analysis``) would otherwise be a cycle with each of them.
2. No private name (``_x``) of one module imported or used by another: ``from ecograph.x import
   _y`` and ``x._y`` where ``x`` names a project module. A private module (``export/_flat.py``)
   may be imported by the modules of its own package, not from outside it. Dunder names
   (``__version__``) are public. What ast cannot see is not checked: a private attribute of an
   object (``result._rows``) or a name taken with ``getattr``.

The tests follow rule 2 too: they test behaviour through public names. The only exceptions are
in TESTS_MAY_USE below, each with the reason no public name does the job.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Modules whose private names are still used elsewhere, pending another change. Each entry is
# (user module, used module, name). Remove an entry when its violation is fixed: the test fails
# on an entry that no longer matches, so the list cannot go stale.
PENDING: dict[tuple[str, str, str], str] = {}

# Private names the tests may use, each with why no public name does the job.
TESTS_MAY_USE: dict[tuple[str, str, str], str] = {
    # The two CSV readers must agree; read_graphdata picks one by size, so the tests call each.
    ("tests.test_columnar", "ecograph.data.graphdata", "_read_rows"): "the row reader, to compare with the columnar one",
    ("tests.test_columnar", "ecograph.data.graphdata", "_csv_bytes"): "the size read_graphdata chooses the reader by",
    ("tests.test_columnar", "ecograph.data.graphdata", "_node_attrs"): "build_graph's attributes, to compare columnar.edges",
    ("tests.test_columnar", "ecograph.data.graphdata", "_edge_attrs"): "build_graph's attributes, to compare columnar.edges",
    ("tests.test_columnar", "ecograph.data.columnar", "_LOCATION_LEVELS"): "data nested deeper than the walk's levels",
    ("tests.test_own_ecosystem", "ecograph.data.graphdata", "_read_rows"): "the row reader, to compare with the "
                                                                          "columnar one on a folder's own vocabulary",
    ("tests.test_graphdata", "ecograph.data.graphdata", "_PARSERS"): "every field type of the schema has a parser",
    # No Neo4j server exists here: the steps between the driver and a result are tested one by
    # one on the driver's own types (test_neo4j_live covers them end to end where a server is).
    ("tests.test_neo4j_backend", "ecograph.query.neo4j_backend", "_failure"): "driver errors mapped, without a server",
    ("tests.test_neo4j_backend", "ecograph.query.neo4j_backend", "_relationship_body"): "refuses a type not in the schema",
    ("tests.test_neo4j_backend", "ecograph.query.neo4j_backend", "_bare_end_nodes"): "hydration, without a server",
    ("tests.test_neo4j_backend", "ecograph.query.neo4j_backend", "_to_result"): "hydration, without a server",
    # The CLI's progress bar is a click progressbar owned by cli.py, which another branch rewrites.
    ("tests.test_cli", "cli", "_progress"): "the bar drawn on a terminal; pending the CLI rework",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources(*folders: str) -> dict[str, Path]:
    found = {}
    for folder in folders:
        target = ROOT / folder
        for path in [target] if target.is_file() else sorted(target.rglob("*.py")):
            found[_module_name(path)] = path
    return found


PROJECT = _sources("ecograph", "cli.py", "benchmarks")
TESTS = _sources("tests")


def _is_package(name: str, modules: dict[str, Path]) -> bool:
    return name in modules and modules[name].name == "__init__.py"


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _absolute(module: str, node: ast.ImportFrom, modules: dict[str, Path]) -> str:
    """The absolute module name an ``from … import`` names, relative imports resolved."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not _is_package(module, modules):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


class _Imports(ast.NodeVisitor):
    """The project modules one file imports, the names it imports from them, and the names it
    binds to project modules (to see ``alias._x``)."""

    def __init__(self, module: str) -> None:
        self.module = module
        self.arrows: dict[str, int] = {}  # imported project module -> first line
        self.names: list[tuple[str, str, int]] = []  # (from module, name, line)
        self.bound: dict[str, str] = {}  # local name -> project module
        self.attributes: list[tuple[str, str, int]] = []  # (module, attribute, line)

    def _arrow(self, target: str, line: int) -> None:
        if target in PROJECT and target != self.module:
            self.arrows.setdefault(target, line)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name in PROJECT:
                self._arrow(alias.name, node.lineno)
                if alias.asname:
                    self.bound[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    self.bound.setdefault(top, top)
            if alias.name.split(".")[0] in {m.split(".")[0] for m in PROJECT}:
                # import a.b.c: each part that is a project module is named through the chain
                parts = alias.name.split(".")
                for i in range(1, len(parts) + 1):
                    if ".".join(parts[:i]) in PROJECT:
                        self.bound.setdefault(".".join(parts[:i]), ".".join(parts[:i]))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        source = _absolute(self.module, node, PROJECT)
        if source not in PROJECT:
            return
        for alias in node.names:
            sub = f"{source}.{alias.name}"
            if sub in PROJECT:  # from package import module
                self._arrow(sub, node.lineno)
                self.bound[alias.asname or alias.name] = sub
                if _private(alias.name):
                    self.names.append((source, alias.name, node.lineno))
            else:
                self._arrow(source, node.lineno)
                if _private(alias.name):
                    self.names.append((source, alias.name, node.lineno))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        chain, value = [node.attr], node.value
        while isinstance(value, ast.Attribute):
            chain.append(value.attr)
            value = value.value
        if isinstance(value, ast.Name) and value.id in self.bound:
            # the longest prefix that is a module: a.b._c -> (a.b, _c)
            module, rest = self.bound[value.id], list(reversed(chain))
            while rest and f"{module}.{rest[0]}" in PROJECT:
                module = f"{module}.{rest.pop(0)}"
            if rest and _private(rest[0]):
                self.attributes.append((module, rest[0], node.lineno))
                return
        self.generic_visit(node)


def _scan(modules: dict[str, Path]) -> dict[str, _Imports]:
    scanned = {}
    for name, path in modules.items():
        visitor = _Imports(name)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        scanned[name] = visitor
    return scanned


def _may_use(user: str, source: str, name: str) -> bool:
    """A private module may be imported within its own package; a private name may be used in
    its own module."""
    if user == source:
        return True
    target = f"{source}.{name}"
    if target in PROJECT:  # a private module: its package's modules may use it
        return user == source or user.startswith(source + ".")
    return False


def _private_uses(scanned: dict[str, _Imports]) -> dict[tuple[str, str, str], str]:
    found = {}
    for user, visitor in scanned.items():
        for source, name, line in [*visitor.names, *visitor.attributes]:
            if not _may_use(user, source, name):
                found.setdefault((user, source, name), f"{_rel(user, scanned)}:{line}")
    return found


def _rel(module: str, scanned: dict[str, _Imports]) -> str:
    path = PROJECT.get(module) or TESTS.get(module)
    return str(path.relative_to(ROOT)) if path else module


def test_the_scan_sees_the_project():
    """The checks below would pass vacuously on an empty scan."""
    assert {"ecograph.analysis", "ecograph.data.graphdata", "cli", "benchmarks.compare"} <= set(PROJECT)
    scanned = _scan(PROJECT)
    assert "ecograph.data.schema" in scanned["ecograph.data.graphdata"].arrows
    assert "ecograph.analysis" in scanned["cli"].arrows  # a function-level import counts


def test_no_import_cycles():
    import networkx as nx

    scanned = _scan(PROJECT)
    arrows = nx.DiGraph((m, t) for m, v in scanned.items() for t in v.arrows)
    cycles = []
    for component in nx.strongly_connected_components(arrows):
        if len(component) > 1:
            cycle = nx.find_cycle(arrows.subgraph(component))
            cycles.append(" -> ".join(
                [f"{u} ({_rel(u, scanned)}:{scanned[u].arrows[v]})" for u, v in cycle] + [cycle[0][0]]
            ))
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_no_private_names_across_modules():
    found = _private_uses(_scan(PROJECT))
    unexpected = {k: v for k, v in found.items() if k not in PENDING}
    assert not unexpected, "private names used from another module:\n" + "\n".join(
        f"{where}: {user} uses {source}.{name}" for (user, source, name), where in sorted(unexpected.items())
    )
    stale = set(PENDING) - set(found)
    assert not stale, f"fixed, remove from PENDING: {sorted(stale)}"


def test_tests_use_public_names():
    found = _private_uses(_scan(TESTS))
    unexpected = {k: v for k, v in found.items() if k not in TESTS_MAY_USE}
    assert not unexpected, "tests using private names:\n" + "\n".join(
        f"{where}: {user} uses {source}.{name}" for (user, source, name), where in sorted(unexpected.items())
    )
    stale = set(TESTS_MAY_USE) - set(found)
    assert not stale, f"no longer used, remove from TESTS_MAY_USE: {sorted(stale)}"


@pytest.mark.parametrize("source, found", [
    ("from ecograph.data.graphdata import _INT\n", [("ecograph.data.graphdata", "_INT")]),
    ("from .graphdata import _INT\n", [("ecograph.data.graphdata", "_INT")]),
    ("import ecograph.data.graphdata as g\ng._INT\n", [("ecograph.data.graphdata", "_INT")]),
    ("from ecograph.data import graphdata\ngraphdata._INT\n", [("ecograph.data.graphdata", "_INT")]),
    ("import ecograph.data.graphdata\necograph.data.graphdata._INT\n", [("ecograph.data.graphdata", "_INT")]),
    ("def f():\n    from ecograph.export import _flat\n", [("ecograph.export", "_flat")]),
    ("from ecograph.data.graphdata import read_graphdata\nimport ecograph\necograph.__version__\n", []),
])
def test_the_private_name_check_sees(source, found):
    """Each way of reaching a private name is seen (from a module outside the package it reaches)."""
    visitor = _Imports("ecograph.data.columnar")
    visitor.visit(ast.parse(source))
    seen = [(s, n) for s, n, _ in [*visitor.names, *visitor.attributes]
            if not _may_use("cli", s, n)]
    assert seen == found

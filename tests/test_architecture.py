"""Imports flow one way: io -> stats -> flags -> plan -> report -> pipeline; cli and serve on top.

``serve`` (the web app) may import every layer; only ``cli`` (``trafikplan serve``) imports it.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "trafikplan"
ORDER = ["io", "stats", "flags", "plan", "report", "pipeline", "cli", "serve"]
ON_TOP = {("cli", "serve")}
"""(importer, imported) pairs allowed against ORDER: the command line starts the web app."""
BASE = {"_errors", "errors", "columns", "i18n", "settings", "weeks", "__init__",
        "__main__"}



@functools.cache
def _tree(path: Path) -> ast.Module:
    """The parsed source of ``path`` (each file parsed once for all the tests here)."""
    return ast.parse(path.read_text(encoding="utf-8"))


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "trafikplan" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in ORDER else None


def imports_of(path: Path) -> set[str]:
    tree = _tree(path)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def test_no_stage_imports_a_later_stage() -> None:
    problems = []
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG)
        own = rel.parts[0] if len(rel.parts) > 1 else None
        if own not in ORDER:
            continue
        for module in imports_of(path):
            other = stage_of(module)
            if (other is not None and ORDER.index(other) > ORDER.index(own)
                    and (own, other) not in ON_TOP):
                problems.append(f"{rel} imports {module}")
    assert not problems, problems


def test_base_modules_import_no_stage() -> None:
    for name in BASE - {"__init__", "__main__"}:
        paths = [PKG / f"{name}.py"] if (PKG / f"{name}.py").is_file() else sorted(
            (PKG / name).rglob("*.py"))  # a base package (i18n/)
        assert paths, name
        for path in paths:
            for module in imports_of(path):
                assert stage_of(module) is None, f"{path.name} imports {module}"


def test_only_the_command_line_imports_the_web_app() -> None:
    problems = []
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG)
        if rel.parts[0] in ("serve", "cli"):
            continue
        problems += [f"{rel} imports {m}" for m in imports_of(path)
                     if stage_of(m) == "serve"]
    assert not problems, problems


def _module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    rel = Path(*name.split("."))
    return (PKG.parent / rel).with_suffix(".py").is_file() or (PKG.parent / rel).is_dir()


def _runtime_imports(path: Path) -> list[tuple[str, str | None]]:
    """(module, imported name or None) of every import that runs (not under TYPE_CHECKING)."""
    tree = _tree(path)
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for child in node.body for n in ast.walk(child))
    for node in tree.body:  # a module __getattr__ keeps moved names importable: not a use
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
            skip.update(id(n) for n in ast.walk(node))
    out: list[tuple[str, str | None]] = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out += [(a.name, None) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out += [(node.module, a.name) for a in node.names]
    return out


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_private_name_is_imported_from_another_module() -> None:
    """A module's ``_name`` stays in that module; a private module stays in its package."""
    problems = []
    for path in PKG.rglob("*.py"):
        me = _module_name(path)
        for module, name in _runtime_imports(path):
            if not module.startswith("trafikplan"):
                continue
            full = module if name is None else f"{module}.{name}"
            if name is not None and not _is_module(full) and _is_private(name):
                problems.append(f"{me} imports {name} from {module}")
                continue
            target = full if _is_module(full) else module
            parts = target.split(".")
            for i, part in enumerate(parts):
                if _is_private(part) and not (me + ".").startswith(".".join(parts[:i]) + "."):
                    problems.append(f"{me} imports the private module {target}")
    assert not problems, problems


def test_the_report_only_renders() -> None:
    """``report/`` computes nothing: it imports no statistics or flags at run time.

    The pipeline computes what a report shows (``trafikplan.pipeline.report_data``,
    ``site_surveys``) and hands it over; the report may name their types for the
    type checker (under ``TYPE_CHECKING``).
    """
    problems = []
    for path in sorted((PKG / "report").rglob("*.py")):
        for module, name in _runtime_imports(path):
            full = module if name is None else f"{module}.{name}"
            if stage_of(full) in ("stats", "flags"):
                problems.append(f"{path.relative_to(PKG)} imports {full}")
    assert not problems, problems


def _package_exports() -> dict[tuple[str, str], str]:
    """(package, name) -> the module a package ``__init__`` re-exports ``name`` from."""
    out = {}
    for init in PKG.rglob("__init__.py"):
        pkg = _module_name(init)
        for module, name in _runtime_imports(init):
            if name is not None and module.startswith("trafikplan"):
                full = f"{module}.{name}"
                out[(pkg, name)] = full if _is_module(full) else module
    return out


def _is_file_module(name: str) -> bool:
    return (PKG.parent / Path(*name.split("."))).with_suffix(".py").is_file()


def test_no_import_cycles() -> None:
    """No two modules import each other, directly or through others, lazy imports included.

    An import through a package's ``__init__`` counts as an import of the module
    the package re-exports the name from.
    """
    exports = _package_exports()
    graph: dict[str, set[str]] = {}
    for path in PKG.rglob("*.py"):
        if path.name == "__init__.py":
            continue
        me = _module_name(path)
        edges = graph.setdefault(me, set())
        for module, name in _runtime_imports(path):
            if not module.startswith("trafikplan"):
                continue
            full = module if name is None else f"{module}.{name}"
            target = full if _is_module(full) else module
            seen = set()
            while not _is_file_module(target) and name is not None and (target, name) in exports \
                    and target not in seen:
                seen.add(target)
                target = exports[(target, name)]
            if target != me and _is_file_module(target):
                edges.add(target)
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*stack[stack.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, cycles


def test_every_public_module_says_what_it_exports() -> None:
    """Each public module has ``__all__``; each name in it is defined or imported there."""
    problems = []
    for path in sorted(PKG.rglob("*.py")):
        if (_is_private(path.stem) and path.name != "__init__.py") or path.name == "__main__.py":
            continue
        if any(_is_private(p) for p in path.relative_to(PKG).parts[:-1]):
            continue
        tree = _tree(path)
        names: set[str] = set()
        exported: list[str] | None = None
        lazy = False
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
                lazy |= node.name == "__getattr__"
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name):
                        names.add(t.id)
                        if t.id == "__all__" and node.value is not None:
                            exported = list(ast.literal_eval(node.value))
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
        rel = path.relative_to(PKG)
        if exported is None:
            problems.append(f"{rel}: no __all__")
        elif not lazy:
            problems += [f"{rel}: {n} in __all__ is not there" for n in exported
                         if n not in names]
    assert not problems, problems


MAX_MODULE_LINES = 500
"""A module longer than this holds more than one concern (issue 17); split it by what it does."""


def test_no_module_is_over_500_lines() -> None:
    """Every module under ``src/trafikplan`` stays under :data:`MAX_MODULE_LINES` lines."""
    long = {str(p.relative_to(PKG)): n for p in sorted(PKG.rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, long


PUBLIC_FACES = {"errors": "_errors"}
"""Public modules that are the one public name of a private module's names: ``trafikplan.errors``
shows the exceptions ``trafikplan._errors`` defines (code in the package imports ``_errors``)."""

def _top_level_definitions(tree: ast.Module) -> set[str]:
    """Names a module binds itself at top level (functions, classes, assignments), not imports."""
    names: set[str] = set()
    for node in tree.body:
        for sub in [node, *(ast.walk(node) if isinstance(node, ast.If | ast.Try) else ())]:
            if isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(sub.name)
            elif isinstance(sub, ast.Assign | ast.AnnAssign | ast.AugAssign):
                targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
                names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
    return names


def _all_of(tree: ast.Module) -> list[str]:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return list(ast.literal_eval(node.value))
    return []


def _imported_from(tree: ast.Module) -> dict[str, str]:
    """Top-level ``from trafikplan.x import name``: name -> module."""
    return {a.asname or a.name: node.module for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
            for a in node.names}


def test_a_module_exports_only_what_it_defines() -> None:
    """One import path per name: a module's ``__all__`` lists only names it defines.

    A name imported from another module and listed again would have two import
    paths, the old one kept for compatibility. Package ``__init__`` modules are
    their package's public API and may export their modules' names; a public
    module may show its private twin's names (:data:`PUBLIC_FACES`).
    """
    problems = []
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG)
        if path.name == "__init__.py":
            continue
        tree = _tree(path)
        defined = _top_level_definitions(tree)
        twin = PUBLIC_FACES.get(_module_name(path).removeprefix("trafikplan."))
        came_from = _imported_from(tree)
        problems += [f"{rel}: {name} is in __all__ but defined in {came_from.get(name, '?')}"
                     for name in _all_of(tree) if name not in defined
                     and not (twin and came_from.get(name) == f"trafikplan.{twin}")]
    assert not problems, problems


def test_names_are_imported_from_where_they_are_defined() -> None:
    """No module imports a name through another module that only imported it.

    ``from trafikplan.a import name`` needs ``name`` defined in ``trafikplan.a``
    (a module) — or ``trafikplan.a`` a package, whose ``__init__`` is its public API.
    """
    problems = []
    defined: dict[str, set[str]] = {}
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG)
        for module, name in _runtime_imports(path):
            if name is None or not module.startswith("trafikplan") \
                    or _is_module(f"{module}.{name}") or not _is_file_module(module):
                continue
            target = (PKG.parent / Path(*module.split("."))).with_suffix(".py")
            if module not in defined:
                defined[module] = _top_level_definitions(
                    _tree(target))
            if name not in defined[module] and module.removeprefix("trafikplan.") \
                    not in PUBLIC_FACES:
                problems.append(f"{rel} imports {name} from {module}, which does not define it")
    assert not problems, problems

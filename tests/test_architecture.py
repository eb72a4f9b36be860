"""Imports flow one way: io -> stats -> flags -> plan -> report -> pipeline; cli and serve on top.

``serve`` (the web app) may import every layer; only ``cli`` (``trafikplan serve``) imports it.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "trafikplan"
ORDER = ["io", "stats", "flags", "plan", "report", "pipeline", "cli", "serve"]
ON_TOP = {("cli", "serve")}
"""(importer, imported) pairs allowed against ORDER: the command line starts the web app."""
BASE = {"_errors", "columns", "i18n", "i18n_errors", "settings", "__init__", "__main__"}


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "trafikplan" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in ORDER else None


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
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
        for module in imports_of(PKG / f"{name}.py"):
            assert stage_of(module) is None, f"{name}.py imports {module}"


def test_only_the_command_line_imports_the_web_app() -> None:
    problems = []
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG)
        if rel.parts[0] in ("serve", "cli"):
            continue
        problems += [f"{rel} imports {m}" for m in imports_of(path)
                     if stage_of(m) == "serve"]
    assert not problems, problems

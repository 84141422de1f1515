"""The layout stays true: imports between the stages flow one way (docs/architecture.md), the web app's rooms
do not import each other's insides, and SQL stays in the store.

Each rule names a stage and the stages it must never import. The test reads every module's imports (including
imports inside functions) with ``ast``, so a lazy import is no way round it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "newsdesk"

NEVER = {
    "text": {"sources", "fetch", "extract", "understand", "ai", "web", "tasks", "store", "search"},
    "sources": {"understand", "ai", "web", "tasks", "store", "search", "extract"},
    "fetch": {"sources", "extract", "understand", "ai", "web", "tasks", "store", "search"},
    "extract": {"sources", "understand", "ai", "web", "tasks", "store", "search"},
    "store": {"sources", "fetch", "extract", "understand", "ai", "web", "tasks"},
    "search": {"fetch", "extract", "understand", "ai", "web", "tasks", "sources"},
    "understand": {"ai", "web", "tasks", "fetch", "extract", "sources"},
    "ai": {"web", "tasks", "fetch", "extract", "sources"},
    "tasks": {"web"},
    "web": {"fetch", "extract"},
}
# What a stage may take from one it otherwise must not import: its error types (the web names fetch failures in
# words for an admin adding a source).
MAY_USE = {("web", "fetch"): {"newsdesk.fetch.errors"}}
# The one way into the pipeline the web app may use: the commands the CLI uses too.
WEB_MAY_USE_FROM_TASKS = {"newsdesk.tasks.commands", "newsdesk.tasks.status"}  # commands; pipeline status
# Rooms of the web app: plumbing knows no page, reader-app protocols know no page, pages know no reader app.
ROOMS_NEVER = {
    "http": {"pages", "api", "readerapps"},
    "readerapps": {"pages", "api"},
    "pages": {"readerapps"},
    "api": {"readerapps"},
}

# The store owns SQL: outside it no module imports SQLAlchemy, Alembic or the table declarations; stages call the
# store's named functions and name its handles (``newsdesk.store.db.Engine``, ``Connection``, the error types).
SQL_LIBRARIES = ("sqlalchemy", "alembic")
TABLE_MODULES = ("newsdesk.store.tables_", "newsdesk.store.schema", "newsdesk.store.metadata")
MAY_BUILD_SQL = {
    # The full-text index: dialect-specific SQL, one module per backend behind the SearchBackend protocol, with the
    # query parsing both share. It imports no stage; it is the store's search in all but its folder.
    "search/query.py": "full-text index (shared query parsing)",
    "search/sqlite_fts.py": "full-text index, SQLite FTS5",
    "search/postgres_tsv.py": "full-text index, PostgreSQL tsvector",
}


def _all_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("newsdesk.")}


def _modules() -> list[tuple[Path, tuple[str, ...]]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if "migrations" not in parts:
            found.append((path, parts))
    return found


def _stage_violations() -> list[str]:
    problems = []
    for path, parts in _modules():
        stage = parts[0] if len(parts) > 1 else None
        for name in _imports(path):
            target = name.split(".")[1]
            if stage == "web" and target == "tasks" and not any(name.startswith(m) for m in WEB_MAY_USE_FROM_TASKS):
                problems.append(f"{'/'.join(parts)} imports {name} (web may use only {sorted(WEB_MAY_USE_FROM_TASKS)})")
            elif any(name.startswith(allowed) for allowed in MAY_USE.get((stage or "", target), ())):
                continue
            elif stage in NEVER and target in NEVER[stage]:
                problems.append(f"{'/'.join(parts)} imports {name} ({stage} must not import {target})")
    return problems


def _room_violations() -> list[str]:
    problems = []
    for path, parts in _modules():
        if len(parts) < 3 or parts[0] != "web" or parts[1] not in ROOMS_NEVER:
            continue
        for name in _imports(path):
            pieces = name.split(".")
            if len(pieces) > 2 and pieces[1] == "web" and pieces[2] in ROOMS_NEVER[parts[1]]:
                problems.append(f"{'/'.join(parts)} imports {name}")
    return problems


def _sql_outside_the_store() -> list[str]:
    problems = []
    for path, parts in _modules():
        where = "/".join(parts) + ".py"
        if parts[0] == "store" or where in MAY_BUILD_SQL:
            continue
        for name in sorted(_all_imports(path)):
            if name.split(".")[0] in SQL_LIBRARIES or name.startswith(TABLE_MODULES):
                problems.append(f"{where} imports {name}")
    return problems


def test_sql_stays_in_the_store() -> None:
    assert _sql_outside_the_store() == []


def test_every_sql_exception_still_needs_its_place() -> None:
    """An exception whose module moved or no longer builds SQL is struck from the list, so the list stays short."""
    for where in MAY_BUILD_SQL:
        path = PACKAGE / where
        assert path.is_file(), f"{where} is gone: strike it from MAY_BUILD_SQL"
        assert any(n.split(".")[0] == "sqlalchemy" for n in _all_imports(path)), f"{where} builds no SQL any more"


def test_stages_import_one_way() -> None:
    assert _stage_violations() == []


def test_web_rooms_keep_to_themselves() -> None:
    assert _room_violations() == []


def test_no_test_fixture_ships_in_the_package() -> None:
    assert not [p for p, _ in _modules() if "sample" in p.name or "fixture" in p.name]


@pytest.mark.parametrize("rule", sorted(NEVER))
def test_every_stage_named_in_the_rules_exists(rule: str) -> None:
    assert (PACKAGE / rule).is_dir()

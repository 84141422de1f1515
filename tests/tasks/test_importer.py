"""``newsdesk import``: external ids kept, idempotent, time order, clear errors for bad lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsdesk.config import Settings
from newsdesk.store.tables_core import articles
from newsdesk.tasks.importer import ImportFileError, import_jsonl, parse_time


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_parse_time_accepts_dates_and_zones() -> None:
    assert parse_time("2005-10-13").isoformat() == "2005-10-13T00:00:00+00:00"
    assert parse_time("2014-03-10T18:38:00.054Z").isoformat() == "2014-03-10T18:38:00.054000+00:00"
    assert parse_time("2014-03-10T20:00:00+02:00").hour == 18
    assert parse_time(None) is None


def test_import_twice_changes_nothing(engine: sa.Engine, settings: Settings, tmp_path: Path, shared_dir: Path) -> None:
    lines = (shared_dir / "data/clustering-dev/meantime-dev.jsonl").read_text(encoding="utf-8").splitlines()[:24]
    rows = [{k: v for k, v in json.loads(line).items() if k != "cluster"} for line in lines]
    src = _write(tmp_path / "in.jsonl", rows)
    first = import_jsonl(engine, settings, src)
    assert first.new == 24
    with engine.connect() as conn:
        before = conn.execute(sa.select(articles.c.external_id, articles.c.story_id, articles.c.duplicate_of)
                              .order_by(articles.c.id)).all()
    second = import_jsonl(engine, settings, src)
    assert second.new == 0 and second.skipped == 24
    with engine.connect() as conn:
        after = conn.execute(sa.select(articles.c.external_id, articles.c.story_id, articles.c.duplicate_of)
                             .order_by(articles.c.id)).all()
    assert before == after
    assert {r.external_id for r in after} == {r["id"] for r in rows}


def test_a_bad_line_names_its_line_number(engine: sa.Engine, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "title": "ok", "text": ""}\n{"title": "no id"}\n', encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"bad\.jsonl:2"):
        import_jsonl(engine, settings, path)

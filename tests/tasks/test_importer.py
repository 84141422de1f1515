"""``newsdesk import``: external ids kept, idempotent, time order, clear errors for bad lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsdesk.config import Settings
from newsdesk.store.articles import export_rows, story_export_rows
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


STORY = ("The harbour of Port Elin reopened on Monday after three weeks of repairs to the sea wall, which a winter "
         "storm had breached in January. Fishing boats left at dawn, and the ferry to the islands resumed its two "
         "daily crossings. The town council said the repairs cost less than feared and came in under budget.")


def _exported(engine: sa.Engine) -> tuple[dict[str, dict], dict[str, dict]]:
    with engine.connect() as conn:
        return ({r["id"]: r for r in export_rows(conn)}, {r["id"]: r for r in story_export_rows(conn)})


@pytest.mark.parametrize("second", [
    {"id": "b", "url": "https://news.example/harbour", "title": "Port Elin harbour open again", "text": "Boats out."},
    {"id": "b", "url": "https://wire.example/harbour-elin", "title": "Harbour reopens", "text": STORY},
], ids=["same-url", "same-text"])
def test_an_import_of_a_known_article_under_a_new_id_keeps_that_id(engine: sa.Engine, settings: Settings,
                                                                   tmp_path: Path, second: dict) -> None:
    """The import follows the ingest identity rule (link, canonical URL, GUID, content hash); a second id for the
    same article is kept as an alias, so the export lists every id it was given."""
    first = {"id": "a", "url": "https://news.example/harbour", "title": "Harbour reopens", "text": STORY}
    src = _write(tmp_path / "in.jsonl", [first, second])
    summary = import_jsonl(engine, settings, src)
    articles_out, stories_out = _exported(engine)
    assert set(articles_out) == set(stories_out) == {"a", "b"}
    assert stories_out["b"]["duplicate_of"] == "a" and stories_out["b"]["story"] == stories_out["a"]["story"]
    assert articles_out["b"]["title"] == "Harbour reopens"  # the stored article's, not the alias line's
    assert (summary.new, summary.aliased, summary.skipped) == (1, 1, 0)
    again = import_jsonl(engine, settings, src)
    assert (again.new, again.aliased, again.skipped) == (0, 0, 2)
    assert _exported(engine)[1] == stories_out

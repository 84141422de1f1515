"""Fixtures of the ai tests: a migrated SQLite store holding real labelled stories from ../shared/data/clustering-dev.

Each gold event (``cluster``) becomes one story; articles keep their real title, text, language and source. The
store is built once per test module because embedding the sentences is the slow part.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsdesk.config import Settings, load_settings
from newsdesk.store import tables_ai  # noqa: F401 - the ai tables (until schema.py imports them)
from newsdesk.store.db import open_store
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import stories

STORIES_PER_SET = 4
MAX_ARTICLES = 10  # keeps embedding time bounded; ECB+ events run to 22 articles


def dev_events(shared: Path, name: str) -> list[list[dict]]:
    """The gold events of one dev set with 2..MAX_ARTICLES articles that have text, in file order."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for line in (shared / "data" / "clustering-dev" / f"{name}-dev.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            groups[row["cluster"]].append(row)
    return [rows for rows in groups.values() if 2 <= sum(bool(r["text"].strip()) for r in rows) <= MAX_ARTICLES]


def add_story(engine: sa.Engine, rows: list[dict], outlet_of=None) -> int:
    """Insert one story and its articles; returns the story id. ``outlet_of(row)`` overrides the outlet."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        story_id = conn.execute(sa.insert(stories).values(title=rows[0]["title"], languages=[], regions=[],
                                                          topics=[])).inserted_primary_key[0]
        for row in rows:
            outlet = outlet_of(row) if outlet_of else row.get("source")
            conn.execute(sa.insert(articles).values(
                external_id=f"{row['id']}-{story_id}", title=row["title"], text=row["text"],
                language=row["language"], outlet=outlet, url=row.get("url") and f"{row['url']}#{story_id}",
                fetched_at=now, story_id=story_id, topics=[]))
    return story_id


@pytest.fixture(scope="module")
def ai_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("ai-settings")
    return load_settings(env={"NEWSDESK_DATA_DIR": str(tmp)}, config_file=tmp / "absent.toml")


@pytest.fixture(scope="module")
def dev_store(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Iterator[tuple[sa.Engine, dict]]:
    """(engine, {set name: [story ids]}) with STORIES_PER_SET real events of MEANTIME and of ECB+."""
    engine = open_store(f"sqlite:///{tmp_path_factory.mktemp('ai-store') / 'dev.sqlite3'}")
    by_set = {}
    for name in ("meantime", "ecbplus"):
        events = dev_events(shared_dir, name)[:STORIES_PER_SET]
        # ECB documents without a source get one outlet each (they are separate publications)
        by_set[name] = [add_story(engine, rows, lambda r: r.get("source") or f"outlet-{r['id'][-6:]}")
                        for rows in events]
    yield engine, by_set
    engine.dispose()

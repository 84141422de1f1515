"""Real labelled stories for the ai tests: ../shared/data/clustering-dev events inserted as stories.

Each gold event (``cluster``) becomes one story; articles keep their real title, text, language and source.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from newsdesk.store import tables_ai  # noqa: F401 - the ai tables (until schema.py imports them)
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import stories

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

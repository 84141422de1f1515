"""Matching a value inside a JSON list column (topics): non-ASCII values match however the JSON spells them, and
LIKE's wildcards in a value match only themselves (real SQLite file)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from newsdesk.store.read_models import json_list_has
from newsdesk.store.tables_core import sources


def test_non_ascii_and_wildcards(engine: sa.Engine) -> None:
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for n, topics in enumerate((["économie"], ["big_deal"], ["bigXdeal"], ["Sport"], ["50%"])):
            conn.execute(sources.insert().values(feed_url=f"https://{n}.example/feed", topics=topics, added_at=now))

        def names(value: str) -> list[list[str]]:
            return [r[0] for r in conn.execute(sa.select(sources.c.topics).where(json_list_has(sources.c.topics,
                                                                                                value)))]

        assert names("économie") == [["économie"]]
        assert names("big_deal") == [["big_deal"]]
        assert names("sport") == [["Sport"]]
        assert names("50%") == [["50%"]] and names("%") == []

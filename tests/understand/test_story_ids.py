"""Story ids: the clusterer's keys are the stories' ids, and a story inserted afterwards without an id (as other
stages and tools do) gets a fresh one on SQLite and on PostgreSQL (whose sequence must be moved past explicit ids);
a restarted process never reuses an id."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from understand_devsets import assignments, insert_rows, load_rows

from newsdesk.store.db import open_store
from newsdesk.store.tables_understanding import stories
from newsdesk.understand.pipeline import Understanding


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ids.sqlite3'}"
    return request.getfixturevalue("pg_url")


def test_stories_inserted_later_get_fresh_ids(store_url, settings, shared_dir):
    engine = open_store(store_url)
    rows = load_rows(shared_dir, "meantime-dev")[:40]
    Understanding(engine, settings).process(insert_rows(engine, rows[:20]))
    with engine.begin() as conn:
        clustered = set(conn.execute(sa.select(stories.c.id)).scalars())
        extra = conn.execute(stories.insert().values(title="by hand", languages=[], regions=[], topics=[])
                             ).inserted_primary_key[0]
    assert clustered and extra > max(clustered)
    Understanding(engine, settings).process(insert_rows(engine, rows[20:]))
    got = assignments(engine)
    later = {got[r["id"]][0] for r in rows[20:]}
    with engine.connect() as conn:
        titles = {r.id: r.title for r in conn.execute(sa.select(stories.c.id, stories.c.title))}
    engine.dispose()
    assert titles[extra] == "by hand"  # not overwritten by a story of the clusterer
    assert extra not in later and later <= set(titles)

"""Fixtures of the ai tests: a migrated SQLite store holding real labelled stories from ../shared/data/clustering-dev.

Each gold event (``cluster``) becomes one story; articles keep their real title, text, language and source. The
store is built once per test module because embedding the sentences is the slow part.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from ai_stories import add_story, dev_events

from newsdesk.config import Settings, load_settings
from newsdesk.store.db import open_store

STORIES_PER_SET = 4


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

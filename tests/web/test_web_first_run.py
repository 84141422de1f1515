"""The home page of a fresh install while the first pass runs (``newsdesk run`` serves from its first second): it
says it is ingesting and reloads itself, until the sources have been checked and their articles understood."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from starlette.testclient import TestClient

from newsdesk.config import load_settings
from newsdesk.store.db import open_store
from newsdesk.store.sources import add_source
from newsdesk.store.tables_core import sources
from newsdesk.web.app import create_app


def home(engine: sa.Engine, tmp_path: Path) -> str:
    settings = load_settings(env={"NEWSDESK_WEB_PAGE_CACHE_SECONDS": "0", "NEWSDESK_DATA_DIR": str(tmp_path)},
                             config_file=tmp_path / "absent.toml")
    with TestClient(create_app(settings, engine)) as client:
        answer = client.get("/")
    assert answer.status_code == 200
    return answer.text


def test_home_says_ingesting_until_the_sources_are_checked(tmp_path: Path) -> None:
    engine = open_store(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    with engine.begin() as conn:
        add_source(conn, "http://127.0.0.11:8090/rss.xml", kind="feed", name="Meridian")
    page = home(engine, tmp_path)
    assert "Ingesting" in page and 'http-equiv="refresh"' in page and "Nothing here yet" not in page
    with engine.begin() as conn:
        conn.execute(sources.update().values(last_checked_at=datetime.now(UTC)))
    page = home(engine, tmp_path)
    assert "Ingesting" not in page and 'http-equiv="refresh"' not in page and "Nothing here yet" in page


def test_home_of_an_install_without_sources_does_not_claim_to_ingest(tmp_path: Path) -> None:
    page = home(open_store(f"sqlite:///{tmp_path / 'empty.sqlite3'}"), tmp_path)
    assert "Ingesting" not in page and "Nothing here yet" in page

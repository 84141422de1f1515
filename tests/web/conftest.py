"""Fixtures of the web tests: a sample store built from the shared dev sets, an app over it, a hostile article."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import uvicorn
from starlette.testclient import TestClient

from newsdesk.config import Settings, load_settings
from newsdesk.store.db import open_store
from newsdesk.store.tables_core import articles, sources
from newsdesk.store.tables_understanding import stories
from newsdesk.web.app import create_app
from newsdesk.web.sample_site import load_sample

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Iterator[tuple[sa.Engine, Settings]]:
    """One sample store per test module (loading it takes about two seconds)."""
    folder = tmp_path_factory.mktemp("web")
    url = f"sqlite:///{folder / 'sample.sqlite3'}"
    engine = open_store(url)
    load_sample(engine, shared_dir / "data" / "clustering-dev")
    settings = load_settings(env={"NEWSDESK_DATABASE_URL": url, "NEWSDESK_WEB_PAGE_CACHE_SECONDS": "0"},
                             config_file=folder / "absent.toml")
    yield engine, settings
    engine.dispose()


@pytest.fixture(scope="module")
def client(sample_store: tuple[sa.Engine, Settings]) -> Iterator[TestClient]:
    engine, settings = sample_store
    with TestClient(create_app(settings, engine)) as test_client:
        yield test_client


@pytest.fixture(autouse=True)
def fresh_cookies(request: pytest.FixtureRequest) -> None:
    """Each test starts without the interface-language cookie another test may have set."""
    if "client" in request.fixturenames:
        request.getfixturevalue("client").cookies.clear()


def add_story(engine: sa.Engine, titles: list[tuple[str, str, str]], *, text: str = "", html: str | None = None,
              region: str | None = None) -> tuple[int, list[int]]:
    """Insert a story of articles given as (outlet, language, title); returns the story id and article ids."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        source_id = conn.execute(sa.select(sources.c.id).limit(1)).scalar()
        story_id = conn.execute(stories.insert().values(
            title=titles[0][2], first_seen_at=now - timedelta(hours=16), last_seen_at=now + timedelta(seconds=1),
            article_count=len(titles), outlet_count=len({t[0] for t in titles}),
            languages=sorted({t[1] for t in titles}), regions=[region] if region else [], topics=["science"],
            trend_score=10_000.0)).inserted_primary_key[0]
        ids = []
        for index, (outlet, language, title) in enumerate(titles):
            ids.append(conn.execute(articles.insert().values(
                title=title, outlet=outlet, language=language, text=text or f"{title}. Body of the article.",
                html=html, url=f"https://{index}.example/{story_id}/{index}", source_id=source_id, region=region,
                published_at=now - timedelta(hours=16 - index), fetched_at=now, story_id=story_id, topics=["science"],
            )).inserted_primary_key[0])
        conn.execute(stories.update().where(stories.c.id == story_id).values(representative_article_id=ids[0]))
    return story_id, ids


@pytest.fixture(scope="module")
def live_server(sample_store: tuple[sa.Engine, Settings]) -> Iterator[str]:
    """The app over the sample store, served by uvicorn on a free 127.0.0.1 port; yields the base URL."""
    engine, settings = sample_store
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings, engine), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)

"""Fixtures of the web tests: a sample store built from the shared dev sets, an app over it, a hostile article."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser
from reader_apps_store import reader_engine, reader_store  # noqa: F401  (fixtures of the reader-app API tests)
from starlette.testclient import TestClient
from support.sample_site import load_sample
from web_servers import ARGS, CHROMIUM, serve

from newsdesk.config import Settings, load_settings
from newsdesk.store.db import open_store
from newsdesk.web.app import create_app


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Iterator[tuple[sa.Engine, Settings]]:
    """One sample store per test module (loading it takes about two seconds)."""
    folder = tmp_path_factory.mktemp("web")
    url = f"sqlite:///{folder / 'sample.sqlite3'}"
    engine = open_store(url)
    load_sample(engine, shared_dir / "data" / "clustering-dev")
    settings = load_settings(env={"NEWSDESK_DATABASE_URL": url, "NEWSDESK_WEB_PAGE_CACHE_SECONDS": "0",
                                  "NEWSDESK_DATA_DIR": str(folder / "data")}, config_file=folder / "absent.toml")
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


@pytest.fixture(scope="module")
def live_server(sample_store: tuple[sa.Engine, Settings]) -> Iterator[str]:
    """The app over the sample store, served by uvicorn on a free 127.0.0.1 port; yields the base URL."""
    engine, settings = sample_store
    with serve(create_app(settings, engine)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium driven by Playwright (never a downloaded browser), shared by the browser test modules."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[sa.Engine, Settings]]:
    """The bundled demo after its first ingest pass (minutes: once per session, for the slow reader tests)."""
    from support.demo_store import build_demo_store

    engine, settings = build_demo_store(tmp_path_factory.mktemp("demo"))
    yield engine, settings
    engine.dispose()

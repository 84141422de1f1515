"""Shared fixtures: a real, migrated SQLite file per test, settings built from declarations, paths to shared data."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsdesk.config import Settings, load_settings
from newsdesk.demo.server import DemoNewswire
from newsdesk.store.db import open_store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    env = {"NEWSDESK_DATABASE_URL": db_url, "NEWSDESK_FETCH_ALLOW_NETWORKS": "127.0.0.0/8",
           "NEWSDESK_DATA_DIR": str(tmp_path / "data")}
    return load_settings(env=env, config_file=tmp_path / "absent.toml")


@pytest.fixture
def engine(db_url: str) -> sa.Engine:
    engine = open_store(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"shared material not found at {SHARED}: tests expect ../shared beside the checkout")
    return SHARED


@pytest.fixture(scope="module")
def wire() -> DemoNewswire:
    """The demo newswire with every article out, on loopback (127.0.0.11-18, free ports)."""
    wire = DemoNewswire(release_all=True)
    wire.start_servers(port=0)
    yield wire
    wire.stop()


def server_url(name: str) -> str:
    """The URL of a test server from the environment: skipped locally when unset, a failure in CI."""
    url = os.environ.get(name)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"CI must provide {name}: the scale-out suite may not skip there")
        pytest.skip(f"{name} is not set")
    return url


@pytest.fixture
def postgres_server_url() -> str:
    """The test PostgreSQL server's database (tests that need their own schema or database make it there)."""
    return server_url("NEWSDESK_TEST_POSTGRES_URL")


@pytest.fixture
def pg_url(postgres_server_url: str) -> str:
    """A fresh database on the test server for this test (dropped afterwards)."""
    base = sa.make_url(postgres_server_url)
    name = "nd_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
    admin.dispose()


@pytest.fixture
def redis_url() -> str:
    """The test Redis server (tests flush its database themselves)."""
    return server_url("NEWSDESK_TEST_REDIS_URL")

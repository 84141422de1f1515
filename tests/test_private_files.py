"""What newsdesk writes to disk is private to its account: the data dir 0700, the SQLite database with its -wal
and -shm files 0600, the queue's files and the secret key 0600, under the usual umask 022 (which made them
world-readable before)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.config import load_settings
from newsdesk.private_files import private_dir, private_file
from newsdesk.store.db import open_store
from newsdesk.tasks.queue import _huey
from newsdesk.web.secret_key import secret_key


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_database_and_its_wal_and_shm_are_private(tmp_path: Path) -> None:
    database = tmp_path / "data" / "newsdesk.sqlite3"
    engine = open_store(f"sqlite:///{database}")
    with engine.connect() as conn:  # a connection open: the -wal and -shm files exist
        conn.exec_driver_sql("SELECT count(*) FROM sources").scalar_one()
        files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
        assert all(f.exists() for f in files)
        assert {f.name: oct(mode(f)) for f in files} == {f.name: "0o600" for f in files}
    engine.dispose()
    assert mode(database.parent) == 0o700


def test_the_secret_key_and_queue_files_are_private_in_a_private_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "var" / "newsdesk"
    settings = load_settings(env={"NEWSDESK_DATA_DIR": str(data_dir)}, config_file=tmp_path / "absent.toml")
    assert len(secret_key(settings)) == 64
    assert mode(data_dir / "secret_key") == 0o600
    assert mode(data_dir) == mode(data_dir.parent) == 0o700  # each folder newsdesk made
    queue = _huey(settings, "newsdesk-ingest")
    queue.storage.enqueue(b"task")
    assert mode(data_dir / "newsdesk-ingest.sqlite3") == 0o600


def test_existing_folders_keep_their_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    private_dir(shared / "a" / "b")
    assert mode(shared) == 0o755 and mode(shared / "a") == mode(shared / "a" / "b") == 0o700
    assert private_file(shared / "a" / "file") and not private_file(shared / "a" / "file")
    assert mode(shared / "a" / "file") == 0o600

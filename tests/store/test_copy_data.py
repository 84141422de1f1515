"""``newsdesk migrate-data``: a household SQLite store copied whole into PostgreSQL (or another SQLite file),
resumed after an interruption, verified by counts, with sequences that go on past the copied ids."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsdesk.cli import main
from newsdesk.store.copy_data import CopyError, copy_store, table_counts
from newsdesk.store.db import open_store
from newsdesk.store.social import add_comment, follow
from newsdesk.store.tables_core import articles, sources
from newsdesk.store.users import create_user

CLI = str(Path(sys.executable).parent / "newsdesk")


class Interrupted(Exception):
    pass


@pytest.fixture(scope="module")
def household(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> str:
    """A SQLite store with 40 imported articles in stories, two people, a comment, a follow and a forward link."""
    folder = tmp_path_factory.mktemp("household")
    rows = (shared_dir / "data/clustering-dev/meantime-dev.jsonl").read_text(encoding="utf-8").splitlines()[:40]
    src = folder / "in.jsonl"
    src.write_text("".join(json.dumps({k: v for k, v in json.loads(r).items() if k != "cluster"}) + "\n"
                           for r in rows), encoding="utf-8")
    url = f"sqlite:///{folder / 'home.sqlite3'}"
    assert main(["--db", url, "import", str(src)]) == 0
    engine = open_store(url)
    with engine.begin() as conn:
        first, last = conn.execute(sa.select(sa.func.min(articles.c.id), sa.func.max(articles.c.id))).one()
        story = conn.execute(sa.select(articles.c.story_id).where(articles.c.id == first)).scalar_one()
        ana = create_user(conn, "ana", "correct horse battery", role="admin")
        create_user(conn, "bo", "correct horse battery")
        add_comment(conn, ana, "A first comment", story_id=story)
        follow(conn, ana, story)
        # an article marked a copy of a later one: the copy has to fill the link after both rows exist
        conn.execute(articles.update().where(articles.c.id == first).values(duplicate_of=last))
    engine.dispose()
    return url


def _story_of_each_article(engine: sa.Engine) -> dict[int, int | None]:
    with engine.connect() as conn:
        return {row.id: row.story_id for row in conn.execute(sa.select(articles.c.id, articles.c.story_id))}


def _check_same(source: sa.Engine, target: sa.Engine) -> None:
    assert all(c.source_rows == c.target_rows for c in table_counts(source, target))
    assert _story_of_each_article(target) == _story_of_each_article(source)
    with source.connect() as a, target.connect() as b:
        query = sa.select(articles.c.id, articles.c.duplicate_of, articles.c.title, articles.c.published_at,
                          articles.c.topics).order_by(articles.c.id)
        assert list(b.execute(query)) == list(a.execute(query))


def _interrupted_then_resumed(source: sa.Engine, target: sa.Engine) -> None:
    def stop_in_articles(table: str, done: int, total: int) -> None:
        if table == "articles" and done >= 10:
            raise Interrupted

    with pytest.raises(Interrupted):
        copy_store(source, target, batch=7, progress=stop_in_articles)
    with target.connect() as conn:
        partly = conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one()
    assert 0 < partly < 40
    seen: list[tuple[str, int, int]] = []
    copy_store(source, target, batch=7, progress=lambda *event: seen.append(event))
    assert ("articles", 40, 40) in seen
    _check_same(source, target)


@pytest.mark.postgres
def test_sqlite_store_moves_to_postgresql_resuming_after_an_interruption(household: str, pg_url: str) -> None:
    source, target = open_store(household), open_store(pg_url)
    try:
        _moved_to_postgresql(source, target)
    finally:
        source.dispose()
        target.dispose()


def _moved_to_postgresql(source: sa.Engine, target: sa.Engine) -> None:
    _interrupted_then_resumed(source, target)
    copy_store(source, target)  # run again on a finished copy: nothing changes, counts still verified
    with target.begin() as conn:  # the id sequences go on past the copied rows
        new_id = conn.execute(sources.insert().values(feed_url="https://example.org/feed.xml",
                                                      added_at=sa.func.now()).returning(sources.c.id)).scalar_one()
        highest = conn.execute(sa.select(sa.func.max(articles.c.id))).scalar_one()
        new_article = conn.execute(articles.insert().values(url="https://example.org/new", title="New",
                                                            fetched_at=sa.func.now()).returning(articles.c.id))
        assert new_article.scalar_one() > highest
    assert new_id > 0


def test_copy_between_sqlite_files_resumes_and_refuses_a_foreign_target(household: str, tmp_path: Path) -> None:
    source = open_store(household)
    target = open_store(f"sqlite:///{tmp_path / 'copy.sqlite3'}")
    _interrupted_then_resumed(source, target)
    other = open_store(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    with other.begin() as conn:
        for n in range(3):
            create_user(conn, f"someone{n}", "correct horse battery")
    with pytest.raises(CopyError, match="users"):
        copy_store(source, other)


def test_the_command_reports_counts_and_refuses_without_a_traceback(household: str, tmp_path: Path) -> None:
    target = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    done = subprocess.run([CLI, "migrate-data", "--from", household, "--to", target], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "row count matches" in done.stdout
    bad = subprocess.run([CLI, "migrate-data", "--from", household, "--to", "postgresql+psycopg://nobody@127.0.0.1:1/x"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert bad.stderr.startswith("error: cannot open a database") and "Traceback" not in bad.stderr


def test_json_logs_are_one_object_per_line(tmp_path: Path) -> None:
    env = {**os.environ, "NEWSDESK_LOG_FORMAT": "json"}
    done = subprocess.run([CLI, "-v", "--db", f"sqlite:///{tmp_path / 'j.sqlite3'}", "migrate"], capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]
    assert lines and all({"time", "level", "logger", "message"} <= set(entry) for entry in lines)
    wrong = subprocess.run([CLI, "--db", f"sqlite:///{tmp_path / 'j.sqlite3'}", "migrate"], capture_output=True,
                           text=True, timeout=120, env={**env, "NEWSDESK_LOG_FORMAT": "xml"})
    assert wrong.returncode == 2 and "log_format" in wrong.stderr and "Traceback" not in wrong.stderr

"""Opening the database and migrating it.

SQLite gets WAL mode, foreign keys and a busy timeout on every connection (the only SQLite-specific SQL outside
``newsdesk/search``); a new SQLite file and its folder are created private (0600/0700, see
:mod:`newsdesk.private_files`). PostgreSQL is used as is. ``migrate`` runs the Alembic migrations in
``newsdesk/store/migrations`` up to head, so a fresh file and an old one end on the same schema.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeAlias

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from newsdesk.private_files import private_file

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Search structures are dialect-specific SQL made by migration 0004 from newsdesk/search, not SQLAlchemy tables:
# schema comparison (autogenerate, the migration test) leaves them alone.
OUTSIDE_METADATA = ("articles_fts", "ix_articles_search")

# The handles other stages pass around (they name these, never SQLAlchemy: the store owns SQL).
Engine: TypeAlias = sa.Engine
Connection: TypeAlias = sa.Connection
# What the database raises, for callers that tell failures apart (a constraint a racing worker won; the server
# away or busy; a value the column refuses; any of them).
DatabaseError = sa.exc.SQLAlchemyError
IntegrityError = sa.exc.IntegrityError
OperationalError = sa.exc.OperationalError
DataError = sa.exc.DataError


def inserted_id(result: sa.CursorResult[Any]) -> int:
    """The primary key of the one row an INSERT added."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the insert returned no primary key")
    return int(key[0])


def declared_in_metadata(obj, name: str | None, type_: str, reflected: bool, compare_to) -> bool:
    """Alembic ``include_object`` hook: False for the search structures listed in OUTSIDE_METADATA."""
    return not (reflected and compare_to is None and name and name.startswith(OUTSIDE_METADATA))


def is_sqlite(engine: sa.Engine) -> bool:
    return engine.dialect.name == "sqlite"


def connect(url: str) -> sa.Engine:
    """An Engine for ``url``; for a SQLite file its folder is created and every connection is set up for WAL."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            private_file(parsed.database)  # before SQLite makes it 0644 (its -wal and -shm copy the file's mode)
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA cache_size=-65536")
    cur.close()


def alembic_config(engine: sa.Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: sa.Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (default: the newest)."""
    command.upgrade(alembic_config(engine), revision)


def needs_migration(engine: sa.Engine) -> bool:
    """True when the database is behind the newest migration."""
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() != head


def open_store(url: str) -> sa.Engine:
    """Connect and migrate: what every command that touches the database calls first."""
    engine = connect(url)
    migrate(engine)
    return engine

"""The migrations build exactly the schema the table modules declare, on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from newsdesk.store.db import connect, declared_in_metadata, migrate, needs_migration
from newsdesk.store.schema import metadata


def _differences(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": declared_in_metadata})
        return compare_metadata(ctx, metadata)


def test_sqlite_migrations_match_the_declared_schema(db_url: str) -> None:
    engine = connect(db_url)
    assert needs_migration(engine)
    migrate(engine)
    assert not needs_migration(engine)
    assert _differences(engine) == []
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    migrate(engine)  # a second run is a no-op


@pytest.mark.postgres
def test_postgres_migrations_match_the_declared_schema(postgres_server_url: str) -> None:
    admin = sa.create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    schema = "t_" + uuid.uuid4().hex[:10]
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        engine = connect(postgres_server_url)
        sa.event.listen(engine, "connect", lambda c, _r: c.cursor().execute(f"SET search_path TO {schema}"))
        migrate(engine)
        assert _differences(engine) == []
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()

"""full-text search: SQLite FTS5 external-content table with triggers, or a PostgreSQL GIN tsvector index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 20:10:00

The SQL lives in the search backends (newsdesk/search/sqlite_fts.py and postgres_tsv.py) so the migration and the
queries cannot drift apart. Each dialect gets only its own objects.
"""
from alembic import op

from newsdesk.search import postgres_tsv, sqlite_fts

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": sqlite_fts.CREATE_SQL, "postgresql": postgres_tsv.CREATE_SQL}.get(dialect, ())
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": sqlite_fts.DROP_SQL, "postgresql": postgres_tsv.DROP_SQL}.get(dialect, ())
    for statement in statements:
        op.execute(statement)

"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from newsdesk.store import tables_ai, tables_core, tables_understanding  # noqa: F401 - registers the tables
from newsdesk.store.metadata import metadata

__all__ = ["metadata"]

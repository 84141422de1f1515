"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from newsdesk.store import tables_ai, tables_core, tables_people, tables_understanding  # noqa: F401 - registers
from newsdesk.store.metadata import metadata

__all__ = ["metadata"]

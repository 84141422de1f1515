"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from newsdesk.store import (  # noqa: F401 - registers
    tables_ai,
    tables_core,
    tables_follow,
    tables_grouping,
    tables_packs,
    tables_people,
    tables_understanding,
)
from newsdesk.store.metadata import metadata

__all__ = ["metadata"]

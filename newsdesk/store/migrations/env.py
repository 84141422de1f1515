"""Alembic environment: runs migrations on the engine handed over by newsdesk.store.db (never a config file URL)."""

from alembic import context

from newsdesk.store.db import declared_in_metadata
from newsdesk.store.schema import metadata

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      compare_type=True, include_object=declared_in_metadata)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()

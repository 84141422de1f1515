"""Storage: one schema (SQLAlchemy Core) for SQLite and PostgreSQL, Alembic migrations, and the queries.

Table definitions live in ``tables_*.py`` modules that share one ``MetaData``; dialect-specific SQL lives only in
``newsdesk/search/`` backends and in ``db.py`` (connection pragmas).
"""

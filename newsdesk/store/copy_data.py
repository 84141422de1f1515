"""Copying a whole store into another database: a household SQLite install moved to PostgreSQL.

Tables are copied in foreign-key order, in batches of rows ordered by primary key, one transaction per batch, so an
interrupted copy resumes where it stopped: for a table with one integer key, rows up to the target's highest key
are taken as copied; other tables are re-read and only missing keys inserted, and a table without a primary key
(the near-duplicate bands) is emptied in the target and copied again whole. A column that refers to its own
table (an article's ``duplicate_of``) is copied empty first and filled in afterwards, since it may point forward.
PostgreSQL's id sequences are moved past the copied ids, and the copy ends by comparing every table's row count.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass

import sqlalchemy as sa

from newsdesk.store.reading import insert_missing
from newsdesk.store.schema import metadata

Progress = Callable[[str, int, int], None]  # table, rows copied so far, rows in the source table


class CopyError(Exception):
    """The copy cannot start or did not end with the same rows on both sides."""


@dataclass(frozen=True)
class TableCount:
    table: str
    source_rows: int
    target_rows: int


def table_counts(source: sa.Engine, target: sa.Engine) -> list[TableCount]:
    """Row counts of every table on both sides, in copy order."""
    with source.connect() as src, target.connect() as dst:
        return [TableCount(t.name, _count(src, t), _count(dst, t)) for t in metadata.sorted_tables]


def _count(conn: sa.Connection, table: sa.Table) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def copy_store(source: sa.Engine, target: sa.Engine, batch: int = 2000, progress: Progress | None = None,
               ) -> list[TableCount]:
    """Copy every row of ``source`` into ``target`` (both migrated to the same schema) and return the counts.

    Raises CopyError when the target holds more rows of a table than the source (it is not a copy of it) or
    when the counts differ at the end."""
    counts = table_counts(source, target)
    foreign = [c.table for c in counts if c.target_rows > c.source_rows]
    if foreign:
        raise CopyError(f"the target holds rows the source does not ({', '.join(foreign)}): "
                        "copy into an empty database or one an earlier copy of this source filled")
    for table, count in zip(metadata.sorted_tables, counts, strict=True):
        _copy_table(source, target, table, count.source_rows, batch, progress)
        _fill_self_references(source, target, table, batch)
    if target.dialect.name == "postgresql":
        _advance_sequences(target)
    final = table_counts(source, target)
    differing = [f"{c.table} ({c.source_rows} vs {c.target_rows})" for c in final if c.source_rows != c.target_rows]
    if differing:
        raise CopyError(f"row counts differ after the copy: {', '.join(differing)}")
    return final


def _single_integer_key(table: sa.Table) -> sa.Column | None:
    keys = list(table.primary_key.columns)
    if len(keys) == 1 and isinstance(keys[0].type, sa.Integer | sa.BigInteger):
        return keys[0]
    return None


def _self_references(table: sa.Table) -> list[str]:
    return [col.name for col in table.columns if any(fk.column.table is table for fk in col.foreign_keys)]


def _copy_table(source: sa.Engine, target: sa.Engine, table: sa.Table, total: int, batch: int,
                progress: Progress | None) -> None:
    key = _single_integer_key(table)
    start = None
    if key is not None:
        with target.connect() as dst:
            start = dst.execute(sa.select(sa.func.max(key))).scalar()
    done = 0
    if not table.primary_key.columns:  # rows without a key cannot be told apart: copied again whole
        with target.begin() as dst:
            dst.execute(table.delete())
    if start is not None:
        with source.connect() as src:
            done = int(src.execute(sa.select(sa.func.count()).select_from(table).where(key <= start)).scalar_one())
    deferred = set(_self_references(table))
    with closing(_batches(source, table, key, start, batch)) as batches:
        for rows in batches:
            with target.begin() as dst:
                insert_missing(dst, table, [{**row, **dict.fromkeys(deferred)} for row in rows])
            done += len(rows)
            if progress:
                progress(table.name, done, total)
    if progress and not total:
        progress(table.name, 0, 0)


def _batches(source: sa.Engine, table: sa.Table, key: sa.Column | None, after: int | None,
             size: int) -> Generator[list[dict], None, None]:
    """Rows of ``table`` in primary-key order, ``size`` at a time (keyset paging on an integer key)."""
    order = list(table.primary_key.columns) or list(table.columns)
    with source.connect() as src:
        if key is None:
            result = src.execution_options(stream_results=True).execute(sa.select(table).order_by(*order))
            while chunk := result.fetchmany(size):
                yield [dict(row._mapping) for row in chunk]
            return
        while True:
            query = sa.select(table).order_by(key).limit(size)
            if after is not None:
                query = query.where(key > after)
            rows: list[dict] = [dict(row._mapping) for row in src.execute(query)]
            if not rows:
                return
            yield rows
            after = rows[-1][key.name]


def _fill_self_references(source: sa.Engine, target: sa.Engine, table: sa.Table, batch: int) -> None:
    """Set the columns that refer to the same table, now that every row they may point to exists."""
    key = _single_integer_key(table)
    for name in _self_references(table):
        if key is None:
            raise CopyError(f"{table.name}.{name} refers to its own table, which has no single integer key")
        column = table.c[name]
        with source.connect() as src:
            pairs = [(int(k), int(v)) for k, v in src.execute(sa.select(key, column).where(column.is_not(None)))]
        for start in range(0, len(pairs), batch):
            with target.begin() as dst:
                dst.execute(table.update().where(key == sa.bindparam("row_key")).values({name: sa.bindparam("ref")}),
                            [{"row_key": k, "ref": v} for k, v in pairs[start:start + batch]])


def _advance_sequences(target: sa.Engine) -> None:
    """Move each id sequence past the highest copied id, so new rows do not collide with copied ones."""
    with target.begin() as dst:
        for table in metadata.sorted_tables:
            key = _single_integer_key(table)
            if key is None:
                continue
            sequence = dst.execute(sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                                   {"t": table.name, "c": key.name}).scalar()
            if sequence:
                dst.execute(sa.text(f"SELECT setval(:s, COALESCE((SELECT MAX({key.name}) FROM {table.name}), 0) + 1, "
                                    "false)"), {"s": sequence})

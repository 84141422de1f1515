"""Operator commands: ``migrate-data`` (move a store to another database) and ``retention`` (apply the age policy)."""

from __future__ import annotations

import argparse
import sys

from newsdesk.config import Settings


def cmd_migrate_data(args: argparse.Namespace, settings: Settings) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    from newsdesk.store.copy_data import CopyError, copy_store
    from newsdesk.store.db import DatabaseError, open_store

    try:
        source, target = open_store(args.source), open_store(args.target)
    except (DatabaseError, ValueError) as exc:
        print(f"error: cannot open a database: {exc}", file=sys.stderr)
        return 1
    columns = (TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), disable=not sys.stderr.isatty()) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(table: str, done: int, total: int) -> None:
            if table not in tasks:
                tasks[table] = bar.add_task(table, total=total)
            bar.update(tasks[table], completed=done)

        try:
            counts = copy_store(source, target, batch=args.batch, progress=progress)
        except CopyError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    rows = sum(c.target_rows for c in counts)
    print(f"copied: {len(counts)} tables, {rows} rows; every table's row count matches the source")
    return 0


def cmd_retention(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.cli_views import progress_bar
    from newsdesk.store.db import open_store
    from newsdesk.tasks.retention import apply_retention, pending_archive

    if settings.retention_days <= 0:
        print("retention_days is 0: every article is kept (set NEWSDESK_RETENTION_DAYS or retention_days)")
        return 0
    engine = open_store(settings.database_url)
    due = pending_archive(engine, settings)
    if args.dry_run:
        print(f"{due} articles older than {settings.retention_days} days would be archived")
        return 0
    with progress_bar("archiving", total=due) as advance:
        archived = apply_retention(engine, settings, progress=advance)
    print(f"archived {archived} articles older than {settings.retention_days} days")
    return 0


def add_ops_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate-data", help="copy a whole store into another database (e.g. SQLite to PostgreSQL); "
                       "stop newsdesk first; an interrupted copy resumes when run again")
    p.add_argument("--from", dest="source", required=True, help="database URL to read, e.g. sqlite:///data/newsdesk.sqlite3")
    p.add_argument("--to", dest="target", required=True,
                   help="database URL to fill (migrated first), e.g. postgresql+psycopg://newsdesk@db/newsdesk")
    p.add_argument("--batch", type=int, default=2000, help="rows per transaction")
    p.set_defaults(func=cmd_migrate_data)
    p = sub.add_parser("retention", help="archive articles older than retention_days now (the schedulers do it "
                       "hourly): bodies and vectors dropped, titles, stories and summaries kept")
    p.add_argument("--dry-run", action="store_true", help="only count what would be archived")
    p.set_defaults(func=cmd_retention)

"""What the CLI shows: progress bars, the sources table, and reading one page for ``newsdesk extract``."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsdesk.config import Settings
from newsdesk.store.db import Engine


def _progress(transient: bool = False) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), transient=transient, disable=not sys.stderr.isatty())


@contextmanager
def progress_bar(label: str, transient: bool = False, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A bar on stderr (hidden when stderr is not a terminal); yields ``advance(n)``."""
    with _progress(transient) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


@contextmanager
def pass_progress() -> Iterator[Callable[[str, int], None]]:
    """Two bars for an ingest pass, sources and entries, fed by the pass's progress events."""
    with _progress() as bar:
        sources = bar.add_task("sources", total=0)
        entries = bar.add_task("entries", total=0)

        def on_event(event: str, n: int) -> None:
            if event == "sources":
                bar.update(sources, total=n)
            elif event == "source":
                bar.advance(sources, n)
            elif event == "entries":
                bar.update(entries, total=(bar.tasks[entries].total or 0) + n)
            elif event == "entry":
                bar.advance(entries, n)

        yield on_event


def _ago(when: datetime | None) -> str:
    if when is None:
        return "never"
    seconds = int((datetime.now(UTC) - when).total_seconds())
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if abs(seconds) >= size:
            return f"{seconds // size} {unit} ago" if seconds > 0 else f"in {-seconds // size} {unit}"
    return f"{seconds} s ago" if seconds >= 0 else f"in {-seconds} s"


def print_sources(engine: Engine) -> None:
    from newsdesk.store.sources import list_sources

    table = Table("id", "name", "feed", "lang", "region", "status", "last success", "errors", "next check")
    with engine.connect() as conn:
        for r in list_sources(conn):
            status = r.status if not r.last_error else f"{r.status}: {r.last_error[:60]}"
            table.add_row(str(r.id), r.name or "", r.feed_url, r.language or "", r.region or "", status,
                          _ago(r.last_success_at), str(r.error_count), _ago(r.next_check_at))
    Console(width=200).print(table)


def extract_target(settings: Settings, target: str, url: str | None):
    """Extract one page from a file (bytes decoded by the page's own charset) or from a URL fetched politely."""
    from newsdesk.extract import decode_page, extract_article

    if target.startswith(("http://", "https://")):
        from newsdesk.fetch.client import PoliteClient

        async def get() -> tuple[bytes, str | None, str]:
            async with PoliteClient(settings) as client:
                res = await client.fetch(target, page=True)
                return res.content, res.headers.get("content-type"), res.url

        raw, content_type, final_url = asyncio.run(get())
        return extract_article(decode_page(raw, content_type), url or final_url)
    raw = Path(target).read_bytes()
    if target.endswith(".gz"):
        import gzip

        raw = gzip.decompress(raw)
    return extract_article(decode_page(raw, None), url)

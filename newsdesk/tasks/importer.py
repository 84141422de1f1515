"""Bulk import of articles from JSON Lines (``newsdesk import FILE.jsonl``).

Each line carries ``id`` (kept as the article's external id), ``title``, ``text`` and optionally ``url``,
``language``, ``published`` (ISO 8601 date or time), ``source`` (a feed/site URL or a publisher name), ``outlet``,
``region``, ``image``, ``byline``, ``summary``. URLs (``url``, ``image``, a ``source`` URL) that break the URL rule
(:func:`newsdesk.text.urls.checked_url`: http(s) only) are dropped; the store cleans the text of control
characters. Articles are identified as ingest identifies them (:mod:`newsdesk.store.article_imports`: link,
canonical URL, GUID, content hash): a line of an article already stored keeps its id as an alias, and a line whose
id was imported before is skipped, so importing a file twice changes nothing. New articles then go through the
understanding stages in time order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsdesk.config import Settings
from newsdesk.store.article_imports import import_rows
from newsdesk.store.db import Engine
from newsdesk.tasks.understanding import understand_new_articles
from newsdesk.text.urls import checked_url_or_none

BATCH = 1000


class ImportFileError(ValueError):
    """A line of the import file cannot be read (the message names the line)."""


@dataclass
class ImportSummary:
    lines: int = 0
    new: int = 0
    aliased: int = 0  # lines of an article already stored (same link, GUID or text): their ids kept as aliases
    skipped: int = 0
    new_ids: list[int] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.lines} lines: {self.new} new articles, {self.skipped} already stored, {self.aliased} more "
                "ids of stored articles")


def parse_time(value: Any) -> datetime | None:
    """ISO 8601 date or datetime -> aware UTC datetime (a date means midnight UTC; no zone means UTC)."""
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def row_values(raw: dict[str, Any]) -> dict[str, Any]:
    """The article row for one import line."""
    if "id" not in raw:
        raise ValueError("missing 'id'")
    source = str(raw.get("source") or "").strip()
    source_url = checked_url_or_none(source) if "://" in source else None
    outlet = raw.get("outlet") or (urlsplit(source_url).hostname if source_url else source) or None
    return {
        "external_id": str(raw["id"]), "url": _url(raw.get("url")), "title": str(raw.get("title") or ""),
        "text": str(raw.get("text") or ""), "summary": raw.get("summary"), "language": raw.get("language") or None,
        "published_at": parse_time(raw.get("published")), "outlet": outlet,
        "source_url": source_url, "region": raw.get("region") or None,
        "image_url": _url(raw.get("image")), "byline": raw.get("byline") or None,
    }


def _url(value: Any) -> str | None:
    return checked_url_or_none(value) if isinstance(value, str) else None



def read_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                if not isinstance(raw, dict):
                    raise ValueError("not a JSON object")
                yield number, row_values(raw)
            except ValueError as exc:
                raise ImportFileError(f"{path}:{number}: {exc}") from exc


def _batches(items: Iterable[tuple[int, dict]], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for _, item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_jsonl(engine: Engine, settings: Settings, path: Path,
                 progress: Callable[[int], None] | None = None) -> ImportSummary:
    """Import a JSON Lines file and run the understanding stages on what is new."""
    summary = ImportSummary()
    for batch in _batches(read_lines(path), BATCH):
        with engine.begin() as conn:
            stored = import_rows(conn, batch)
        summary.new_ids += stored.new_ids
        summary.new += len(stored.new_ids)
        summary.aliased += stored.aliased
        summary.skipped += stored.skipped
        summary.lines += len(batch)
        if progress:
            progress(len(batch))
    understand_new_articles(engine, settings, summary.new_ids)
    return summary

"""One ingest pass: check every due source, ingest the new entries, then understand what arrived.

Fetching overlaps (one asyncio loop, per-host limits in the polite client); extraction, the CPU-bound stage, runs in
worker processes (``extraction_pool``) and feed parsing in a thread, so the loop keeps fetching and storing; articles
are written in batches, one short transaction each (``article_writer``). An entry delivered by
several feeds in the same pass is fetched once: the first task to see its URL claims it and the others wait for it and
only record their feed link. ``fetch_pass`` returns when every entry found in the pass is stored and understood.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsdesk.config import Settings
from newsdesk.fetch.client import FetchError, HTTPStatusError, PoliteClient
from newsdesk.fetch.throttle import AdmissionGate
from newsdesk.sources.feeds import FeedEntry, FeedParseError, ParsedFeed, parse_feed
from newsdesk.sources.host_budget import HostBudget, host_of_url
from newsdesk.sources.schedule import next_check
from newsdesk.sources.schedule_hints import publisher_floor
from newsdesk.store import articles as article_store
from newsdesk.store import sources as source_store
from newsdesk.store.article_batches import Delivery
from newsdesk.store.db import Engine
from newsdesk.store.sources import SourceRow
from newsdesk.tasks.article_writer import ArticleWriter
from newsdesk.tasks.articles_from_entries import EntryRef, article_values, entry_ref
from newsdesk.tasks.extraction_pool import ExtractionFailed, ExtractionPool
from newsdesk.tasks.understanding import UnderstandingStage, understand_pending
from newsdesk.tasks.websub_hooks import note_hub, push_slowed

log = logging.getLogger(__name__)
MAX_CHILD_SITEMAPS = 5


@dataclass
class PassSummary:
    """What a pass did; printed by ``fetch --once``."""

    sources: int = 0
    not_modified: int = 0
    failed: int = 0
    entries: int = 0
    new: int = 0
    duplicates: int = 0
    page_errors: int = 0
    new_ids: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.sources} sources checked ({self.not_modified} unchanged, {self.failed} failed), "
                f"{self.entries} entries: {self.new} new articles, {self.duplicates} already known, "
                f"{self.page_errors} pages not fetched")


Progress = Callable[[str, int], None]  # (event, amount): "sources" total, "source" done, "entries" total, "entry" done


class IngestPass:
    """The state of one pass: client, claims on entry keys, counters."""

    def __init__(self, engine: Engine, settings: Settings, client: PoliteClient, extractor: ExtractionPool,
                 progress: Progress | None) -> None:
        self.engine, self.settings, self.client, self.extractor = engine, settings, client, extractor
        self.progress = progress or (lambda event, n: None)
        self.summary = PassSummary()
        self.claims: dict[str, asyncio.Future[int | None]] = {}
        self.cpu = asyncio.Semaphore(1)  # CPU-bound steps in this process one at a time: two would fight over the GIL
        self.unextracted = 0  # pages fetched and not yet extracted: at ingest_pages_ahead the gate holds requests
        self.extracting = asyncio.Semaphore(extractor.processes * 2)  # keep every extraction process busy, no more
        self.writer = ArticleWriter(engine, settings.ingest_write_batch, settings.ingest_write_delay)
        self.fetching = 0  # entries whose page is being fetched or extracted

    async def run_source(self, source: SourceRow) -> None:
        now = datetime.now(UTC)
        try:
            result = await self.client.fetch(source.feed_url, etag=source.etag, last_modified=source.last_modified)
            if result.not_modified:
                self.summary.not_modified += 1
                self._record_success(source, now, [], result.etag, result.last_modified)
                return
            parsed, entries = await self._parse(result.content, result.url, result.headers.get("content-type"))
            note_hub(self.engine, self.settings, source.id, result, now)
        except (FetchError, FeedParseError) as exc:
            self._record_failure(source, now, exc)
            return
        finally:
            self.progress("source", 1)
        await self._take(source, parsed, entries)
        times = [e.published for e in entries if e.published]
        self._record_success(source, now, times, result.etag, result.last_modified, feed=parsed,
                             floor=publisher_floor(result.headers, result.content))

    async def run_pushed(self, source: SourceRow, content: bytes, content_type: str | None) -> None:
        """A feed body a WebSub hub pushed: its new entries are stored as a poll would store them."""
        parsed, entries = await self._parse(content, source.feed_url, content_type)
        await self._take(source, parsed, entries)

    async def _parse(self, content: bytes, url: str, content_type: str | None) -> tuple[ParsedFeed, list[FeedEntry]]:
        async with self.cpu:
            parsed = await asyncio.to_thread(parse_feed, content, url, content_type)
        return parsed, parsed.entries + await self._child_sitemap_entries(parsed)

    async def _take(self, source: SourceRow, parsed: ParsedFeed, entries: list[FeedEntry]) -> None:
        self.summary.entries += len(entries)
        self.progress("entries", len(entries))
        fresh = self._skip_known(source, entries)
        self.progress("entry", len(entries) - len(fresh))
        if fresh:
            self.extractor.start()
        await asyncio.gather(*(self.run_entry(source, parsed, entry) for entry in fresh))

    async def _child_sitemaps(self, parsed: ParsedFeed) -> list[ParsedFeed]:
        out = []
        for child in parsed.child_sitemaps[:MAX_CHILD_SITEMAPS]:
            try:
                res = await self.client.fetch(child)
                out.append(parse_feed(res.content, res.url, res.headers.get("content-type")))
            except (FetchError, FeedParseError) as exc:
                log.info("child sitemap %s: %s", child, exc)
        return out

    async def _child_sitemap_entries(self, parsed: ParsedFeed) -> list[FeedEntry]:
        if not parsed.child_sitemaps:
            return []
        return [e for child in await self._child_sitemaps(parsed) for e in child.entries]

    def _skip_known(self, source: SourceRow, entries: list[FeedEntry]) -> list[FeedEntry]:
        """Entries already stored cost one query per feed: they are linked to this feed and not fetched again."""
        refs = [entry_ref(e) for e in entries]
        with self.engine.begin() as conn:
            known = article_store.known_urls_and_guids(conn, [r.url for r in refs if r.url],
                                                       [r.guid for r in refs if r.guid])
            found = {id_ for r in refs for id_ in (known.get(r.url or ""), known.get(r.guid or "")) if id_}
            article_store.link_feeds(conn, sorted(found), source.id)
        self.summary.duplicates += len(found)
        return [e for e, r in zip(entries, refs, strict=True)
                if not (r.url and r.url in known) and not (r.guid and r.guid in known)]

    async def run_entry(self, source: SourceRow, parsed: ParsedFeed, entry: FeedEntry) -> None:
        ref = entry_ref(entry)
        try:
            if ref.key is None:
                return
            if ref.key in self.claims:
                article_id = await self.claims[ref.key]
                self._link_known(article_id, source, ref)
                return
            claim: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
            self.claims[ref.key] = claim
            article_id = None
            try:
                article_id = await self._ingest_new(source, parsed, entry, ref)
            finally:
                claim.set_result(article_id)
        finally:
            self.progress("entry", 1)

    async def _ingest_new(self, source: SourceRow, parsed: ParsedFeed, entry: FeedEntry, ref: EntryRef) -> int | None:
        self.fetching += 1
        try:
            page, page_error = await self._page(entry, ref)
        finally:
            self.fetching -= 1
        values = article_values(source, parsed.title, entry, ref, page, page_error)
        if not values["title"] and not values["text"]:
            return None
        return await self._store(values, source, ref)

    async def _page(self, entry: FeedEntry, ref: EntryRef):
        """Extract the full text: from the feed's own content when it is full, else from the fetched page."""
        try:
            if entry.has_full_text:
                async with self.extracting:
                    return await self.extractor.extract(entry.content_html or "", ref.url), None
            if not ref.url:
                return None, None
            res = await self.client.fetch(ref.url, page=True)
            self.unextracted += 1
            try:
                async with self.extracting:  # the worker decodes the bytes too: less work in this process
                    page = await self.extractor.extract_page(res.content, res.headers.get("content-type"), res.url)
            finally:
                self.unextracted -= 1
                self.client.gate.wake()
            return page, None
        except (FetchError, ExtractionFailed) as exc:
            self.summary.page_errors += 1
            return None, str(exc)

    async def _store(self, values: dict, source: SourceRow, ref: EntryRef) -> int:
        # the last entry in flight need not wait for company: nothing else is coming to share its transaction
        stored = await self.writer.store(Delivery(values, source.id, ref.guid), now=self.fetching == 0)
        if stored.new:
            self.summary.new += 1
            self.summary.new_ids.append(stored.article_id)
        else:
            self.summary.duplicates += 1
        return stored.article_id

    def _link_known(self, article_id: int | None, source: SourceRow, ref: EntryRef) -> None:
        if article_id is None:
            return
        with self.engine.begin() as conn:
            article_store.link_feed(conn, article_id, source.id, ref.guid)
        self.summary.duplicates += 1

    def _schedule(self, now: datetime, times: list[datetime], errors: int, retry_after: float | None,
                  floor: float | None = None):
        return next_check(now, entry_times=times, error_count=errors, retry_after=retry_after,
                          min_interval=self.settings.schedule_min_interval,
                          max_interval=self.settings.schedule_max_interval, floor=floor,
                          jitter=self.settings.schedule_jitter)

    def _record_success(self, source: SourceRow, now: datetime, times: list[datetime], etag: str | None,
                        last_modified: str | None, feed: ParsedFeed | None = None,
                        floor: float | None = None) -> None:
        at, interval = push_slowed(self.engine, self.settings, source.id, now,
                                   *self._schedule(now, times, 0, None, floor))
        per_day = _entries_per_day(times)
        fill = {"site_url": feed.site_url} if feed is not None and feed.site_url and not source.site_url else {}
        if feed is not None and feed.title and not source.name:
            fill["name"] = feed.title[:500]
        if feed is not None and feed.language and not source.language:
            fill["language"] = feed.language[:16]
        with self.engine.begin() as conn:
            source_store.record_success(conn, source.id, now=now, next_check_at=at, interval=interval, etag=etag,
                                        last_modified=last_modified, entries_per_day=per_day, **fill)

    def _record_failure(self, source: SourceRow, now: datetime, exc: Exception) -> None:
        self.summary.failed += 1
        self.summary.errors.append(f"{source.feed_url}: {exc}")
        retry_after = exc.retry_after if isinstance(exc, HTTPStatusError) else None
        at, interval = self._schedule(now, [], source.error_count + 1, retry_after)
        with self.engine.begin() as conn:
            source_store.record_failure(conn, source.id, now=now, error=str(exc), next_check_at=at,
                                        interval=interval, failing_after=self.settings.schedule_failing_after)


def _entries_per_day(times: list[datetime]) -> float | None:
    if len(times) < 2:
        return None
    span = (max(times) - min(times)).total_seconds() / 86400
    return round(len(times) / max(span, 1 / 24), 2)


async def fetch_pass_async(engine: Engine, settings: Settings, *, progress: Progress | None = None,
                           source_ids: list[int] | None = None, understand: bool = True,
                           stage: UnderstandingStage | None = None,
                           extractor: ExtractionPool | None = None, budget: HostBudget | None = None,
                           ) -> PassSummary:
    """Check due sources (or exactly the given ones), ingest new entries and, with ``understand``, understand them and
    every article an earlier, killed pass left unfinished (with the caller's long-lived ``stage`` and ``extractor``
    when it keeps them; else they live for this pass). With a ``budget``, due sources are taken host by host within
    it; the others stay due for a later pass."""
    with engine.connect() as conn:
        if source_ids is None:
            due = source_store.due_sources(conn, datetime.now(UTC))
            if budget is not None:
                due = budget.take(due, time.monotonic(), lambda source: host_of_url(source.feed_url))
        else:
            due = [s for s in map(lambda i: source_store.get_source(conn, i), source_ids) if s is not None]
    own_pool = extractor is None
    pool = ExtractionPool(settings) if extractor is None else extractor
    try:
        gate = AdmissionGate(settings.fetch_max_in_flight)
        async with PoliteClient(settings, gate) as client:
            run = IngestPass(engine, settings, client, pool, progress)
            gate.hold = lambda: run.unextracted >= settings.ingest_pages_ahead
            run.summary.sources = len(due)
            run.progress("sources", len(due))
            await asyncio.gather(*(run.run_source(s) for s in due))
    finally:
        if own_pool:
            pool.close()
    if understand:
        understand_pending(engine, settings, run.summary.new_ids, stage)
    return run.summary


def fetch_pass(engine: Engine, settings: Settings, *, progress: Progress | None = None,
               stage: UnderstandingStage | None = None, extractor: ExtractionPool | None = None,
               budget: HostBudget | None = None) -> PassSummary:
    """Synchronous wrapper of :func:`fetch_pass_async` for the CLI and the scheduler thread."""
    return asyncio.run(fetch_pass_async(engine, settings, progress=progress, stage=stage, extractor=extractor,
                                        budget=budget))

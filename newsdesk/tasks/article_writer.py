"""Write-behind storing for an ingest pass: articles wait a moment and are stored in batches, one transaction each.

A pass extracts articles one by one in worker processes; storing each in its own transaction (lookup, insert, link,
commit) cost the pass's single process more CPU than fetching the pages did, CPU the extraction processes need.
:class:`ArticleWriter` gathers what arrives within ``ingest_write_delay`` seconds (or ``ingest_write_batch``
articles) and stores it with :func:`newsdesk.store.article_batches.store_deliveries`.

Each batch is written synchronously on the event loop, so the pass never holds two write transactions at once (a
second SQLite writer on the same thread would wait for the first forever). If another process stored one of the
batch's articles in between (distributed workers: a unique URL taken on PostgreSQL; on SQLite, a write that
invalidated the batch's snapshot), the batch is rolled back and stored one delivery per transaction instead, each
looking again, so one conflict costs no other article.
"""

from __future__ import annotations

import asyncio
import logging

from newsdesk.store.article_batches import Delivery, Stored, store_deliveries
from newsdesk.store.db import DatabaseError, Engine, IntegrityError, OperationalError

log = logging.getLogger(__name__)


class ArticleWriter:
    """``stored = await writer.store(Delivery(values, source_id, guid))``; ``now=True`` for the last delivery in
    flight, which has nothing to wait for."""

    def __init__(self, engine: Engine, batch_size: int = 64, max_delay: float = 0.25) -> None:
        self.engine = engine
        self.batch_size = max(1, batch_size)
        self.max_delay = max(0.0, max_delay)
        self._pending: list[tuple[Delivery, asyncio.Future[Stored]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self.batches = 0

    async def store(self, delivery: Delivery, now: bool = False) -> Stored:
        """Queue a delivery and wait until its batch is stored (at once with ``now``)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Stored] = loop.create_future()
        self._pending.append((delivery, future))
        if now or len(self._pending) >= self.batch_size:
            self.flush()
        elif self._timer is None:
            self._timer = loop.call_later(self.max_delay, self.flush)
        return await future

    def flush(self) -> None:
        """Store everything waiting now."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._pending = self._pending, []
        if not batch:
            return
        self.batches += 1
        deliveries = [delivery for delivery, _ in batch]
        try:
            with self.engine.begin() as conn:
                results: list[Stored | BaseException] = list(store_deliveries(conn, deliveries))
        except (IntegrityError, OperationalError) as exc:
            log.info("batch of %d articles conflicted with a concurrent writer (%s); storing one by one",
                     len(batch), getattr(exc, "orig", exc))
            results = [self._store_alone(delivery) for delivery in deliveries]
        except Exception as exc:  # the database failed: every waiting article gets the error
            results = [exc] * len(batch)
        for (_, future), result in zip(batch, results, strict=True):
            if future.done():
                continue
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)

    def _store_alone(self, delivery: Delivery) -> Stored | BaseException:
        try:
            with self.engine.begin() as conn:
                return store_deliveries(conn, [delivery])[0]
        except DatabaseError as exc:
            return exc

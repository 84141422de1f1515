"""Article extraction off the event loop: in worker processes (one per core by default) or in a thread.

Extraction is the CPU-bound stage of ingest (about 15 ms a page). In a process pool it runs on every core while
the loop keeps fetching, parsing and storing; the pool starts from a forkserver that has the extraction modules
loaded, so starting it is cheap and never forks the (threaded) parent. The processes run at a lower priority than
the pass's own process (``extract_niceness``): that process feeds them and talks to the network, and when it waits
for a core, they wait for work (and a reader's web requests should not wait behind extraction either).

A long-lived process (the embedded scheduler, an ingest worker) keeps one pool for all its passes, so workers are
not forked and their models not loaded again for every pass or every source. A worker that dies (killed, out of
memory, a crash in a C library on hostile HTML) breaks the executor: the pool starts a new one and tries that page
once more; a page that breaks it again raises :class:`ExtractionFailed`, which the pass records as the article's
extraction error, and the pool is fresh for the next page. The processes end with the process that owns the pool,
even when it is killed with SIGKILL (``die_with_owner``).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any

from newsdesk.config import Settings
from newsdesk.extract import ExtractedArticle, decode_page, extract_article
from newsdesk.tasks.die_with_owner import die_with_owner


class ExtractionFailed(Exception):
    """The extraction process died on this page, twice."""


def _extract(html: str, url: str | None, settings: Settings) -> ExtractedArticle:
    return extract_article(html, url, settings=settings)


def _extract_page(raw: bytes, content_type: str | None, url: str | None, settings: Settings) -> ExtractedArticle:
    return extract_article(decode_page(raw, content_type), url, settings=settings)


def _prepare_process(niceness: int, owner: int) -> None:
    """Each extraction process as it starts: end with the pool's owner (``die_with_owner``) and run below the pass's
    own process (``extract_niceness``)."""
    die_with_owner(owner)
    if niceness > 0:
        os.nice(niceness)


def _ready() -> None:
    """A no-op: submitted once per process when the pool opens, so the processes start right away."""


def process_count(settings: Settings) -> int:
    wanted = settings.extract_processes
    return max(1, wanted if wanted > 0 else (os.cpu_count() or 1))


class ExtractionPool:
    """``async with ExtractionPool(settings) as pool: article = await pool.extract(html, url)``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.processes = process_count(settings)
        self._executor: Executor | None = None
        self._lock = threading.Lock()  # a worker's task threads share one pool

    def _start(self) -> Executor:
        if self.processes == 1:
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract")
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["newsdesk.extract", "newsdesk.tasks.die_with_owner"])
        return ProcessPoolExecutor(max_workers=self.processes, mp_context=context, initializer=_prepare_process,
                                   initargs=(self.settings.extract_niceness, os.getpid()))

    async def extract(self, html: str, url: str | None) -> ExtractedArticle:
        return await self._run(_extract, html, url, self.settings)

    async def extract_page(self, raw: bytes, content_type: str | None, url: str | None) -> ExtractedArticle:
        """Decode a fetched page (charset from header, BOM or meta) and extract it, both in the worker."""
        return await self._run(_extract_page, raw, content_type, url, self.settings)

    async def _run(self, func: Callable[..., ExtractedArticle], *args: Any) -> ExtractedArticle:
        for attempt in (1, 2):
            executor = self.start()
            try:
                return await asyncio.get_running_loop().run_in_executor(executor, func, *args)
            except BrokenProcessPool:
                self._replace(executor)
                if attempt == 2:
                    raise ExtractionFailed("the extraction process died on this page (twice)") from None
        raise AssertionError("unreachable")

    def _replace(self, broken: Executor | None) -> None:
        """Drop a broken executor (once, however many tasks saw it break); the next call starts a new one."""
        with self._lock:
            if broken is None or self._executor is not broken:
                return
            self._executor = None
        broken.shutdown(wait=False, cancel_futures=True)

    def worker_pids(self) -> list[int]:
        """Process ids of the running extraction processes (none before the first page, or with one process)."""
        processes = getattr(self._executor, "_processes", None) or {}
        return sorted(processes)

    def start(self) -> Executor:
        """Start the processes now (idempotent), so they boot (about half a second) while pages are still being
        fetched rather than when the first page is ready; a pass calls it once a feed has new entries."""
        with self._lock:
            if self._executor is None:
                self._executor = self._start()
                for _ in range(self.processes):
                    self._executor.submit(_ready)
            return self._executor

    async def __aenter__(self) -> ExtractionPool:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Stop the processes (a pool can start again afterwards)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

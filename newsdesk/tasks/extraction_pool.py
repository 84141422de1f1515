"""Article extraction off the event loop: in worker processes (one per core by default) or in a thread.

Extraction is the CPU-bound stage of ingest (about 15 ms a page). In a process pool it runs on every core while
the loop keeps fetching, parsing and storing; the pool starts from a forkserver that has the extraction modules
loaded, so starting it is cheap and never forks the (threaded) parent. The processes run at a lower priority than
the pass's own process (``extract_niceness``): that process feeds them and talks to the network, and when it waits
for a core, they wait for work (and a reader's web requests should not wait behind extraction either).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from types import TracebackType

from newsdesk.config import Settings
from newsdesk.extract import ExtractedArticle, decode_page, extract_article


def _extract(html: str, url: str | None, settings: Settings) -> ExtractedArticle:
    return extract_article(html, url, settings=settings)


def _extract_page(raw: bytes, content_type: str | None, url: str | None, settings: Settings) -> ExtractedArticle:
    return extract_article(decode_page(raw, content_type), url, settings=settings)


def _lower_priority(niceness: int) -> None:
    """Run this extraction process below the pass's own process (``extract_niceness``)."""
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

    def _start(self) -> Executor:
        if self.processes == 1:
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract")
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["newsdesk.extract"])
        return ProcessPoolExecutor(max_workers=self.processes, mp_context=context, initializer=_lower_priority,
                                   initargs=(self.settings.extract_niceness,))

    async def extract(self, html: str, url: str | None) -> ExtractedArticle:
        self.start()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, _extract, html, url, self.settings)

    async def extract_page(self, raw: bytes, content_type: str | None, url: str | None) -> ExtractedArticle:
        """Decode a fetched page (charset from header, BOM or meta) and extract it, both in the worker."""
        self.start()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, _extract_page, raw, content_type, url, self.settings)

    def start(self) -> None:
        """Start the processes now (idempotent), so they boot (about half a second) while pages are still being
        fetched rather than when the first page is ready; a pass calls it once a feed has new entries."""
        if self._executor is None:
            self._executor = self._start()
            for _ in range(self.processes):
                self._executor.submit(_ready)

    async def __aenter__(self) -> ExtractionPool:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

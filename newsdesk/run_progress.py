"""The terminal's view of the first ingest pass of ``newsdesk run``: feeds checked, pages read, articles and stories
stored, as one bar on a terminal and as a plain line every few seconds otherwise (a log, a pipe, a test).

Feeds and pages come from the pass's progress events; articles and stories are counted in the store, so the line
keeps moving while the understanding stage (clustering, summaries) works after the last page is read.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from newsdesk.store.db import Engine
from newsdesk.store.first_run import StoredCounts, stored_counts

PLAIN_EVERY_SECONDS = 5.0
BAR_EVERY_SECONDS = 0.5


@dataclass
class PassCounts:
    """What the pass's events told so far."""

    feeds: int = 0
    feeds_done: int = 0
    pages: int = 0
    pages_done: int = 0

    def on_event(self, event: str, n: int) -> None:
        """The pass's progress callback (see ``newsdesk.tasks.ingest.Progress``)."""
        if event == "sources":
            self.feeds = n
        elif event == "source":
            self.feeds_done += n
        elif event == "entries":
            self.pages += n
        elif event == "entry":
            self.pages_done += n


def progress_line(counts: PassCounts, stored: StoredCounts) -> str:
    """``feeds 8/8 · pages 120/450 · articles 100 · stories 12``."""
    return (f"feeds {counts.feeds_done}/{counts.feeds} · pages {counts.pages_done}/{counts.pages} · "
            f"articles {stored.articles} · stories {stored.stories}")


class _Reporter:
    """A thread that redraws the bar (or prints the line when it changed) until stopped."""

    def __init__(self, engine: Engine, counts: PassCounts, out: TextIO, bar: Progress | None) -> None:
        self.engine, self.counts, self.out, self.bar = engine, counts, out, bar
        self.task = bar.add_task("first pass", total=None) if bar is not None else None
        self.stop = threading.Event()
        self.last = ""

    def show(self) -> None:
        with self.engine.connect() as conn:
            line = progress_line(self.counts, stored_counts(conn))
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, description=line, total=self.counts.pages or None,
                            completed=self.counts.pages_done)
        elif line != self.last:
            print(f"  {line}", file=self.out, flush=True)
        self.last = line

    def run(self) -> None:
        every = BAR_EVERY_SECONDS if self.bar is not None else PLAIN_EVERY_SECONDS
        while not self.stop.wait(every):
            self.show()


@contextmanager
def first_pass_progress(engine: Engine, out: TextIO | None = None) -> Iterator[Callable[[str, int], None]]:
    """Report the pass on ``out`` (stderr by default) while the block runs; yields the pass's progress callback.
    The final counts are shown once more when the block ends."""
    out = out or sys.stderr
    counts = PassCounts()
    bar = (Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=Console(file=out))
           if out.isatty() else None)
    with bar if bar is not None else nullcontext():
        reporter = _Reporter(engine, counts, out, bar)
        reporter.show()  # at once: the terminal says what is happening from the first second
        thread = threading.Thread(target=reporter.run, name="first-pass-progress", daemon=True)
        thread.start()
        try:
            yield counts.on_event
        finally:
            reporter.stop.set()
            thread.join()
            reporter.show()


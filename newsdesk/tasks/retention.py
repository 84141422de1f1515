"""Applying the retention policy (``retention_days``): archive articles past the age, in small transactions.

The embedded scheduler and the scale-out scheduler call :func:`retention_step` between their steps; it does work
at most once per ``RETENTION_EVERY`` seconds, so a store under the policy stays near its steady size and a serving
process never waits behind one long transaction.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from newsdesk.config import Settings
from newsdesk.store.db import Engine
from newsdesk.store.retention import archivable_count, archive_batch

log = logging.getLogger(__name__)
RETENTION_EVERY = 3600.0
BATCH = 500


def retention_cutoff(settings: Settings, now: datetime) -> datetime | None:
    """Articles fetched before this are archived; None when the policy keeps everything."""
    days = settings.retention_days
    return now - timedelta(days=days) if days > 0 else None


def pending_archive(engine: Engine, settings: Settings, now: datetime | None = None) -> int:
    """How many articles the policy would archive now."""
    cutoff = retention_cutoff(settings, now or datetime.now(UTC))
    if cutoff is None:
        return 0
    with engine.connect() as conn:
        return archivable_count(conn, cutoff)


def apply_retention(engine: Engine, settings: Settings, now: datetime | None = None,
                    progress: Callable[[int], None] | None = None) -> int:
    """Archive every article past the age, ``BATCH`` per transaction; returns how many were archived."""
    now = now or datetime.now(UTC)
    cutoff = retention_cutoff(settings, now)
    total = 0
    while cutoff is not None:
        with engine.begin() as conn:
            done = archive_batch(conn, cutoff, now, BATCH)
        if not done:
            break
        total += done
        if progress:
            progress(done)
    return total


def retention_step(engine: Engine, settings: Settings) -> Callable[[], None]:
    """A callable for a scheduler loop: applies the policy when an hour has passed since it last did."""
    last = [float("-inf")]

    def step() -> None:
        if settings.retention_days <= 0 or time.monotonic() - last[0] < RETENTION_EVERY:
            return
        last[0] = time.monotonic()
        if archived := apply_retention(engine, settings):
            log.info("retention: archived %d articles older than %d days", archived, settings.retention_days)

    return step

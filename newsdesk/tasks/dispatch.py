"""Scale-out source checks: handing due sources to the ingest queue, and a worker's claim on the check it runs.

Huey takes a task off Redis when a worker starts it, so a worker killed mid-task, or a Redis restart that loses the
queue, leaves no trace in the queue: the database keeps it instead. The scheduler marks each source it enqueues with
a fresh token (``sources.lease_token``); the worker that starts the task claims the check with that token and keeps
``leased_until`` ``lease_seconds`` ahead from a heartbeat thread while it runs; ending the check (success or
failure) clears the claim. Every scheduler tick hands out again what is due and not in flight:

* a claimed check whose heartbeat stopped for ``lease_seconds`` (its worker died);
* a check handed out at an earlier tick and never claimed, when the ingest queue is empty (the queue lost it; if a
  worker had just taken it off the queue, its claim fails on the new token and the new task runs instead).

A task whose token is no longer the source's (it was handed out again meanwhile, or its check already ended) does
nothing, so a source is never checked twice at once however often it was enqueued. A task that fails (the database
restarting, say) is retried by Huey with a growing delay and claims its check again with the same token.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from newsdesk.store import leases as lease_store
from newsdesk.store.db import Engine
from newsdesk.tasks.leases import Heartbeat

log = logging.getLogger(__name__)
QUEUE_TICK_SECONDS = 5.0  # how often the scheduler looks for due and lost checks in scale-out


def hand_out_due_sources(engine: Engine, ttl: float, queue_length: Callable[[], int],
                         enqueue: Callable[[int, str], object]) -> int:
    """Mark every due source that is not in flight and enqueue its check; returns how many were handed out."""
    queue_empty = queue_length() == 0
    with engine.begin() as conn:
        handed = lease_store.hand_out_due(conn, datetime.now(UTC), ttl, queue_empty, lost_after=QUEUE_TICK_SECONDS)
    for source_id, token in handed:
        enqueue(source_id, token)
    return len(handed)


@contextmanager
def claimed_check(engine: Engine, source_id: int, token: str, worker: str, ttl: float) -> Iterator[bool]:
    """Claim the check for the block (False: this hand-out is void, do nothing), renewed by a heartbeat."""
    with engine.begin() as conn:
        ok = lease_store.claim_check(conn, source_id, token, worker, ttl, datetime.now(UTC))
    if not ok:
        log.info("source %d: this check was handed out again or has ended; skipped", source_id)
        yield False
        return

    def renew() -> None:
        with engine.begin() as conn:
            lease_store.renew_check(conn, source_id, token, worker, ttl, datetime.now(UTC))

    heartbeat = Heartbeat(renew, ttl / 3, f"check-{source_id}").start()
    try:
        yield True
    finally:
        heartbeat.stop()

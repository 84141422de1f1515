"""Running a worker process (``newsdesk worker``): its consumer, presence, sweep, failure counts and shutdown.

* **Presence**: the worker holds the lease ``worker:<role>:<holder>``, renewed by a heartbeat, so ``newsdesk
  status`` and ``/metrics`` list live workers; a killed worker's row runs out and is deleted a day later.
* **Sweep** (understand role): at start and every ``SWEEP_SECONDS``, articles left at status ``stored`` for more
  than ``queue_sweep_after`` seconds are understood (work of a killed worker or a lost queue).
* **Failures**: every task that raises adds one to its stage in the Redis hash ``status.FAILURES_KEY``.
* **Shutdown**: SIGTERM stops taking tasks and lets running ones finish for ``worker_shutdown_grace`` seconds;
  SIGINT stops at once. Either way the source checks still running are handed back (their claims end now, and
  the scheduler hands them out again at its next tick) before the process exits.
* **Restarts** of Redis or PostgreSQL are outlived: Huey logs the failed poll and polls again within
  ``POLL_MAX_DELAY`` seconds; failed tasks are retried; the heartbeats and the sweep log and try again.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from datetime import UTC, datetime, timedelta

from huey import Huey
from huey.signals import SIGNAL_ERROR

from newsdesk.config import Settings
from newsdesk.store import leases as lease_store
from newsdesk.tasks.leases import Heartbeat
from newsdesk.tasks.queue import WorkerState, build_queues, sweep_unfinished
from newsdesk.tasks.status import FAILURES_KEY, WORKER_PREFIX

log = logging.getLogger(__name__)
SWEEP_SECONDS = 10.0  # how often the understand worker looks for articles left at 'stored'
POLL_MAX_DELAY = 2.0  # a worker whose Redis went away polls again at least this often
FORGET_DEAD_AFTER = timedelta(days=1)  # presence rows of workers killed longer ago are deleted


class Presence:
    """This worker's row in ``leases`` while it runs (deleted when it stops)."""

    def __init__(self, state: WorkerState, role: str) -> None:
        self.state, self.name = state, f"{WORKER_PREFIX}{role}:{state.worker}"
        self.ttl = float(state.settings.lease_seconds)
        self._heartbeat = Heartbeat(self.beat, self.ttl / 3, "presence")

    def beat(self) -> None:
        with self.state.engine.begin() as conn:
            lease_store.try_acquire(conn, self.name, self.state.worker, self.ttl, datetime.now(UTC))

    def start(self) -> None:
        try:
            self.beat()
            with self.state.engine.begin() as conn:
                lease_store.forget_expired(conn, WORKER_PREFIX, datetime.now(UTC) - FORGET_DEAD_AFTER)
        except Exception as exc:  # the database may be away: the heartbeat registers the worker later
            log.warning("could not register this worker yet (%s)", type(exc).__name__)
        self._heartbeat.start()

    def stop(self) -> None:
        self._heartbeat.stop()
        try:
            with self.state.engine.begin() as conn:
                lease_store.forget(conn, self.name)
        except Exception as exc:  # it runs out by itself
            log.warning("could not remove this worker's presence (%s)", type(exc).__name__)


def sweep_forever(state: WorkerState, stop: threading.Event, every: float = SWEEP_SECONDS) -> None:
    """The understand worker's sweep: at start, then every ``every`` seconds until ``stop``; failures (the database
    restarting) are logged and the next sweep tried."""
    while True:
        try:
            sweep_unfinished(state)
        except Exception:
            log.exception("sweep failed; trying again in %.0f s", every)
        if stop.wait(every):
            return


def count_failures(huey: Huey, settings: Settings, stage: str) -> None:
    """Add one to ``stage`` in the Redis failure counts whenever a task of ``huey`` raises (scale-out only)."""
    if settings.queue != "redis":
        return
    import redis

    client = redis.Redis.from_url(settings.redis_url)

    @huey.signal(SIGNAL_ERROR)
    def _failed(signal: str, task: object, exc: BaseException | None = None) -> None:
        with contextlib.suppress(redis.RedisError):  # Redis away: likely the very failure; not counted
            client.hincrby(FAILURES_KEY, stage, 1)


def run_worker(settings: Settings, *, role: str = "ingest", workers: int = 2) -> None:
    """Consume one queue until told to stop (``newsdesk worker``)."""
    queues = build_queues(settings)
    huey = queues.understand if role == "understand" else queues.ingest
    count_failures(huey, settings, role)
    count = 1 if role == "understand" else workers  # clustering is sequential: one consumer thread, always
    consumer = huey.create_consumer(workers=count, worker_type="thread", periodic=False, max_delay=POLL_MAX_DELAY,
                                    graceful_signal="TERM", shutdown_timeout=settings.worker_shutdown_grace)
    presence, stop = Presence(queues.state, role), threading.Event()
    presence.start()
    sweeper = threading.Thread(target=sweep_forever, args=(queues.state, stop), name="sweep", daemon=True)
    if role == "understand":
        sweeper.start()
    try:
        consumer.run()
    finally:
        stop.set()
        if sweeper.is_alive():
            sweeper.join(timeout=settings.worker_shutdown_grace)
        queues.state.hand_back()
        presence.stop()
        queues.state.extractor.close()

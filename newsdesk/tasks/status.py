"""``newsdesk status`` and the pipeline's figures in ``/metrics``: workers, queues, failures, lag and sources.

Everything comes from where it lives, so the figures are right however many processes run: live workers from their
presence leases (``worker:<role>:<holder>``, renewed by each worker's heartbeat), checks in flight and the stages'
lag from the database, queue lengths and task failures from Redis (scale-out only; each worker counts the tasks
that raised in the hash ``FAILURES_KEY``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from newsdesk.config import Settings
from newsdesk.store import leases as lease_store
from newsdesk.store import pipeline_state
from newsdesk.store.db import Engine
from newsdesk.store.pipeline_state import SourceCounts
from newsdesk.tasks.understanding import LEASE_NAME

WORKER_PREFIX = "worker:"
FAILURES_KEY = "newsdesk:task-failures"
STAGES = ("ingest", "understand")


@dataclass(frozen=True)
class WorkerRow:
    role: str
    holder: str
    checks: int  # source checks it is running now (ingest role)


@dataclass(frozen=True)
class QueueFigures:
    waiting: int  # tasks in the queue
    scheduled: int  # retries waiting for their time
    failures: int  # tasks that raised, since Redis last lost its data


@dataclass(frozen=True)
class PipelineStatus:
    workers: list[WorkerRow]
    understander: str | None  # the live holder of the understanding lease, if any
    queues: dict[str, QueueFigures] | None  # None: embedded mode, or Redis unreachable (``queue_error``)
    queue_error: str | None
    sources: SourceCounts
    ingest_lag: float  # seconds the longest-waiting due source has waited for a check
    understand_lag: float  # seconds the oldest stored article has waited for understanding
    waiting_articles: int


def _age(since: datetime | None, now: datetime) -> float:
    return max(0.0, (now - since).total_seconds()) if since is not None else 0.0


def queue_figures(settings: Settings) -> dict[str, QueueFigures]:
    """Queue lengths, scheduled retries and failure counts per stage, read from Redis."""
    import redis

    from newsdesk.tasks.queue import queue_pair

    hueys = dict(zip(STAGES, queue_pair(settings), strict=True))
    failures = redis.Redis.from_url(settings.redis_url).hgetall(FAILURES_KEY)
    return {stage: QueueFigures(huey.pending_count(), huey.scheduled_count(),
                                int(failures.get(stage.encode(), 0))) for stage, huey in hueys.items()}


def read_status(engine: Engine, settings: Settings) -> PipelineStatus:
    now = datetime.now(UTC)
    with engine.connect() as conn:
        present = lease_store.live(conn, WORKER_PREFIX, now)
        checks = pipeline_state.checks_by_worker(conn, now)
        lease = lease_store.read(conn, LEASE_NAME)
        counts = pipeline_state.source_counts(conn, now)
        ingest_lag = _age(pipeline_state.oldest_due(conn, now), now)
        understand_lag = _age(pipeline_state.oldest_unfinished(conn), now)
        waiting = pipeline_state.unfinished_count(conn)
    understander = lease.holder if lease and lease.expires_at and lease.expires_at > now else None
    workers = [WorkerRow(row.name.split(":")[1], row.holder or "", checks.get(row.holder or "", 0)) for row in present]
    queues, error = None, None
    if settings.queue == "redis":
        try:
            queues = queue_figures(settings)
        except Exception as exc:  # Redis away: the rest of the status still answers
            error = f"{type(exc).__name__}: {exc}"
    return PipelineStatus(workers, understander, queues, error, counts, ingest_lag, understand_lag, waiting)


def status_lines(status: PipelineStatus) -> list[str]:
    """The status as the CLI prints it."""
    lines = [f"workers: {len(status.workers)} live"]
    lines += [f"  {w.role:<10} {w.holder}" + (f"  checking {w.checks} sources" if w.checks else "")
              for w in status.workers]
    lines.append(f"understanding lease: {status.understander or 'free'}")
    if status.queues is not None:
        for stage, q in status.queues.items():
            lines.append(f"queue {stage}: {q.waiting} waiting, {q.scheduled} retries scheduled, "
                         f"{q.failures} failed tasks")
    elif status.queue_error:
        lines.append(f"queue: unreachable ({status.queue_error})")
    else:
        lines.append("queue: none (embedded mode: passes run in the fetch or serve process)")
    s = status.sources
    lines.append(f"sources: {s.total} ({s.due} due, {s.handed_out} queued, {s.checking} being checked, "
                 f"{s.failing} failing, {s.disabled} disabled)")
    lines.append(f"lag: ingest {status.ingest_lag:.0f} s (longest wait of a due source), understand "
                 f"{status.understand_lag:.0f} s ({status.waiting_articles} articles waiting)")
    return lines

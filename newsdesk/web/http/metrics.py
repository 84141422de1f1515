"""Prometheus metrics at ``/metrics``: the store's health and the pipeline's, read at scrape time, and the web app's
requests.

The pipeline's figures (``tasks/status.py``): live workers by role, source checks due, queued and running, each
stage's lag, and in scale-out each stage's queue depth, scheduled retries and failed tasks (from Redis).

The store's figures (articles by pipeline status, stories, sources by health, sources overdue, the newest article's
time) come from the database, so they are right however many ingest and understand workers write to it and
survive restarts; they are read at most once per ``web_metrics_cache_seconds``. Request counts and durations are
this web process's own, labelled by route template (``/stories/{story_id:int}``), never by raw path, so the number
of series stays bounded. ``web_metrics_token`` makes the endpoint ask for ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk import __version__
from newsdesk.config import Settings
from newsdesk.store.db import Engine
from newsdesk.store.figures import store_figures
from newsdesk.tasks.status import STAGES, PipelineStatus, QueueFigures, read_status
from newsdesk.web.sessions import viewer
from newsdesk.web.site import site_of

DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class StoreCollector(Collector):
    """Gauges read from the store at scrape time (cached for ``cache_seconds``)."""

    def __init__(self, engine: Engine, cache_seconds: float) -> None:
        self.engine = engine
        self.cache_seconds = cache_seconds
        self._cached: tuple[float, list[Metric]] | None = None

    def collect(self) -> Iterator[Metric]:
        now = time.monotonic()
        if self._cached is None or now - self._cached[0] >= self.cache_seconds:
            self._cached = (now, self._read())
        yield from self._cached[1]

    def _read(self) -> list[Metric]:
        info = InfoMetricFamily("newsdesk", "Version of newsdesk serving these metrics.")
        info.add_metric([], {"version": __version__})
        by_status = GaugeMetricFamily("newsdesk_articles", "Articles stored, by pipeline status (stored: waiting "
                                      "for the understanding stage).", labels=["status"])
        health = GaugeMetricFamily("newsdesk_sources", "Sources, by health status.", labels=["status"])
        figures = store_figures(self.engine)
        for status, count in figures.articles_by_status:
            by_status.add_metric([status], count)
        for status, count in figures.sources_by_status:
            health.add_metric([status], count)
        story_count, overdue, newest = figures.live_stories, figures.sources_overdue, figures.newest_fetched_at
        out: list[Metric] = [info, by_status, health]
        out.append(GaugeMetricFamily("newsdesk_stories", "Stories (merged ones not counted).", value=story_count))
        out.append(GaugeMetricFamily("newsdesk_sources_overdue", "Sources past their next check time (a growing "
                                     "number means fetching does not keep up).", value=overdue))
        if newest is not None:
            out.append(GaugeMetricFamily("newsdesk_newest_article_fetched_timestamp_seconds", "When the newest "
                                         "article was fetched (alert when it stops moving).",
                                         value=_aware(newest).timestamp()))
        return out


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class RequestMetrics:
    """ASGI middleware counting requests and timing them, by route template, method and status.

    It sits outside the page cache, so replies served from the cache count too; their route is found by matching
    the app's routes, as the router never saw them."""

    def __init__(self, app: ASGIApp, registry: CollectorRegistry, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.routes = routes
        self.requests = Counter("newsdesk_http_requests", "HTTP requests answered.", ["route", "method", "status"],
                                registry=registry)
        self.duration = Histogram("newsdesk_http_request_duration_seconds", "Time to answer an HTTP request.",
                                  ["route"], buckets=DURATION_BUCKETS, registry=registry)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def record_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = self._route_of(scope)
            self.requests.labels(route, scope["method"], str(status["code"])).inc()
            self.duration.labels(route).observe(time.perf_counter() - started)

    def _route_of(self, scope: Scope) -> str:
        matched = scope.get("route") or next((r for r in self.routes if r.matches(scope)[0] == Match.FULL), None)
        return getattr(matched, "path", None) or "unmatched"


def metrics_endpoint(request: Request) -> Response:
    """``GET /metrics`` in the Prometheus text format (404 when ``web_metrics`` is off)."""
    site = site_of(request)
    if not site.settings.web_metrics:
        return Response("metrics are off (web_metrics)", status_code=404, media_type="text/plain")
    if not _may_read_metrics(request, site.settings.web_metrics_token):
        return Response("metrics need a bearer token (web_metrics_token) or an admin's session", status_code=401,
                        media_type="text/plain", headers={"WWW-Authenticate": "Bearer"})
    registry: CollectorRegistry = request.app.state.metrics_registry
    body = generate_latest(registry) + _pipeline_metrics(request.app.state, site.engine, site.settings)
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


def _pipeline_metrics(state: object, engine: Engine, settings: Settings) -> bytes:
    """The pipeline's figures in the exposition format, read at most once per ``web_metrics_cache_seconds`` (kept on
    the app's state: this needs the settings, which the registry's collectors are built without)."""
    now = time.monotonic()
    cached: tuple[float, bytes] | None = getattr(state, "pipeline_metrics", None)
    if cached is None or now - cached[0] >= settings.web_metrics_cache_seconds:
        registry = CollectorRegistry(auto_describe=True)
        registry.register(PipelineCollector(read_status(engine, settings)))
        cached = (now, generate_latest(registry))
        state.pipeline_metrics = cached  # type: ignore[attr-defined]  # Starlette's app.state takes any attribute
    return cached[1]


class PipelineCollector(Collector):
    """Workers, source checks, lag per stage and, scaled out, queue depth and task failures per stage."""

    def __init__(self, status: PipelineStatus) -> None:
        self.status = status

    def collect(self) -> Iterator[Metric]:
        status = self.status
        workers = GaugeMetricFamily("newsdesk_workers", "Live worker processes (scale-out), by role.", labels=["role"])
        for role in STAGES:
            workers.add_metric([role], sum(1 for w in status.workers if w.role == role))
        checks = GaugeMetricFamily("newsdesk_source_checks", "Source checks by state: due (waiting to be handed "
                                   "out or run), queued (in the ingest queue), checking (a live worker runs it).",
                                   labels=["state"])
        for label, value in (("due", status.sources.due), ("queued", status.sources.handed_out),
                             ("checking", status.sources.checking)):
            checks.add_metric([label], value)
        lag = GaugeMetricFamily("newsdesk_stage_lag_seconds", "How long the oldest waiting work of a stage has "
                                "waited: a due source for its check (ingest), a stored article for understanding.",
                                labels=["stage"])
        lag.add_metric(["ingest"], status.ingest_lag)
        lag.add_metric(["understand"], status.understand_lag)
        yield from (workers, checks, lag)
        if status.queues is not None:
            yield from self._queues(status.queues)

    @staticmethod
    def _queues(queues: dict[str, QueueFigures]) -> Iterator[Metric]:
        depth = GaugeMetricFamily("newsdesk_queue_depth", "Tasks waiting in a stage's queue.", labels=["stage"])
        retries = GaugeMetricFamily("newsdesk_queue_scheduled_retries", "Failed tasks waiting to be retried.",
                                    labels=["stage"])
        failures = CounterMetricFamily("newsdesk_task_failures", "Tasks that raised, by stage (counted in Redis "
                                       "by the workers).", labels=["stage"])
        for stage, figures in queues.items():
            depth.add_metric([stage], figures.waiting)
            retries.add_metric([stage], figures.scheduled)
            failures.add_metric([stage], figures.failures)
        yield from (depth, retries, failures)


def _may_read_metrics(request: Request, token: str) -> bool:
    """Private by default: the bearer token when one is set (what Prometheus sends), or a signed-in admin."""
    sent = request.headers.get("authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    who = viewer(request)
    return who is not None and who.is_admin

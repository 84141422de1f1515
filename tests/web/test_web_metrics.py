"""Prometheus metrics over a real SQLite sample store: the store's figures match the database, requests are counted
by route template (cached replies too), /metrics is private (a token or an admin's session), and the page cache
never serves it."""

from __future__ import annotations

import sqlalchemy as sa
from prometheus_client.parser import text_string_to_metric_families
from signed_in import sign_in_as
from starlette.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.store.tables_core import articles, sources
from newsdesk.web.app import create_app


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_store_figures_match_the_database(client: TestClient, sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    sign_in_as(client, engine, "admin")
    response = client.get("/metrics")
    client.cookies.clear()
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    got = samples(response.text)
    with engine.connect() as conn:
        by_status = dict(conn.execute(sa.select(articles.c.status, sa.func.count()).group_by(articles.c.status)).all())
        source_count = conn.execute(sa.select(sa.func.count()).select_from(sources)).scalar_one()
    assert by_status and all(got[("newsdesk_articles", (("status", k),))] == v for k, v in by_status.items())
    assert sum(v for (name, _), v in got.items() if name == "newsdesk_sources") == source_count
    assert got[("newsdesk_stories", ())] > 0
    assert got[("newsdesk_newest_article_fetched_timestamp_seconds", ())] > 1.7e9


def test_requests_are_counted_by_route_template(sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, settings = sample_store
    app = create_app(settings.replace(web_page_cache_seconds=30.0), engine=engine)
    with TestClient(app) as client:
        for path in ("/stories/1", "/stories/1", "/stories/2", "/no/such/page"):
            client.get(path)
        sign_in_as(client, engine, "admin")
        got = samples(client.get("/metrics").text)
    assert got[("newsdesk_http_requests_total",
                (("method", "GET"), ("route", "/stories/{story_id:id}"), ("status", "200")))] == 3
    assert got[("newsdesk_http_requests_total", (("method", "GET"), ("route", "unmatched"), ("status", "404")))] == 1
    assert got[("newsdesk_http_request_duration_seconds_count", (("route", "/stories/{story_id:id}"),))] == 3
    assert not any("/stories/1" in dict(labels).get("route", "") for _, labels in got)  # no raw paths


def test_a_token_is_required_when_set_and_never_bypassed_by_the_page_cache(
        sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, settings = sample_store
    app = create_app(settings.replace(web_metrics_token="s3cret", web_page_cache_seconds=30.0), engine=engine)
    with TestClient(app) as client:
        assert client.get("/metrics", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        refused = client.get("/metrics")
        assert refused.status_code == 401 and "newsdesk_articles" not in refused.text
        assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    with TestClient(create_app(settings.replace(web_metrics=False), engine=engine)) as client:
        assert client.get("/metrics").status_code == 404


def test_metrics_are_private_by_default(sample_store: tuple[sa.Engine, Settings]) -> None:
    """Found from outside: /metrics (and the store's figures in it) were public on a default install."""
    engine, settings = sample_store
    with TestClient(create_app(settings, engine=engine)) as client:
        anonymous = client.get("/metrics")
        assert anonymous.status_code == 401 and "newsdesk_articles" not in anonymous.text
        sign_in_as(client, engine, "reader")
        assert client.get("/metrics").status_code == 401
        sign_in_as(client, engine, "admin")
        assert "newsdesk_articles" in client.get("/metrics").text

"""Security headers on every response: every route of the app's table (every method), the error pages (404, 405,
413, 500, 503), static files; HSTS only over TLS; and pages free of what the CSP forbids (inline script, event
handler attributes, style attributes), so the strict policy breaks nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from route_walk import route_calls
from starlette.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.store import story_ranking
from newsdesk.store.tables_core import articles
from newsdesk.web.app import create_app
from newsdesk.web.http.headers import CONTENT_SECURITY_POLICY, SECURITY_HEADERS
from newsdesk.web.templating import HUE_STEPS, STATIC_DIR, hue

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)


@pytest.fixture(scope="module")
def path_values(sample_store: tuple[sa.Engine, Settings]) -> dict[str, str]:
    engine, _ = sample_store
    with engine.connect() as conn:
        article_id = conn.execute(sa.select(sa.func.min(articles.c.id))).scalar_one()
    return {"story_id": "1", "article_id": str(article_id), "comment_id": "1", "call": "user-info",
            "token": "no-such-token"}


@pytest.fixture
def tls_client(sample_store: tuple[sa.Engine, Settings]) -> Iterator[TestClient]:
    engine, settings = sample_store
    with TestClient(create_app(settings, engine), base_url="https://testserver") as client:
        yield client


def assert_secured(reply, label: str, *, tls: bool = False) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert reply.headers.get(name) == value, f"{label} ({reply.status_code}): {name} is {reply.headers.get(name)!r}"
    hsts = reply.headers.get("strict-transport-security")
    assert (hsts == "max-age=31536000") if tls else hsts is None, f"{label}: HSTS {hsts!r}"


def test_the_policy_allows_no_inline_script_or_style_and_no_framing() -> None:
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert directives["object-src"] == directives["base-uri"] == directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["img-src"] == "'self' https: http:"  # publishers' lead images, from any outlet's CDN
    assert SECURITY_HEADERS["x-frame-options"] == "DENY" and SECURITY_HEADERS["x-content-type-options"] == "nosniff"


def test_every_route_of_the_table_answers_with_the_headers(client: TestClient, path_values: dict[str, str]) -> None:
    calls = list(route_calls(client.app, path_values))
    assert len(calls) > 50 and {c.path for c in calls} >= {"/", "/stories/1", "/api/v1/stories", "/static/app.css"}
    for call in calls:
        reply = client.request(call.method, call.path, follow_redirects=False)
        assert reply.status_code < 500, f"{call.label}: {reply.status_code} {reply.text[:200]}"
        assert_secured(reply, call.label)


def test_hsts_only_when_the_request_came_over_tls(tls_client: TestClient, path_values: dict[str, str]) -> None:
    for call in route_calls(tls_client.app, path_values):
        if call.method == "GET":
            assert_secured(tls_client.get(call.path, follow_redirects=False), call.label, tls=True)


def test_error_pages_carry_the_headers(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_secured(missing := client.get("/no/such/page"), "404")
    assert missing.status_code == 404
    assert_secured(wrong_method := client.put("/"), "405")
    assert wrong_method.status_code == 405
    too_big = client.post("/login", content=b"x=" + b"y" * 200_000,
                          headers={"content-type": "application/x-www-form-urlencoded"})
    assert too_big.status_code == 413
    assert_secured(too_big, "413")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the store fell over")

    monkeypatch.setattr(story_ranking, "stories_by_ids", broken)  # the home page's and the API's story list
    for path in ("/?topic=never-read-before", "/api/v1/stories"):  # a home page whose read models are not kept yet
        failed = client.get(path)
        assert failed.status_code == 500
        assert_secured(failed, f"500 {path}")


def test_pages_hold_nothing_the_policy_would_block(client: TestClient, path_values: dict[str, str]) -> None:
    pages = ["/", "/stories/1", f"/articles/{path_values['article_id']}", "/search?q=the", "/login", "/offline",
             "/sources", "/no/such/page", "/stories/1?by=region", "/?ui=ar"]
    for path in pages:
        html = client.get(path).text
        for pattern in (INLINE_SCRIPT, HANDLER_ATTRIBUTE, STYLE_ATTRIBUTE):
            found = pattern.search(html)
            assert found is None, f"{path}: {found.group(0) if found else ''}"


def test_every_outlet_colour_has_its_class_in_the_stylesheet() -> None:
    css = (STATIC_DIR / "app.css").read_text(encoding="utf-8")
    assert {hue(f"outlet {n}") for n in range(500)} == set(range(HUE_STEPS))
    for step in range(HUE_STEPS):
        assert f".hue-{step} {{ --hue: {step * 10}; }}" in css

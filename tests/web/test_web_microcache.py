"""The micro-cache: repeated GETs are served from memory for the configured seconds, keyed by language."""

from __future__ import annotations

import sqlalchemy as sa
from starlette.testclient import TestClient
from web_story_rows import add_story

from newsdesk.config import Settings
from newsdesk.web.app import create_app


def test_pages_are_reused_until_they_expire(sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, settings = sample_store
    cached = create_app(settings.replace(web_page_cache_seconds=300.0), engine)
    with TestClient(cached) as web:
        before = web.get("/api/v1/stories")
        add_story(engine, [("Cache Test Outlet", "en", "Story added after the first request")])
        assert web.get("/api/v1/stories").content == before.content  # still the cached answer
        assert web.get("/api/v1/stories", headers={"if-none-match": before.headers["etag"]}).status_code == 304
        fresh = web.get("/api/v1/stories?lang=en")  # another key: rendered now
        assert "Story added after the first request" in fresh.text
        french = web.get("/", headers={"accept-language": "fr"})
        assert '<html lang="fr"' in french.text and '<html lang="en"' in web.get("/").text
    with TestClient(create_app(settings.replace(web_page_cache_seconds=0.0), engine)) as web:
        assert "Story added after the first request" in web.get("/api/v1/stories").text


def test_responses_setting_cookies_are_not_kept(sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, settings = sample_store
    with TestClient(create_app(settings.replace(web_page_cache_seconds=300.0), engine)) as web:
        first = web.get("/?ui=fr")
        assert first.cookies.get("ui") == "fr"
        web.cookies.clear()
        assert web.get("/?ui=fr").cookies.get("ui") == "fr"  # rendered again, cookie set again

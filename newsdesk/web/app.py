"""The reader web app: ``create_app(settings, engine)`` builds the Starlette application.

All routes are in the one table below. Handlers are plain (sync) functions run in Starlette's thread pool, each in
its own ``page_*`` module; the JSON API is in ``api``. The service worker is served from the site root so its scope
covers every page.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from prometheus_client import CollectorRegistry
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from newsdesk.config import Settings
from newsdesk.search import backend_for
from newsdesk.store.db import open_store
from newsdesk.web import accounts, api, feeds_out, greader, i18n, page_social
from newsdesk.web.errors import ErrorPages
from newsdesk.web.fever import fever_endpoint
from newsdesk.web.headers import SecurityHeaders
from newsdesk.web.headlines import HeadlineJudge
from newsdesk.web.login_limits import FailureLimiter
from newsdesk.web.metrics import RequestMetrics, StoreCollector, metrics_endpoint
from newsdesk.web.microcache import MicroCache
from newsdesk.web.openapi import openapi_endpoint
from newsdesk.web.page_article import article_page
from newsdesk.web.page_ask import api_ask, ask_action
from newsdesk.web.page_home import home_page
from newsdesk.web.page_prefs import set_ai_preference
from newsdesk.web.page_search import search_page
from newsdesk.web.page_sources import add_source_action, export_opml_action, import_opml_action, sources_page
from newsdesk.web.page_story import story_page
from newsdesk.web.params import BodyTooLarge
from newsdesk.web.proxies import TrustedProxies, proxy_networks
from newsdesk.web.responses import not_found, render_page, validated
from newsdesk.web.site import Site
from newsdesk.web.summary_stream import summary_stream
from newsdesk.web.templating import STATIC_DIR, Renderer, static_hashes


class CachedStatic(StaticFiles):
    """Static files with a Cache-Control lifetime (their URLs carry a content hash)."""

    def __init__(self, max_age: int) -> None:
        super().__init__(directory=STATIC_DIR)
        self.max_age = max_age

    def file_response(self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = f"public, max-age={self.max_age}"
        return response


def service_worker(request: Request) -> Response:
    """The service worker, from the root so its scope is the whole site; never cached long (updates must land)."""
    return FileResponse(STATIC_DIR / "sw.js", media_type="text/javascript",
                        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"})


def manifest(request: Request) -> Response:
    body = (STATIC_DIR / "manifest.webmanifest").read_bytes()
    return validated(request, body, "application/manifest+json")


def offline_page(request: Request) -> Response:
    return render_page(request, "offline.html", {})


def missing_page(request: Request, exc: Exception) -> Response:
    return not_found(request, request.url.path)


def body_too_large(request: Request, exc: Exception) -> Response:
    return Response(f"{exc}", status_code=413, media_type="text/plain")


ROUTES = [
    Route("/", home_page, name="home"),
    Route("/stories/{story_id:id}", story_page, name="story"),
    Route("/stories/{story_id:id}/feed.atom", feeds_out.story_feed, name="story_feed_atom"),
    Route("/stories/{story_id:id}/feed.json", feeds_out.story_feed, name="story_feed_json"),
    Route("/feeds/top.atom", feeds_out.top_stories_feed, name="top_feed_atom"),
    Route("/feeds/top.json", feeds_out.top_stories_feed, name="top_feed_json"),
    Route("/search/feed.atom", feeds_out.search_feed, name="search_feed_atom"),
    Route("/search/feed.json", feeds_out.search_feed, name="search_feed_json"),
    Route("/stories/{story_id:id}/ask", ask_action, methods=["POST"], name="story_ask"),
    Route("/stories/{story_id:id}/summary/stream", summary_stream, name="story_summary_stream"),
    Route("/prefs/ai", set_ai_preference, methods=["POST"], name="prefs_ai"),
    Route("/articles/{article_id:id}", article_page, name="article"),
    Route("/search", search_page, name="search"),
    Route("/sources", sources_page, name="sources"),
    Route("/sources/add", add_source_action, methods=["POST"], name="source_add"),
    Route("/sources/import", import_opml_action, methods=["POST"], name="sources_import"),
    Route("/sources/export.opml", export_opml_action, name="sources_export"),
    Route("/offline", offline_page, name="offline"),
    Route("/sw.js", service_worker, name="service_worker"),
    Route("/manifest.webmanifest", manifest, name="manifest"),
    Route("/api/v1/stories", api.api_stories, name="api_stories"),
    Route("/api/v1/stories/{story_id:id}", api.api_story, name="api_story"),
    Route("/api/v1/stories/{story_id:id}/ask", api_ask, methods=["POST"], name="api_story_ask"),
    Route("/api/v1/articles/{article_id:id}", api.api_article, name="api_article"),
    Route("/api/v1/search", api.api_search, name="api_search"),
    Route("/api/v1/openapi.json", openapi_endpoint, name="api_openapi"),
    Route("/metrics", metrics_endpoint, name="metrics"),
    Route("/login", accounts.login_page, name="login"),
    Route("/login", accounts.login_action, methods=["POST"], name="login_action"),
    Route("/logout", accounts.logout_action, methods=["POST"], name="logout"),
    Route("/signup", accounts.signup_page, name="signup"),
    Route("/signup", accounts.signup_action, methods=["POST"], name="signup_action"),
    Route("/following", page_social.following_page, name="following"),
    Route("/account", accounts.account_page, name="account"),
    Route("/account/password", accounts.password_action, methods=["POST"], name="account_password"),
    Route("/stories/{story_id:id}/comments", page_social.comment_action, methods=["POST"], name="story_comment"),
    Route("/articles/{article_id:id}/comments", page_social.comment_action, methods=["POST"],
          name="article_comment"),
    Route("/comments/{comment_id:id}/delete", page_social.delete_comment_action, methods=["POST"],
          name="comment_delete"),
    Route("/stories/{story_id:id}/follow", page_social.follow_action, methods=["POST"], name="story_follow"),
    Route("/fever/", fever_endpoint, methods=["GET", "POST"], name="fever"),
    Route("/fever", fever_endpoint, methods=["GET", "POST"], name="fever_bare"),
    *greader.ROUTES,
]


def create_app(settings: Settings, engine: sa.Engine | None = None) -> Starlette:
    """The web app for ``settings``; opens (and migrates) ``settings.database_url`` unless an engine is given."""
    engine = engine if engine is not None else open_store(settings.database_url)
    locales = i18n.available_locales()
    site = Site(engine=engine, settings=settings, renderer=Renderer(locales, static_hashes()), locales=locales,
                search=backend_for(engine), headlines=HeadlineJudge())
    registry = CollectorRegistry(auto_describe=True)
    registry.register(StoreCollector(engine, settings.web_metrics_cache_seconds))
    routes = [*ROUTES, Mount("/static", app=CachedStatic(settings.web_static_max_age), name="static")]
    # outermost first: the real client and scheme, then headers on every answer, then no exception past here
    middleware = [Middleware(TrustedProxies, networks=proxy_networks(settings.web_trusted_proxies)),
                  Middleware(SecurityHeaders, hsts_seconds=settings.web_hsts_seconds),
                  Middleware(ErrorPages),
                  Middleware(RequestMetrics, registry=registry, routes=routes),
                  Middleware(MicroCache, seconds=settings.web_page_cache_seconds)]
    app = Starlette(routes=routes, exception_handlers={404: missing_page, BodyTooLarge: body_too_large},
                    middleware=middleware)
    app.state.site = site
    app.state.metrics_registry = registry
    app.state.login_limiter = FailureLimiter(settings.web_login_failures, settings.web_login_window_seconds)
    return app

"""The reader web app: ``create_app(settings, engine)`` builds the Starlette application.

All routes are in the one table below. Handlers are plain (sync) functions run in Starlette's thread pool, each in
its own ``page_*`` module; the JSON API is in ``api``. The service worker is served from the site root so its scope
covers every page.
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from newsdesk.config import Settings
from newsdesk.search import backend_for
from newsdesk.store.db import Engine, open_store
from newsdesk.web import i18n
from newsdesk.web.api import endpoints as api
from newsdesk.web.api import feeds_out, search_api
from newsdesk.web.api.openapi import openapi_endpoint
from newsdesk.web.http.errors import ErrorPages
from newsdesk.web.http.headers import SecurityHeaders
from newsdesk.web.http.login_limits import FailureLimiter, SignInLimits
from newsdesk.web.http.metrics import RequestMetrics, StoreCollector, metrics_endpoint
from newsdesk.web.http.microcache import MicroCache
from newsdesk.web.http.params import BodyTooLarge
from newsdesk.web.http.proxies import TrustedProxies, proxy_networks
from newsdesk.web.http.responses import not_found, render_page, validated
from newsdesk.web.http.stitching import PersonalPages
from newsdesk.web.pages import account as accounts
from newsdesk.web.pages import follow as page_follow
from newsdesk.web.pages import grouping as page_grouping
from newsdesk.web.pages import saved as page_saved
from newsdesk.web.pages import social as page_social
from newsdesk.web.pages import source_manage as page_source_manage
from newsdesk.web.pages.article import article_page
from newsdesk.web.pages.ask import api_ask, ask_action
from newsdesk.web.pages.headlines import HeadlineJudge
from newsdesk.web.pages.home import home_page, latest_page
from newsdesk.web.pages.prefs import set_ai_preference
from newsdesk.web.pages.reader_app_options import fold_copies_action
from newsdesk.web.pages.search import search_page
from newsdesk.web.pages.sources import add_source_action, export_opml_action, import_opml_action, sources_page
from newsdesk.web.pages.start import start_action, start_page
from newsdesk.web.pages.story import story_page
from newsdesk.web.pages.summary_stream import summary_stream
from newsdesk.web.pages.websub import receive_push, verify_intent
from newsdesk.web.read_model_cache import ReadModelCache
from newsdesk.web.readerapps import greader
from newsdesk.web.readerapps.fever import fever_endpoint
from newsdesk.web.roles import ADMIN, ANYONE, MODERATOR, READER, RoleRoute
from newsdesk.web.site import Site
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
    RoleRoute("/", home_page, ANYONE, name="home"),
    RoleRoute("/latest", latest_page, ANYONE, name="latest"),
    RoleRoute("/stories/{story_id:id}", story_page, ANYONE, name="story"),
    RoleRoute("/stories/{story_id:id}/feed.atom", feeds_out.story_feed, ANYONE, name="story_feed_atom"),
    RoleRoute("/stories/{story_id:id}/feed.json", feeds_out.story_feed, ANYONE, name="story_feed_json"),
    RoleRoute("/feeds/top.atom", feeds_out.top_stories_feed, ANYONE, name="top_feed_atom"),
    RoleRoute("/feeds/top.json", feeds_out.top_stories_feed, ANYONE, name="top_feed_json"),
    RoleRoute("/search/feed.atom", feeds_out.search_feed, ANYONE, name="search_feed_atom"),
    RoleRoute("/search/feed.json", feeds_out.search_feed, ANYONE, name="search_feed_json"),
    RoleRoute("/stories/{story_id:id}/ask", ask_action, ANYONE, methods=["POST"], name="story_ask"),
    RoleRoute("/stories/{story_id:id}/summary/stream", summary_stream, ANYONE, name="story_summary_stream"),
    RoleRoute("/prefs/ai", set_ai_preference, ANYONE, methods=["POST"], name="prefs_ai"),
    RoleRoute("/articles/{article_id:id}", article_page, ANYONE, name="article"),
    RoleRoute("/search", search_page, ANYONE, name="search"),
    RoleRoute("/sources", sources_page, ADMIN, name="sources"),
    RoleRoute("/sources/add", add_source_action, ADMIN, methods=["POST"], name="source_add"),
    RoleRoute("/sources/import", import_opml_action, ADMIN, methods=["POST"], name="sources_import"),
    RoleRoute("/sources/export.opml", export_opml_action, ADMIN, name="sources_export"),
    RoleRoute("/sources/start", start_page, ADMIN, name="sources_start"),
    RoleRoute("/sources/start", start_action, ADMIN, methods=["POST"], name="sources_start_action"),
    RoleRoute("/sources/{source_id:id}", page_source_manage.source_page, ADMIN, name="source"),
    RoleRoute("/sources/{source_id:id}/edit", page_source_manage.edit_source_action, ADMIN,
              methods=["POST"], name="source_edit"),
    RoleRoute("/sources/{source_id:id}/pause", page_source_manage.pause_source_action, ADMIN,
              methods=["POST"], name="source_pause"),
    RoleRoute("/sources/{source_id:id}/resume", page_source_manage.resume_source_action, ADMIN,
              methods=["POST"], name="source_resume"),
    RoleRoute("/sources/{source_id:id}/refresh", page_source_manage.refresh_source_action, ADMIN,
              methods=["POST"], name="source_refresh"),
    RoleRoute("/sources/{source_id:id}/remove", page_source_manage.remove_confirm_page, ADMIN,
              name="source_remove_confirm"),
    RoleRoute("/sources/{source_id:id}/remove", page_source_manage.remove_source_action, ADMIN,
              methods=["POST"], name="source_remove"),
    RoleRoute("/websub/{token}", verify_intent, ANYONE, name="websub_verify"),
    RoleRoute("/websub/{token}", receive_push, ANYONE, methods=["POST"], own_auth="HMAC signature of the push",
              name="websub_push"),
    RoleRoute("/offline", offline_page, ANYONE, name="offline"),
    RoleRoute("/sw.js", service_worker, ANYONE, name="service_worker"),
    RoleRoute("/manifest.webmanifest", manifest, ANYONE, name="manifest"),
    RoleRoute("/api/v1/stories", api.api_stories, ANYONE, name="api_stories"),
    RoleRoute("/api/v1/stories/{story_id:id}", api.api_story, ANYONE, name="api_story"),
    RoleRoute("/api/v1/stories/{story_id:id}/ask", api_ask, ANYONE, methods=["POST"], name="api_story_ask"),
    RoleRoute("/api/v1/articles/{article_id:id}", api.api_article, ANYONE, name="api_article"),
    RoleRoute("/api/v1/search", search_api.api_search, ANYONE, name="api_search"),
    RoleRoute("/api/v1/openapi.json", openapi_endpoint, ANYONE, name="api_openapi"),
    RoleRoute("/metrics", metrics_endpoint, ANYONE, own_auth="metrics token or admin", name="metrics"),
    RoleRoute("/login", accounts.login_page, ANYONE, name="login"),
    RoleRoute("/login", accounts.login_action, ANYONE, methods=["POST"], name="login_action"),
    RoleRoute("/logout", accounts.logout_action, ANYONE, methods=["POST"], name="logout"),
    RoleRoute("/signup", accounts.signup_page, ANYONE, name="signup"),
    RoleRoute("/signup", accounts.signup_action, ANYONE, methods=["POST"], name="signup_action"),
    RoleRoute("/following", page_social.following_page, READER, name="following"),
    RoleRoute("/alerts", page_follow.alerts_page, READER, name="alerts"),
    RoleRoute("/alerts", page_follow.create_alert_action, READER, methods=["POST"], name="alert_add"),
    RoleRoute("/alerts/{alert_id:id}/delete", page_follow.delete_alert_action, READER, methods=["POST"],
              name="alert_delete"),
    RoleRoute("/alerts/{token}/feed.atom", page_follow.alert_feed, ANYONE, name="alert_feed"),
    RoleRoute("/api/v1/stories/{story_id:id}/timeline", page_follow.api_timeline, ANYONE, name="api_story_timeline"),
    RoleRoute("/saved", page_saved.saved_page, READER, name="saved"),
    RoleRoute("/articles/{article_id:id}/save", page_saved.save_action, READER, methods=["POST"], name="article_save"),
    RoleRoute("/account", accounts.account_page, READER, name="account"),
    RoleRoute("/account/password", accounts.password_action, READER, methods=["POST"], name="account_password"),
    RoleRoute("/account/reader-apps", fold_copies_action, READER, methods=["POST"], name="account_reader_apps"),
    RoleRoute("/stories/{story_id:id}/comments", page_social.comment_action, READER,
              methods=["POST"], name="story_comment"),
    RoleRoute("/articles/{article_id:id}/comments", page_social.comment_action, READER,
              methods=["POST"], name="article_comment"),
    RoleRoute("/comments/{comment_id:id}/delete", page_social.delete_comment_action, READER,
              methods=["POST"], name="comment_delete"),
    RoleRoute("/stories/{story_id:id}/follow", page_social.follow_action, READER,
              methods=["POST"], name="story_follow"),
    RoleRoute("/stories/{story_id:id}/grouping/move", page_grouping.move_action, MODERATOR, methods=["POST"],
              name="grouping_move"),
    RoleRoute("/stories/{story_id:id}/grouping/split", page_grouping.split_action, MODERATOR, methods=["POST"],
              name="grouping_split"),
    RoleRoute("/stories/{story_id:id}/grouping/merge", page_grouping.merge_action, MODERATOR, methods=["POST"],
              name="grouping_merge"),
    RoleRoute("/grouping/corrections/{correction_id:id}/undo", page_grouping.undo_action, MODERATOR,
              methods=["POST"], name="grouping_undo"),
    RoleRoute("/fever/", fever_endpoint, ANYONE, methods=["GET", "POST"], own_auth="fever api key", name="fever"),
    RoleRoute("/fever", fever_endpoint, ANYONE, methods=["GET", "POST"], own_auth="fever api key", name="fever_bare"),
    *greader.ROUTES,]


def create_app(settings: Settings, engine: Engine | None = None) -> Starlette:
    """The web app for ``settings``; opens (and migrates) ``settings.database_url`` unless an engine is given."""
    engine = engine if engine is not None else open_store(settings.database_url)
    locales = i18n.available_locales()
    site = Site(engine=engine, settings=settings, renderer=Renderer(locales, static_hashes()), locales=locales,
                search=backend_for(engine), headlines=HeadlineJudge(),
                read_models=ReadModelCache(engine, settings.web_read_model_seconds))
    registry = CollectorRegistry(auto_describe=True)
    registry.register(StoreCollector(engine, settings.web_metrics_cache_seconds))
    routes = [*ROUTES, Mount("/static", app=CachedStatic(settings.web_static_max_age), name="static")]
    # outermost first: the real client and scheme, then headers on every answer, then no exception past here;
    # a signed-in reader's shared page goes through the micro-cache without its session, then gets its own parts
    middleware = [Middleware(TrustedProxies, networks=proxy_networks(settings.web_trusted_proxies)),
                  Middleware(SecurityHeaders, hsts_seconds=settings.web_hsts_seconds),
                  Middleware(ErrorPages),
                  Middleware(RequestMetrics, registry=registry, routes=routes),
                  Middleware(PersonalPages, story_extras=page_follow.reader_delta),
                  Middleware(MicroCache, seconds=settings.web_page_cache_seconds)]
    app = Starlette(routes=routes, exception_handlers={404: missing_page, BodyTooLarge: body_too_large},
                    middleware=middleware)
    app.router.redirect_slashes = False  # its redirects are absolute URLs built from the Host header
    app.state.site = site
    app.state.metrics_registry = registry
    window = settings.web_login_window_seconds
    app.state.sign_in_limits = SignInLimits.build(settings.web_login_failures, settings.web_login_failures_per_address,
                                                  settings.web_login_failures_per_account, window)
    app.state.signup_limiter = FailureLimiter(settings.web_login_failures, window)
    return app

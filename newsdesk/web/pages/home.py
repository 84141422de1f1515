"""The home page: top stories of an edition (region and language) and topic, with a trending strip.

Before the understanding stage has made stories, the page lists the newest articles instead; while the first
articles are still coming in (``newsdesk run`` serves from its first second), it says so and reloads itself. What
the page shows is kept in the app's read-model cache while the store is unchanged (see
:mod:`newsdesk.web.read_model_cache`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from babel.languages import get_official_languages
from starlette.requests import Request
from starlette.responses import Response

from newsdesk.store import first_run, read_models
from newsdesk.store.coverage_scope import source_regions
from newsdesk.store.story_ranking import StoryPage, latest_stories, ranked_stories
from newsdesk.understand.topics import TOPIC_LABELS, canonical_topic, topic_tabs
from newsdesk.understand.trending import trending_stories
from newsdesk.web.http.params import page_param
from newsdesk.web.http.responses import page_locale, render_page
from newsdesk.web.site import Site, site_of

_CODE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_TOPIC = re.compile(r"^[\w -]{1,40}$", re.UNICODE)
TRENDING_SIZE = 8
MAX_PAGE = 20  # the ranked window (web_home_candidates) ends before it at the default page size


@dataclass(frozen=True)
class Edition:
    """What the reader picked: region (None for World), content language and topic."""

    region: str | None
    language: str | None
    topic: str | None

    def query(self, **changes: str | None) -> str:
        """The query string of this edition with some parts changed (for links)."""
        values = {"edition": self.region, "lang": self.language, "topic": self.topic, **changes}
        parts = [f"{k}={v}" for k, v in values.items() if v]
        return "?" + "&".join(parts) if parts else ""


def edition_of(request: Request) -> Edition:
    """Read ``edition``, ``lang`` and ``topic`` from the query, ignoring malformed values."""
    params = request.query_params
    region = (params.get("edition") or "").strip()
    language = (params.get("lang") or "").strip().lower()
    topic = (params.get("topic") or "").strip().lower()
    return Edition(region.upper() if _CODE.match(region) and region.lower() != "world" else None,
                   language if _CODE.match(language) else None,
                   canonical_topic(topic) if _TOPIC.match(topic) else None)


def edition_language(region: str | None) -> str | None:
    """The first official language of an edition's region (Italian for IT): its headlines' language."""
    if not region:
        return None
    official = get_official_languages(region)
    return official[0] if official else None


def home_page(request: Request) -> Response:
    """Top stories, ranked by coverage and freshness, one page at a time."""
    return _story_list_page(request, view="top")


def latest_page(request: Request) -> Response:
    """Stories by their newest article, newest first."""
    return _story_list_page(request, view="latest")


def story_list(site: Site, edition: Edition, view: str, page: int) -> StoryPage:
    """One page of the ``view`` ("top" or "latest") of an edition."""
    size = site.settings.web_page_size
    with site.engine.connect() as conn:
        if view == "latest":
            return latest_stories(conn, region=edition.region, language=edition.language, topic=edition.topic,
                                  limit=size, offset=(page - 1) * size)
        return ranked_stories(conn, region=edition.region, language=edition.language, topic=edition.topic,
                              limit=size, offset=(page - 1) * size, candidates=site.settings.web_home_candidates,
                              half_life_hours=site.settings.web_rank_half_life_hours)


def _story_list_page(request: Request, view: str) -> Response:
    site = site_of(request)
    edition = edition_of(request)
    stamp = site.read_models.stamp()
    cached = site.read_models.get
    page = page_param(request.query_params.get("page"), MAX_PAGE)
    reader_language = edition.language or edition_language(edition.region) or page_locale(request)[0]
    key = (edition.region, edition.language, edition.topic, reader_language)
    listed, cards, latest = cached(("list", view, page, *key), stamp,
                                   lambda: _listed(site, edition, view, page, reader_language))
    trending = cached(("trending", *key), stamp, lambda: _trending(site, edition, reader_language))
    languages, editions = cached(("languages",), stamp, lambda: _languages_and_editions(site))
    ingesting = not cards and page == 1 and _ingest_pending(site)
    return render_page(request, "home.html", {
        "ingesting": ingesting,
        "edition": edition, "cards": cards, "trending": trending, "latest": latest, "view": view, "page": page,
        "more": listed.more and page < MAX_PAGE,
        "editions": editions, "languages": languages, "topics": topic_tabs(site.settings.web_topics),
        "topic_labels": TOPIC_LABELS,
    })


def _listed(site: Site, edition: Edition, view: str, page: int,
            reader_language: str | None) -> tuple[StoryPage, list[Any], list[dict[str, Any]]]:
    """One page of the view with its story cards, or the newest articles before there are stories."""
    listed = story_list(site, edition, view, page)
    with site.engine.connect() as conn:
        cards = read_models.story_cards(conn, listed.stories, language=reader_language)
        latest = [] if cards or page > 1 else read_models.latest_articles(
            conn, region=edition.region, language=edition.language, topic=edition.topic,
            limit=site.settings.web_page_size)
    return listed, cards, latest


def _trending(site: Site, edition: Edition, reader_language: str | None) -> list[Any]:
    trending_ids = [story_id for story_id, _ in trending_stories(
        site.engine, region=edition.region, language=edition.language, topic=edition.topic, limit=TRENDING_SIZE,
        settings=site.settings)]
    with site.engine.connect() as conn:
        return read_models.story_cards(conn, read_models.stories_by_ids(conn, trending_ids), others=0,
                                       language=reader_language)


def _ingest_pending(site: Site) -> bool:
    with site.engine.connect() as conn:
        return first_run.ingest_pending(conn)


def _languages_and_editions(site: Site) -> tuple[list[str], list[str]]:
    with site.engine.connect() as conn:
        return read_models.known_languages(conn), _edition_choices(site, source_regions(conn))


def _edition_choices(site: Site, with_sources: set[str]) -> list[str]:
    """The configured editions that have sources (another would always be empty)."""
    return [code for code in site.settings.web_editions if code.upper() in with_sources]

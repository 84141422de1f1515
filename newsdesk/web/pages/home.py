"""The home page: top stories of an edition (region and language) and topic, with a trending strip.

Before the understanding stage has made stories, the page lists the newest articles instead; while the first
articles are still coming in (``newsdesk run`` serves from its first second), it says so and reloads itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from newsdesk.store import first_run, read_models
from newsdesk.understand.trending import trending_stories
from newsdesk.web.http.responses import render_page
from newsdesk.web.site import Site, site_of

_CODE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_TOPIC = re.compile(r"^[\w -]{1,40}$", re.UNICODE)
TRENDING_SIZE = 8


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
                   topic if _TOPIC.match(topic) else None)


def home_page(request: Request) -> Response:
    site = site_of(request)
    edition = edition_of(request)
    size = site.settings.web_page_size
    trending_ids = [story_id for story_id, _ in trending_stories(
        site.engine, region=edition.region, language=edition.language, topic=edition.topic, limit=TRENDING_SIZE,
        settings=site.settings)]
    with site.engine.connect() as conn:
        rows = read_models.top_stories(conn, region=edition.region, language=edition.language, topic=edition.topic,
                                       limit=size, candidates=site.settings.web_home_candidates)
        cards = read_models.story_cards(conn, rows, language=edition.language)
        trending = read_models.stories_by_ids(conn, trending_ids)
        latest = [] if cards else read_models.latest_articles(
            conn, region=edition.region, language=edition.language, topic=edition.topic, limit=size)
        languages = read_models.known_languages(conn)
        ingesting = not cards and first_run.ingest_pending(conn)
    return render_page(request, "home.html", {"ingesting": ingesting,
        "edition": edition, "cards": cards, "trending": trending, "latest": latest,
        "editions": _edition_choices(site), "languages": languages, "topics": site.settings.web_topics,
    })


def _edition_choices(site: Site) -> list[str]:
    return list(site.settings.web_editions)

"""The search page: full-text search with filters (outlet, language, region, topic, dates), highlighted snippets."""

from __future__ import annotations

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from newsdesk.search import SearchFilters, SearchHit
from newsdesk.store import read_models
from newsdesk.understand.topics import TOPIC_LABELS, canonical_topic, topic_tabs
from newsdesk.web.http.params import day_param, page_param, text_param
from newsdesk.web.http.responses import render_page
from newsdesk.web.pages.home import edition_of
from newsdesk.web.site import Site, site_of

MAX_PAGE = 50  # deep pages cost an OFFSET scan and nobody reads them


def filters_of(params: QueryParams) -> SearchFilters:
    """Search filters from query parameters; ``to`` includes its whole day; a malformed date is no filter."""
    return SearchFilters(outlet=text_param(params.get("outlet")) or None,
                         language=text_param(params.get("lang")).lower() or None,
                         region=text_param(params.get("region")).upper() or None,
                         topic=canonical_topic(text_param(params.get("topic"))),
                         date_from=day_param(params.get("from")),
                         date_to=day_param(params.get("to"), end=True))


def page_number(params: QueryParams) -> int:
    return page_param(params.get("page"), MAX_PAGE)


def run_search(site: Site, params: QueryParams) -> tuple[list[SearchHit], bool]:
    """This page of hits, and whether there is a next page."""
    size = site.settings.web_page_size
    hits = site.search.search(text_param(params.get("q")), filters_of(params), limit=size + 1,
                              offset=(page_number(params) - 1) * size)
    return hits[:size], len(hits) > size


def search_page(request: Request) -> Response:
    site = site_of(request)
    params = request.query_params
    hits, more = run_search(site, params)
    with site.engine.connect() as conn:
        outlets = read_models.known_outlets(conn)
        languages = read_models.known_languages(conn)
    page = page_number(params)
    return render_page(request, "search.html", {
        "q": params.get("q", ""), "hits": hits, "filters": filters_of(params), "params": params,
        "page": page, "more": more, "outlets": outlets, "languages": languages,
        "edition": edition_of(request), "topics": topic_tabs(site.settings.web_topics), "topic_labels": TOPIC_LABELS,
        "regions": site.settings.web_editions,
    })

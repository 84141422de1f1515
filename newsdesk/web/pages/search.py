"""The search page: full-text and cross-language search with filters (outlet, language, region, topic, dates),
results grouped by story with highlighted snippets, a count and a sort."""

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
from newsdesk.web.pages.search_groups import SORTS, grouped_search
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
    """Results grouped by story, with their count, a sort and pages of ``web_page_size`` stories."""
    site = site_of(request)
    params = request.query_params
    sort = params.get("sort") or "relevance"
    sort = sort if sort in SORTS else "relevance"
    results = grouped_search(site, text_param(params.get("q")) or "", filters_of(params), sort)
    size = site.settings.web_page_size
    page = page_number(params)
    with site.engine.connect() as conn:
        outlets = read_models.known_outlets(conn)
        languages = read_models.known_languages(conn)
    return render_page(request, "search.html", {
        "q": params.get("q", ""), "results": results[(page - 1) * size:page * size], "total": len(results),
        "sort": sort, "sorts": SORTS, "filters": filters_of(params), "params": params,
        "page": page, "more": len(results) > page * size, "outlets": outlets, "languages": languages,
        "edition": edition_of(request), "topics": topic_tabs(site.settings.web_topics), "topic_labels": TOPIC_LABELS,
        "regions": site.settings.web_editions,
    })

"""The OpenAPI 3.1 description of the JSON API, served at ``/api/v1/openapi.json``.

Written as data next to the handlers it describes (``web/api/endpoints.py``, ``web/api/search_api.py``,
``web/pages/ask.py``) rather than generated from them: the field names are a contract, and
``tests/web/test_web_openapi.py`` validates the document and checks every real response of the test store against
these schemas, so a field added, renamed or retyped in a handler fails the tests until this file says so too.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from newsdesk import __version__
from newsdesk.web.http.responses import json_response

TIME = {"type": ["string", "null"], "format": "date-time", "description": "ISO 8601, UTC"}
STRINGS = {"type": "array", "items": {"type": "string"}}
ID_OR_NULL = {"type": ["integer", "null"]}
CITED = {"type": "object", "required": ["text", "citations"], "additionalProperties": True,
         "properties": {"text": {"type": "string"}, "citations": {"type": "array", "items": {"type": "integer"}}}}

SCHEMAS: dict[str, dict[str, Any]] = {
    "Story": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "title", "first_seen", "last_seen", "article_count", "outlet_count", "languages",
                     "regions", "topics"],
        "properties": {
            "id": {"type": "integer"}, "title": {"type": ["string", "null"]},
            "first_seen": TIME, "last_seen": TIME, "first_seen_at": TIME, "last_seen_at": TIME,
            "article_count": {"type": "integer"}, "outlet_count": {"type": "integer"},
            "languages": STRINGS, "regions": STRINGS, "topics": STRINGS,
            "trend_score": {"type": ["number", "null"]}, "representative_article_id": ID_OR_NULL,
        },
    },
    "Summary": {
        "type": ["object", "null"], "additionalProperties": True, "required": ["sentences"],
        "description": "Extractive unless an LLM is configured; see docs/ai.md for every field.",
        "properties": {"engine": {"type": "string"}, "ai_generated": {"type": "boolean"},
                       "sentences": {"type": "array", "items": CITED}, "key_points": STRINGS},
    },
    "ArticleBrief": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "title", "url", "outlet", "language", "published", "duplicate_of", "story_id"],
        "properties": {
            "id": {"type": "integer"}, "title": {"type": ["string", "null"]}, "url": {"type": ["string", "null"]},
            "outlet": {"type": ["string", "null"]}, "language": {"type": ["string", "null"]},
            "region": {"type": ["string", "null"]}, "published": TIME,
            "duplicate_of": {**ID_OR_NULL, "description": "The original when this is a wire copy"},
            "story_id": ID_OR_NULL, "text": {"type": "string"}, "byline": {"type": ["string", "null"]},
            "image_url": {"type": ["string", "null"]}, "topics": STRINGS,
        },
    },
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}},
              "additionalProperties": True},
}
SCHEMAS["Article"] = {**SCHEMAS["ArticleBrief"],
                      "required": [*SCHEMAS["ArticleBrief"]["required"], "text", "byline", "image_url", "topics"]}
SCHEMAS["GroupingReason"] = {
    "type": "object", "additionalProperties": False,
    "description": "Why an article is in the story: the evidence that joined it (see docs/grouping.md)",
    "required": ["article_id", "kind", "score", "evidence", "shared_names", "shared_terms", "copy_of", "text"],
    "properties": {"article_id": {"type": "integer"},
                   "kind": {"enum": ["first", "joined", "copy", "linked", "corrected", "unknown"]},
                   "score": {"type": ["number", "null"], "description": "log-odds of the join"},
                   "evidence": {"type": "object", "additionalProperties": True}, "shared_names": STRINGS,
                   "shared_terms": STRINGS, "copy_of": ID_OR_NULL,
                   "text": {**STRINGS, "description": "The same in plain words, in the interface language"}},
}
SCHEMAS["StoryDetail"] = {
    **SCHEMAS["Story"], "required": [*SCHEMAS["Story"]["required"], "outlets", "articles", "summary", "grouping"],
    "properties": {**SCHEMAS["Story"]["properties"], "outlets": STRINGS,
                   "articles": {"type": "array", "items": {"$ref": "#/components/schemas/ArticleBrief"}},
                   "summary": {"$ref": "#/components/schemas/Summary"},
                   "grouping": {"type": "array", "items": {"$ref": "#/components/schemas/GroupingReason"}}},
}
SCHEMAS["StoryList"] = {"type": "object", "required": ["stories", "offset", "limit", "next"],
                        "additionalProperties": False,
                        "properties": {"stories": {"type": "array", "items": {"$ref": "#/components/schemas/Story"}},
                                       "offset": {"type": "integer"}, "limit": {"type": "integer"},
                                       "next": {"type": ["string", "null"]}}}
SCHEMAS["SearchHit"] = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "title", "snippet", "title_html", "snippet_html", "outlet", "language", "url", "story_id",
                 "published", "duplicate_of"],
    "properties": {"id": {"type": "integer"}, "title": {"type": "string"}, "snippet": {"type": "string"},
                   "title_html": {"type": "string", "description": "HTML-escaped, matches in <mark>"},
                   "snippet_html": {"type": "string"}, "outlet": {"type": ["string", "null"]},
                   "language": {"type": ["string", "null"]}, "region": {"type": ["string", "null"]},
                   "url": {"type": ["string", "null"]}, "story_id": ID_OR_NULL, "published": TIME,
                   "duplicate_of": ID_OR_NULL},
}
SCHEMAS["SearchResult"] = {
    "type": "object", "required": ["query", "page", "more", "hits"], "additionalProperties": False,
    "properties": {"query": {"type": "string"}, "page": {"type": "integer", "minimum": 1},
                   "more": {"type": "boolean"},
                   "hits": {"type": "array", "items": {"$ref": "#/components/schemas/SearchHit"}}},
}
SCHEMAS["StorySearchItem"] = {
    "type": "object", "additionalProperties": False,
    "required": ["story_id", "title", "matched", "similarity", "newest", "hit", "other_languages"],
    "properties": {
        "story_id": {**ID_OR_NULL, "description": "Null for a matching article that belongs to no story"},
        "title": {"type": ["string", "null"]},
        "matched": {"type": "integer", "minimum": 0,
                    "description": "Articles of the story that matched the words (0: found by meaning only)"},
        "similarity": {"type": ["number", "null"],
                       "description": "Cosine similarity when found by meaning (cross-language), else null"},
        "newest": TIME,
        "hit": {"oneOf": [{"$ref": "#/components/schemas/SearchHit"}, {"type": "null"}],
                "description": "Best matching article (the newest with sort=newest); null for a meaning-only match"},
        "other_languages": {"type": "array", "items": {"$ref": "#/components/schemas/SearchHit"},
                            "description": "A few matching articles in languages other than the hit's"},
    },
}
SCHEMAS["StorySearchResult"] = {
    "type": "object", "additionalProperties": False,
    "required": ["query", "group", "sort", "total", "offset", "limit", "next", "results"],
    "properties": {"query": {"type": "string"}, "group": {"const": "story"},
                   "sort": {"type": "string", "enum": ["relevance", "newest"]},
                   "total": {"type": "integer", "description": "Story results on every page"},
                   "offset": {"type": "integer"}, "limit": {"type": "integer"},
                   "next": {"type": ["string", "null"]},
                   "results": {"type": "array", "items": {"$ref": "#/components/schemas/StorySearchItem"}}},
}
SCHEMAS["Answer"] = {
    "type": "object", "required": ["question", "answer", "passages"], "additionalProperties": True,
    "properties": {"question": {"type": "string"}, "engine": {"type": "string"},
                   "answer": {"type": "array", "items": CITED},
                   "passages": {"type": "array", "items": {"type": "object"}}},
}


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


def _path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def _ok(schema: str, description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


NOT_FOUND = {"404": _ok("Error", "No such item")}
EDITION = [_query("edition", "Region code, e.g. IT (World when absent)"), _query("lang", "Content language, e.g. it"),
           _query("topic", "Topic, e.g. science")]
STORY_PAGING = [_query("sort", "top (coverage and freshness, the default) or latest (newest article first)",
                       {"type": "string", "enum": ["top", "latest"]}),
                _query("limit", "Stories per page (1-100, default the page size)", {"type": "integer"}),
                _query("offset", "Stories to skip (follow next instead of counting)", {"type": "integer"})]
PATHS: dict[str, Any] = {
    "/api/v1/stories": {"get": {"summary": "Top stories of an edition", "operationId": "listStories",
                                "parameters": [*EDITION, *STORY_PAGING],
                                "responses": {"200": _ok("StoryList", "Stories, best first; next: the next page")}}},
    "/api/v1/stories/{story_id}": {"get": {
        "summary": "One story: its articles from every outlet and language, and its summary with citations",
        "operationId": "getStory", "parameters": [_path_id("story_id")],
        "responses": {"200": _ok("StoryDetail", "The story"), **NOT_FOUND}}},
    "/api/v1/stories/{story_id}/ask": {"post": {
        "summary": "Ask a question about a story; the answer cites the story's articles",
        "operationId": "askStory", "parameters": [_path_id("story_id")],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["question"], "properties": {"question": {"type": "string"}}}}}},
        "responses": {"200": _ok("Answer", "The answer"), **NOT_FOUND,
                      "403": _ok("Error", "Cross-origin request refused"),
                      "413": _ok("Error", "Question too long"), "422": _ok("Error", "Empty question"),
                      "503": _ok("Error", "The AI stage is not available")}}},
    "/api/v1/articles/{article_id}": {"get": {
        "summary": "One article with its clean text", "operationId": "getArticle",
        "parameters": [_path_id("article_id")], "responses": {"200": _ok("Article", "The article"), **NOT_FOUND}}},
    "/api/v1/search": {"get": {
        "summary": "Search: results grouped by story (default), or one row per article with group=article",
        "operationId": "search",
        "parameters": [_query("q", "Words; quotes for a phrase"),
                       _query("group", "story (one result per story, the default) or article (the per-article "
                                       "list: page, more, hits)", {"type": "string", "enum": ["story", "article"]}),
                       _query("sort", "relevance (the default) or newest (group=story only)",
                              {"type": "string", "enum": ["relevance", "newest"]}),
                       _query("limit", "Story results per page (1-100, default the page size; group=story)",
                              {"type": "integer"}),
                       _query("offset", "Story results to skip (follow next instead; group=story)",
                              {"type": "integer"}),
                       _query("page", "Page number (group=article)", {"type": "integer", "minimum": 1}),
                       _query("outlet", "Only this outlet"), _query("lang", "Only this language"),
                       _query("region", "Only this region"), _query("topic", "Only this topic"),
                       _query("from", "First day, YYYY-MM-DD"), _query("to", "Last day, YYYY-MM-DD")],
        "responses": {"200": {"description": "One page of story results (group=story) or of hits (group=article)",
                              "content": {"application/json": {"schema": {"oneOf": [
                                  {"$ref": "#/components/schemas/StorySearchResult"},
                                  {"$ref": "#/components/schemas/SearchResult"}]}}}},
                      "400": _ok("Error", "Unknown group or sort")}}},
}


def openapi_document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "newsdesk JSON API", "version": __version__,
                 "description": "Stories across outlets and languages, articles, search and questions. Times are "
                                "ISO 8601 in UTC. Responses carry an ETag; send If-None-Match to get 304."},
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }


def openapi_endpoint(request: Request) -> Response:
    """``GET /api/v1/openapi.json``."""
    return json_response(request, openapi_document())

"""Read queries behind the reader's pages and the JSON API: bounded, indexed, one round trip per block of a page.

Every list has a LIMIT; story lists start from the ``last_seen_at`` index and only then rank, so the cost of the
home page does not grow with the number of stories stored. JSON list columns (languages, regions, topics) are
matched with ``LIKE`` on their text form, which reads the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from newsdesk.store.tables_core import articles, sources
from newsdesk.store.tables_understanding import stories
from newsdesk.text.headline_choice import choose_headline

EXCERPT_CHARS = 320

BRIEF_COLUMNS = (
    articles.c.id, articles.c.title, articles.c.outlet, articles.c.url, articles.c.language, articles.c.region,
    articles.c.published_at, articles.c.fetched_at, articles.c.image_url, articles.c.byline, articles.c.story_id,
    articles.c.duplicate_of, articles.c.source_id, articles.c.topics,
    sa.func.coalesce(articles.c.summary, sa.func.substr(articles.c.text, 1, EXCERPT_CHARS)).label("excerpt"),
)


@dataclass
class StoryCard:
    """A story as a home-page card: its row, the lead article and a few other outlets' headlines."""

    story: dict[str, Any]
    lead: dict[str, Any] | None = None
    others: list[dict[str, Any]] = field(default_factory=list)


def _original() -> sa.ColumnElement[bool]:
    """Not a wire copy. Written so the planner cannot pick the duplicate_of index (nearly every row is NULL there)
    over the selective story_id or published_at index: that mistake cost one second per home page at 100k rows."""
    return sa.func.coalesce(articles.c.duplicate_of, 0) == 0


def json_list_has(column: sa.ColumnElement[Any], value: str) -> sa.ColumnElement[bool]:
    """True when a JSON list column contains the string ``value`` (case-insensitive).

    The JSON text may spell non-ASCII letters as ``\\u00e9`` escapes (SQLAlchemy's default) or as themselves, so
    both spellings are matched; LIKE's wildcards in the value are escaped."""
    spellings = dict.fromkeys((json.dumps(value.lower(), ensure_ascii=False), json.dumps(value.lower())))
    text = sa.func.lower(sa.cast(column, sa.Text))
    return sa.or_(*(text.like("%" + _like_escape(s) + "%", escape="!") for s in spellings))


def _like_escape(text: str) -> str:
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def story_filters(region: str | None, language: str | None, topic: str | None) -> list[sa.ColumnElement[bool]]:
    clauses: list[sa.ColumnElement[bool]] = [stories.c.merged_into.is_(None), stories.c.article_count > 0,
                                             stories.c.last_seen_at.is_not(None)]
    if region:
        clauses.append(json_list_has(stories.c.regions, region))
    if language:
        clauses.append(json_list_has(stories.c.languages, language))
    if topic:
        clauses.append(json_list_has(stories.c.topics, topic))
    return clauses


def top_stories(conn: sa.Connection, *, region: str | None = None, language: str | None = None,
                topic: str | None = None, limit: int = 20, candidates: int = 400) -> list[dict[str, Any]]:
    """The first page of top stories now, ranked by coverage and freshness (``story_ranking.ranked_stories``)."""
    from newsdesk.store.story_ranking import ranked_stories  # it builds on this module's filters

    return ranked_stories(conn, region=region, language=language, topic=topic, limit=limit,
                          candidates=candidates).stories


def stories_by_ids(conn: sa.Connection, ids: Sequence[int]) -> list[dict[str, Any]]:
    """Stories in the order of ``ids`` (used for trending lists computed elsewhere)."""
    if not ids:
        return []
    rows = {r.id: dict(r._mapping) for r in conn.execute(sa.select(stories).where(stories.c.id.in_(list(ids))))}
    return [rows[i] for i in ids if i in rows]


def story_cards(conn: sa.Connection, story_rows: Sequence[dict[str, Any]], others: int = 3,
                language: str | None = None) -> list[StoryCard]:
    """Cards for stories: lead article and ``others`` other outlets' headlines.

    The lead is the article whose headline the reader sees (``newsdesk.text.headline_choice``): the reader's
    ``language`` first, then English, then any; never a cut sentence or a lower-case start; the representative
    article when its headline qualifies. Other outlets' lines come in the reader's language first.
    """
    ids = [s["id"] for s in story_rows]
    if not ids:
        return []
    in_language = sa.case((articles.c.language == (language or ""), 0), else_=1)
    newest = (in_language, articles.c.published_at.desc().nulls_last(), articles.c.id.desc())
    # rank on index columns only; excerpts are cut for the few rows kept
    ranked = (sa.select(articles.c.id.label("ranked_id"), sa.func.row_number().over(
        partition_by=articles.c.story_id, order_by=newest,
    ).label("rank")).where(articles.c.story_id.in_(ids), _original()).subquery("ranked"))
    kept = (sa.select(*BRIEF_COLUMNS).join_from(ranked, articles, articles.c.id == ranked.c.ranked_id)
            .where(ranked.c.rank <= 3 * others + 3).order_by(ranked.c.rank))
    by_story: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for row in conn.execute(kept):
        by_story[row.story_id].append(dict(row._mapping))
    rep_ids = [s["representative_article_id"] for s in story_rows if s.get("representative_article_id")]
    reps = {r.id: dict(r._mapping) for r in conn.execute(sa.select(*BRIEF_COLUMNS).where(articles.c.id.in_(rep_ids)))}
    cards = []
    for story in story_rows:
        items = by_story[story["id"]]
        rep_id = story.get("representative_article_id")
        pool = [reps[rep_id], *items] if rep_id in reps else items
        chosen = choose_headline(pool, language, rep_id)
        lead = dict(chosen[0], title=chosen[1]) if chosen else None
        cards.append(_card(story, items, lead, others))
    return cards


def _card(story: dict[str, Any], items: list[dict[str, Any]], lead: dict[str, Any] | None, others: int) -> StoryCard:
    lead = lead or next((a for a in items if a.get("image_url")), None) or (items[0] if items else None)
    seen = {lead["outlet"]} if lead else set()
    picked: list[Any] = []
    for item in items:
        if lead and item["id"] == lead["id"]:
            continue
        if item["outlet"] not in seen and len(picked) < others:
            seen.add(item["outlet"])
            picked.append(item)
    return StoryCard(story=story, lead=lead, others=picked)


def latest_articles(conn: sa.Connection, *, region: str | None = None, language: str | None = None,
                    topic: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Newest original articles (not wire copies): the home page before any story exists."""
    stmt = sa.select(*BRIEF_COLUMNS).where(_original(), articles.c.published_at.is_not(None))
    if region:
        stmt = stmt.where(sa.func.lower(articles.c.region) == region.lower())
    if language:
        stmt = stmt.where(articles.c.language == language)
    if topic:
        stmt = stmt.where(json_list_has(articles.c.topics, topic))
    stmt = stmt.order_by(articles.c.published_at.desc()).limit(limit)
    return [dict(r._mapping) for r in conn.execute(stmt)]


def story(conn: sa.Connection, story_id: int) -> dict[str, Any] | None:
    row = conn.execute(sa.select(stories).where(stories.c.id == story_id)).first()
    return dict(row._mapping) if row else None


def story_articles(conn: sa.Connection, story_id: int, limit: int = 500) -> list[dict[str, Any]]:
    """Every article of a story (wire copies included, marked by duplicate_of), oldest first; no excerpts."""
    stmt = (sa.select(*BRIEF_COLUMNS[:-1]).where(articles.c.story_id == story_id)
            .order_by(articles.c.published_at.asc().nulls_last(), articles.c.id).limit(limit))
    return [dict(r._mapping) for r in conn.execute(stmt)]


def newest_story_briefs(conn: sa.Connection, story_id: int, limit: int) -> list[dict[str, Any]]:
    """A story's original articles (wire copies left out) with excerpts, newest first: the story's feed."""
    stmt = (sa.select(*BRIEF_COLUMNS).where(articles.c.story_id == story_id, _original())
            .order_by(articles.c.published_at.desc().nulls_last(), articles.c.id.desc()).limit(limit))
    return [dict(r._mapping) for r in conn.execute(stmt)]


def story_article_texts(conn: sa.Connection, story_id: int, limit: int = 500) -> list[dict[str, Any]]:
    """A story's articles with full text (the JSON API)."""
    stmt = (sa.select(articles.c.id, articles.c.title, articles.c.url, articles.c.outlet, articles.c.language,
                      articles.c.region, articles.c.published_at, articles.c.text, articles.c.duplicate_of)
            .where(articles.c.story_id == story_id)
            .order_by(articles.c.published_at.asc().nulls_last(), articles.c.id).limit(limit))
    return [dict(r._mapping) for r in conn.execute(stmt)]


def article(conn: sa.Connection, article_id: int) -> dict[str, Any] | None:
    """One article with its body (text and sanitized html)."""
    row = conn.execute(sa.select(articles).where(articles.c.id == article_id)).first()
    return dict(row._mapping) if row else None


def briefs(conn: sa.Connection, ids: Sequence[int]) -> list[dict[str, Any]]:
    """Article briefs in the order of ``ids``."""
    if not ids:
        return []
    rows = {r.id: dict(r._mapping) for r in conn.execute(sa.select(*BRIEF_COLUMNS).where(articles.c.id.in_(list(ids))))}
    return [rows[i] for i in ids if i in rows]


def image_urls(conn: sa.Connection, ids: Sequence[int]) -> dict[int, str | None]:
    """Lead image URL of each article (related-article cards come from another stage without them)."""
    if not ids:
        return {}
    stmt = sa.select(articles.c.id, articles.c.image_url).where(articles.c.id.in_(list(ids)))
    return {r.id: r.image_url for r in conn.execute(stmt)}


def same_story_briefs(conn: sa.Connection, story_id: int, exclude_outlet: str | None,
                      limit: int) -> list[dict[str, Any]]:
    """Other outlets' articles of a story, newest first (related articles when no similarity index exists)."""
    stmt = sa.select(*BRIEF_COLUMNS).where(articles.c.story_id == story_id, _original())
    if exclude_outlet:
        stmt = stmt.where(sa.or_(articles.c.outlet.is_(None), articles.c.outlet != exclude_outlet))
    stmt = stmt.order_by(articles.c.published_at.desc().nulls_last(), articles.c.id.desc()).limit(limit)
    return [dict(r._mapping) for r in conn.execute(stmt)]


def source_list(conn: sa.Connection, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Sources with their health, failing ones first, then by name; one page of them."""
    failing_first = sa.case((sources.c.status == "failing", 0), (sources.c.status == "active", 1), else_=2)
    by_name = sa.func.lower(sa.func.coalesce(sources.c.name, sources.c.feed_url))
    stmt = sa.select(sources).order_by(failing_first, by_name, sources.c.id).limit(limit).offset(offset)
    return [dict(r._mapping) for r in conn.execute(stmt)]


def source_count(conn: sa.Connection) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(sources)).scalar_one()


def known_outlets(conn: sa.Connection, limit: int = 300) -> list[str]:
    """Outlet names for the search filter (from sources, a small table)."""
    stmt = (sa.select(sources.c.name).where(sources.c.name.is_not(None)).distinct()
            .order_by(sources.c.name).limit(limit))
    return [r.name for r in conn.execute(stmt)]


def known_languages(conn: sa.Connection, limit: int = 100, recent: int = 5000) -> list[str]:
    """Languages of the ``recent`` newest articles (bounded: a DISTINCT over every article costs 12 ms at 100k)."""
    newest = sa.select(articles.c.language).order_by(articles.c.id.desc()).limit(recent).subquery("newest")
    stmt = (sa.select(newest.c.language).where(newest.c.language.is_not(None)).distinct()
            .order_by(newest.c.language).limit(limit))
    return [r.language for r in conn.execute(stmt)]


def newest_change(conn: sa.Connection) -> datetime | None:
    """When stories last changed: part of the home page's ETag."""
    return conn.execute(sa.select(sa.func.max(stories.c.last_seen_at))).scalar()

"""Queries on articles: identity (content hash), insertion, feed links, and export.

Exact duplicates are one article: the same canonical URL, the same GUID, or the same content hash (normalised text
of a real article) map to the row already stored, however many feeds deliver it. Near-duplicates (wire copies with
edits) are the understanding stage's business and stay separate rows linked by ``duplicate_of``. The lookup that
applies these rules to what a pass delivers is :mod:`newsdesk.store.article_batches`.

Every row is written through :func:`complete_row`, which holds the store's end of the input rules: its URLs must
pass :func:`newsdesk.text.urls.checked_url` (a ``javascript:`` link raises :class:`UrlError`, whatever path it
came by) and its text is cleaned by :func:`newsdesk.text.display.clean_text`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from newsdesk.store.db import inserted_id
from newsdesk.store.tables_core import article_aliases, article_feeds, articles, sources
from newsdesk.text.display import clean_all, clean_text
from newsdesk.text.urls import checked_url

_WORDS = re.compile(r"\w+", re.UNICODE)
MIN_WORDS_FOR_HASH = 40  # shorter texts (teasers, headlines only) collide too easily to identify an article
URL_COLUMNS = ("url", "canonical_url", "image_url", "source_url")
TEXT_COLUMNS = ("title", "summary", "text", "html", "byline", "outlet", "language", "region")
EARLIEST_PUBLISHED = datetime(1900, 1, 1, tzinfo=UTC)  # earlier: a placeholder date, not a publishing time
FUTURE_SLACK = timedelta(days=1)  # clocks and time zones differ; a day past now is a wrong date


def content_hash(text: str) -> str | None:
    """SHA-256 of the lower-cased word sequence, or None for texts too short to identify an article."""
    words = _WORDS.findall((text or "").lower())
    if len(words) < MIN_WORDS_FOR_HASH:
        return None
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def word_count(text: str) -> int:
    """Words in a text, as stored in ``articles.word_count``."""
    return len(_WORDS.findall(text or ""))


def insert_article(conn: sa.Connection, values: dict[str, Any]) -> int:
    """Insert one article; fills fetched_at, word_count and content_hash when missing."""
    return inserted_id(conn.execute(articles.insert().values(**complete_row(values))))


def complete_row(values: dict[str, Any]) -> dict[str, Any]:
    """An article row checked (URLs, text) and with what the store derives filled in: fetched_at, word_count,
    content_hash, topics. Raises :class:`newsdesk.text.urls.UrlError` for a URL that is not http(s)."""
    row = checked_row(values)
    text = row.get("text") or ""
    row.setdefault("fetched_at", datetime.now(UTC))
    row.setdefault("word_count", word_count(text))
    if "content_hash" not in row:
        row["content_hash"] = content_hash(text)
    row.setdefault("topics", [])
    return row


def checked_row(values: dict[str, Any]) -> dict[str, Any]:
    """A copy of an article row whose URLs pass the URL rule (canonical; an empty one becomes None), whose text
    columns and topics are cleaned of control characters and bidi overrides, and whose publishing time is
    plausible."""
    row = dict(values)
    for column in URL_COLUMNS:
        if column in row:
            row[column] = checked_url(row[column]) if row[column] else None
    for column in TEXT_COLUMNS:
        if isinstance(row.get(column), str):
            row[column] = clean_text(row[column])
    if row.get("topics"):
        row["topics"] = clean_all(row["topics"])
    published = row.get("published_at")
    if isinstance(published, datetime) and published.tzinfo is not None:  # a naive time is the column's to refuse
        row["published_at"] = plausible_published(published, datetime.now(UTC))
    return row


def plausible_published(moment: datetime, now: datetime) -> datetime | None:
    """A publishing time as stored: a time in the future (a feed's "9999-12-31") is taken as now, one before 1900
    as unknown, so no page does date arithmetic past what a datetime holds."""
    if moment > now + FUTURE_SLACK:
        return now
    return moment if moment >= EARLIEST_PUBLISHED else None


def link_feed(conn: sa.Connection, article_id: int, source_id: int, guid: str | None) -> bool:
    """Record that a feed delivered an article; False when that link was already there."""
    known = conn.execute(sa.select(article_feeds.c.article_id).where(
        article_feeds.c.article_id == article_id, article_feeds.c.source_id == source_id)).first()
    if known:
        return False
    conn.execute(article_feeds.insert().values(article_id=article_id, source_id=source_id, guid=guid,
                                               seen_at=datetime.now(UTC)))
    return True


def link_new_article(conn: sa.Connection, article_id: int, source_id: int, guid: str | None) -> None:
    """The first feed link of an article just inserted (no need to look for an existing one)."""
    conn.execute(article_feeds.insert().values(article_id=article_id, source_id=source_id, guid=guid,
                                               seen_at=datetime.now(UTC)))


def link_feeds(conn: sa.Connection, article_ids: Sequence[int], source_id: int) -> int:
    """Link known articles to a feed that delivered them too (one query for those already linked)."""
    if not article_ids:
        return 0
    linked = set(conn.execute(sa.select(article_feeds.c.article_id).where(
        article_feeds.c.source_id == source_id, article_feeds.c.article_id.in_(list(article_ids)))).scalars())
    new = [{"article_id": a, "source_id": source_id, "seen_at": datetime.now(UTC)} for a in article_ids
           if a not in linked]
    if new:
        conn.execute(article_feeds.insert(), new)
    return len(new)


def known_urls_and_guids(conn: sa.Connection, urls: Sequence[str], guids: Sequence[str]) -> dict[str, int]:
    """Map each of the given URLs/GUIDs that is already stored to its article id (one query per 500 keys)."""
    found: dict[str, int] = {}
    unique_urls, unique_guids = list(dict.fromkeys(urls)), list(dict.fromkeys(guids))
    for column, keys in ((articles.c.url, unique_urls), (articles.c.canonical_url, unique_urls),
                         (articles.c.guid, unique_guids)):
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            for key, article_id in conn.execute(sa.select(column, articles.c.id).where(column.in_(chunk))):
                found.setdefault(key, article_id)
    return found


def ids_in_time_order(conn: sa.Connection, ids: Sequence[int], unfinished_only: bool = False) -> list[int]:
    """The given article ids sorted by publication time (undated ones after, by id): the order stories grow in;
    with ``unfinished_only``, only those still at status 'stored'."""
    rows: list[tuple[int, datetime | None]] = []
    for start in range(0, len(ids), 500):
        query = sa.select(articles.c.id, articles.c.published_at).where(articles.c.id.in_(list(ids[start:start + 500])))
        if unfinished_only:
            query = query.where(articles.c.status == "stored")
        rows += conn.execute(query).all()
    return [i for i, _ in sorted(rows, key=lambda r: (r[1] is None, r[1] or datetime.min.replace(tzinfo=UTC), r[0]))]


def story_ids_of(conn: sa.Connection, ids: list[int]) -> list[int | None]:
    """The story of each of these articles (None while not understood), in no particular order."""
    out: list[int | None] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        out += conn.execute(sa.select(articles.c.story_id).where(articles.c.id.in_(chunk))).scalars().all()
    return out


def unfinished_ids(conn: sa.Connection, stored_before: datetime) -> list[int]:
    """Articles still at status 'stored' (not yet understood) that were stored before ``stored_before``, by id."""
    query = (sa.select(articles.c.id).where(articles.c.status == "stored", articles.c.fetched_at < stored_before)
             .order_by(articles.c.id))
    return list(conn.execute(query).scalars())


def export_rows(conn: sa.Connection) -> Iterator[dict[str, Any]]:
    """Every article as a JSON-ready dict (the ``export articles`` contract), in id order, streamed; then a line per
    alias (an id an import gave an article already stored), the article's own with ``duplicate_of`` its id."""
    query = (sa.select(articles, sources.c.feed_url, sources.c.site_url)
             .select_from(articles.outerjoin(sources, articles.c.source_id == sources.c.id))
             .order_by(articles.c.id))
    for r in conn.execution_options(yield_per=500).execute(query):
        yield _exported(r, r.external_id or str(r.id), r.duplicate_of)
    aliased = (sa.select(articles, sources.c.feed_url, sources.c.site_url, article_aliases.c.external_id.label("alias"))
               .select_from(articles.join(article_aliases, article_aliases.c.article_id == articles.c.id)
                            .outerjoin(sources, articles.c.source_id == sources.c.id))
               .order_by(articles.c.id, article_aliases.c.external_id))
    for r in conn.execution_options(yield_per=500).execute(aliased):
        yield _exported(r, r.alias, r.id)


def _exported(r: sa.Row, export_id: str, duplicate_of: int | None) -> dict[str, Any]:
    return {
        "id": export_id, "url": r.url, "title": r.title, "text": r.text,
        "language": r.language, "published": r.published_at.isoformat() if r.published_at else None,
        "source": r.source_url or r.feed_url or r.site_url, "outlet": r.outlet, "byline": r.byline,
        "image": r.image_url, "summary": r.summary, "story": r.story_id,
        "duplicate_of": duplicate_of, "topics": list(r.topics or []),
    }


def story_export_rows(conn: sa.Connection) -> Iterator[dict[str, Any]]:
    """One line per article: its external id, its story id and the external id of the article it duplicates; then
    one per alias, a duplicate of its article."""
    original = articles.alias("original")
    query = (sa.select(articles.c.id, articles.c.external_id, articles.c.story_id, original.c.id.label("orig_id"),
                       original.c.external_id.label("orig_external_id"))
             .select_from(articles.outerjoin(original, articles.c.duplicate_of == original.c.id))
             .order_by(articles.c.id))
    for r in conn.execution_options(yield_per=1000).execute(query):
        dup = (r.orig_external_id or str(r.orig_id)) if r.orig_id is not None else None
        yield {"id": r.external_id or str(r.id), "story": r.story_id, "duplicate_of": dup}
    aliased = (sa.select(article_aliases.c.external_id.label("alias"), articles.c.id, articles.c.external_id,
                         articles.c.story_id)
               .select_from(article_aliases.join(articles, article_aliases.c.article_id == articles.c.id))
               .order_by(articles.c.id, article_aliases.c.external_id))
    for a in conn.execution_options(yield_per=1000).execute(aliased):
        yield {"id": a.alias, "story": a.story_id, "duplicate_of": a.external_id or str(a.id)}

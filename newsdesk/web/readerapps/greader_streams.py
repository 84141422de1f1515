"""Google Reader API streams and items: what ``feed/12``, ``user/-/label/science`` or
``user/-/state/com.google/read`` select, paging with continuations, and items in the protocol's JSON shape.

Item ids: the long form ``tag:google.com,2005:reader/item/<16 hex digits>`` in contents, the decimal form in id
lists; both are read. Continuations are the last id of a page (ids grow with time), so a page is one indexed query
however deep the reader scrolls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from newsdesk.store import reader_apps, reading, story_folding
from newsdesk.store.db import Connection
from newsdesk.store.reader_apps import Condition
from newsdesk.web.http.params import BIGINT_MAX, int_param
from newsdesk.web.readerapps.fever import also_covered_by, body_html

READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
KEPT_UNREAD = "user/-/state/com.google/kept-unread"
LABEL = "user/-/label/"
STORIES = "user/-/label/Stories"  # one item per story: its representative article, other outlets listed
LONG_ID = "tag:google.com,2005:reader/item/"
_USER = re.compile(r"^user/[^/]*/")


def normalise(stream: str) -> str:
    """``user/1234/label/x`` and ``user/-/label/x`` are the same stream."""
    return _USER.sub("user/-/", stream.strip())


def item_id(text: str) -> int | None:
    """An article id from either item id form (None when it is neither, or out of range)."""
    text = text.strip()
    if text.startswith(LONG_ID):
        hex_digits = text.removeprefix(LONG_ID)
        if not (0 < len(hex_digits) <= 16 and all(c in "0123456789abcdefABCDEF" for c in hex_digits)):
            return None
        value = int(hex_digits, 16)
        return value if value <= BIGINT_MAX else None
    return int_param(text)


def long_id(article_id: int) -> str:
    return f"{LONG_ID}{article_id:016x}"


def selects(stream: str, user_id: int, window: timedelta) -> Condition:
    """The articles a stream holds for this person (``false`` for a stream newsdesk does not have)."""
    stream = normalise(stream)
    if stream == READING_LIST:
        return reader_apps.everything()
    if stream == STARRED:
        return reading.is_saved(user_id)
    if stream == READ:
        return reading.is_read(user_id)
    if stream == KEPT_UNREAD:
        return reading.is_unread(user_id, window)
    if stream.startswith("feed/"):
        feed_id = int_param(stream.removeprefix("feed/"))
        return reader_apps.from_feed(feed_id) if feed_id is not None else reader_apps.nothing()
    if stream == STORIES:
        return story_folding.is_story_item()
    if stream.startswith(LABEL):
        return reading.in_topic(stream.removeprefix(LABEL))
    return reader_apps.nothing()


def excludes(stream: str, user_id: int, window: timedelta) -> Condition:
    """The condition that leaves a stream's articles out (``xt``); leaving out read ones keeps the unread window."""
    if normalise(stream) == READ:
        return reading.is_unread(user_id, window)
    return reader_apps.all_but(selects(stream, user_id, window))


@dataclass
class Page:
    """What a stream request asks for: stream, includes/excludes, count, order, continuation, time bounds."""

    stream: str
    include: list[str]
    exclude: list[str]
    count: int
    oldest_first: bool
    continuation: int | None
    oldest: datetime | None
    newest: datetime | None


def page_ids(conn: Connection, user_id: int, page: Page, window: timedelta) -> tuple[list[int], int | None]:
    """One page of article ids and the continuation for the next (None at the end)."""
    conditions = [selects(page.stream, user_id, window)]
    conditions += [selects(s, user_id, window) for s in page.include]
    conditions += [excludes(s, user_id, window) for s in page.exclude]
    if story_folding.folds_copies(conn, user_id):
        conditions.append(story_folding.is_original())  # wire copies folded into their original
    ids = reader_apps.page_ids(conn, conditions, oldest=page.oldest, newest=page.newest, after=page.continuation,
                               oldest_first=page.oldest_first, count=page.count + 1)
    return ids[:page.count], (ids[page.count - 1] if len(ids) > page.count else None)


def usec(value: datetime | None) -> int:
    """Microseconds since the epoch (0 for no time)."""
    if value is None:
        return 0
    return int((value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp() * 1_000_000)


def items(conn: Connection, user_id: int, article_ids: list[int], window: timedelta) -> list[dict[str, Any]]:
    """Articles as Google Reader items, in the order asked (older than ``window``: read, as in unread lists)."""
    rows = reader_apps.items(conn, article_ids)
    marks = reading.states(conn, user_id, list(rows))
    also = story_folding.other_outlets(conn, list(rows))
    old = usec(datetime.now(UTC) - window)
    out = []
    for article_id in article_ids:
        row = rows.get(article_id)
        if row is None:
            continue
        read, saved = marks.get(article_id, (False, False))
        categories = [READING_LIST, *(f"{LABEL}{t}" for t in row.topics or [])]
        categories += [READ] if read or usec(row.fetched_at) < old else []
        categories += [STARRED] if saved else []
        published = row.published_at or row.fetched_at
        out.append({
            "id": long_id(row.id), "title": row.title or "", "author": row.byline or row.outlet or "",
            "published": usec(published) // 1_000_000, "updated": usec(published) // 1_000_000,
            "crawlTimeMsec": str(usec(row.fetched_at) // 1000), "timestampUsec": str(usec(row.fetched_at)),
            "canonical": [{"href": row.url or ""}], "alternate": [{"href": row.url or "", "type": "text/html"}],
            "categories": categories,
            "summary": {"direction": "ltr", "content": body_html(row) + also_covered_by(also.get(row.id, []))},
            "origin": {"streamId": f"feed/{row.source_id}", "title": row.name or row.feed_url,
                       "htmlUrl": row.site_url or ""},
        })
    return out

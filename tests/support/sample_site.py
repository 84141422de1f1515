"""A sample store for the reader, built from the shared labelled dev sets (screenshots, benchmarks, tests).

Articles are real rows of ``../shared/data/clustering-dev`` (MEANTIME: the same events in en/es/it/nl with full text;
ITN: headlines in 33 languages, Arabic included; UCI: English headlines from real outlets with topics). Stories are
the sets' gold clusters, standing in for the understanding stage. Where the sets lack a field the sample fills it
plainly: the region is the language's main country, and times are re-based so the newest story is recent (each
story keeps its articles' real order). ``copies`` repeats the stories to reach a size (the 10,000-story benchmark).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from newsdesk.store.tables_core import articles, sources
from newsdesk.store.tables_understanding import stories

DATASETS = ("meantime-dev.jsonl", "itn-dev.jsonl", "uci-news-aggregator-first999.jsonl")
REGION_OF_LANGUAGE = {"en": "US", "es": "ES", "it": "IT", "nl": "NL", "fr": "FR", "ar": "EG", "de": "DE", "ru": "RU",
                      "zh": "CN", "pt": "BR", "pl": "PL", "uk": "UA", "id": "ID", "fi": "FI", "no": "NO", "sv": "SE",
                      "th": "TH", "ms": "MY", "ro": "RO", "ko": "KR", "ur": "PK", "he": "IL", "be": "BY", "ka": "GE"}
TOPIC_OF_CATEGORY = {"b": "business", "t": "technology", "e": "entertainment", "m": "health"}
_SLUG = re.compile(r"[^a-z0-9]+")


def read_rows(data_dir: Path) -> list[dict[str, Any]]:
    """Every row of the sample datasets, tagged with its dataset."""
    rows = []
    for name in DATASETS:
        for line in (data_dir / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append({**json.loads(line), "dataset": name.split("-")[0]})
    return rows


def outlet_of(row: dict[str, Any]) -> str:
    if row["dataset"] == "meantime":
        return f"Wikinews {row['language'].upper()}"
    return row.get("source") or "Unknown"


def _published(row: dict[str, Any]) -> datetime | None:
    text = row.get("published")
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def load_sample(engine: sa.Engine, data_dir: Path, *, copies: int = 1, now: datetime | None = None,
                story_gap: timedelta = timedelta(minutes=23)) -> int:
    """Insert sources, articles and stories; returns the number of stories. ``copies`` repeats the set."""
    now = now or datetime.now(UTC)
    clusters: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in read_rows(data_dir):
        clusters[row["cluster"]].append(row)
    ordered = sorted(clusters.values(), key=len, reverse=True)
    with engine.begin() as conn:
        source_ids = _insert_sources(conn, (r for rows in ordered for r in rows), now)
        count = 0
        for copy in range(copies):
            for rows in ordered:
                latest = now - story_gap * count - timedelta(minutes=7)
                _insert_story(conn, rows, copy, latest, source_ids)
                count += 1
    return count


def _insert_sources(conn: sa.Connection, rows: Iterable[dict[str, Any]], now: datetime) -> dict[str, int]:
    ids: dict[str, int] = {}
    for row in rows:
        outlet = outlet_of(row)
        if outlet in ids:
            continue
        host = urlsplit(row.get("url") or "").netloc or _SLUG.sub("-", outlet.lower()).strip("-") + ".example"
        ids[outlet] = conn.execute(sources.insert().values(
            feed_url=f"https://{host}/feed/{len(ids)}", site_url=f"https://{host}/", name=outlet,
            language=row["language"], region=REGION_OF_LANGUAGE.get(row["language"]), topics=[], added_at=now,
            last_checked_at=now - timedelta(minutes=9), last_success_at=now - timedelta(minutes=9), status="active",
        )).inserted_primary_key[0]
    return ids


def _insert_story(conn: sa.Connection, rows: list[dict[str, Any]], copy: int, latest: datetime,
                  source_ids: dict[str, int]) -> None:
    rows = sorted(rows, key=lambda r: (_published(r) or datetime.min.replace(tzinfo=UTC), r["id"]))
    empty = stories.insert().values(title="", languages=[], regions=[], topics=[])
    story_id = conn.execute(empty).inserted_primary_key[0]
    times = _story_times(rows, latest)
    first_of_title: dict[str, int] = {}
    inserted = []
    for index, row in enumerate(rows):
        published = times[index]
        values = _article_values(row, copy, published, story_id, source_ids)
        values["duplicate_of"] = first_of_title.get(row["title"].strip().lower())
        article_id = conn.execute(articles.insert().values(**values)).inserted_primary_key[0]
        first_of_title.setdefault(row["title"].strip().lower(), article_id)
        inserted.append({**values, "id": article_id})
    lead = next((a for a in inserted if a["text"]), inserted[0])
    conn.execute(stories.update().where(stories.c.id == story_id).values(
        title=lead["title"], representative_article_id=lead["id"], first_seen_at=inserted[0]["published_at"],
        last_seen_at=inserted[-1]["published_at"], article_count=len(inserted),
        outlet_count=len({a["outlet"] for a in inserted}), languages=sorted({a["language"] for a in inserted}),
        regions=sorted({a["region"] for a in inserted if a["region"]}),
        topics=sorted({t for a in inserted for t in a["topics"]}), trend_score=float(len(inserted)),
        updated_at=latest))


def _story_times(rows: list[dict[str, Any]], latest: datetime, window: timedelta = timedelta(hours=30),
                 step: timedelta = timedelta(minutes=11)) -> list[datetime]:
    """Re-based times ending at ``latest``: real gaps squeezed into ``window``; undated rows ``step`` apart."""
    real = [_published(r) for r in rows]
    dated = [t for t in real if t]
    if len(dated) < 2 or len(dated) < len(rows) // 2:
        return [latest - step * (len(rows) - 1 - i) for i in range(len(rows))]
    first, last = min(dated), max(dated)
    scale = min(1.0, window / max(last - first, timedelta(seconds=1)))
    fallback = last
    out = []
    for moment in real:
        fallback = moment or fallback
        out.append(latest - (last - fallback) * scale)
    return out


def _article_values(row: dict[str, Any], copy: int, published: datetime, story_id: int,
                    source_ids: dict[str, int]) -> dict[str, Any]:
    outlet = outlet_of(row)
    suffix = f"-{copy}" if copy else ""
    url = row.get("url") or f"https://{_SLUG.sub('-', outlet.lower()).strip('-')}.example/{row['id']}"
    topic = TOPIC_OF_CATEGORY.get(row.get("category") or "")
    return {
        "external_id": row["id"] + suffix, "url": url + suffix, "source_id": source_ids[outlet], "outlet": outlet,
        "region": REGION_OF_LANGUAGE.get(row["language"]), "title": row["title"], "text": row.get("text") or "",
        "summary": None, "language": row["language"], "published_at": published, "fetched_at": published,
        "word_count": len((row.get("text") or "").split()), "status": "understood", "story_id": story_id,
        "topics": [topic] if topic else [],
    }

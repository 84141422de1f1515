#!/usr/bin/env python3
"""The "since you last read" delta over the dev sets' stories, split in time order (newsdesk/follow, docs/follow.md).

Each multi-article gold event of MEANTIME and ECB+ dev becomes a story; its articles, in time order (published, then
file order), arrive one per minute; the reader last read the story after the first half. The delta of the second
half is then checked independently of how it was made:

- grounded: every delta sentence occurs verbatim in the article it cites first (target 100%);
- repeats, lexical: the sentence has >= ``follow_repeat_share`` of its word trigrams in the earlier articles' full
  texts (target 0);
- repeats, by support: a sentence of the earlier articles' *full* texts (every sentence embedded here, where the
  delta embeds only the first ``ai_sentences_per_article``) supports it by the summary's rule: cosine >= the
  corroboration threshold with the same figures, direction and negation (target 0).

usage: python bench/follow_delta.py [--db /tmp/follow-delta.sqlite3] [--stories 60]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from newsdesk.ai.embedding import embed
from newsdesk.ai.sentences import split_sentences
from newsdesk.ai.support import SupportJudge, conflict
from newsdesk.config import load_settings
from newsdesk.follow.delta import story_delta
from newsdesk.follow.novelty import quoted_in, share_in, trigrams
from newsdesk.store.db import open_store
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import stories

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "clustering-dev"
START = datetime(2026, 1, 1, tzinfo=UTC)


def events(name: str) -> list[list[dict]]:
    """Gold events with at least four articles that have text, each in time order."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for index, line in enumerate((DATA / f"{name}-dev.jsonl").read_text(encoding="utf-8").splitlines()):
        if line.strip():
            row = json.loads(line)
            if row["text"].strip():
                groups[row["cluster"]].append({**row, "order": index})
    return [sorted(rows, key=lambda r: (r.get("published") or "", r["order"]))
            for rows in groups.values() if len(rows) >= 4]


def add_story(engine: sa.Engine, rows: list[dict]) -> tuple[int, datetime]:
    """Insert the story, one article a minute; returns its id and the reader's last read (after the first half)."""
    half = len(rows) // 2
    with engine.begin() as conn:
        story_id = conn.execute(sa.insert(stories).values(title=rows[0]["title"], languages=[], regions=[],
                                                          topics=[])).inserted_primary_key[0]
        for n, row in enumerate(rows):
            at = START + timedelta(minutes=n)
            conn.execute(sa.insert(articles).values(
                external_id=f"{row['id']}-{story_id}", title=row["title"], text=row["text"],
                language=row["language"], outlet=row.get("source") or f"outlet-{row['id'][-6:]}",
                fetched_at=at, published_at=at, story_id=story_id, topics=[]))
    return story_id, START + timedelta(minutes=half - 1, seconds=30)


def repeats(sentence: str, language: str, earlier: list[dict], judge: SupportJudge, share: float) -> tuple[bool, bool]:
    """(lexical repeat, supported by a sentence of the earlier full texts)."""
    lexical = share_in(trigrams(sentence), trigrams(" ".join(r["text"] for r in earlier))) >= share
    texts = [(s.text, r["language"]) for r in earlier for s in split_sentences(r["text"], r["language"])]
    similarity = embed([t for t, _ in texts]) @ embed([sentence])[0]
    claim = judge.cues(sentence, language)
    supported = any(
        not conflict(claim, judge.cues(texts[i][0], texts[i][1]), texts[i][1] == language)
        for i in np.flatnonzero(similarity >= judge.support_threshold))
    return lexical, supported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/follow-delta.sqlite3")
    parser.add_argument("--stories", type=int, default=60, help="most stories per dev set")
    args = parser.parse_args()
    Path(args.db).unlink(missing_ok=True)
    engine = open_store(f"sqlite:///{args.db}")
    settings = load_settings(env={"NEWSDESK_DATA_DIR": "/tmp/follow-delta-data"}, config_file="/nonexistent.toml")
    judge = SupportJudge(settings.ai_corroboration_threshold, settings.ai_corroboration_threshold)
    for name in ("meantime", "ecbplus"):
        counts = defaultdict(int)
        for rows in events(name)[:args.stories]:
            story_id, since = add_story(engine, rows)
            delta = story_delta(engine, settings, story_id, since)
            earlier = rows[:len(rows) // 2]
            texts = {a: r["text"] for a, r in zip(_ids(engine, story_id), rows, strict=True)}
            counts["stories"] += 1
            for sentence in delta["sentences"]:
                cited = sentence["citations"][0]
                language = next(r["language"] for a, r in zip(texts, rows, strict=True) if a == cited)
                lexical, supported = repeats(sentence["text"], language, earlier, judge,
                                             settings.follow_repeat_share)
                counts["sentences"] += 1
                counts["grounded"] += quoted_in(sentence["text"], texts[cited])
                counts["repeat_lexical"] += lexical
                counts["repeat_supported"] += supported
        n = max(counts["sentences"], 1)
        share = {key: f"{100 * counts[key] / n:.1f}%" for key in ("grounded", "repeat_lexical", "repeat_supported")}
        print(f"{name}: {counts['stories']} stories, {counts['sentences']} delta sentences; "
              f"grounded {share['grounded']}; repeating earlier coverage: "
              f"lexical {share['repeat_lexical']}, by support {share['repeat_supported']}")


def _ids(engine: sa.Engine, story_id: int) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(articles.c.id).where(articles.c.story_id == story_id)
                                 .order_by(articles.c.id)).scalars())


if __name__ == "__main__":
    main()

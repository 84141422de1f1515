#!/usr/bin/env python3
"""How many summary citations support their sentence, on the dev sets (newsdesk/ai, docs/ai.md).

Stories: every multi-article gold event of MEANTIME and ECB+ dev ("gold"), and stories that hold *two* events of one
kind ("paired": the two events of each ECB+ topic; each MEANTIME event with the closest event of its topic set),
the case of a clusterer that mixes same-kind events. Each story gets its extractive summary; every citation after the
first (the quoted article) is judged:

- MEANTIME (translations of English Wikinews): a citation of article B supports an English sentence when the English
  original of B's event holds the sentence (word-set Jaccard >= 0.5 with one of its sentences; the four articles of
  an event are translations of one text). Ground truth independent of the summariser's own checks.
- ECB+ (independent English outlets): no such truth. The share of citations into the sentence's own gold event is
  reported, and ``--audit FILE`` writes every judged citation (sentence, the cited article's three closest sentences)
  for a reading by hand.

usage: python bench/citations.py [--db /tmp/citations.sqlite3] [--audit audit.jsonl]
The --db file keeps sentence vectors between runs (the first run embeds every sentence, several minutes).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from newsdesk.ai.embedding import embed
from newsdesk.ai.sentence_store import article_sentences
from newsdesk.ai.sentences import split_sentences
from newsdesk.ai.summaries import extractive_summary
from newsdesk.config import load_settings
from newsdesk.store.db import open_store
from newsdesk.store.story_articles import story_articles
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import stories

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "clustering-dev"
PAIR_CAP = 8  # articles per event in a paired story (ECB+ events run to 22)
JACCARD = 0.5
AUDIT_SENTENCES = 3  # the cited article's closest sentences written to the audit file
_WORDS = re.compile(r"\w+", re.UNICODE)


def load_rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DEV / f"{name}-dev.jsonl").read_text(encoding="utf-8").splitlines() if line]


def events(name: str) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in load_rows(name):
        if row["text"].strip():
            groups[row["cluster"]].append(row)
    return {k: v for k, v in groups.items() if len(v) >= 2}


def pairs(name: str, groups: dict[str, list[dict]]) -> list[tuple[str, str]]:
    """Two events of one kind: the two halves of each ECB+ topic; each MEANTIME event with the event of its topic set
    whose English article is closest (USE cosine of title and lead), each pair once."""
    if name == "ecbplus":
        topics: dict[str, list[str]] = defaultdict(list)
        for key in sorted(groups):
            topics[key.split("_")[0]].append(key)
        return [(a, b) for a, b in (tuple(v) for v in topics.values() if len(v) == 2)]
    keys = sorted(groups)
    english = [next(r for r in groups[k] if r["language"] == "en") for k in keys]
    vectors = embed([f"{r['title']}\n{r['text'][:600]}" for r in english])
    similarity = vectors @ vectors.T
    found = set()
    for i, key in enumerate(keys):
        same_set = [j for j, other in enumerate(keys) if j != i and other.split("-")[1] == key.split("-")[1]]
        nearest = max(same_set, key=lambda j: similarity[i, j])
        found.add(tuple(sorted((key, keys[nearest]))))
    return sorted(found)


def insert_story(conn: sa.Connection, key: str, rows: list[dict]) -> int:
    story_id = conn.execute(sa.insert(stories).values(title=key, languages=[], regions=[], topics=[])
                            ).inserted_primary_key[0]
    now = datetime.now(UTC)
    conn.execute(sa.insert(articles), [
        {"external_id": f"{key}/{r['id']}", "title": r["title"], "text": r["text"], "language": r["language"],
         "outlet": r.get("source") or r["id"], "fetched_at": now, "story_id": story_id, "topics": [],
         "content_hash": r["id"]} for r in rows])
    return story_id


def build(db: Path) -> tuple[sa.Engine, list[tuple[str, str, int]]]:
    """(engine, [(set, kind, story id)]) with gold and paired stories of both sets; reused when the file exists."""
    fresh = not db.exists()
    engine = open_store(f"sqlite:///{db}")
    if fresh:
        with engine.begin() as conn:
            for name in ("meantime", "ecbplus"):
                groups = events(name)
                for key, rows in groups.items():
                    insert_story(conn, f"{name}:gold:{key}", rows)
                for a, b in pairs(name, groups):
                    insert_story(conn, f"{name}:paired:{a}+{b}", groups[a][:PAIR_CAP] + groups[b][:PAIR_CAP])
    with engine.connect() as conn:
        titles = conn.execute(sa.select(stories.c.id, stories.c.title).order_by(stories.c.id)).all()
    return engine, [(title.split(":")[0], title.split(":")[1], story_id) for story_id, title in titles]


def words(text: str) -> set[str]:
    return {w.lower() for w in _WORDS.findall(text)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


class Truth:
    """Which article belongs to which gold event; for MEANTIME the English sentences of each event."""

    def __init__(self) -> None:
        self.event: dict[str, str] = {}
        self.english: dict[str, list[set[str]]] = {}
        for name in ("meantime", "ecbplus"):
            for row in load_rows(name):
                self.event[row["id"]] = row["cluster"]
                if name == "meantime" and row["language"] == "en":
                    self.english[row["cluster"]] = [words(s.text) for s in split_sentences(row["text"], "en")]

    def meantime_supports(self, claim: str, cited_event: str) -> bool:
        claim_words = words(claim)
        return any(jaccard(claim_words, sentence) >= JACCARD for sentence in self.english.get(cited_event, []))


def judge_story(engine: sa.Engine, settings, name: str, story_id: int, truth: Truth) -> list[dict]:
    """Every citation after the first of the story's summary sentences and key points, judged."""
    members = story_articles(engine, story_id)
    by_id = {a.id: a for a in members}
    source_of = {a.id: a.content_hash for a in members}
    payload = extractive_summary(engine, settings, members)
    split = article_sentences(engine, members, settings.ai_sentences_per_article)
    items = [(s["text"], s["citations"]) for s in payload["sentences"]]
    items += list(zip(payload["key_points"], payload["key_point_citations"], strict=True))
    out = []
    for text, citations in items:
        own_event = truth.event[source_of[citations[0]]]
        claim_vector = _vector_of(split[citations[0]], text)
        for cited in citations[1:]:
            cited_event = truth.event[source_of[cited]]
            similarity = split[cited].vectors @ claim_vector
            closest = [split[cited].sentences[int(i)].text for i in np.argsort(-similarity)[:AUDIT_SENTENCES]]
            row = {"set": name, "story": story_id, "claim": text, "cited": cited, "cited_language":
                   by_id[cited].language, "closest": closest, "same_event": own_event == cited_event}
            if name == "meantime" and by_id[citations[0]].language == "en":
                row["supports"] = own_event == cited_event or truth.meantime_supports(text, cited_event)
            out.append(row)
    return out


def _vector_of(item, text: str) -> np.ndarray:
    for sentence, vector in zip(item.sentences, item.vectors, strict=True):
        if sentence.text == text:
            return vector
    raise ValueError(f"sentence not found in its own article: {text[:60]}")


def report(rows: list[dict]) -> list[str]:
    lines = ["| set | stories | citations judged | into the sentence's own event | supporting (MEANTIME truth) |",
             "|---|---|---:|---:|---:|"]
    for name in ("meantime", "ecbplus"):
        for kind in ("gold", "paired"):
            among = [r for r in rows if r["set"] == name and r["kind"] == kind]
            judged = [r for r in among if "supports" in r]
            same = sum(r["same_event"] for r in among)
            supported = f"{sum(r['supports'] for r in judged)}/{len(judged)}" if judged else "n/a"
            lines.append(f"| {name} | {kind} | {len(among)} | {same}/{len(among)} | {supported} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/citations.sqlite3")
    parser.add_argument("--audit", help="write every judged citation as JSON Lines here")
    args = parser.parse_args()
    settings = load_settings(env={}, config_file=Path("/nonexistent/newsdesk.toml"))
    engine, story_list = build(Path(args.db))
    truth = Truth()
    rows = []
    for name, kind, story_id in story_list:
        for row in judge_story(engine, settings, name, story_id, truth):
            rows.append({**row, "kind": kind})
    print("\n".join(report(rows)))
    if args.audit:
        Path(args.audit).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


if __name__ == "__main__":
    main()

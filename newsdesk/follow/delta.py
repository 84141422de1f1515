"""What a follower reads: the grounded "since you last read" delta of a story, and its dated timeline.

Both quote sentences verbatim from the articles they cite, under the summary's grounding rule (every sentence occurs
in the article it cites; checked again here before anything is shown), and both leave out what earlier coverage
already said (``newsdesk.follow.novelty``). Wire copies (articles marked duplicates of another) add nothing: they
are counted, never quoted. The timeline is cached with the summaries (``ai_summaries``, engine ``timeline``) and
recomputed when the story's articles change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from newsdesk.ai.citations import source_list
from newsdesk.ai.sentence_store import ArticleSentences, article_sentences
from newsdesk.ai.summaries import cached_summary, store_summary
from newsdesk.ai.support import SupportJudge
from newsdesk.config import Settings
from newsdesk.follow.novelty import Coverage, NewFact, NoveltyParams, facts_by_article, new_facts, quoted_in
from newsdesk.store import follow as follow_store
from newsdesk.store.db import Engine
from newsdesk.store.story_articles import StoryArticle, articles_by_id, story_articles, story_fingerprint

TIMELINE_VERSION = "timeline-1"  # bump when the selection changes: every cached timeline is then redone


def story_delta(engine: Engine, settings: Settings, story_id: int, since: datetime) -> dict[str, Any]:
    """The new facts of the articles that arrived after ``since``, as quoted sentences citing their articles."""
    with engine.connect() as conn:
        arrived = follow_store.arrivals(conn, story_id)
    new = [a for a in arrived if a.fetched_at > since]
    earlier_ids = [a.id for a in arrived if a.fetched_at <= since and a.duplicate_of is None]
    later_ids = [a.id for a in new if a.duplicate_of is None]
    members = {m.id: m for m in articles_by_id(engine, earlier_ids + later_ids)}
    earlier = [members[i] for i in earlier_ids if i in members]
    later = [members[i] for i in later_ids if i in members]
    split = article_sentences(engine, earlier + later, settings.ai_sentences_per_article)
    facts = facts_by_article(earlier, later, split, NoveltyParams.from_settings(settings))
    picked = [f for f in first_facts(facts, settings.follow_delta_sentences)
              if quoted_in(f.text, members[f.article_id].text)]
    judge = SupportJudge(settings.ai_corroboration_threshold, settings.ai_corroboration_threshold)
    cited_by_fact = [citations(f, later, split, judge) for f in picked]
    sentences = [{"text": f.text, "citations": cited} for f, cited in zip(picked, cited_by_fact, strict=True)]
    cited_ids = {a for ids in cited_by_fact for a in ids}
    return {"since": since.isoformat(), "new_articles": len(new),
            "wire_copies": sum(1 for a in new if a.duplicate_of is not None),
            "sentences": sentences, "sources": source_list(later, cited_ids)}


def first_facts(facts: dict[int, list[NewFact]], limit: int) -> list[NewFact]:
    """Up to ``limit`` facts: each article's first, in arrival order, then each article's second, and so on."""
    out: list[NewFact] = []
    rank = 0
    while len(out) < limit and any(len(found) > rank for found in facts.values()):
        out += [found[rank] for found in facts.values() if len(found) > rank][:limit - len(out)]
        rank += 1
    return out


def citations(fact: NewFact, later: Sequence[StoryArticle], split: dict[int, ArticleSentences],
              judge: SupportJudge) -> list[int]:
    """The fact's own article, then the other new articles with a sentence that supports it."""
    own = split[fact.article_id]
    vector = own.vectors[[s.text for s in own.sentences].index(fact.text)]
    claim = judge.cues(fact.text, fact.language)
    cited = [fact.article_id]
    for article in later:
        sentences = split[article.id]
        if article.id == fact.article_id or not sentences.sentences:
            continue
        verdict = judge.judge(claim, fact.language, [(s.text, article.language) for s in sentences.sentences],
                              sentences.vectors @ vector)
        if verdict.supports:
            cited.append(article.id)
    return cited


def story_timeline(engine: Engine, settings: Settings, story_id: int) -> list[dict[str, Any]]:
    """The story's dated developments, oldest first: the first report, then each article that reported a new fact
    (time, outlet, article, the fact quoted); the first report and the latest ``follow_timeline_entries - 1``."""
    members = story_articles(engine, story_id)
    if not members:
        return []
    fingerprint = story_fingerprint(members, f"{TIMELINE_VERSION}|{NoveltyParams.from_settings(settings)}")
    cached = cached_summary(engine, story_id, "timeline", fingerprint)
    if cached is None:
        cached = {"entries": timeline_entries(engine, settings, members),
                  "generated_at": datetime.now(UTC).isoformat()}
        store_summary(engine, story_id, "timeline", fingerprint, cached)
    entries = cached["entries"]
    keep = max(1, settings.follow_timeline_entries)
    return entries if len(entries) <= keep else entries[:1] + entries[len(entries) - keep + 1:]


def timeline_entries(engine: Engine, settings: Settings, members: Sequence[StoryArticle]) -> list[dict[str, Any]]:
    """Walk the articles in publication order and keep those that add a fact (see :func:`story_timeline`)."""
    split = article_sentences(engine, members, settings.ai_sentences_per_article)
    coverage = Coverage(NoveltyParams.from_settings(settings))
    entries: list[dict[str, Any]] = []
    for article in members:
        facts = [f for f in new_facts(coverage, article, split[article.id]) if quoted_in(f.text, article.text)]
        if facts or not entries:
            fact = facts[0].text if facts else ""
            entries.append({"kind": "new_fact" if entries else "first_report", "article_id": article.id,
                            "outlet": article.outlet, "title": article.title, "url": article.url,
                            "at": article.published_at.isoformat() if article.published_at else None,
                            "text": fact, "citations": [article.id] if fact else []})
        coverage.add(article, split[article.id])
    return entries


def lineage(engine: Engine, story_id: int) -> dict[str, Any] | None:
    """Who reported the story first, and which articles are wire copies of which (the duplicate links stored)."""
    with engine.connect() as conn:
        arrived = follow_store.arrivals(conn, story_id)
    if not arrived:
        return None
    by_id = {a.id: a for a in arrived}
    first = min(arrived, key=lambda a: (a.reported_at, a.id))
    groups: dict[int, list[Any]] = {}
    for article in arrived:
        if article.duplicate_of is not None:
            groups.setdefault(article.duplicate_of, []).append(article)
    copies = [{"original": _entry(by_id.get(original), original), "copies": [_entry(c, c.id) for c in found]}
              for original, found in sorted(groups.items(), key=lambda kv: -len(kv[1]))]
    return {"first": _entry(first, first.id), "wire": copies,
            "originals": sum(1 for a in arrived if a.duplicate_of is None)}


def _entry(article: follow_store.Arrival | None, article_id: int) -> dict[str, Any]:
    if article is None:  # the original is in another story
        return {"id": article_id, "outlet": None, "title": "", "at": None}
    return {"id": article.id, "outlet": article.outlet, "title": article.title, "at": article.reported_at.isoformat()}

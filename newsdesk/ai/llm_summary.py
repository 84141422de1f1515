"""The LLM engine: an abstractive summary, key points, perspectives and a timeline, all grounded in sources.

The prompt carries one numbered passage per article (title and lead sentences), up to ``ai_llm_passages``, one
outlet at a time so many outlets are heard. The reply is split into its sections; every summary sentence must pass
the grounding check or the whole reply is rejected and the extractive summary is served. Key points, perspectives
and timeline entries that fail the check are dropped one by one. Calls count against the hourly budget.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from newsdesk.ai import grounding
from newsdesk.ai.citations import coverage, outlets_differ, source_list
from newsdesk.ai.extractive import summary_language
from newsdesk.ai.llm_client import LLMUnavailable, Message, complete, stream
from newsdesk.ai.prompt_files import render_prompt
from newsdesk.ai.sentence_store import ArticleSentences, article_sentences
from newsdesk.ai.story_title import headline_fields
from newsdesk.config import Settings
from newsdesk.store.db import Engine
from newsdesk.store.llm_calls import reserve_call
from newsdesk.store.story_articles import StoryArticle

LEAD_SENTENCES = 3
SECTIONS = {"summary": "sentences", "key points": "key_points", "perspectives": "perspectives",
            "timeline": "timeline"}
HEADING = re.compile(r"^\W*(summary|key points|perspectives|timeline)\W*:?\W*$", re.IGNORECASE)


@dataclass(frozen=True)
class Outcome:
    """What the LLM engine produced: a grounded payload, or None with the reason (over budget, rejected, ...)."""

    payload: dict[str, Any] | None
    status: str  # ok | over_budget | unavailable | rejected
    reason: str = ""


def summary_passages(members: Sequence[StoryArticle], split: dict[int, ArticleSentences],
                     limit: int) -> list[grounding.Passage]:
    """One passage per article: its first sentences; articles taken one outlet at a time, oldest first."""
    order: list[StoryArticle] = []
    remaining = list(members)
    while remaining and len(order) < limit:
        seen: set[str] = set()
        for article in list(remaining):
            if article.outlet not in seen and len(order) < limit:
                seen.add(article.outlet)
                order.append(article)
                remaining.remove(article)
    passages = []
    for number, article in enumerate(order, start=1):
        item = split[article.id]
        lead = item.sentences[:LEAD_SENTENCES]
        text = " ".join(s.text for s in lead) or article.title
        vectors = item.vectors[:LEAD_SENTENCES] if lead else np.zeros((0, item.vectors.shape[1]), np.float32)
        passages.append(grounding.Passage(number, article.id, article.outlet, text, vectors,
                                          tuple(s.text for s in lead), article.language))
    return passages


def split_sections(reply: str) -> dict[str, str]:
    """The reply's text under each heading; a reply without headings is all summary."""
    sections: dict[str, list[str]] = {}
    current = "sentences"
    for line in reply.splitlines():
        heading = HEADING.match(line)
        if heading:
            current = SECTIONS[heading.group(1).lower()]
            continue
        sections.setdefault(current, []).append(line)
    return {name: "\n".join(lines) for name, lines in sections.items()}


def _story_language(members: Sequence[StoryArticle], settings: Settings) -> str:
    return summary_language([(a.language or "und").split("-")[0].lower() for a in members],
                            settings.ai_summary_languages)


@dataclass(frozen=True)
class Prepared:
    """A summary request ready to send: its passages, messages and the language asked for."""

    passages: list[grounding.Passage]
    messages: list[Message]
    language: str


def prepare(engine: Engine, settings: Settings, story_id: int,
            members: Sequence[StoryArticle]) -> Prepared | Outcome:
    """Build the prompt and reserve a call from the budget (an Outcome when the budget is spent)."""
    split = article_sentences(engine, members, settings.ai_sentences_per_article)
    passages = summary_passages(members, split, settings.ai_llm_passages)
    language = _story_language(members, settings)
    messages = render_prompt(settings, "summary", title=members[0].title, language=language,
                             passages=grounding.format_passages(passages))
    if not reserve_call(engine, settings, "summary", story_id):
        return Outcome(None, "over_budget", "the hourly LLM budget is spent")
    return Prepared(passages, messages, language)


def generate(engine: Engine, settings: Settings, story_id: int, members: Sequence[StoryArticle]) -> Outcome:
    """Ask the LLM for the story's summary (one whole reply) and check it."""
    prepared = prepare(engine, settings, story_id, members)
    if isinstance(prepared, Outcome):
        return prepared
    try:
        reply = complete(settings, prepared.messages)
    except LLMUnavailable as exc:
        return Outcome(None, "unavailable", str(exc))
    return grounded_payload(reply, prepared.passages, members, settings, prepared.language)


def generate_streaming(engine: Engine, settings: Settings, story_id: int,
                       members: Sequence[StoryArticle]) -> Iterator[str | Outcome]:
    """Like ``generate`` over a streamed reply: yields the text pieces as they come, then the Outcome."""
    prepared = prepare(engine, settings, story_id, members)
    if isinstance(prepared, Outcome):
        yield prepared
        return
    pieces: list[str] = []
    try:
        for piece in stream(settings, prepared.messages):
            pieces.append(piece)
            yield piece
    except LLMUnavailable as exc:
        yield Outcome(None, "unavailable", str(exc))
        return
    yield grounded_payload("".join(pieces), prepared.passages, members, settings, prepared.language)


def grounded_payload(reply: str, passages: Sequence[grounding.Passage], members: Sequence[StoryArticle],
                     settings: Settings, language: str) -> Outcome:
    """Check a reply section by section and build the payload, or reject it with the first failing reason."""
    sections = split_sections(reply)
    checked: dict[str, list[dict[str, Any]]] = {}
    differing: list[tuple[str, int, str, list[Any]]] = []
    article_of = {p.number: p.article_id for p in passages}
    for name in SECTIONS.values():
        claims = grounding.parse_claims(sections.get(name, ""), language)
        verdicts = grounding.check_claims(claims, passages, settings.ai_grounding_threshold, language) if claims else []
        failed = [v for v in verdicts if not v.grounded]
        if name == "sentences" and (failed or not verdicts):
            reason = failed[0].reason if failed else "the reply has no summary sentences"
            return Outcome(None, "rejected", reason)
        kept = [v for v in verdicts if v.grounded]
        checked[name] = [{"text": v.claim.text, "citations": grounding.supporting_articles(v, passages)} for v in kept]
        if name in ("sentences", "key_points"):
            kind = "sentence" if name == "sentences" else "key_point"
            differing += [(kind, n, v.claim.text, [(article_of[number], text, reasons)
                                                   for number, text, reasons in v.differing])
                          for n, v in enumerate(kept)]
    cited = {a for items in checked.values() for item in items for a in item["citations"]}
    payload = {
        "engine": "llm", "ai_generated": True, "label": "AI-generated", "model": settings.ai_llm_model,
        "sentences": checked["sentences"],
        "key_points": [item["text"] for item in checked["key_points"]],
        "key_point_citations": [item["citations"] for item in checked["key_points"]],
        "perspectives": checked["perspectives"], "timeline": checked["timeline"],
        "outlets_differ": outlets_differ(members, differing),
        "sources": source_list(members, cited), "coverage": coverage(members, cited),
        "grounding": {"threshold": settings.ai_grounding_threshold, "passages": len(passages)},
        "generated_at": datetime.now(UTC).isoformat(),
    }
    payload.update(headline_fields(members, payload))
    return Outcome(payload, "ok")

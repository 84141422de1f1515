"""Ask about this story: retrieval over the story's sentences, then an answer with citations.

The question is embedded with the same multilingual encoder as the sentences, so a question in one language finds
passages in others; a few articles of related stories (``ai_ask_related``) join the story's own. Each retrieved
passage is a sentence with the one after it (context), numbered. Without an LLM (or over budget, or when its answer
fails the grounding check) the answer is the best passages themselves, each citing its article; with one, the LLM
answers from the numbered passages and every sentence must be grounded.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sqlalchemy as sa

from newsdesk.ai import grounding
from newsdesk.ai.budget import reserve_call
from newsdesk.ai.embedding import embed
from newsdesk.ai.extractive import SentencePool
from newsdesk.ai.llm_client import LLMUnavailable, complete
from newsdesk.ai.prompt_files import render_prompt
from newsdesk.ai.sentence_store import article_sentences
from newsdesk.ai.story_articles import StoryArticle, articles_by_id, story_articles
from newsdesk.config import Settings

EXTRACTIVE_ANSWER_SENTENCES = 3  # passages quoted as the answer when no LLM answers
MAX_QUESTION_CHARS = 500


def retrieve(pool: SentencePool, question_vector: np.ndarray, limit: int) -> list[grounding.Passage]:
    """The ``limit`` sentences closest to the question, each joined with the next sentence of its article."""
    if not pool.texts:
        return []
    sims = pool.vectors @ question_vector
    order = sorted(range(len(pool.texts)), key=lambda i: (-float(sims[i]), i))
    passages: list[grounding.Passage] = []
    used: set[int] = set()
    for i in order:
        if len(passages) >= limit:
            break
        if i in used or len(pool.texts[i]) < 20:
            continue
        span = [i]
        nxt = i + 1
        if nxt < len(pool.texts) and pool.article_ids[nxt] == pool.article_ids[i] and nxt not in used:
            span.append(nxt)
        used.update(span)
        passages.append(grounding.Passage(len(passages) + 1, pool.article_ids[i], pool.outlets[i],
                                          " ".join(pool.texts[j] for j in span), pool.vectors[span]))
    return passages


def _passage_dicts(passages: list[grounding.Passage], urls: dict[int, str | None]) -> list[dict[str, Any]]:
    return [{"number": p.number, "article_id": p.article_id, "outlet": p.outlet, "url": urls.get(p.article_id),
             "text": p.text} for p in passages]


def _extractive_answer(passages: list[grounding.Passage]) -> list[dict[str, Any]]:
    """The best passages themselves (verbatim, up to whitespace), each citing its article."""
    out = []
    for p in passages[:EXTRACTIVE_ANSWER_SENTENCES]:
        out.append({"text": p.text, "citations": [p.article_id]})
    return out


def ask_story(engine: sa.Engine, settings: Settings, story_id: int, question: str) -> dict[str, Any]:
    """Answer ``question`` about the story: ``{"engine", "answer": [{"text", "citations"}], "passages": [...]}``."""
    question = " ".join(question.split())[:MAX_QUESTION_CHARS]
    members = story_articles(engine, story_id)
    if not members or not question:
        return {"engine": "extractive", "ai_generated": False, "answer": [], "passages": []}
    members += _related_articles(engine, members, settings.ai_ask_related)
    pool = SentencePool.build(members, article_sentences(engine, members, settings.ai_sentences_per_article))
    passages = retrieve(pool, embed([question])[0], settings.ai_ask_passages)
    urls = {a.id: a.url for a in members}
    result: dict[str, Any] = {"engine": "extractive", "ai_generated": False,
                              "answer": _extractive_answer(passages), "passages": _passage_dicts(passages, urls)}
    if not settings.ai_llm_url.strip() or not passages:
        return result
    llm_answer, status, reason = _llm_answer(engine, settings, story_id, question, passages)
    if llm_answer is None:
        return {**result, "llm_status": status, "llm_reason": reason}
    return {**result, "engine": "llm", "ai_generated": True, "label": "AI-generated", "answer": llm_answer}


def _related_articles(engine: sa.Engine, members: list[StoryArticle], limit: int) -> list[StoryArticle]:
    """Up to ``limit`` articles of other stories close to this one (the understanding stage's related articles)."""
    if limit <= 0:
        return []
    from newsdesk.understand.related import related_articles

    own = {a.id for a in members}
    found = [r["id"] for r in related_articles(engine, members[0].id, limit=limit + len(own)) if r["id"] not in own]
    return articles_by_id(engine, found[:limit])


def _llm_answer(engine: sa.Engine, settings: Settings, story_id: int, question: str,
                passages: list[grounding.Passage]) -> tuple[list[dict[str, Any]] | None, str, str]:
    """(answer, status, reason): the grounded LLM answer, or None with why it is not shown."""
    if not reserve_call(engine, settings, "ask", story_id):
        return None, "over_budget", "the hourly LLM budget is spent"
    messages = render_prompt(settings, "ask", question=question, passages=grounding.format_passages(passages))
    try:
        reply = complete(settings, messages)
    except LLMUnavailable as exc:
        return None, "unavailable", str(exc)
    claims = grounding.parse_claims(reply, None)
    verdicts = grounding.check_claims(claims, passages, settings.ai_grounding_threshold) if claims else []
    failed = [v for v in verdicts if not v.grounded]
    if failed or not verdicts:
        return None, "rejected", failed[0].reason if failed else "the reply is empty"
    return [{"text": v.claim.text, "citations": grounding.cited_articles(v.claim, passages)}
            for v in verdicts], "ok", ""

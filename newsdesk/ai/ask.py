"""Ask about this story: retrieval over the story's sentences, then an answer with citations.

The question is embedded with the same multilingual encoder as the sentences, so a question in one language finds
passages in others; a few articles of related stories (``ai_ask_related``) join the story's own. Each candidate
passage is a sentence with the one after it (context). Passages are ranked by relevance to the question
(``newsdesk.ai.question``: cosine, shared content words, and the kind of answer asked for: who -> a name, when -> a
date, how many -> a figure); those that answer come first, in the reader's or the question's language before
others, and a passage that repeats one already chosen (a translation, a wire copy) is skipped. Without an LLM (or
over budget, or when its answer fails the grounding check) the answer is the best answering passages themselves,
each citing its article; with one, the LLM answers from the numbered passages and every sentence must be grounded.
When no passage answers, the answer is empty and ``answered`` is false: "no passage answers this".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from newsdesk.ai import grounding
from newsdesk.ai.embedding import embed
from newsdesk.ai.extractive import SentencePool
from newsdesk.ai.llm_client import LLMUnavailable, complete
from newsdesk.ai.prompt_files import render_prompt
from newsdesk.ai.question import Question, TermWeights, has_kind, read_question
from newsdesk.ai.sentence_store import article_sentences
from newsdesk.config import Settings
from newsdesk.store.db import Engine
from newsdesk.store.llm_calls import reserve_call
from newsdesk.store.story_articles import StoryArticle, articles_by_id, story_articles
from newsdesk.text.language import detect_language

EXTRACTIVE_ANSWER_SENTENCES = 3  # passages quoted as the answer when no LLM answers
MAX_QUESTION_CHARS = 500
MIN_PASSAGE_CHARS = 20
NO_ANSWER = "no passage answers this"


@dataclass(frozen=True)
class AskParams:
    """The knobs of retrieval, read from settings (see newsdesk/ai/settings.py for why each has its value)."""

    passages: int
    min_cosine: float
    min_word_share: float
    word_weight: float
    kind_bonus: float
    duplicate: float

    @classmethod
    def from_settings(cls, settings: Settings) -> AskParams:
        return cls(settings.ai_ask_passages, settings.ai_ask_min_cosine, settings.ai_ask_min_word_share,
                   settings.ai_ask_word_weight, settings.ai_ask_kind_bonus, settings.ai_corroboration_threshold)


@dataclass(frozen=True)
class Candidate:
    """A passage under consideration: its sentence indexes, relevance score and whether it answers."""

    span: tuple[int, ...]
    score: float
    answers: bool


def candidates(pool: SentencePool, question: Question, question_vector: np.ndarray,
               params: AskParams) -> list[Candidate]:
    """Every sentence (with the next one of its article) scored for relevance to the question (to the story's
    centre for a general question, where every passage answers)."""
    sims = pool.vectors @ (pool.centroid() if question.general else question_vector)
    weights = TermWeights(pool.texts, question)
    out = []
    for i, text in enumerate(pool.texts):
        if len(text) < MIN_PASSAGE_CHARS:
            continue
        nxt = i + 1
        span = (i, nxt) if nxt < len(pool.texts) and pool.article_ids[nxt] == pool.article_ids[i] else (i,)
        words = weights.overlap(span)
        kind_ok = has_kind(" ".join(pool.texts[j] for j in span), question.kind)
        cosine = float(sims[i])
        score = cosine + params.word_weight * words + (params.kind_bonus if question.kind and kind_ok else 0.0)
        relevant = question.general or words >= params.min_word_share or cosine >= params.min_cosine
        out.append(Candidate(span, score, kind_ok and relevant))
    return out


def retrieve(pool: SentencePool, question: Question, question_vector: np.ndarray, params: AskParams,
             languages: tuple[str, ...] = ()) -> tuple[list[grounding.Passage], int]:
    """The ``params.passages`` best passages, numbered, and how many of them (the first ones) answer: answering
    passages first, in ``languages`` before others, then by score; repeats of a chosen passage skipped."""
    if not pool.texts:
        return [], 0
    order = sorted(candidates(pool, question, question_vector, params),
                   key=lambda c: (not c.answers, pool.languages[c.span[0]] not in languages, -c.score, c.span))
    passages: list[grounding.Passage] = []
    answering = 0
    used: set[int] = set()
    for candidate in order:
        if len(passages) >= params.passages:
            break
        head = candidate.span[0]
        vectors = pool.vectors[list(candidate.span)]
        if used & set(candidate.span) or any(float(np.max(vectors @ p.vectors.T)) >= params.duplicate
                                             for p in passages):
            continue
        used.update(candidate.span)
        answering += candidate.answers
        passages.append(grounding.Passage(
            len(passages) + 1, pool.article_ids[head], pool.outlets[head],
            " ".join(pool.texts[j] for j in candidate.span), vectors,
            tuple(pool.texts[j] for j in candidate.span), pool.languages[head]))
    return passages, answering


def _passage_dicts(passages: list[grounding.Passage], urls: dict[int, str | None],
                   answering: int) -> list[dict[str, Any]]:
    return [{"number": p.number, "article_id": p.article_id, "outlet": p.outlet, "url": urls.get(p.article_id),
             "text": p.text, "language": p.language, "answers": p.number <= answering} for p in passages]


def _extractive_answer(passages: list[grounding.Passage], answering: int) -> list[dict[str, Any]]:
    """The best answering passages themselves (verbatim, up to whitespace), each citing its article."""
    return [{"text": p.text, "citations": [p.article_id]}
            for p in passages[:min(answering, EXTRACTIVE_ANSWER_SENTENCES)]]


def ask_story(engine: Engine, settings: Settings, story_id: int, question: str,
              language: str | None = None) -> dict[str, Any]:
    """Answer ``question`` about the story (``language``: the reader's, preferred for passages with the question's):
    ``{"engine", "answered", "answer": [{"text", "citations"}], "passages": [...]}``, plus ``"no_answer"`` (the
    reason) when nothing in the coverage answers."""
    question = " ".join(question.split())[:MAX_QUESTION_CHARS]
    members = story_articles(engine, story_id)
    if not members or not question:
        return {"engine": "extractive", "ai_generated": False, "answered": False, "no_answer": NO_ANSWER,
                "answer": [], "passages": []}
    members += _related_articles(engine, members, settings.ai_ask_related)
    pool = SentencePool.build(members, article_sentences(engine, members, settings.ai_sentences_per_article))
    asked_in = detect_language(question)
    parsed = read_question(question, asked_in or language)
    preferred = tuple(dict.fromkeys(lang.split("-")[0].lower() for lang in (language, asked_in) if lang))
    passages, answering = retrieve(pool, parsed, embed([question])[0], AskParams.from_settings(settings), preferred)
    urls = {a.id: a.url for a in members}
    result: dict[str, Any] = {"engine": "extractive", "ai_generated": False, "answered": answering > 0,
                              "answer": _extractive_answer(passages, answering),
                              "passages": _passage_dicts(passages, urls, answering)}
    if not answering:
        return {**result, "no_answer": NO_ANSWER}
    if not settings.ai_llm_url.strip():
        return result
    llm_answer, status, reason = _llm_answer(engine, settings, story_id, question, passages[:answering])
    if llm_answer is None:
        return {**result, "llm_status": status, "llm_reason": reason}
    return {**result, "engine": "llm", "ai_generated": True, "label": "AI-generated", "answer": llm_answer}


def _related_articles(engine: Engine, members: list[StoryArticle], limit: int) -> list[StoryArticle]:
    """Up to ``limit`` articles of other stories close to this one (the understanding stage's related articles)."""
    if limit <= 0:
        return []
    from newsdesk.store.related import related_articles

    own = {a.id for a in members}
    found = [r["id"] for r in related_articles(engine, members[0].id, limit=limit + len(own)) if r["id"] not in own]
    return articles_by_id(engine, found[:limit])


def _llm_answer(engine: Engine, settings: Settings, story_id: int, question: str,
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
    return [{"text": v.claim.text, "citations": grounding.supporting_articles(v, passages)}
            for v in verdicts], "ok", ""

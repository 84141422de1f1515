"""Which alerts a new article fires: the alert's story or search matches it, and it is material news.

A saved search matches when every keyword occurs as a word of the title or text (case and accents folded as
written), and the edition (region), language and topic match when set. Material news is an article that is not a
wire copy (no ``duplicate_of``) and reports at least one fact its story's earlier articles did not
(``newsdesk.follow.novelty``); the first article of a story is material by being first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from newsdesk.ai.sentence_store import article_sentences
from newsdesk.config import Settings
from newsdesk.follow.novelty import NewFact, NoveltyParams, facts_by_article, quoted_in
from newsdesk.store.db import Engine
from newsdesk.store.story_articles import story_articles

_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def keywords_of(text: str) -> list[str]:
    """The words of a saved search, folded, each once."""
    return list(dict.fromkeys(_WORD.findall(fold(text))))


def matches(alert: dict[str, Any], article: dict[str, Any]) -> bool:
    """Whether the alert's story or saved search covers the article (materiality aside)."""
    if alert["story_id"] is not None:
        return article["story_id"] == alert["story_id"]
    words = set(_WORD.findall(fold(f"{article['title'] or ''} {article['text'] or ''}")))
    if not all(k in words for k in keywords_of(alert["keywords"] or "")):
        return False
    if alert["edition"] and (article["region"] or "").upper() != alert["edition"].upper():
        return False
    if alert["language"] and (article["language"] or "").split("-")[0].lower() != alert["language"].lower():
        return False
    return not alert["topic"] or alert["topic"] in (article["topics"] or [])


def material_facts(engine: Engine, settings: Settings, article: dict[str, Any]) -> list[NewFact] | None:
    """The facts the article adds to its story (its lead sentences for a first report; none quoted for an article
    outside any story), or None when it is a wire copy or adds nothing."""
    if article["duplicate_of"] is not None:
        return None
    members = story_articles(engine, article["story_id"]) if article["story_id"] is not None else []
    own = next((m for m in members if m.id == article["id"]), None)
    if own is None:
        return [] if article["story_id"] is None else None
    earlier = [m for m in members if m.id < own.id]  # ids are handed out as articles arrive
    split = article_sentences(engine, [*earlier, own], settings.ai_sentences_per_article)
    facts = facts_by_article(earlier, [own], split, NoveltyParams.from_settings(settings))[own.id]
    facts = [f for f in facts if quoted_in(f.text, own.text)]
    return facts or None


def payload(alert: dict[str, Any], article: dict[str, Any], facts: Sequence[NewFact], base_url: str,
            fired_at: str) -> dict[str, Any]:
    """What a firing carries: the alert, the article, its story and the new facts quoted (at most three)."""
    story = article["story_id"]
    return {"alert_id": alert["id"], "kind": "story" if alert["story_id"] is not None else "search",
            "fired_at": fired_at,
            "article": {"id": article["id"], "title": article["title"], "url": article["url"],
                        "outlet": article["outlet"], "language": article["language"],
                        "published_at": article["published_at"].isoformat() if article["published_at"] else None},
            "story_id": story, "story_url": f"{base_url}/stories/{story}" if story is not None else None,
            "new_facts": [{"text": f.text, "citations": [f.article_id]} for f in facts[:3]]}

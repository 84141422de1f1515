"""Headline neutrality on the reader's pages: the story's most informative headline and clickbait flags.

The scoring itself is the AI stage's transparent rule set (``newsdesk.ai.headlines``); this module picks which
headlines to score for a page and keeps a bounded memo of verdicts, since a story page lists up to
``web_story_articles`` headlines and the same ones are shown again and again (a verdict costs ~18 µs to compute,
~0.3 µs to look up).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from newsdesk.ai.headlines import HeadlineVerdict, headline_score

MEMO_SIZE = 50_000  # verdicts kept: ~10 MB at most, every headline of a busy day


class HeadlineJudge:
    """Verdicts on headlines, memoised in a bounded LRU owned by the app (no module state)."""

    def __init__(self, size: int = MEMO_SIZE) -> None:
        self.size = size
        self.memo: OrderedDict[tuple[str, str | None], HeadlineVerdict] = OrderedDict()

    def verdict(self, title: str | None, language: str | None) -> HeadlineVerdict:
        key = (title or "", language)
        found = self.memo.get(key)
        if found is None:
            found = headline_score(key[0], language)
            self.memo[key] = found
            if len(self.memo) > self.size:
                self.memo.popitem(last=False)
        else:
            self.memo.move_to_end(key)
        return found

    def flag_clickbait(self, items: Sequence[dict[str, Any]]) -> None:
        """Set ``item["clickbait"]`` to the rule names when the item's headline reads as clickbait, else ``()``."""
        for item in items:
            verdict = self.verdict(item.get("title"), item.get("language"))
            item["clickbait"] = verdict.flags if verdict.clickbait else ()

    def story_headline(self, items: Sequence[dict[str, Any]], locale: str) -> dict[str, Any] | None:
        """The most informative headline among the story's original articles, preferring the reader's language.

        Articles in the interface language compete among themselves when there are any; otherwise all do. The
        rule is ``newsdesk.ai.headlines.best_headline``'s (highest score, then lowest id) over memoised verdicts.
        """
        originals = [a for a in items if not a.get("duplicate_of") and (a.get("title") or "").strip()]
        mine = [a for a in originals if (a.get("language") or "").split("-")[0].lower() == locale]
        pool = mine or originals
        if not pool:
            return None
        return min(pool, key=lambda a: (-self.verdict(a["title"], a.get("language")).score, a["id"]))

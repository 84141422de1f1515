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
from newsdesk.text.headline_choice import is_proper, repaired

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
        """The most informative proper headline among the story's original articles in the reader's language.

        Languages are tried as ``newsdesk.text.headline_choice`` does: the interface language, then English, then
        any; within one, proper headlines (not cut, not lower-case) compete by ``best_headline``'s rule (highest
        score, then lowest id); when none is proper, the best one is shown repaired."""
        originals = [a for a in items if not a.get("duplicate_of") and (a.get("title") or "").strip()]
        for tier in (*(_in_language(originals, lang) for lang in dict.fromkeys((locale, "en"))), originals):
            proper = [a for a in tier if is_proper(a["title"])]
            if proper or tier:
                best = min(proper or tier, key=lambda a: (-self.verdict(a["title"], a.get("language")).score, a["id"]))
                return best if proper else dict(best, title=repaired(best["title"], best.get("text")))
        return None


def _in_language(items: Sequence[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    return [a for a in items if (a.get("language") or "").split("-")[0].lower() == language]

"""Where a story that grew by mistake would split: a headline name most of it is about, absent from a group of it.

Two events of one kind (two DUI arrests of two players of one team, two castings of one TV role) share nearly every
word, so an article of the second event can join the first event's story, and the rest of the second event follows
it. What still tells them apart is what the articles are *about*: the name in their headlines ("Jamal Williams",
"Capaldi"). Coverage of one event names its subject, in the headline or the lead; coverage of the other event may
name the first event's subject as background, but rarely the other way round. So a story holds two events when a
name that a good share of its members put in their headline is not used at all (not even in lower case or at a
sentence start) by a group of other members. The caller confirms the split with the story model itself (the group,
as one article, must not score as a member of the rest), so that a story whose members merely vary in detail stays.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from newsdesk.understand.evidence import Article
from newsdesk.understand.features import stem
from newsdesk.understand.lexicon import DocumentFrequencies


@dataclass(frozen=True)
class SplitCandidate:
    """The headline name that divides a story, the members that use it and the members that never do."""

    token: str
    holding: list[Article]
    lacking: list[Article]


def split_candidates(members: list[Article], df: DocumentFrequencies, min_title_share: float, min_group: int,
                     limit: int = 2) -> list[SplitCandidate]:
    """The strongest ways to divide ``members`` by a headline name (IDF of the name times the share of members that
    lack it), best first; each side holds at least ``min_group`` members."""
    size = len(members)
    in_titles = Counter(token for article in members for token in article.features.title_names)
    scored: list[tuple[float, SplitCandidate]] = []
    for token, count in in_titles.items():
        if count < min_title_share * size:
            continue
        lacking = [a for a in members if not a.features.mentions(token)]
        if len(lacking) < min_group or size - len(lacking) < min_group:
            continue
        holding = [a for a in members if a.features.mentions(token)]
        strength = df.idf(stem(token)) * len(lacking) / size
        scored.append((strength, SplitCandidate(token, holding, lacking)))
    scored.sort(key=lambda item: -item[0])
    return [candidate for _, candidate in scored[:limit]]

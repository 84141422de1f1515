"""Where a story that grew by mistake would split: a headline name most of it is about, absent from a group of it.

Two events of one kind (two DUI arrests of two players of one team, two castings of one TV role) share nearly every
word, so an article of the second event can join the first event's story, and the rest of the second event follows
it. What still tells them apart is what the articles are *about*: the name in their headlines ("Jamal Williams",
"Capaldi"). Coverage of one event names its subject, in the headline or the lead; coverage of the other event may
name the first event's subject as background, but rarely the other way round. So a story holds two events when a
name that a good share of its members put in their headline is not used at all (not even in lower case or at a
sentence start) by a group of other members. The caller confirms the split with the story model itself (the group,
as one article, must not score as a member of the rest), so that a story whose members merely vary in detail stays.

Two more divisions come from what the leads assert and when: members whose leads point opposite ways on one axis
("markets fall" / "shares surge"), and members whose written dates fall on either side of a long gap (an IE patch
of 2008 and one of 2013). Members that state no direction (or write no date) go to the side whose centroid they are
closer to.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

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


def direction_candidates(members: list[Article], min_group: int) -> list[SplitCandidate]:
    """Divisions along an axis on which some members' leads point one way and at least ``min_group`` others point
    the other way."""
    axes = {axis for article in members for axis, _ in article.features.directions}
    out = []
    for axis in sorted(axes):
        up = [a for a in members if (axis, 1) in a.features.directions]
        down = [a for a in members if (axis, -1) in a.features.directions]
        if len(up) >= min_group and len(down) >= min_group:
            out.append(_with_rest(f"direction:{axis}", up, down, members, min_group))
    return [c for c in out if c is not None]


def date_candidates(members: list[Article], min_group: int, min_gap_days: float) -> list[SplitCandidate]:
    """The division at the widest gap (at least ``min_gap_days``) between the latest dates members write out."""
    dated = sorted((max(a.features.dates), a.article_id) for a in members if a.features.dates)
    if len(dated) < 2 * min_group:
        return []
    gaps = [(dated[i + 1][0] - dated[i][0], i) for i in range(min_group - 1, len(dated) - min_group)]
    width, at = max(gaps, default=(0, -1))
    if width < min_gap_days:
        return []
    early = {article_id for _, article_id in dated[:at + 1]}
    by_id = {a.article_id: a for a in members}
    late = [by_id[i] for _, i in dated[at + 1:]]
    candidate = _with_rest("dates", [by_id[i] for i in early], late, members, min_group)
    return [candidate] if candidate is not None else []


def _with_rest(token: str, one: list[Article], other: list[Article], members: list[Article],
               min_group: int) -> SplitCandidate | None:
    """Both sides with the members that are on neither given to the side whose mean vector is closer."""
    placed = {a.article_id for a in one + other}
    one_centre, other_centre = _centre(one), _centre(other)
    one, other = list(one), list(other)
    for article in members:
        if article.article_id not in placed:
            closer_to_one = float(article.vector @ one_centre) >= float(article.vector @ other_centre)
            (one if closer_to_one else other).append(article)
    if len(one) < min_group or len(other) < min_group:
        return None
    return SplitCandidate(token, one, other)


def _centre(group: list[Article]) -> np.ndarray:
    return np.mean([a.vector for a in group], axis=0)

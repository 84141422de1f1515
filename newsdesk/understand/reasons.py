"""Why an article joined its story, as data a page can put in plain words: the evidence the clusterer weighed when
it placed the article (similarity, shared names, shared terms, time gap, score), the wire-copy link, or the
moderator's correction that put it there.

A reason is recorded when the clusterer places an article (``reason_for``), from the story as it is right after the
article joined: a name or term counts as shared when another member uses it too. Tokens are shown as the article
writes them (the clusterer keeps lower-cased names and six-letter stems).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from newsdesk.understand.clustering import StoryClusterer
from newsdesk.understand.evidence import EVIDENCE, Article
from newsdesk.understand.features import stem

SHOWN = 5  # names and terms shown per article
_WORD = re.compile(r"\w+", re.UNICODE)


def reason_for(clusterer: StoryClusterer, article: Article, story_key: int, copy_of: int | None,
               text: str) -> dict:
    """The reason row for ``article`` now in ``story_key`` (``text``: its title and lead, to word tokens)."""
    joined = clusterer.joined_by.pop(article.article_id, None)
    story = clusterer.stories.get(clusterer.resolve(story_key))
    row = {"article_id": article.article_id, "story_id": story_key, "kind": "first", "score": None,
           "evidence": {}, "shared_names": [], "shared_terms": [], "copy_of": None}
    if copy_of is not None:
        return {**row, "kind": "copy", "copy_of": copy_of}
    if joined is None or story is None:  # it started the story, or a moderator's must-link put it there
        return {**row, "kind": "first" if story is None or story.size <= 1 else "linked"}
    _, score, evidence = joined
    named = {name: round(float(value), 4) for name, value in zip(EVIDENCE, evidence, strict=True)}
    if named["dated"]:  # the time gap in hours, back from its evidence 1 - exp(-hours / scale)
        named["gap_hours"] = round(-clusterer.params.time_scale_hours * math.log(1 - min(named["time_gap"], 0.9999)), 1)
    idf = clusterer.df.idf
    names = sorted((n for n in article.features.names if story.name_docs.get(n, 0) >= 2), key=idf, reverse=True)
    terms = sorted((t for t in article.features.terms if story.term_docs.get(t, 0) >= 2), key=idf, reverse=True)
    return {**row, "kind": "joined", "score": round(float(score), 3),
            "evidence": named,
            "shared_names": as_written(names[:SHOWN], text, str.lower),
            "shared_terms": as_written(terms[:SHOWN], text, stem)}


def as_written(tokens: list[str], text: str, key: Callable[[str], str]) -> list[str]:
    """Each token as the text first writes it (``key`` maps a written word to the token form)."""
    wanted = set(tokens)
    found: dict[str, str] = {}
    for word in _WORD.findall(text):
        token = key(word)
        if token in wanted and token not in found:
            found[token] = word
    return [found.get(t, t) for t in tokens]

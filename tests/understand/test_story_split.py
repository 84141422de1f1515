"""Splitting and refining a story that holds two events of one kind: the headline-name division, giving a member
back, and the whole pipeline on two real ECB+ events (two DUI arrests of two players of one team) that single-pass
joining puts in one story."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from understand_devsets import assignments, insert_rows, load_rows

from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import stories
from newsdesk.understand.evidence import Article, Story, prepare
from newsdesk.understand.features import text_features
from newsdesk.understand.lexicon import DocumentFrequencies
from newsdesk.understand.pipeline import Understanding
from newsdesk.understand.splitting import split_candidates


def _articles(items: list[tuple[str, str]]) -> list[Article]:
    import numpy as np

    return [Article(i, np.zeros(4, dtype=np.float32), text_features(title, text), None, True)
            for i, (title, text) in enumerate(items)]


def test_a_headline_name_that_a_group_never_uses_divides_the_story():
    first = [("Chargers receiver Vincent Jackson arrested", "Police said the receiver Vincent Jackson was held.")] * 3
    second = [("Chargers lineman Jamal Williams arrested", "The team's second arrest after Vincent Jackson.")] * 3
    members = _articles(first + second)
    df = DocumentFrequencies()
    for member in members:
        df.add(member.features.terms)
    best = split_candidates(members, df, min_title_share=0.3, min_group=3)[0]
    assert best.token in ("jamal", "williams")  # "jackson" is used by both groups: it divides nothing
    assert {a.article_id for a in best.lacking} == {0, 1, 2}


def test_names_used_at_a_sentence_start_or_in_lower_case_still_count_as_used():
    members = _articles([("Storm hits Bergen", "Rain fell.")] * 3 + [("Storm damage", "Bergen counts the cost.")] * 3)
    df = DocumentFrequencies()
    assert split_candidates(members, df, min_title_share=0.3, min_group=3) == []


def test_a_story_that_gives_a_member_back_is_the_story_without_it():
    import numpy as np

    members = _articles([("Quake hits Chile", "A quake hit Santiago on Monday."),
                         ("Chile quake toll rises", "Rescuers in Santiago found 12 more."),
                         ("Floods in Bergen", "Rain fell on Bergen for 3 days.")])
    df = DocumentFrequencies()
    for i, member in enumerate(members):
        member.vector = np.eye(4, dtype=np.float32)[i]
        df.add(member.features.terms)
        prepare(member, df)
    two, three = Story(1, np.zeros(4, dtype=np.float32)), Story(2, np.zeros(4, dtype=np.float32))
    for member in members[:2]:
        two.absorb(member)
    for member in members:
        three.absorb(member)
    three.release(members[2])
    assert three.members == two.members and three.name_docs == two.name_docs and three.term_docs == two.term_docs
    assert np.allclose(three.centroid(), two.centroid()) and abs(three.tfidf_norm2 - two.tfidf_norm2) < 1e-9
    assert abs(three.tfidf_cosine(members[0].tfidf) - two.tfidf_cosine(members[0].tfidf)) < 1e-9


def test_two_dui_arrests_of_one_team_end_in_two_stories(engine, settings, shared_dir):
    rows = [r for r in load_rows(shared_dir, "ecbplus-dev") if r["cluster"].startswith("35_")]
    understanding = Understanding(engine, settings)
    understanding.process(insert_rows(engine, rows))
    got = assignments(engine)
    cells = Counter((row["cluster"], got[str(row["id"])][0]) for row in rows)
    events = Counter(row["cluster"] for row in rows)
    for event, size in events.items():  # each event has a story of its own holding most of it
        story, count = max(((s, c) for (e, s), c in cells.items() if e == event), key=lambda item: item[1])
        assert count >= 0.8 * size
        assert sum(c for (e, s), c in cells.items() if s == story and e != event) <= 1
    assert understanding.clusterer.move_log  # it took a split to get there
    with engine.connect() as conn:  # stored story ids and counts follow the split
        stored = dict(conn.execute(sa.select(articles.c.id, articles.c.story_id)).all())
        counts = dict(conn.execute(sa.select(stories.c.id, stories.c.article_count)).all())
    clusterer = understanding.clusterer
    assert all(clusterer.resolve(clusterer.story_of[a]) == s for a, s in stored.items())
    assert Counter(stored.values()) == {k: v for k, v in counts.items() if v}

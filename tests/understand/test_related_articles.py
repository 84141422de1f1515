"""Related articles on real ECB+ articles: the same story's other outlets first, then the nearest other stories,
one article per story, with the fields the article page shows."""

from __future__ import annotations

from collections import Counter

from understand_devsets import assignments, insert_rows, load_rows

from newsdesk.store.related import related_articles


def test_same_story_first_then_one_article_per_nearest_other_story(engine, settings, shared_dir):
    from newsdesk.understand.pipeline import Understanding

    rows = load_rows(shared_dir, "ecbplus-dev")
    topics = sorted({r["cluster"].rsplit("_", 1)[0] for r in rows})[:6]
    chosen = [dict(r, source=f"outlet-{i}") for i, r in enumerate(r for r in rows
                                                                    if r["cluster"].rsplit("_", 1)[0] in topics)]
    ids = insert_rows(engine, chosen)
    Understanding(engine, settings).process(ids)
    got = assignments(engine)
    story_sizes = Counter(story for story, _ in got.values())
    article = next(r for r in chosen if 3 <= story_sizes[got[r["id"]][0]] <= 7)
    article_id = next(i for i, r in zip(sorted(ids), chosen, strict=True) if r["id"] == article["id"])
    my_story = got[article["id"]][0]

    related = related_articles(engine, article_id, limit=8)

    assert len(related) == 8 and article_id not in [r["id"] for r in related]
    stories = [r["story_id"] for r in related]
    same = [s == my_story for s in stories]
    assert same[0] and same == sorted(same, reverse=True)  # same story first, then other stories
    others = [s for s in stories if s != my_story]
    assert others and len(others) == len(set(others))  # one article per other story
    assert all(r["title"] and r["outlet"] and "excerpt" in r for r in related)

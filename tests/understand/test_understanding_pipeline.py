"""The understanding pipeline on real dev-set articles: cross-lingual pairs, confusable events, copies, idempotence,
restart."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

import sqlalchemy as sa
from understand_devsets import assignments, insert_rows, load_rows

from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import stories
from newsdesk.understand.pipeline import Understanding


def _score(shared_dir: Path, gold: dict[str, str], pred: dict[str, str]) -> dict:
    sys.path.insert(0, str(shared_dir / "eval" / "clustering"))
    from score import score

    return score(gold, pred)


def test_english_and_french_blurbs_of_one_event_share_a_story(engine, settings, shared_dir):
    rows = load_rows(shared_dir, "itn-dev")
    by_cluster: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in rows:
        if row["language"] in ("en", "fr"):
            by_cluster[row["cluster"]].setdefault(row["language"], row)
    pairs = [c for c in by_cluster.values() if len(c) == 2]
    assert len(pairs) >= 5
    Understanding(engine, settings).process(insert_rows(engine, [r for pair in pairs for r in pair.values()]))
    got = assignments(engine)
    together = sum(got[pair["en"]["id"]][0] == got[pair["fr"]["id"]][0] for pair in pairs)
    assert together >= 0.8 * len(pairs), f"{together}/{len(pairs)} EN/FR pairs share a story"
    with engine.connect() as conn:
        languages = conn.execute(sa.select(stories.c.languages).where(stories.c.article_count == 2)).scalars().all()
    assert ["en", "fr"] in languages


def test_two_similar_events_do_not_merge(engine, settings, shared_dir):
    """ECB+ topics hold two different events of one kind (two earthquakes, two robberies): keep them apart."""
    rows = load_rows(shared_dir, "ecbplus-dev")
    topics = sorted({r["cluster"].rsplit("_", 1)[0] for r in rows})[:3]
    chosen = [r for r in rows if r["cluster"].rsplit("_", 1)[0] in topics]
    Understanding(engine, settings).process(insert_rows(engine, chosen))
    got = assignments(engine)
    members_by_story: dict[int, Counter] = defaultdict(Counter)
    for row in chosen:
        members_by_story[got[row["id"]][0]][row["cluster"]] += 1
    mixed = sum(sum(c.values()) - max(c.values()) for c in members_by_story.values())
    assert mixed <= 0.1 * len(chosen), f"{mixed} of {len(chosen)} articles sit in a story of another event"
    for topic in topics:
        main = [Counter(got[r["id"]][0] for r in chosen if r["cluster"] == f"{topic}_{event}").most_common(1)[0][0]
                for event in ("ecb", "ecbplus")]
        assert main[0] != main[1], f"topic {topic}: both events in one story"


def test_wire_copies_point_at_the_earliest_original(engine, settings, shared_dir):
    rows = [r for r in load_rows(shared_dir, "ecbplus-dev") if len(r["text"]) > 1500][:3]
    original = dict(rows[0], id="wire-original", source="Wire", url=None)
    edited = dict(rows[0], id="wire-copy-edited", source="Paper A", url=None,
                  text="PARIS (Wire) - " + rows[0]["text"][:-120] + " Reporting by our staff.")
    exact = dict(rows[0], id="wire-copy-exact", source="Paper B", url=None)
    ids = insert_rows(engine, [original, rows[1], edited, rows[2], exact])
    Understanding(engine, settings).process(ids)
    got = assignments(engine)
    with engine.connect() as conn:
        original_id = conn.execute(sa.select(articles.c.id).where(articles.c.external_id == "wire-original")).scalar()
    assert got["wire-original"][1] is None
    assert got["wire-copy-edited"] == (got["wire-original"][0], original_id)
    assert got["wire-copy-exact"] == (got["wire-original"][0], original_id)
    assert got[rows[1]["id"]][1] is None and got[rows[2]["id"]][1] is None


def _snapshot(engine: sa.Engine) -> tuple[list, list]:
    with engine.connect() as conn:
        arts = conn.execute(sa.select(articles.c.id, articles.c.story_id, articles.c.duplicate_of, articles.c.language,
                                      articles.c.topics, articles.c.status).order_by(articles.c.id)).all()
        rows = conn.execute(sa.select(stories.c.id, stories.c.title, stories.c.article_count, stories.c.languages)
                            .order_by(stories.c.id)).all()
    return arts, rows


def test_processing_the_same_articles_twice_changes_nothing(engine, settings, shared_dir):
    ids = insert_rows(engine, load_rows(shared_dir, "uci-news-aggregator-first999")[:150])
    Understanding(engine, settings).process(ids)
    before = _snapshot(engine)
    Understanding(engine, settings).process(ids)
    assert _snapshot(engine) == before
    assert all(status == "understood" for *_, status in before[0])


def test_a_new_process_continues_the_same_stories(engine, settings, shared_dir):
    rows = load_rows(shared_dir, "meantime-dev")
    ids = insert_rows(engine, rows)
    Understanding(engine, settings).process(ids[:120])
    Understanding(engine, settings).process(ids[120:])
    got = assignments(engine)
    gold = {r["id"]: r["cluster"] for r in rows}
    result = _score(shared_dir, gold, {k: str(v[0]) for k, v in got.items()})
    assert result["bcubed_f1"] >= 0.95, result

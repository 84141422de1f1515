"""Moderators' corrections of story grouping on real ECB+ articles: a wrong merge of two earthquakes-of-a-kind
(topic 25: two events of one kind, merged when the join bar is lowered) fixed by a split stays fixed when new
articles of both events arrive and after a recluster; undo puts everything back; merges carry comments and
followers and their undo brings them back; each article's reason is recorded."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import sqlalchemy as sa
from understand_devsets import assignments, insert_rows, load_rows

from newsdesk.config import Settings, load_settings
from newsdesk.store import grouping, social
from newsdesk.store.db import open_store
from newsdesk.store.tables_core import articles
from newsdesk.store.tables_understanding import stories
from newsdesk.store.users import create_user
from newsdesk.tasks.understanding import UnderstandingStage
from newsdesk.understand import corrections
from newsdesk.understand.recluster import recluster

FIRST = 5  # articles of each event before the correction


@pytest.fixture(scope="module")
def events(shared_dir: Path) -> tuple[list[dict], list[dict]]:
    rows = load_rows(shared_dir, "ecbplus-dev")
    return [r for r in rows if r["cluster"] == "25_ecb"], [r for r in rows if r["cluster"] == "25_ecbplus"]


def _store(tmp_path: Path) -> tuple[sa.Engine, Settings]:
    url = f"sqlite:///{tmp_path / 'grouping.sqlite3'}"
    settings = load_settings(env={"NEWSDESK_DATABASE_URL": url, "NEWSDESK_DATA_DIR": str(tmp_path / "data")},
                             config_file=tmp_path / "absent.toml")
    return open_store(url), settings.replace(cluster_text_bias=-4.0)  # a low join bar: the two events merge


def _ids(engine: sa.Engine, rows: list[dict]) -> list[int]:
    with engine.connect() as conn:
        by_external = dict(conn.execute(sa.select(articles.c.external_id, articles.c.id)).all())
    return [by_external[r["id"]] for r in rows]


def _stories_of(engine: sa.Engine, rows: list[dict]) -> set[int]:
    got = assignments(engine)
    return {got[r["id"]][0] for r in rows}


def _moderator(engine: sa.Engine, name: str = "mod") -> int:
    with engine.begin() as conn:
        return create_user(conn, name, f"{name}-password-1", "moderator")


def test_a_wrong_merge_fixed_by_a_moderator_stays_fixed(tmp_path, events):
    quake_a, quake_b = events
    engine, settings = _store(tmp_path)
    stage = UnderstandingStage(engine, settings)
    first = [r for pair in zip(quake_a[:FIRST], quake_b[:FIRST], strict=True) for r in pair]
    stage(insert_rows(engine, first))
    assert len(_stories_of(engine, first)) == 1  # the wrong merge this test is about
    moderator = _moderator(engine)
    with engine.begin() as conn:
        merged = _stories_of(engine, first).pop()
        corrections.split_story(conn, settings, moderator, merged, _ids(engine, quake_b[:FIRST]))
    old_a, old_b = _stories_of(engine, quake_a[:FIRST]), _stories_of(engine, quake_b[:FIRST])
    assert len(old_a) == len(old_b) == 1 and old_a != old_b

    later = [r for pair in zip(quake_a[FIRST:], quake_b[FIRST:], strict=False) for r in pair]
    later += quake_a[len(quake_b):]
    stage(insert_rows(engine, later))  # the same stage: it must see the correction and rebuild
    _assert_apart(engine, quake_a, quake_b, old_a | old_b)

    result = recluster(engine, settings)
    assert result.articles == len(quake_a) + len(quake_b)
    _assert_apart(engine, quake_a, quake_b, old_a | old_b)
    engine.dispose()


def _assert_apart(engine: sa.Engine, quake_a: list[dict], quake_b: list[dict], corrected: set[int]) -> None:
    """The corrected articles stay in their two stories, and most new articles join their own event's story."""
    got = assignments(engine)
    story_a, story_b = got[quake_a[0]["id"]][0], got[quake_b[0]["id"]][0]
    assert {story_a, story_b} == corrected
    assert {got[r["id"]][0] for r in quake_a[:FIRST]} == {story_a}
    assert {got[r["id"]][0] for r in quake_b[:FIRST]} == {story_b}
    right = sum(got[r["id"]][0] == story_a for r in quake_a) + sum(got[r["id"]][0] == story_b for r in quake_b)
    assert right >= 0.9 * (len(quake_a) + len(quake_b))


def test_undo_of_a_split_restores_the_earlier_grouping(tmp_path, events):
    quake_a, quake_b = events
    engine, settings = _store(tmp_path)
    first = [r for pair in zip(quake_a[:FIRST], quake_b[:FIRST], strict=True) for r in pair]
    UnderstandingStage(engine, settings)(insert_rows(engine, first))
    before = assignments(engine)
    moderator = _moderator(engine)
    with engine.begin() as conn:
        story = before[first[0]["id"]][0]
        correction_id = corrections.split_story(conn, settings, moderator, story, _ids(engine, quake_b[:FIRST]))
        version = grouping.constraints_version(conn)
    assert assignments(engine) != before
    with engine.begin() as conn:
        corrections.undo(conn, settings, moderator, correction_id)
        assert grouping.active_links(conn) == ([], [])
        assert grouping.constraints_version(conn) != version
        log = grouping.corrections_log(conn, [story])
        created = conn.execute(sa.select(stories.c.merged_into).where(
            stories.c.id == log[0]["other_story_id"])).scalar_one()
    assert assignments(engine) == before
    assert log[0]["username"] == "mod" and log[0]["undone_at"] is not None and created == story
    with engine.begin() as conn, pytest.raises(corrections.CorrectionRefused):
        corrections.undo(conn, settings, moderator, correction_id)
    engine.dispose()


def test_merge_moves_comments_and_followers_and_undo_brings_them_back(tmp_path, events, shared_dir):
    quake_a = events[0]
    quake_b = [r for r in load_rows(shared_dir, "ecbplus-dev") if r["cluster"] == "1_ecb"]  # another topic
    engine, settings = _store(tmp_path)
    settings = settings.replace(cluster_text_bias=-9.82)  # the shipped bar
    chosen = quake_a[:4] + quake_b[:2]
    UnderstandingStage(engine, settings)(insert_rows(engine, chosen))
    got = assignments(engine)
    story_a, story_b = got[quake_a[0]["id"]][0], got[quake_b[0]["id"]][0]
    together = [r for r in chosen if got[r["id"]][0] in (story_a, story_b)]
    assert story_a != story_b and len([r for r in together if got[r["id"]][0] == story_a]) > 2
    moderator = _moderator(engine)
    with engine.begin() as conn:
        reader = create_user(conn, "reader", "reader-password-1")
        social.add_comment(conn, reader, "Which quake?", story_id=story_b)
        social.follow(conn, reader, story_b)
        correction_id = corrections.merge_stories(conn, settings, moderator, story_b, story_a)
    assert _stories_of(engine, together) == {story_a}  # the bigger story keeps its id
    with engine.begin() as conn:
        assert [c["body"] for c in social.comments_on(conn, story_id=story_a)] == ["Which quake?"]
        assert social.is_following(conn, reader, story_a)
        assert grouping.story_state(conn, story_b)["merged_into"] == story_a
        corrections.undo(conn, settings, moderator, correction_id)
        assert [c["body"] for c in social.comments_on(conn, story_id=story_b)] == ["Which quake?"]
        assert social.is_following(conn, reader, story_b) and not social.is_following(conn, reader, story_a)
        assert grouping.story_state(conn, story_b)["merged_into"] is None
    assert assignments(engine) == got
    engine.dispose()


def test_an_undo_waits_for_the_later_corrections_of_its_stories(tmp_path, events, shared_dir):
    """Undoing a split whose new story was merged later would leave articles in a merged-away story (hidden from
    every page): refused until the merge is undone; then both undo cleanly, newest first."""
    quake_a = events[0]
    quake_b = [r for r in load_rows(shared_dir, "ecbplus-dev") if r["cluster"] == "1_ecb"]
    engine, settings = _store(tmp_path)
    settings = settings.replace(cluster_text_bias=-9.82)
    chosen = quake_a[:4] + quake_b[:2]
    UnderstandingStage(engine, settings)(insert_rows(engine, chosen))
    got = assignments(engine)
    story_a, story_b = got[quake_a[0]["id"]][0], got[quake_b[0]["id"]][0]
    moderator = _moderator(engine)
    with engine.begin() as conn:
        split = corrections.split_story(conn, settings, moderator, story_a, _ids(engine, quake_a[:2]))
        created = grouping.corrections_log(conn, [story_a])[0]["other_story_id"]
        merge = corrections.merge_stories(conn, settings, moderator, created, story_b)
    with engine.begin() as conn, pytest.raises(corrections.CorrectionRefused, match=str(merge)):
        corrections.undo(conn, settings, moderator, split)
    with engine.begin() as conn:
        corrections.undo(conn, settings, moderator, merge)
        corrections.undo(conn, settings, moderator, split)
    assert assignments(engine) == got
    engine.dispose()


def test_each_article_has_a_recorded_reason(tmp_path, events):
    quake_a, _ = events
    engine, settings = _store(tmp_path)
    settings = settings.replace(cluster_text_bias=-9.82)
    ids = UnderstandingStage(engine, settings)(insert_rows(engine, quake_a[:6]))
    assert ids
    with engine.connect() as conn:
        reasons = grouping.reasons_of(conn, _ids(engine, quake_a[:6]))
    kinds = defaultdict(list)
    for reason in reasons.values():
        kinds[reason["kind"]].append(reason)
    assert len(reasons) == 6 and kinds["first"] and kinds["joined"]
    joined = kinds["joined"][0]
    assert joined["score"] > 0 and 0 < joined["evidence"]["centroid"] <= 1
    assert joined["shared_names"] or joined["shared_terms"]
    engine.dispose()

"""The grounded delta and the timeline of a followed story, over a real SQLite store and the real sentence encoder:
after a reader read the first report, a wire copy and a report with one new fact arrive; the delta quotes only the
new fact, citing the article it occurs in; the timeline dates the first report and the new fact; the lineage names
the first outlet and the copy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from support.wildfire import FIRST, NEW_FACT, add_article, add_later_coverage, add_wildfire_story

from newsdesk.config import Settings
from newsdesk.follow.delta import lineage, story_delta, story_timeline
from newsdesk.follow.novelty import quoted_in


def test_the_delta_quotes_only_the_new_fact_and_cites_it(engine: sa.Engine, settings: Settings) -> None:
    read_at = datetime.now(UTC) - timedelta(minutes=30)
    story_id, first = add_wildfire_story(engine, read_at)
    _copy, later = add_later_coverage(engine, story_id, first, read_at + timedelta(minutes=5))
    delta = story_delta(engine, settings, story_id, read_at)
    assert [s["text"] for s in delta["sentences"]] == [NEW_FACT]
    assert delta["sentences"][0]["citations"] == [later]
    assert delta["new_articles"] == 2 and delta["wire_copies"] == 1
    assert [s["id"] for s in delta["sources"]] == [later]


def test_a_wire_copy_alone_is_no_news(engine: sa.Engine, settings: Settings) -> None:
    read_at = datetime.now(UTC) - timedelta(minutes=30)
    story_id, first = add_wildfire_story(engine, read_at)
    add_article(engine, story_id, "Valley Times", "Wildfire", FIRST, read_at + timedelta(minutes=1),
                duplicate_of=first)
    delta = story_delta(engine, settings, story_id, read_at)
    assert delta["sentences"] == [] and delta["wire_copies"] == 1


def test_a_reworded_copy_that_was_not_flagged_adds_nothing(engine: sa.Engine, settings: Settings) -> None:
    read_at = datetime.now(UTC) - timedelta(minutes=30)
    story_id, _ = add_wildfire_story(engine, read_at)
    edited = FIRST.replace("on Tuesday afternoon", "on Tuesday").replace("dry forest", "forest")
    add_article(engine, story_id, "Hill Gazette", "Paradise wildfire", edited, read_at + timedelta(minutes=1))
    assert story_delta(engine, settings, story_id, read_at)["sentences"] == []


def test_the_timeline_dates_the_first_report_and_each_new_fact(engine: sa.Engine, settings: Settings) -> None:
    start = datetime.now(UTC) - timedelta(hours=2)
    story_id, first = add_wildfire_story(engine, start + timedelta(hours=1))
    _copy, later = add_later_coverage(engine, story_id, first, start + timedelta(hours=1, minutes=30))
    entries = story_timeline(engine, settings, story_id)
    assert [(e["kind"], e["article_id"], e["outlet"]) for e in entries] == [
        ("first_report", first, "Daily Courier"), ("new_fact", later, "Mountain Post")]
    assert entries[1]["text"] == NEW_FACT and entries[1]["at"].startswith(str((start + timedelta(hours=1,
                                                                                                  minutes=30)).year))
    with engine.connect() as conn:
        text = conn.execute(sa.text("select text from articles where id = :i"), {"i": later}).scalar()
    assert all(quoted_in(e["text"], text) for e in entries[1:])
    assert story_timeline(engine, settings, story_id) == entries  # served from the cache, unchanged


def test_the_lineage_names_who_was_first_and_the_wire_copies(engine: sa.Engine, settings: Settings) -> None:
    start = datetime.now(UTC) - timedelta(hours=2)
    story_id, first = add_wildfire_story(engine, start + timedelta(hours=1))
    copy, _ = add_later_coverage(engine, story_id, first, start + timedelta(hours=1, minutes=30))
    found = lineage(engine, story_id)
    assert found is not None and found["first"]["outlet"] == "Daily Courier"
    assert [(w["original"]["id"], [c["id"] for c in w["copies"]]) for w in found["wire"]] == [(first, [copy])]

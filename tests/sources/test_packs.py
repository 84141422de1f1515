"""Starter packs: the shipped catalog (every category, its kind, language, region and localized names) and adding
and removing packs in a real SQLite store (idempotent; removal keeps hand-added sources, sources another pack lists,
and every article)."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from newsdesk.sources.packs import Catalog, Pack, UnknownPack
from newsdesk.store import packs as pack_store
from newsdesk.store.articles import insert_article, link_feed
from newsdesk.store.sources import add_source
from newsdesk.store.tables_core import articles, sources


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.shipped()


def test_the_shipped_catalog_holds_every_category_of_the_kite_list(catalog: Catalog, shared_dir) -> None:
    kite = json.loads((shared_dir / "data" / "source-packs" / "kite_feeds.json").read_text(encoding="utf-8"))
    assert len(catalog.packs) == len(kite) == 197
    assert sum(len(p.feeds) for p in catalog.packs) == sum(len(set(c["feeds"])) for c in kite.values())
    assert len({p.slug for p in catalog.packs}) == 197
    by_name = {p.name: p for p in catalog.packs}
    for name, category in kite.items():
        assert by_name[name].names == category["display_names"]
        assert set(by_name[name].feeds) == set(category["feeds"])


@pytest.mark.parametrize(("name", "kind", "language", "region"), [
    ("USA | Texas", "edition", "en", "US"), ("UK | London", "edition", "en", "GB"),
    ("Canada | Quebec", "edition", "fr", "CA"), ("Japan", "edition", "ja", "JP"), ("Greece", "edition", "el", "GR"),
    ("Switzerland (FR)", "edition", "fr", "CH"), ("Middle East", "edition", "en", None),
    ("AI", "topic", "en", None), ("Healthcare | Germany", "topic", "de", "DE"), ("Smart Home", "topic", "de", None),
])
def test_each_category_becomes_an_edition_or_a_topic(catalog: Catalog, name, kind, language, region) -> None:
    pack = catalog.find(name)
    assert (pack.kind, pack.language, pack.region) == (kind, language, region)


def test_packs_are_found_by_slug_or_name_and_unknown_names_get_suggestions(catalog: Catalog) -> None:
    assert catalog.find("usa-texas") is catalog.find("usa | TEXAS")
    with pytest.raises(UnknownPack, match="usa-texas"):
        catalog.find("texas")
    with pytest.raises(UnknownPack, match="sources packs"):
        catalog.find("zzz")


def test_display_names_follow_the_locale_and_fall_back_to_english(catalog: Catalog) -> None:
    germany = catalog.find("germany")
    assert germany.display_name("fr") == "Allemagne"
    assert germany.display_name("de-AT") == "Deutschland"
    assert germany.display_name("zh-hant") == germany.names["zh-Hant"]
    assert germany.display_name("sw") == "Germany"


def small_pack(slug: str, feeds: list[str], region: str | None = "LB") -> Pack:
    return Pack(slug, slug.title(), "edition" if region else "topic", "ar", region, {"en": slug.title()},
                tuple(feeds))


def source_rows(engine: sa.Engine, conn: sa.Connection | None = None) -> dict[str, sa.Row]:
    """Sources by feed URL, read on ``conn`` when inside its transaction."""
    if conn is not None:
        return {r.feed_url: r for r in conn.execute(sa.select(sources))}
    with engine.connect() as own:
        return source_rows(engine, own)


def test_adding_a_real_pack_stores_its_sources_with_its_metadata(engine: sa.Engine, catalog: Catalog) -> None:
    texas = catalog.find("usa-texas")
    with engine.begin() as conn:
        result = pack_store.add_pack(conn, texas)
    rows = source_rows(engine)
    assert result.created == result.listed == len(texas.feeds) == len(rows)
    assert {(r.language, r.region, tuple(r.topics), r.added_by_pack) for r in rows.values()} == {
        ("en", "US", ("USA | Texas",), "usa-texas")}
    with engine.begin() as conn:
        again = pack_store.add_pack(conn, texas)
        assert pack_store.installed_packs(conn) == {"usa-texas": len(texas.feeds)}
    assert (again.created, again.listed) == (0, len(texas.feeds))
    assert len(source_rows(engine)) == len(texas.feeds)


def test_a_feed_in_two_packs_carries_both_topics_and_outlives_the_first(engine: sa.Engine) -> None:
    shared = "https://shared.example/feed"
    with engine.begin() as conn:
        pack_store.add_pack(conn, small_pack("lebanon", [shared, "https://only-lb.example/rss"]))
        pack_store.add_pack(conn, small_pack("world", [shared], region=None))
        assert pack_store.packs_of_source(conn, source_rows(engine, conn)[shared].id) == ["lebanon", "world"]
    assert source_rows(engine)[shared].topics == ["Lebanon", "World"]
    with engine.begin() as conn:
        removed = pack_store.remove_pack(conn, "lebanon")
    assert (removed.listed, removed.removed) == (2, 1)
    assert set(source_rows(engine)) == {shared}
    with engine.begin() as conn:
        assert pack_store.remove_pack(conn, "world").removed == 1
        assert pack_store.remove_pack(conn, "world") is None
    assert source_rows(engine) == {}


def test_removing_a_pack_keeps_hand_added_sources_and_every_article(engine: sa.Engine) -> None:
    now = datetime.now(UTC)
    with engine.begin() as conn:
        hand_id, _ = add_source(conn, "https://by-hand.example/feed", name="By hand")
        pack_store.add_pack(conn, small_pack("lebanon", ["https://by-hand.example/feed", "https://lb.example/rss"]))
        pack_only = source_rows(engine, conn)["https://lb.example/rss"].id
        article_id = insert_article(conn, {"url": "https://lb.example/a", "title": "A", "text": "Body",
                                           "source_id": pack_only, "fetched_at": now})
        link_feed(conn, article_id, pack_only, None)
        other_id = insert_article(conn, {"url": "https://by-hand.example/b", "title": "B", "text": "Body",
                                         "source_id": hand_id, "fetched_at": now})
        result = pack_store.remove_pack(conn, "lebanon")
    assert (result.removed, result.articles_kept) == (1, 1)
    assert set(source_rows(engine)) == {"https://by-hand.example/feed"}
    with engine.connect() as conn:
        kept = dict(conn.execute(sa.select(articles.c.id, articles.c.source_id)).all())
    assert kept == {article_id: None, other_id: hand_id}


def test_a_feed_the_url_rule_refuses_is_reported_not_stored(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        result = pack_store.add_pack(conn, small_pack("odd", ["ftp://x.example/feed", "https://ok.example/rss"]))
    assert result.refused == ("ftp://x.example/feed",) and result.listed == 1


def test_the_catalog_file_is_compact_and_credits_its_origin() -> None:
    from importlib import resources

    folder = resources.files("newsdesk.sources")
    assert len(folder.joinpath("kite_packs.jsonl.gz").read_bytes()) < 300_000
    notice = folder.joinpath("KITE_NOTICE.txt").read_text(encoding="utf-8")
    assert "MIT License" in notice and "Kagi Search" in notice
    lines = gzip.decompress(folder.joinpath("kite_packs.jsonl.gz").read_bytes()).decode().splitlines()
    assert len(lines) == 197

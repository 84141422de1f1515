"""SQLite FTS5 search: matching, prefixes, diacritics, filters, index kept in step by triggers, safe snippets."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from newsdesk.search import SearchFilters, backend_for
from newsdesk.search.highlight import to_html
from newsdesk.search.query import fts5_query, query_terms
from newsdesk.store.tables_core import articles

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def insert(engine: sa.Engine, **values: object) -> int:
    row = {"title": "", "text": "", "fetched_at": NOW, "topics": [], **values}
    with engine.begin() as conn:
        return conn.execute(articles.insert().values(**row)).inserted_primary_key[0]


def ids(hits: list) -> list[int]:
    return [h.article_id for h in hits]


def test_words_prefix_and_diacritics(engine: sa.Engine) -> None:
    school = insert(engine, title="L'école rouvre", text="Les élèves reviennent à l'école.", language="fr")
    other = insert(engine, title="Markets rally", text="Shares rose in Tokyo.", language="en")
    search = backend_for(engine)
    assert ids(search.search("ecole", SearchFilters())) == [school]
    assert ids(search.search("shar", SearchFilters())) == [other]  # the last word is a prefix
    assert search.search("tokyo école", SearchFilters()) == []  # every word must appear
    assert search.search('") OR *', SearchFilters()) == []  # syntax is never passed through


def test_title_ranks_above_body(engine: sa.Engine) -> None:
    body = insert(engine, title="Weather", text="Ceasefire mentioned once in a long text about rain and wind.")
    title = insert(engine, title="Ceasefire talks resume", text="Negotiators meet again next week.")
    assert ids(backend_for(engine).search("ceasefire", SearchFilters())) == [title, body]


def test_filters(engine: sa.Engine) -> None:
    a = insert(engine, title="Gaza talks", outlet="Nahar Net", language="en", region="LB", topics=["world"],
               published_at=datetime(2026, 7, 25, tzinfo=UTC))
    b = insert(engine, title="Gaza talks fail", outlet="L'Orient-Le Jour", language="fr", region="LB",
               topics=["politics"], published_at=datetime(2026, 7, 26, tzinfo=UTC))
    search = backend_for(engine)
    assert ids(search.search("gaza", SearchFilters(outlet="Nahar Net"))) == [a]
    assert ids(search.search("gaza", SearchFilters(language="fr"))) == [b]
    assert set(ids(search.search("gaza", SearchFilters(region="lb")))) == {a, b}
    assert ids(search.search("gaza", SearchFilters(topic="politics"))) == [b]
    assert ids(search.search("gaza", SearchFilters(date_from=datetime(2026, 7, 26, tzinfo=UTC)))) == [b]
    assert ids(search.search("gaza", SearchFilters(date_to=datetime(2026, 7, 26, tzinfo=UTC)))) == [a]


def test_triggers_follow_updates_and_deletes(engine: sa.Engine) -> None:
    article_id = insert(engine, title="Original headline", text="first body")
    search = backend_for(engine)
    with engine.begin() as conn:
        conn.execute(articles.update().where(articles.c.id == article_id).values(title="Corrected headline"))
    assert search.search("original", SearchFilters()) == []
    assert ids(search.search("corrected", SearchFilters())) == [article_id]
    with engine.begin() as conn:
        conn.execute(articles.update().where(articles.c.id == article_id).values(story_id=7))  # not reindexed
        conn.execute(articles.delete().where(articles.c.id == article_id))
    assert search.search("corrected", SearchFilters()) == []
    search.rebuild()
    assert search.search("corrected", SearchFilters()) == []


def test_snippets_are_escaped_and_marked(engine: sa.Engine) -> None:
    insert(engine, title="<b>Bold</b> claim", text='He wrote <script>alert("x")</script> about the claim.')
    hit = backend_for(engine).search("claim", SearchFilters())[0]
    html = str(to_html(hit.snippet_marked)) + str(to_html(hit.title_marked))
    assert "<script>" not in html and "&lt;script&gt;" in html and "<mark>claim</mark>" in html.lower()
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html


def test_paging(engine: sa.Engine) -> None:
    made = [insert(engine, title=f"Storm update {i}", text="storm") for i in range(5)]
    search = backend_for(engine)
    pages = ids(search.search("storm", SearchFilters(), limit=2)) + ids(search.search("storm", SearchFilters(),
                                                                                      limit=2, offset=2))
    assert len(set(pages)) == 4 and set(pages) <= set(made)


def test_query_terms_are_quoted() -> None:
    assert query_terms('Gaza "talks" OR') == ["gaza", "talks", "or"]
    assert fts5_query(["gaza", "or"]) == '"gaza" "or"*'

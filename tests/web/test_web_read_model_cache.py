"""The home page's read models (trending, top stories and cards, languages) are computed once per store change:
reused while the store's stamp holds, computed again as soon as an article is stored (web.read_model_cache)."""

from __future__ import annotations

import sqlalchemy as sa
from starlette.testclient import TestClient
from web_story_rows import add_story

from newsdesk.config import Settings
from newsdesk.store.tables_core import articles
from newsdesk.web.app import create_app


def test_home_reuses_its_read_models_until_the_store_changes(sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, settings = sample_store
    _, article_ids = add_story(engine, [("Paper A", "en", "Read model lead story")])
    app = create_app(settings.replace(web_page_cache_seconds=0.0, web_read_model_seconds=300.0), engine)
    with TestClient(app) as web:
        assert "Read model lead story" in web.get("/").text
        with engine.begin() as conn:  # a change the stamp does not see: the kept read model stands
            conn.execute(articles.update().where(articles.c.id == article_ids[0]).values(title="Silently retitled"))
        page = web.get("/").text
        assert "Read model lead story" in page and "Silently retitled" not in page
        add_story(engine, [("Paper B", "en", "A story stored later")])  # the stamp moves: computed again
        page = web.get("/").text
        assert "A story stored later" in page and "Silently retitled" in page
    fresh = create_app(settings.replace(web_page_cache_seconds=0.0, web_read_model_seconds=0.0), engine)
    with TestClient(fresh) as web:
        with engine.begin() as conn:
            conn.execute(articles.update().where(articles.c.id == article_ids[0]).values(title="Retitled again"))
        assert "Retitled again" in web.get("/").text  # 0: computed on every request

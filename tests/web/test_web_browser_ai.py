"""The reader's AI features in Debian's chromium (Playwright): the ask box answers in place with citation chips, the
LLM summary streams from the scripted stub LLM and ends labelled "AI-generated", clickbait flags open to their
reasons, related articles show on the article page, and axe-core stays clean on the story page with these widgets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect
from test_web_ai_features import TEASER, full_text_stories
from test_web_browser import axe_violations
from web_servers import llm_stub_module, serve
from web_story_rows import add_story

from newsdesk.config import Settings
from newsdesk.web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def llm_server(sample_store: tuple[sa.Engine, Settings]) -> Iterator[str]:
    """The app configured with the scripted stub LLM (grounded answers), served on loopback."""
    engine, settings = sample_store
    with llm_stub_module().StubLLM() as stub:
        stub.mode = "grounded"
        configured = settings.replace(ai_llm_url=stub.url, ai_llm_model="stub-model", ai_llm_timeout=10.0)
        with serve(create_app(configured, engine)) as base:
            yield base


def test_ask_box_answers_in_place_with_citations(page: Page, live_server: str, sample_store) -> None:
    story_id = full_text_stories(sample_store[0], 1)[0]
    page.goto(f"{live_server}/stories/{story_id}")
    page.get_by_label("Your question about this story").fill("Who founded Pixar?")
    page.get_by_role("button", name="Ask").click()
    chips = page.locator("#ask-answer .answer-sentences .cite-chip")
    expect(chips.first).to_be_visible()
    expect(page).to_have_url(f"{live_server}/stories/{story_id}")  # answered by fetch, no navigation
    assert chips.first.inner_text().strip()
    chips.first.click()
    expect(page).to_have_url(re.compile(r"/articles/\d+$"))


def test_streamed_llm_summary_ends_labelled_ai_generated(page: Page, llm_server: str, sample_store) -> None:
    story_id = full_text_stories(sample_store[0], 4)[3]
    page.goto(f"{llm_server}/stories/{story_id}")
    summary = page.locator("section.summary")
    expect(summary.locator(".label-ai")).to_be_visible()
    expect(summary).not_to_have_attribute("data-stream", re.compile("."))
    expect(summary.get_by_role("heading", name="Perspectives")).to_be_visible()
    expect(summary.locator(".summary-sentences .cite").first).to_be_visible()
    assert axe_violations(page) == []


def test_clickbait_flag_opens_to_its_reasons(page: Page, live_server: str, sample_store) -> None:
    plain = "Harbour authority opens 2 new container terminals in Rotterdam after five-year build"
    story_id, ids = add_story(sample_store[0], [("Teaser Daily", "en", TEASER), ("Harbour Post", "en", plain)])
    page.goto(f"{live_server}/stories/{story_id}")
    expect(page.locator("h1")).to_have_text(plain)
    flag = page.locator(f"#a{ids[0]} details.flag")
    expect(flag.locator("summary")).to_have_text("clickbait?")
    expect(page.locator(f"#a{ids[1]} details.flag")).to_have_count(0)
    flag.locator("summary").click()
    expect(flag).to_contain_text("teaser phrase")
    page.goto(f"{live_server}/articles/{ids[0]}")
    expect(page.locator(".article details.flag summary")).to_be_visible()


def test_related_articles_on_the_article_page(page: Page, live_server: str, sample_store) -> None:
    engine = sample_store[0]
    story_id = full_text_stories(engine, 1)[0]
    with engine.connect() as conn:
        article_id = conn.exec_driver_sql("SELECT min(id) FROM articles WHERE story_id = ?", (story_id,)).scalar()
    page.goto(f"{live_server}/articles/{article_id}")
    related = page.locator("section.related")
    expect(related.get_by_role("heading", name="Other outlets on this story")).to_be_visible()
    cards = related.locator("article.card")
    expect(cards.first).to_be_visible()
    expect(cards.first.locator("time")).to_have_text(re.compile("ago"))
    expect(cards.first.locator(".excerpt")).not_to_be_empty()


def test_axe_clean_on_story_page_with_answer_and_flags(page: Page, live_server: str, sample_store) -> None:
    engine = sample_store[0]
    story_id = full_text_stories(engine, 1)[0]
    page.goto(f"{live_server}/stories/{story_id}")
    page.get_by_label("Your question about this story").fill("What can the new iPod play?")
    page.get_by_role("button", name="Ask").click()
    expect(page.locator("#ask-answer .cite-chip").first).to_be_visible()
    assert axe_violations(page) == []
    flagged, _ = add_story(engine, [("Teaser Daily", "en", TEASER), ("Other", "en", "Council votes on 2025 budget")])
    page.goto(f"{live_server}/stories/{flagged}")
    page.locator("details.flag summary").first.click()
    assert axe_violations(page) == []

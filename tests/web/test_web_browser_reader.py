"""The reader's first impressions in Debian's chromium over the ingested demo (issue 13): every topic tab lists
stories, "More stories" pages through top stories without repeats, and "Latest" lists stories newest first."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect
from web_servers import serve

from newsdesk.config import Settings
from newsdesk.web.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo_server(demo_store: tuple[sa.Engine, Settings]) -> Iterator[str]:
    engine, settings = demo_store
    with serve(create_app(settings, engine)) as base:
        yield base


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def card_ids(page: Page) -> list[str]:
    return [href.rsplit("/", 1)[1] for href in
            page.locator("section.stories article.card h2 a").evaluate_all("links => links.map(a => a.href)")]


def test_each_topic_tab_opens_a_list_of_stories(page: Page, demo_server: str) -> None:
    page.goto(demo_server + "/")
    labels = page.locator("nav.topics li a").all_inner_texts()[2:]  # after "Top stories" and "Latest"
    assert len(labels) == 8
    for label in labels:
        page.locator("nav.topics").get_by_role("link", name=label, exact=True).click()
        expect(page.locator("nav.topics a[aria-current=page]")).to_have_text(label)
        expect(page.get_by_role("heading", level=1)).to_have_text(label)
        expect(page.locator("section.stories article.card").first).to_be_visible()


def test_more_pages_through_top_stories_and_latest(page: Page, demo_server: str) -> None:
    page.goto(demo_server + "/")
    first = card_ids(page)
    assert len(first) == 20
    page.get_by_role("link", name="More stories").click()
    expect(page).to_have_url(re.compile(r"/\?page=2$"))
    second = card_ids(page)
    assert second and not set(first) & set(second)

    page.locator("nav.topics").get_by_role("link", name="Latest", exact=True).click()
    expect(page).to_have_url(demo_server + "/latest")
    expect(page.get_by_role("heading", level=1)).to_have_text("Latest")
    newest = card_ids(page)
    times = page.locator("section.stories article.card .card-text p.meta time").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('datetime'))")
    assert len(newest) == 20 and times == sorted(times, reverse=True)
    page.get_by_role("link", name="More stories").click()
    expect(page).to_have_url(re.compile(r"/latest\?page=2$"))
    assert not set(card_ids(page)) & set(newest)

"""Everyday reader tools in Debian's chromium against a real uvicorn server: save for later (the Save button, the
Saved page), Follow offered to a signed-out visitor (sign in and back), unfollow on the Following page, the offline
page listing cached stories and articles by title, and the install button shown when the browser offers it; axe-core
finds no serious violation on the pages involved."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, BrowserContext, Page, expect
from signed_in import session_cookie
from test_web_browser import axe_violations

from newsdesk.config import Settings
from newsdesk.store.users import create_user

pytestmark = pytest.mark.browser


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    made = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    made.set_default_timeout(15_000)
    yield made
    made.close()


def signed_in_page(context: BrowserContext, live_server: str, engine: sa.Engine) -> Page:
    name, value = session_cookie(engine)
    context.add_cookies([{"name": name, "value": value, "url": live_server}])
    return context.new_page()


def test_save_for_later_and_the_saved_page(context: BrowserContext, live_server: str,
                                           sample_store: tuple[sa.Engine, Settings]) -> None:
    page = signed_in_page(context, live_server, sample_store[0])
    page.goto(live_server + "/articles/3")
    title = page.locator(".article h1").inner_text()
    page.get_by_role("button", name="Save for later").click()
    expect(page.get_by_role("button", name="Saved")).to_have_attribute("aria-pressed", "true")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Saved", exact=True).click()
    expect(page.locator("h1")).to_have_text("Saved")
    expect(page.locator(".saved-list .headline")).to_have_text([title])
    assert axe_violations(page) == []
    page.get_by_role("button", name=re.compile(r"^Remove from Saved")).click()
    expect(page.locator(".empty")).to_contain_text("Nothing saved yet")


def test_follow_asks_a_signed_out_visitor_to_sign_in_and_returns(context: BrowserContext, live_server: str,
                                                                 sample_store: tuple[sa.Engine, Settings]) -> None:
    with sample_store[0].begin() as conn:
        create_user(conn, "fern", "fern-password")
    page = context.new_page()
    page.goto(live_server + "/stories/2")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Follow", exact=True).click()
    expect(page.locator("h1")).to_have_text("Sign in")
    page.get_by_label("User name").fill("fern")
    page.get_by_label("Password").fill("fern-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_server + "/stories/2")
    page.get_by_role("button", name="Follow", exact=True).click()
    expect(page.get_by_role("button", name="Following")).to_have_attribute("aria-pressed", "true")


def test_unfollow_on_the_following_page(context: BrowserContext, live_server: str,
                                        sample_store: tuple[sa.Engine, Settings]) -> None:
    page = signed_in_page(context, live_server, sample_store[0])
    page.goto(live_server + "/stories/2")
    page.get_by_role("button", name="Follow", exact=True).click()
    page.goto(live_server + "/following")
    expect(page.locator(".following-list .card-title")).to_have_count(1)
    assert axe_violations(page) == []
    page.get_by_role("button", name=re.compile(r"^Unfollow")).click()
    expect(page).to_have_url(live_server + "/following")
    expect(page.locator(".empty")).to_contain_text("You follow no story yet")


def test_offline_page_lists_cached_stories_and_articles_by_title(context: BrowserContext, live_server: str) -> None:
    page = context.new_page()
    page.goto(live_server + "/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.goto(live_server + "/stories/2")
    story_title = page.locator(".story-head h1").inner_text()
    page.goto(live_server + "/articles/3")
    article_title = page.locator(".article h1").inner_text()
    context.set_offline(True)
    try:
        page.goto(live_server + "/articles/99")  # never opened: the offline page
        expect(page.locator("h1")).to_have_text("You are offline")
        expect(page.locator("#offline-stories a")).to_have_text([story_title])
        expect(page.locator("#offline-articles a")).to_have_text([article_title])
        assert axe_violations(page) == []
        page.get_by_role("link", name=story_title).click()
        expect(page.locator(".story-head h1")).to_have_text(story_title)
    finally:
        context.set_offline(False)


def test_install_button_appears_only_when_the_browser_offers_it(context: BrowserContext, live_server: str) -> None:
    page = context.new_page()
    page.goto(live_server + "/")
    install = page.get_by_role("button", name="Install app")
    expect(install).to_be_hidden()
    page.evaluate("""() => {
        const offer = new Event("beforeinstallprompt", {cancelable: true});
        offer.prompt = () => { window.promptShown = true; return Promise.resolve(); };
        window.dispatchEvent(offer);
    }""")
    expect(install).to_be_visible()
    assert axe_violations(page) == []
    install.click()
    assert page.evaluate("window.promptShown") is True
    expect(install).to_be_hidden()

"""The people features in Debian's chromium against a real uvicorn server: sign in from a story page and come back
to it, follow the story, comment, find it under Following, open the account page, sign out; axe-core finds no
serious violation on the sign-in page, a story with comments, the Following page and the account page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, expect
from test_web_browser import axe_violations

from newsdesk.config import Settings
from newsdesk.store.users import create_user

pytestmark = pytest.mark.browser


def test_sign_in_follow_comment_and_sign_out(browser: Browser, live_server: str,
                                              sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    with engine.begin() as conn:
        create_user(conn, "rita", "rita-password")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(live_server + "/stories/1")
    page.get_by_role("link", name="Sign in to comment").click()
    expect(page.locator("h1")).to_have_text("Sign in")
    assert axe_violations(page) == []
    page.get_by_label("User name").fill("rita")
    page.get_by_label("Password").fill("rita-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_server + "/stories/1")
    page.get_by_role("button", name="Follow").click()
    expect(page.get_by_role("button", name="Following")).to_have_attribute("aria-pressed", "true")
    page.get_by_label("Your comment").fill("Useful coverage, thanks.\nSecond line.")
    page.get_by_role("button", name="Post").click()
    expect(page.locator(".comment-body").last).to_have_text("Useful coverage, thanks.\nSecond line.")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Following").click()
    expect(page.locator(".following-list a").first).to_be_visible()
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 640})  # the signed-in header still fits a small phone
    for path in ("/stories/1", "/following", "/account"):
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/")
    page.get_by_role("link", name="rita").click()
    expect(page.locator("h1")).to_have_text("Your account")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    context.close()

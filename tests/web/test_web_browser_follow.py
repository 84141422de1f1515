"""Following a story in Debian's chromium against a real uvicorn server: follow a story, new coverage arrives (a
wire copy and a report with a new fact), the story page shows only the new fact under "Since you last read" and the
timeline, a saved-search alert is saved; axe-core finds no serious violation on the story and alerts pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, expect
from support.wildfire import NEW_FACT, add_later_coverage, add_wildfire_story
from test_web_browser import axe_violations

from newsdesk.config import Settings
from newsdesk.store.users import create_user

pytestmark = pytest.mark.browser


def test_follow_see_the_delta_and_the_timeline_and_save_an_alert(browser: Browser, live_server: str,
                                                                sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    with engine.begin() as conn:
        create_user(conn, "fenna", "fenna-password")
    story_id, first = add_wildfire_story(engine, datetime.now(UTC))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(live_server + f"/login?next=/stories/{story_id}")
    page.get_by_label("User name").fill("fenna")
    page.get_by_label("Password").fill("fenna-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_server + f"/stories/{story_id}")
    page.get_by_role("button", name="Follow").click()
    expect(page.get_by_role("button", name="Following")).to_have_attribute("aria-pressed", "true")
    add_later_coverage(engine, story_id, first, datetime.now(UTC))
    page.reload()
    delta = page.locator("section.delta")
    expect(delta).to_contain_text(NEW_FACT)
    expect(delta).to_contain_text("1 wire copy left out")
    expect(delta.locator("li")).to_have_count(1)
    expect(page.locator(".story-timeline li")).to_have_count(2)
    expect(page.locator(".lineage")).to_contain_text("Daily Courier")
    assert axe_violations(page) == []
    page.goto(live_server + "/alerts")
    page.get_by_label("Keywords (every word must occur)").fill("wildfire firefighters")
    page.get_by_role("button", name="Save alert").click()
    expect(page.locator(".following-list .card-title").first).to_have_text("wildfire firefighters")
    assert axe_violations(page) == []
    context.close()

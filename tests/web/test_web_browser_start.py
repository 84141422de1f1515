"""The first-run page in Debian's chromium, signed in as an admin of an empty install: the sources page points to
it, axe-core finds no violation (in English and in Arabic, right to left), it fits a 320 px phone, and picking an
edition and a topic adds their feeds."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, expect
from test_web_browser_sources import admin, admin_site, axe_all  # noqa: F401 - fixtures used by name

pytestmark = pytest.mark.browser


def test_pick_an_edition_and_a_topic_on_the_first_run_page(admin: BrowserContext, admin_site: str) -> None:  # noqa: F811
    page = admin.new_page()
    page.goto(admin_site + "/sources")
    page.get_by_role("link", name="Start with an edition").click()
    expect(page.locator("h1")).to_have_text("Start with an edition")
    assert axe_all(page) == []
    page.get_by_role("button", name="Add the chosen editions and topics").click()
    expect(page.get_by_role("alert")).to_contain_text("Pick at least one edition or topic.")
    page.get_by_label("USA | Texas").check()
    page.get_by_label("AI 91 feeds").check()
    page.get_by_role("button", name="Add the chosen editions and topics").click()
    expect(page.get_by_role("status")).to_contain_text("2 editions and topics added")
    expect(page.locator(".page-head .date")).to_contain_text("121 sources")
    page.goto(admin_site + "/sources/start")
    expect(page.get_by_label("USA | Texas")).to_be_disabled()
    assert axe_all(page) == []


def test_the_first_run_page_in_arabic_and_on_a_phone(admin: BrowserContext, admin_site: str) -> None:  # noqa: F811
    page = admin.new_page()
    page.goto(admin_site + "/sources/start?ui=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_label("ألمانيا", exact=False).first).to_be_visible()
    assert axe_all(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(admin_site + "/sources/start")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_failing_feeds_list_has_no_violation(admin: BrowserContext, admin_site: str, engine) -> None:  # noqa: F811
    from datetime import UTC, datetime

    from newsdesk.store.sources import add_source, record_failure

    with engine.begin() as conn:
        dead, _ = add_source(conn, "https://gone.example/feed", name="Gone Daily")
        record_failure(conn, dead, now=datetime.now(UTC), error="HTTP 410 Gone", next_check_at=datetime.now(UTC),
                       interval=300, failing_after=1)
    page = admin.new_page()
    page.goto(admin_site + "/sources")
    expect(page.get_by_role("heading", name="1 feed stopped working")).to_be_visible()
    assert axe_all(page) == []

"""Managing sources in Debian's chromium against a real uvicorn server, signed in as an admin: a bad address gets
its reason in words (what was typed stays), a loopback feed is added, edited, paused, resumed, refreshed and
removed after a confirmation; axe-core finds no violation on the list, a source's page, the error and the
confirmation, and the pages fit a 320 px phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from loopback_feeds import FEED_PATH, loopback_site
from playwright.sync_api import Browser, BrowserContext, Page, expect
from signed_in import session_cookie
from test_web_browser import AXE
from web_servers import serve

from newsdesk.config import Settings
from newsdesk.web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_site(engine: sa.Engine, settings: Settings) -> Iterator[str]:
    """The app over a fresh store, served on loopback; fetching loopback feeds is allowed and quick."""
    quick = settings.replace(fetch_per_host_delay=0.0, fetch_total_timeout=2.0)
    with serve(create_app(quick, engine)) as base:
        yield base


@pytest.fixture
def admin(browser: Browser, engine: sa.Engine, admin_site: str) -> Iterator[BrowserContext]:
    """A browser context carrying an admin's session cookie."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    name, value = session_cookie(engine, "admin", "editor")
    context.add_cookies([{"name": name, "value": value, "url": admin_site}])
    yield context
    context.close()


def axe_all(page: Page) -> list[str]:
    """Every axe-core violation of the page, whatever its impact, as 'rule: target' strings."""
    page.evaluate(AXE.read_text(encoding="utf-8"))  # by the test driver: the pages' CSP forbids injected <script>
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]]


def _fits_a_phone(page: Page, url: str) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
    page.set_viewport_size({"width": 1280, "height": 900})


def test_add_edit_pause_refresh_and_remove_a_source(admin: BrowserContext, admin_site: str) -> None:
    page = admin.new_page()
    with loopback_site() as feeds:
        page.goto(admin_site + "/sources")
        expect(page.locator("h1")).to_have_text("Sources")
        assert axe_all(page) == []
        address = page.get_by_label("Feed or site address")
        address.fill(feeds + "/page.html")
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.get_by_role("alert")).to_contain_text("No feed was found there")
        expect(address).to_have_value(feeds + "/page.html")
        assert axe_all(page) == []
        address.fill(feeds + FEED_PATH)
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("Source added.")
        expect(page.locator("h1")).to_have_text("Loopback News")
    source_url = page.url.split("?")[0]
    assert axe_all(page) == []

    page.get_by_label("Name").fill("Loopback Daily")
    page.get_by_label("Language code").fill("en")
    page.get_by_label("Region code").fill("LB")
    page.get_by_label("Topics, separated by commas").fill("World, Tech")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Changes saved.")
    expect(page.locator("h1")).to_have_text("Loopback Daily")
    page.get_by_label("Region code").fill("Lebanon")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("two-letter country code")
    expect(page.get_by_label("Region code")).to_have_value("Lebanon")
    assert axe_all(page) == []

    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("status")).to_contain_text("Source paused")
    expect(page.get_by_role("button", name="Refresh now")).to_have_count(0)
    assert axe_all(page) == []
    page.get_by_role("link", name="All sources").click()
    expect(page.locator(".source .chip-paused")).to_have_text("Paused")
    page.get_by_role("link", name="Manage Loopback Daily").click()
    page.get_by_role("button", name="Resume").click()
    expect(page.get_by_role("status")).to_contain_text("Source resumed")
    page.get_by_role("button", name="Refresh now").click()
    expect(page.get_by_role("status")).to_contain_text("will be fetched within a minute")

    _fits_a_phone(page, admin_site + "/sources")
    _fits_a_phone(page, source_url)
    page.goto(source_url)
    page.get_by_role("link", name="Remove…").click()
    expect(page.locator("h1")).to_have_text("Remove this source?")
    expect(page.locator("main")).to_contain_text("It has delivered no articles.")  # never fetched here
    assert axe_all(page) == []
    page.get_by_role("button", name="Remove", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Source removed.")
    expect(page.locator(".sources")).not_to_contain_text("Loopback Daily")
    assert axe_all(page) == []


def test_arabic_source_page_reads_right_to_left_without_violations(admin: BrowserContext, admin_site: str,
                                                                    engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO sources (feed_url, name, topics, added_at, status, error_count, last_error,"
                             " last_error_at) VALUES ('https://daily.example/feed', 'النهار', '[]',"
                             " '2026-12-01 10:00:00', 'failing', 3, 'HTTP 503', '2026-12-04 10:00:00')")
    page = admin.new_page()
    page.goto(admin_site + "/sources?ui=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".sources")).to_contain_text("3 أخطاء متتالية")
    assert axe_all(page) == []
    page.get_by_role("link", name="إدارة النهار").click()
    expect(page.locator("h1")).to_have_text("النهار")
    assert axe_all(page) == []

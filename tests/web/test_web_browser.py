"""End-to-end tests in Debian's chromium (Playwright, no browser download) against a real uvicorn server.

Covers the reader's journeys (home, story, article with related articles, search, edition and language), RTL,
dark mode, keyboard shortcuts, 320 px layout, the PWA (manifest, service worker, offline reading) and axe-core
(from npm, tests/web/node_modules) with no serious or critical violation on any page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    made = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    made.set_default_timeout(15_000)
    yield made
    made.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def axe_violations(page: Page) -> list[str]:
    """Serious and critical axe-core violations of the page as 'rule: target' strings."""
    if not AXE.is_file():
        pytest.fail(f"axe-core missing: run `npm install --prefix tests/web` ({AXE})")
    page.evaluate(AXE.read_text(encoding="utf-8"))  # by the test driver: the pages' CSP forbids injected <script>
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


def test_home_story_article_journey(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    expect(page.locator("article.card").first).to_be_visible()
    page.locator("article.card h2 a").first.click()
    expect(page).to_have_url(f"{live_server}/stories/1")
    expect(page.locator("svg.chart rect").first).to_be_visible()
    expect(page.get_by_role("heading", name="Who covers it")).to_be_visible()
    page.locator(".outlet-block a[data-open]").first.click()
    expect(page).to_have_url(re.compile(r"/articles/\d+$"))
    expect(page.locator(".article h1")).to_have_count(1)
    expect(page.locator(".related article.card").first).to_be_visible()


def test_search_with_slash_shortcut(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("ipod video")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=ipod\+video"))
    expect(page.locator(".hits mark").first).to_be_visible()


def test_edition_and_language_switch(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.select_option("#edition", "ES")
    expect(page).to_have_url(re.compile("edition=ES"))
    expect(page.locator("h1")).to_have_text("Spain")
    page.select_option("#lang", "es")
    expect(page).to_have_url(re.compile("lang=es"))
    expect(page.locator("article.card").first).to_be_visible()
    page.get_by_role("link", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    expect(page.locator(".topics a").first).to_have_text("أهم الأخبار")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def test_arabic_article_renders_right_to_left(page: Page, live_server: str) -> None:
    page.goto(live_server + "/?lang=ar")
    page.locator(".others a, .card .headline a").first.click()
    if "/stories/" in page.url:
        page.locator('li[lang="ar"] a[data-open]').first.click()
    article = page.locator("article.article")
    expect(article).to_have_attribute("dir", "rtl")
    assert article.evaluate("el => getComputedStyle(el.querySelector('h1')).direction") == "rtl"
    expect(page.locator("html")).to_have_attribute("dir", "ltr")  # the interface stays English


def test_dark_mode_follows_system_and_toggle(browser: Browser, live_server: str) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(live_server + "/")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.click("#theme-toggle")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark == "rgb(17, 20, 24)" and light == "rgb(246, 248, 252)"
    page.reload()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == light  # the choice is kept
    context.close()


def test_keyboard_navigation_and_help(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(page.locator("[data-nav-item].is-current")).to_have_count(1)
    second = page.locator("[data-nav-item]").nth(1)
    expect(second).to_have_class(re.compile("is-current"))
    page.keyboard.press("k")
    expect(page.locator("[data-nav-item]").first).to_have_class(re.compile("is-current"))
    page.keyboard.press("o")
    expect(page).to_have_url(re.compile(r"/stories/\d+$"))
    page.wait_for_load_state("load")  # the story page's script must be running before its shortcuts answer
    page.keyboard.press("?")
    expect(page.locator("dialog#help")).to_be_visible()


def test_narrow_screen_has_no_horizontal_scroll(browser: Browser, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in ("/", "/stories/1", "/articles/2", "/search?q=bitcoin", "/sources"):
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    context.close()


def test_no_layout_shift_on_home(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.wait_for_load_state("networkidle")
    shift = page.evaluate("""() => new Promise(resolve => {
        let total = 0;
        new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
          .observe({type: 'layout-shift', buffered: true});
        setTimeout(() => resolve(total), 500);
    })""")
    assert shift < 0.05
    for image in page.locator("img").all():
        assert image.get_attribute("width") and image.get_attribute("height")


def test_pwa_manifest_service_worker_and_offline_reading(context: BrowserContext, live_server: str) -> None:
    page = context.new_page()
    page.goto(live_server + "/")
    manifest = page.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
    assert manifest["display"] == "standalone"
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == live_server + "/"
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.goto(live_server + "/articles/3")
    title = page.locator(".article h1").inner_text()
    page.goto(live_server + "/stories/2")
    context.set_offline(True)
    page.goto(live_server + "/articles/3")
    expect(page.locator(".article h1")).to_have_text(title)
    page.goto(live_server + "/articles/99")  # never opened: the offline page
    expect(page.locator("h1")).to_have_text("You are offline")
    context.set_offline(False)


@pytest.mark.parametrize("path", ["/", "/?ui=ar", "/stories/1", "/articles/2", "/search?q=bitcoin", "/sources",
                                  "/offline"])
def test_axe_finds_no_serious_violations(page: Page, live_server: str, path: str) -> None:
    page.goto(live_server + path)
    assert axe_violations(page) == []


def test_axe_dark_mode(browser: Browser, live_server: str) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    for path in ("/", "/stories/1"):
        page.goto(live_server + path)
        assert axe_violations(page) == [], path
    context.close()

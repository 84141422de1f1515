"""The Content-Security-Policy in Debian's chromium: planted script does not run, and the site's own pages break
nothing under it.

A page with a planted ``javascript:`` link, an inline ``<script>``, an ``onerror=`` attribute and a ``style=``
attribute is served through the app's own :class:`SecurityHeaders` middleware: none of them runs or applies (the
same page served without the middleware runs all three, so the test can tell), while a publisher's image from
another origin still shows. The sample site's home, story and article pages log no CSP violation, and their own
script works: theme toggle, keyboard shortcuts, outlet colours.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from web_servers import serve

from newsdesk.web.http.headers import SecurityHeaders
from newsdesk.web.templating import STATIC_DIR

pytestmark = pytest.mark.browser

PLANTED = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>clean</title></head><body>
<a id="planted" href="javascript:void(document.title+=' link')">read more</a>
<script>document.title += ' inline';</script>
<img id="broken" src="/missing.png" alt="" onerror="document.title+=' onerror'">
<p id="styled" style="color: rgb(255, 0, 0)">styled</p>
<img id="lead" src="{image}" width="8" height="8" alt="">
</body></html>"""
WATCH_VIOLATIONS = """window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));"""


def planted_app(image: str) -> Starlette:
    def page(request: Request) -> Response:
        return HTMLResponse(PLANTED.format(image=image))

    def missing(request: Request) -> Response:
        return Response(status_code=404)

    return Starlette(routes=[Route("/planted", page), Route("/missing.png", missing)])


def publisher_app() -> Starlette:
    def image(request: Request) -> Response:
        return Response((STATIC_DIR / "icons" / "icon-192.png").read_bytes(), media_type="image/png")

    return Starlette(routes=[Route("/lead.png", image)])


@pytest.fixture(scope="module")
def publisher() -> Iterator[str]:
    """Another origin (its own port) serving a lead image, as a publisher's CDN does."""
    with serve(publisher_app()) as base:
        yield base + "/lead.png"


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    made = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    made.set_default_timeout(15_000)
    made.add_init_script(WATCH_VIOLATIONS)  # injected by the browser itself: the page's CSP does not apply to it
    yield made
    made.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def csp_console(page: Page) -> list[str]:
    """What chromium's console says about the Content Security Policy on ``page``."""
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text) if "Content Security Policy" in message.text
            else None)
    return messages


def visit_planted(page: Page, base: str) -> None:
    page.goto(base + "/planted")
    page.wait_for_function("document.getElementById('broken').complete")
    page.wait_for_function("document.getElementById('lead').complete")
    page.click("#planted")
    page.wait_for_timeout(300)  # a javascript: URL runs asynchronously after the click, when it runs at all


def test_planted_script_and_style_do_nothing_under_the_policy(page: Page, csp_console: list[str],
                                                              publisher: str) -> None:
    with serve(SecurityHeaders(planted_app(publisher))) as base:
        visit_planted(page, base)
        assert page.title() == "clean"
        violated = set(page.evaluate("window.__violations"))
        assert {"script-src-elem", "script-src-attr", "style-src-attr"} <= violated, violated
        assert len(csp_console) >= 3  # chromium says so on the console too (what the site-page tests listen for)
        assert page.evaluate("getComputedStyle(document.getElementById('styled')).color") != "rgb(255, 0, 0)"
        assert page.evaluate("document.getElementById('lead').naturalWidth") == 192  # publishers' images show


def test_without_the_policy_the_same_page_runs_all_three(page: Page, publisher: str) -> None:
    with serve(planted_app(publisher)) as base:
        visit_planted(page, base)
        assert sorted(page.title().split()) == ["clean", "inline", "link", "onerror"]


@pytest.mark.parametrize("path", ["/", "/stories/1", "/articles/1", "/search?q=the", "/stories/1?ui=ar"])
def test_site_pages_break_no_rule_and_their_script_works(page: Page, csp_console: list[str], live_server: str,
                                                         path: str) -> None:
    page.goto(live_server + path)
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_class("js")  # theme.js ran before paint
    before = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.click("#theme-toggle")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != before
    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    page.keyboard.press("Escape")
    badge = page.locator(".badge").first
    if badge.count():
        assert badge.evaluate("el => getComputedStyle(el).getPropertyValue('--hue').trim()").isdigit()
    assert page.evaluate("window.__violations") == []
    assert csp_console == []


def test_home_keyboard_navigation_under_the_policy(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.keyboard.press("j")
    expect(page.locator("article.card.is-current")).to_have_count(1)
    page.keyboard.press("o")
    expect(page).to_have_url(f"{live_server}/stories/1")
    assert page.evaluate("window.__violations") == []

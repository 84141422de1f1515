#!/usr/bin/env python3
"""Screenshots of every reader page at 390 px (phone) and 1280 px (desktop) into docs/screenshots/.

By default the pages show data made by the real pipeline: the bundled demo newswire (``DemoNewswire``, every
article released) is started on loopback, its publishers are registered as sources and one ingest pass fetches,
extracts, clusters and summarises them (a minute or two). ``--store PATH`` keeps that store (and the wire's port,
so article images resolve) for the next run. ``--sample`` shows the labelled dev sets instead
(sample_site: Arabic and 30 other languages, no pipeline). The app is served with uvicorn on a free
loopback port and shot with Debian's chromium through Playwright (no browser download). The sources page is for
admins: an ``admin`` account is made in the store (or given a new random password) and signs in through the
sign-in form before it is shot. ``--icons`` also renders the app icons (PNG) from static/icons/icon.svg.

usage: .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--store PATH] [--sample] [--icons]
"""

from __future__ import annotations

import argparse
import contextlib
import re
import secrets
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # support.sample_site: the sample store (a test fixture, not shipped)

from support.sample_site import load_sample  # noqa: E402

from newsdesk.config import Settings, load_settings  # noqa: E402
from newsdesk.store.db import open_store  # noqa: E402
from newsdesk.store.users import account_by_name, create_user, set_password, set_role  # noqa: E402
from newsdesk.web.app import create_app  # noqa: E402
from newsdesk.web.templating import STATIC_DIR  # noqa: E402

SHARED_DATA = ROOT.parent / "shared" / "data" / "clustering-dev"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
WIDTHS = {"390": (390, 844), "1280": (1280, 900)}
ADMIN_PAGES = ("sources",)  # pages only an admin may see: shot signed in
ADMIN_NAME = "admin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(settings: Settings, engine: sa.Engine) -> Iterator[str]:
    """The app over ``engine`` served by uvicorn on a free 127.0.0.1 port; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, engine), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextlib.contextmanager
def sample_store(workdir: Path) -> Iterator[tuple[Settings, sa.Engine]]:
    """A fresh store of the labelled dev sets (no pipeline)."""
    url = f"sqlite:///{workdir / 'sample.sqlite3'}"
    engine = open_store(url)
    load_sample(engine, SHARED_DATA)
    try:
        yield load_settings(env={"NEWSDESK_DATABASE_URL": url}, config_file=workdir / "absent.toml"), engine
    finally:
        engine.dispose()


@contextlib.contextmanager
def demo_store(path: Path) -> Iterator[tuple[Settings, sa.Engine]]:
    """A store filled by the real pipeline from the demo newswire, which keeps running (it serves the images).

    The store at ``path`` is reused when it exists; ``path.port`` remembers the wire's port so image URLs resolve.
    """
    from newsdesk.demo.server import DemoNewswire
    from newsdesk.serve import add_demo_sources
    from newsdesk.tasks.ingest import fetch_pass

    port_file = path.with_suffix(".port")
    fresh = not path.exists() or not port_file.exists()
    port = free_port() if fresh else int(port_file.read_text())
    url = f"sqlite:///{path}"
    settings = load_settings(env={"NEWSDESK_DATABASE_URL": url}, config_file=path.parent / "absent.toml")
    wire = DemoNewswire(release_all=True)
    wire.start_servers(port=port)
    engine = open_store(url)
    try:
        if fresh:
            add_demo_sources(engine, wire.sources())
            started = time.monotonic()
            ingest = settings.replace(fetch_allow_networks=("127.0.0.0/8",), fetch_per_host_delay=0.0)
            print(fetch_pass(engine, ingest).line(), f"({time.monotonic() - started:.0f} s)", flush=True)
            port_file.write_text(str(port))
        yield settings, engine
    finally:
        engine.dispose()
        wire.stop()


def first_id(engine: sa.Engine, sql: str) -> int | None:
    with engine.connect() as conn:
        return conn.exec_driver_sql(sql + " LIMIT 1").scalar()


def pages(base: str, engine: sa.Engine) -> dict[str, str]:
    """Each page once: the story with the widest coverage, an article of it (it has related articles), a search
    for a word of that story's title, and an Arabic article when the store has one (else the same article)."""
    story = first_id(engine, "SELECT id FROM stories WHERE merged_into IS NULL "
                             "ORDER BY outlet_count DESC, article_count DESC, id")
    article = first_id(engine, f"SELECT id FROM articles WHERE story_id = {story} AND duplicate_of IS NULL "
                               "ORDER BY length(text) DESC, id")
    arabic = first_id(engine, "SELECT id FROM articles WHERE language = 'ar' ORDER BY id") or article
    with engine.connect() as conn:
        title = conn.exec_driver_sql(f"SELECT title FROM stories WHERE id = {story}").scalar() or "news"
    query = max(re.findall(r"\w{4,}", title) or ["news"], key=len)
    return {
        "home": f"{base}/", "home-fr": f"{base}/?ui=fr", "home-ar": f"{base}/?ui=ar",
        "story": f"{base}/stories/{story}", "article": f"{base}/articles/{article}",
        "article-ar": f"{base}/articles/{arabic}?ui=ar", "search": f"{base}/search?q={quote(query)}",
        "sources": f"{base}/sources",
    }


def admin_password(engine: sa.Engine) -> str:
    """A new random password of the store's ``admin`` account (created, or made an admin, when needed)."""
    password = secrets.token_urlsafe(18)
    with engine.begin() as conn:
        if account_by_name(conn, ADMIN_NAME) is None:
            create_user(conn, ADMIN_NAME, password, "admin")
        else:
            set_password(conn, ADMIN_NAME, password)
            set_role(conn, ADMIN_NAME, "admin")
    return password


def sign_in(page: Page, base: str, password: str, back: str) -> None:
    """Sign in as the admin through the sign-in form, which returns to ``back``."""
    page.goto(f"{base}/login?next={quote(back)}", wait_until="networkidle")
    page.fill("#username", ADMIN_NAME)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{base}{back}")


def shoot(out: Path, base: str, engine: sa.Engine, browser: Browser) -> list[Path]:
    written = []
    targets = pages(base, engine)
    password = admin_password(engine)
    for width, (w, h) in WIDTHS.items():
        for scheme in ("light", "dark"):
            if scheme == "dark" and width != "390":
                continue
            context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme,
                                          locale="en-US", device_scale_factor=1)
            page = context.new_page()
            for name, url in targets.items():
                if scheme == "dark" and name not in ("home", "story"):
                    continue
                context.clear_cookies()  # a ?ui= choice of one page must not carry over to the next
                if name in ADMIN_PAGES:
                    sign_in(page, base, password, url.removeprefix(base))
                page.goto(url, wait_until="networkidle")
                path = out / f"{name}{'-dark' if scheme == 'dark' else ''}-{width}.png"
                page.screenshot(path=str(path))
                written.append(path)
            context.close()
    written.append(shoot_answer(out, targets["story"], browser))
    return written


def shoot_answer(out: Path, story_url: str, browser: Browser) -> Path:
    """The story page scrolled to 'Ask about this story' with an answer (passages and their sources)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", device_scale_factor=1)
    page = context.new_page()
    page.goto(story_url, wait_until="networkidle")
    page.fill("#ask-question", "What happened next?")
    page.click("form[data-ask] button[type=submit]")
    page.wait_for_selector("#ask-answer .answer, #ask-answer [role=alert]")
    page.locator("section.ask").evaluate("el => window.scrollTo(0, el.offsetTop - 80)")
    path = out / "story-ask-1280.png"
    page.screenshot(path=str(path))
    context.close()
    return path


def render_icons(browser: Browser) -> None:
    svg = (STATIC_DIR / "icons" / "icon.svg").read_text(encoding="utf-8")
    for name, size, pad in (("icon-192.png", 192, 0), ("icon-512.png", 512, 0), ("icon-maskable-512.png", 512, 64)):
        page = browser.new_page(viewport={"width": size, "height": size})
        inner = size - 2 * pad
        sized = svg.replace("<svg ", "<svg width=100% height=100% ", 1)
        background = "transparent" if pad == 0 else "#1a56c4"
        page.set_content(f'<body style="margin:0;background:{background};display:grid;'
                         f'place-items:center;height:{size}px">'
                         f'<div style="width:{inner}px;height:{inner}px">{sized}</div></body>')
        page.screenshot(path=str(STATIC_DIR / "icons" / name), omit_background=pad == 0)
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--icons", action="store_true", help="also render the PNG app icons from the SVG")
    parser.add_argument("--store", type=Path, help="keep the demo store here and reuse it on the next run")
    parser.add_argument("--sample", action="store_true", help="the labelled dev sets instead of the demo pipeline")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    # the store first: the ingest pass runs its own event loop, which cannot start inside Playwright's
    with tempfile.TemporaryDirectory(prefix="newsdesk-shots-") as tmp:
        store = sample_store(Path(tmp)) if args.sample else demo_store(args.store or Path(tmp) / "demo.sqlite3")
        with store as (settings, engine), serving(settings, engine) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            if args.icons:
                render_icons(browser)
            for path in shoot(args.out, base, engine, browser):
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
            browser.close()

if __name__ == "__main__":
    main()

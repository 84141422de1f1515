#!/usr/bin/env python3
"""Screenshots of every reader page at 390 px (phone) and 1280 px (desktop) into docs/screenshots/.

Builds a sample store from ../shared/data/clustering-dev (newsdesk.web.sample_site), serves it with uvicorn on a
free loopback port, and drives Debian's chromium through Playwright (no browser download). ``--icons`` also renders
the app icons (PNG) from static/icons/icon.svg.

usage: .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--icons]
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
import uvicorn
from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsdesk.config import load_settings  # noqa: E402
from newsdesk.store.db import open_store  # noqa: E402
from newsdesk.web.app import create_app  # noqa: E402
from newsdesk.web.sample_site import load_sample  # noqa: E402
from newsdesk.web.templating import STATIC_DIR  # noqa: E402

SHARED_DATA = ROOT.parent / "shared" / "data" / "clustering-dev"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
WIDTHS = {"390": (390, 844), "1280": (1280, 900)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_sample(workdir: Path) -> Iterator[tuple[str, sa.Engine]]:
    """A uvicorn server on 127.0.0.1 over a fresh sample store; yields its base URL and the store."""
    url = f"sqlite:///{workdir / 'sample.sqlite3'}"
    engine = open_store(url)
    load_sample(engine, SHARED_DATA)
    settings = load_settings(env={"NEWSDESK_DATABASE_URL": url}, config_file=workdir / "absent.toml")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, engine), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", engine
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


def first_id(engine: sa.Engine, sql: str) -> int:
    with engine.connect() as conn:
        return conn.exec_driver_sql(sql + " LIMIT 1").scalar_one()


def pages(base: str, engine: sa.Engine) -> dict[str, str]:
    """Each page once; the story and article shown are multilingual ones with full text."""
    story = first_id(engine, "SELECT id FROM stories WHERE languages LIKE '%\"nl\"%' ORDER BY article_count DESC")
    article = first_id(engine, f"SELECT id FROM articles WHERE story_id = {story} AND language = 'en'")
    arabic = first_id(engine, "SELECT id FROM articles WHERE language = 'ar' ORDER BY id")
    return {
        "home": f"{base}/", "home-fr": f"{base}/?ui=fr", "home-ar": f"{base}/?lang=ar&ui=ar",
        "story": f"{base}/stories/{story}", "article": f"{base}/articles/{article}",
        "article-ar": f"{base}/articles/{arabic}?ui=ar", "search": f"{base}/search?q=ipod+video",
        "sources": f"{base}/sources",
    }


def shoot(out: Path, base: str, engine: sa.Engine, browser: Browser) -> list[Path]:
    written = []
    targets = pages(base, engine)
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
                page.goto(url, wait_until="networkidle")
                path = out / f"{name}{'-dark' if scheme == 'dark' else ''}-{width}.png"
                page.screenshot(path=str(path))
                written.append(path)
            context.close()
    return written


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
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        if args.icons:
            render_icons(browser)
        with tempfile.TemporaryDirectory(prefix="newsdesk-shots-") as tmp, serve_sample(Path(tmp)) as (base, engine):
            for path in shoot(args.out, base, engine, browser):
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        browser.close()


if __name__ == "__main__":
    main()

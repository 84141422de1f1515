"""The command line as a user runs it: a real process, a real SQLite file, the demo newswire on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.demo.server import DemoNewswire  # the `wire` fixture (tests/conftest.py) serves it

CLI = str(Path(sys.executable).parent / "newsdesk")


def run(tmp_path: Path, *args: str, allow_loopback: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSDESK_FETCH_PER_HOST_DELAY": "0", "NEWSDESK_DATA_DIR": str(tmp_path / "data")}
    env.pop("NEWSDESK_FETCH_ALLOW_NETWORKS", None)
    if allow_loopback:
        env["NEWSDESK_FETCH_ALLOW_NETWORKS"] = "127.0.0.0/8"
    return subprocess.run([CLI, "--db", f"sqlite:///{tmp_path / 'cli.sqlite3'}", *args], capture_output=True,
                          text=True, env=env, timeout=600)


def test_add_by_site_url_discovers_the_feed_and_by_sitemap_for_a_site_without_one(tmp_path: Path,
                                                                                  wire: DemoNewswire) -> None:
    site = wire.bases["harbour"] + "/"
    added = run(tmp_path, "sources", "add", site, "--region", "gb", "--topic", "world")
    assert added.returncode == 0, added.stderr
    assert f"{wire.bases['harbour']}/atom.xml" in added.stdout
    sitemap_site = run(tmp_path, "sources", "add", wire.bases["metro"] + "/")
    assert sitemap_site.returncode == 0, sitemap_site.stderr
    assert "news-sitemap.xml" in sitemap_site.stdout and "(sitemap)" in sitemap_site.stdout
    again = run(tmp_path, "sources", "add", site)
    assert "already known" in again.stdout
    listing = run(tmp_path, "sources", "list")
    assert "atom.xml" in listing.stdout and "GB" in listing.stdout


def test_private_addresses_are_refused_without_the_allow_list(tmp_path: Path, wire: DemoNewswire) -> None:
    refused = run(tmp_path, "sources", "add", wire.bases["meridian"] + "/rss.xml", allow_loopback=False)
    assert refused.returncode == 1
    assert "127.0.0.11" in refused.stderr or "private" in refused.stderr.lower() or "loopback" in refused.stderr


def test_opml_round_trip_keeps_feeds_and_folders(tmp_path: Path, wire: DemoNewswire) -> None:
    for slug in ("meridian", "voce"):
        assert run(tmp_path, "sources", "add", wire.bases[slug] + "/", "--topic", "world").returncode == 0
    exported = run(tmp_path, "sources", "export-opml")
    assert exported.returncode == 0 and "<opml" in exported.stdout
    opml = tmp_path / "out.opml"
    opml.write_text(exported.stdout, encoding="utf-8")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    imported = run(fresh, "sources", "import-opml", str(opml))
    assert imported.returncode == 0, imported.stderr
    assert "2 feeds in the file: 2 added" in imported.stdout
    assert run(fresh, "sources", "export-opml").stdout.count("xmlUrl=") == 2


@pytest.mark.slow
def test_fetch_once_then_export(tmp_path: Path, wire: DemoNewswire) -> None:
    assert run(tmp_path, "sources", "add", wire.bases["avondblad"] + "/feed.json").returncode == 0
    fetched = run(tmp_path, "fetch", "--once")
    assert fetched.returncode == 0, fetched.stderr
    assert "1 sources checked" in fetched.stdout and "new articles" in fetched.stdout
    rows = [json.loads(line) for line in run(tmp_path, "export", "articles", "--format", "jsonl").stdout.splitlines()]
    assert rows and all(r["language"] == "nl" and r["published"] and r["source"].endswith("/feed.json") for r in rows)
    stories = [json.loads(line) for line in run(tmp_path, "export", "stories", "--format", "jsonl").stdout.splitlines()]
    assert {s["id"] for s in stories} == {r["id"] for r in rows} and all(s["story"] for s in stories)


def test_extract_prints_text_or_json(tmp_path: Path, shared_dir: Path) -> None:
    page = next((shared_dir / "data/extraction-dev/html").glob("*.html.gz"))
    as_text = run(tmp_path, "extract", str(page))
    assert as_text.returncode == 0 and len(as_text.stdout.split()) > 50
    as_json = json.loads(run(tmp_path, "extract", str(page), "--format", "json").stdout)
    assert {"text", "title", "byline", "published", "language", "image"} <= as_json.keys()


def test_config_prints_settings_and_a_bad_value_is_an_error(tmp_path: Path) -> None:
    shown = run(tmp_path, "config")
    assert shown.returncode == 0 and "database_url" in shown.stdout
    env = {**os.environ, "NEWSDESK_INGEST_PAGES_AHEAD": "lots"}
    bad = subprocess.run([CLI, "config"], capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode == 2 and "NEWSDESK_INGEST_PAGES_AHEAD" in bad.stderr


def test_opml_import_refuses_outlines_whose_url_is_not_http(tmp_path: Path) -> None:
    opml = tmp_path / "planted.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><head/><body>'
                    '<outline text="Good" xmlUrl="https://good.example/feed"/>'
                    '<outline text="Planted" xmlUrl="JaVaScRiPt:alert(document.cookie)"/>'
                    '<outline text="Data" xmlUrl="data:text/html,x"/></body></opml>', encoding="utf-8")
    imported = run(tmp_path, "sources", "import-opml", str(opml))
    assert imported.returncode == 1
    assert "3 feeds in the file: 1 added, 0 already known, 2 refused" in imported.stdout
    assert "refused: 'Planted': xmlUrl not an absolute http(s) URL: 'JaVaScRiPt:alert(document.cookie)'" in \
        imported.stderr and "refused: 'Data'" in imported.stderr
    exported = run(tmp_path, "sources", "export-opml").stdout
    assert exported.count("xmlUrl=") == 1 and "script" not in exported.lower()

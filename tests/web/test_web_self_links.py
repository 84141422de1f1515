"""Links to this site stay on this site: the origin check compares scheme and host, the 404 page's language links
cannot be turned into a link to another host, and feed self-links come from ``web_base_url``, never from ``Host``."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
import sqlalchemy as sa
from starlette.requests import Request
from starlette.testclient import TestClient
from web_story_rows import add_story

from newsdesk.config import Settings, SettingsError, load_settings
from newsdesk.store.users import create_user
from newsdesk.web.app import create_app
from newsdesk.web.http.base_url import BaseUrl
from newsdesk.web.http.origin import same_origin
from newsdesk.web.templating import own_path

ATOM = "{http://www.w3.org/2005/Atom}"
HREF = re.compile(r'href="([^"]*)"')


def _request(url: str, **headers: str) -> Request:
    scheme, rest = url.split("://", 1)
    host, _, path = rest.partition("/")
    raw = [(b"host", host.encode())] + [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "POST", "scheme": scheme, "path": "/" + path, "query_string": b"",
                    "headers": raw, "server": (host, 80)})


@pytest.mark.parametrize(("site", "claimed", "allowed"), [
    ("http://news.test/x", "https://news.test", False),
    ("https://news.test/x", "http://news.test", False),
    ("http://news.test/x", "http://news.test:8080", False),
    ("http://news.test/x", "http://evil.test", False),
    ("http://news.test/x", "null", False),
    ("http://news.test/x", "http://news.test", True),
    ("http://news.test/x", "http://NEWS.test:80", True),
    ("https://news.test:8443/x", "https://news.test:8443", True),
])
def test_the_origin_check_compares_scheme_host_and_port(site: str, claimed: str, allowed: bool) -> None:
    assert same_origin(_request(site, origin=claimed)) is allowed
    assert same_origin(_request(site, referer=claimed + "/page")) is allowed


def test_a_form_posted_from_the_https_origin_to_the_http_site_is_refused(client: TestClient) -> None:
    other_scheme = client.post("/prefs/ai", data={"llm": "off"}, headers={"origin": "https://testserver"},
                               follow_redirects=False)
    assert other_scheme.status_code == 403
    same = client.post("/prefs/ai", data={"llm": "off"}, headers={"origin": "http://testserver"},
                       follow_redirects=False)
    assert same.status_code == 303


@pytest.mark.parametrize("path", ["//evil.example/x", "//evil.example", "/\\evil.example/x", "/%5Cevil.example/x",
                                  "/%09/evil.example/x", "///evil.example/x"])
def test_language_links_of_the_404_page_stay_on_this_site(client: TestClient, path: str) -> None:
    page = client.get("http://testserver" + path)
    assert page.status_code == 404
    links = HREF.findall(page.text)
    language_links = [link for link in links if "ui=" in link]
    assert len(language_links) >= 2
    assert [link for link in links if not link.startswith(("/", "#")) or link.startswith(("//", "/\\"))
            or "\t" in link or "evil.example" in link.split("/")[1:2]] == []


def test_own_paths_are_escaped_and_never_protocol_relative() -> None:
    assert own_path("//evil.example/x") == "/%2Fevil.example/x"
    assert own_path("/\\evil.example") == "/%5Cevil.example"
    assert own_path("/\t/evil") == "/%09/evil"
    assert own_path("/stories/12") == "/stories/12" and own_path("/caf\u00e9 1") == "/caf%C3%A9%201"


def _own_links(body: bytes) -> list[str]:
    """The feed's links to this site: ids, self and alternate links (rel="related" links go to publishers)."""
    root = ET.fromstring(body)
    links = [link.get("href") or "" for link in root.iter(f"{ATOM}link") if link.get("rel") != "related"]
    return links + [element.text or "" for element in root.iter(f"{ATOM}id")]


def test_a_forged_host_never_reaches_a_feed(client: TestClient, sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, _ = sample_store
    story_id, _ = add_story(engine, [("Paper A", "en", "Host story")])
    for path in (f"/stories/{story_id}/feed.atom", "/feeds/top.atom", "/search/feed.atom?q=host"):
        atom = client.get(path, headers={"host": "evil.example"})
        assert atom.status_code == 200 and b"evil.example" not in atom.content, path
        links = _own_links(atom.content)
        assert links and all(link.startswith(("/", "tag:newsdesk,2026:/")) for link in links), links
        assert not [link for link in links if link.startswith("//")]
        as_json = client.get(path.replace(".atom", ".json"), headers={"host": "evil.example"})
        assert "evil.example" not in as_json.text
    document = client.get(f"/stories/{story_id}/feed.json").json()
    assert document["feed_url"] == f"/stories/{story_id}/feed.json"
    assert document["home_page_url"] == f"/stories/{story_id}"


def test_feeds_link_absolutely_from_the_configured_base_url(sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, settings = sample_store
    story_id, ids = add_story(engine, [("Paper A", "en", "Base story")])
    configured = settings.replace(web_base_url=BaseUrl("https://News.Example.org/"))
    with TestClient(create_app(configured, engine), base_url="http://10.0.0.7:8000") as client:
        root = ET.fromstring(client.get(f"/stories/{story_id}/feed.atom", headers={"host": "evil.example"}).content)
        self_link = root.find(f"{ATOM}link[@rel='self']")
        assert self_link is not None and self_link.get("href") == f"https://news.example.org/stories/{story_id}/feed.atom"
        assert root.findtext(f"{ATOM}id") == f"https://news.example.org/stories/{story_id}/feed.atom"
        entry_links = [e.get("href") for e in root.iter(f"{ATOM}link") if e.get("rel") == "alternate"]
        assert f"https://news.example.org/articles/{ids[0]}" in entry_links
        top = json.loads(client.get("/feeds/top.json", params={"edition": "it"}).content)
        assert top["feed_url"] == "https://news.example.org/feeds/top.json?edition=it"
        assert top["home_page_url"] == "https://news.example.org/?edition=IT"
        assert all(item["url"].startswith("https://news.example.org/stories/") for item in top["items"])


def test_the_account_page_shows_the_configured_address(sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, settings = sample_store
    with engine.begin() as conn:
        create_user(conn, "basil", "a long password")
    configured = settings.replace(web_base_url=BaseUrl("https://news.example.org"))
    with TestClient(create_app(configured, engine)) as client:
        client.post("/login", data={"username": "basil", "password": "a long password"})
        page = client.get("/account", headers={"host": "evil.example"}).text
    assert "https://news.example.org/fever/" in page and "evil.example" not in page


@pytest.mark.parametrize("value", ["javascript:alert(1)", "news.example.org", "https://news.example.org/?a=1",
                                   "https://news.example.org/#top", "https://user@news.example.org"])
def test_a_base_url_that_is_no_plain_http_address_is_refused_at_start(value: str, tmp_path) -> None:
    with pytest.raises(SettingsError, match="NEWSDESK_WEB_BASE_URL"):
        load_settings(env={"NEWSDESK_WEB_BASE_URL": value}, config_file=tmp_path / "absent.toml")


def test_a_base_url_is_kept_canonical_without_its_trailing_slash(tmp_path) -> None:
    settings = load_settings(env={"NEWSDESK_WEB_BASE_URL": " HTTPS://News.Example.org/news/ "},
                             config_file=tmp_path / "absent.toml")
    assert settings.web_base_url == "https://news.example.org/news"
    assert load_settings(env={}, config_file=tmp_path / "absent.toml").web_base_url == ""

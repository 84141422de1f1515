"""The polite client against a real loopback server: conditional GET, compression, redirects, caps, timeouts."""

from __future__ import annotations

import asyncio
import gzip
import threading
import time
import tracemalloc
import zlib
from typing import Any

import brotli
import pytest
from support.http_server import Reply, Request, endless_body, redirect_to, slow_drip, with_validators

from newsdesk.config import Settings
from newsdesk.fetch.client import (
    BlockedURL,
    FetchError,
    FetchResult,
    FetchTimeout,
    HTTPStatusError,
    PoliteClient,
    ResponseTooLarge,
    RobotsDisallowed,
    TooManyRedirects,
    parse_retry_after,
)


@pytest.fixture
def fetch_settings(settings: Settings) -> Settings:
    return settings.replace(fetch_per_host_delay=0.0, fetch_total_timeout=10.0, fetch_read_timeout=5.0)


def fetch(settings: Settings, url: str, **kwargs: Any) -> FetchResult:
    async def run() -> FetchResult:
        async with PoliteClient(settings) as client:
            return await client.fetch(url, **kwargs)

    return asyncio.run(run())


def test_plain_fetch_reports_final_url_headers_and_honest_user_agent(http_server, fetch_settings):
    http_server.route("/feed", body=b"<rss/>", headers={"Content-Type": "application/rss+xml", "X-Thing": "1"})
    result = fetch(fetch_settings, http_server.url("/feed"))
    assert (result.status, result.content, result.not_modified) == (200, b"<rss/>", False)
    assert result.headers["content-type"] == "application/rss+xml" and result.headers["x-thing"] == "1"
    assert result.url == http_server.url("/feed")
    assert http_server.requests[0].headers["user-agent"].startswith("newsdesk/0.")
    assert "news aggregator" in http_server.requests[0].headers["user-agent"]


def test_conditional_get_second_pass_is_not_modified(http_server, fetch_settings):
    etag, modified = '"v1"', "Tue, 01 Oct 2024 10:00:00 GMT"
    http_server.route("/feed", handler=with_validators(b"<rss>body</rss>", etag, modified))
    first = fetch(fetch_settings, http_server.url("/feed"))
    assert (first.etag, first.last_modified, first.not_modified) == (etag, modified, False)
    second = fetch(fetch_settings, http_server.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.status == 304 and second.content == b""
    assert http_server.requests[1].headers["if-none-match"] == etag
    assert http_server.requests[1].headers["if-modified-since"] == modified


def test_a_validator_with_non_ascii_characters_is_sent_back(http_server, fetch_settings):
    etag = '"caf\u00e9-v2"'
    http_server.route("/feed", handler=with_validators(b"<rss>body</rss>", etag, "Tue, 01 Oct 2024 10:00:00 GMT"))
    first = fetch(fetch_settings, http_server.url("/feed"))
    second = fetch(fetch_settings, http_server.url("/feed"), etag=first.etag)
    assert first.etag and second.status == 304 and second.not_modified


def test_bare_304_keeps_the_validators_that_were_sent(http_server, fetch_settings):
    http_server.route("/feed", status=304)
    modified = "Mon, 01 Jan 2024 00:00:00 GMT"
    result = fetch(fetch_settings, http_server.url("/feed"), etag='"abc"', last_modified=modified)
    assert result.not_modified and (result.etag, result.last_modified) == ('"abc"', modified)


@pytest.mark.parametrize(("encoding", "compress"), [("gzip", gzip.compress), ("br", brotli.compress)])
def test_compressed_bodies_are_decoded(http_server, fetch_settings, encoding, compress):
    text = b"<rss>" + b"news " * 2000 + b"</rss>"
    http_server.route("/feed", body=compress(text), headers={"Content-Encoding": encoding})
    assert fetch(fetch_settings, http_server.url("/feed")).content == text
    assert encoding in http_server.requests[0].headers["accept-encoding"]


def test_redirects_are_followed_to_the_final_url(http_server, fetch_settings):
    http_server.route("/old", handler=redirect_to("/middle", 301))
    http_server.route("/middle", handler=redirect_to(http_server.url("/new"), 307))
    http_server.route("/new", body=b"here")
    result = fetch(fetch_settings, http_server.url("/old"))
    assert (result.url, result.content) == (http_server.url("/new"), b"here")


def test_redirect_loop_is_refused(http_server, fetch_settings):
    http_server.route("/a", handler=redirect_to("/b"))
    http_server.route("/b", handler=redirect_to("/a"))
    with pytest.raises(TooManyRedirects, match="loop"):
        fetch(fetch_settings, http_server.url("/a"))
    assert http_server.hits("/a") == 1 and http_server.hits("/b") == 1


def test_redirect_chain_longer_than_the_limit_is_refused(http_server, fetch_settings):
    for i in range(10):
        http_server.route(f"/r{i}", handler=redirect_to(f"/r{i + 1}"))
    with pytest.raises(TooManyRedirects, match="more than 3 redirects"):
        fetch(fetch_settings.replace(fetch_max_redirects=3), http_server.url("/r0"))
    assert http_server.hits("/r4") == 0


@pytest.mark.parametrize("target", ["http://10.0.0.7/admin", "http://169.254.169.254/latest/meta-data/",
                                    "http://[::1]:9/", "http://0x0a000001/"])
def test_redirect_to_a_private_address_is_refused(http_server, fetch_settings, target):
    http_server.route("/go", handler=redirect_to(target))
    with pytest.raises(BlockedURL, match="NEWSDESK_FETCH_ALLOW_NETWORKS"):
        fetch(fetch_settings, http_server.url("/go"))


def test_declared_huge_body_is_refused_before_reading(http_server, fetch_settings):
    def huge(_request: Request) -> Reply:
        return Reply(200, {"Content-Length": str(2 * 1024**3)}, endless_body(http_server.stopping))

    http_server.route("/huge", handler=huge)
    with pytest.raises(ResponseTooLarge, match="2,147,483,648 bytes"):
        fetch(fetch_settings.replace(fetch_max_bytes=1_000_000), http_server.url("/huge"))
    time.sleep(0.2)
    assert http_server.bytes_sent.get("/huge", 0) < 20_000_000  # socket buffers at most, never the 2 GB


def test_endless_body_is_cut_at_the_cap(http_server, fetch_settings):
    http_server.route("/endless", handler=lambda _r: Reply(200, {}, endless_body(http_server.stopping)))
    with pytest.raises(ResponseTooLarge, match="1,000,000-byte cap"):
        fetch(fetch_settings.replace(fetch_max_bytes=1_000_000), http_server.url("/endless"))
    time.sleep(0.2)
    assert http_server.bytes_sent["/endless"] < 20_000_000


@pytest.mark.parametrize(("encoding", "compress"), [("gzip", gzip.compress), ("br", brotli.compress)])
def test_compression_bomb_is_cut_at_the_decoded_cap_without_inflating_it(http_server, fetch_settings, encoding,
                                                                         compress):
    bomb = compress(b"\0" * 50_000_000)  # tens of KB on the wire, 50 MB decoded
    http_server.route("/bomb", body=bomb, headers={"Content-Encoding": encoding})
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLarge):
            fetch(fetch_settings.replace(fetch_max_bytes=1_000_000), http_server.url("/bomb"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000  # the cap plus buffers, not the 50 MB the body inflates to


def test_raw_deflate_and_corrupt_gzip(http_server, fetch_settings):
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    http_server.route("/raw", body=compressor.compress(b"deflated") + compressor.flush(),
                      headers={"Content-Encoding": "deflate"})
    http_server.route("/corrupt", body=b"\x1f\x8bnot really gzip", headers={"Content-Encoding": "gzip"})
    assert fetch(fetch_settings, http_server.url("/raw")).content == b"deflated"
    with pytest.raises(FetchError, match="corrupt gzip"):
        fetch(fetch_settings, http_server.url("/corrupt"))


def test_slow_drip_server_hits_the_total_timeout(http_server, fetch_settings):
    http_server.route("/drip", handler=lambda _r: Reply(200, {}, slow_drip(http_server.stopping, interval=0.1)))
    with pytest.raises(FetchTimeout, match="fetch_total_timeout"):
        fetch(fetch_settings.replace(fetch_total_timeout=1.0), http_server.url("/drip"))


def test_silent_server_hits_the_read_timeout(http_server, fetch_settings):
    def silent(_request: Request) -> Reply:
        http_server.stopping.wait(5)
        return Reply(200, {}, b"late")

    http_server.route("/silent", handler=silent)
    with pytest.raises(FetchTimeout, match="fetch_read_timeout"):
        fetch(fetch_settings.replace(fetch_read_timeout=0.5), http_server.url("/silent"))


@pytest.mark.parametrize(("status", "header", "expected"), [(429, "120", 120.0), (503, "7", 7.0), (500, None, None)])
def test_error_status_carries_retry_after(http_server, fetch_settings, status, header, expected):
    http_server.route("/busy", status=status, headers={"Retry-After": header} if header else {})
    with pytest.raises(HTTPStatusError) as caught:
        fetch(fetch_settings, http_server.url("/busy"))
    assert (caught.value.status, caught.value.retry_after) == (status, expected)
    assert f"HTTP {status}" in str(caught.value)


def test_retry_after_as_http_date():
    in_a_minute = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 60))
    assert 50 <= parse_retry_after(in_a_minute) <= 61
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None


def test_robots_txt_disallow_applies_to_pages_only_and_is_read_once(http_server, fetch_settings):
    http_server.route("/robots.txt", body="User-agent: newsdesk\nDisallow: /private/\n\nUser-agent: *\nAllow: /\n")
    http_server.route("/private/story", body=b"secret")
    http_server.route("/public/story", body=b"open")

    async def run() -> list[Any]:
        async with PoliteClient(fetch_settings) as client:
            outcomes: list[Any] = []
            for url, page in [("/private/story", True), ("/public/story", True), ("/private/story", False)]:
                try:
                    outcomes.append((await client.fetch(http_server.url(url), page=page)).content)
                except RobotsDisallowed as exc:
                    outcomes.append(str(exc))
            return outcomes

    blocked, allowed, as_feed = asyncio.run(run())
    assert "robots.txt" in blocked and allowed == b"open" and as_feed == b"secret"
    assert http_server.hits("/robots.txt") == 1 and http_server.hits("/private/story") == 1


def test_failing_robots_txt_disallows_pages_for_the_pass(http_server, fetch_settings):
    http_server.route("/robots.txt", status=503)
    http_server.route("/story", body=b"ok")
    with pytest.raises(RobotsDisallowed):
        fetch(fetch_settings, http_server.url("/story"), page=True)
    assert http_server.hits("/story") == 0


def test_missing_robots_txt_allows_everything(http_server, fetch_settings):
    http_server.route("/story", body=b"ok")
    assert fetch(fetch_settings, http_server.url("/story"), page=True).content == b"ok"


def test_per_host_concurrency_is_kept(http_server, fetch_settings):
    state = {"now": 0, "max": 0, "starts": []}
    lock = threading.Lock()

    def tracked(_request: Request) -> Reply:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
            state["starts"].append(time.monotonic())
        time.sleep(0.15)
        with lock:
            state["now"] -= 1
        return Reply(200, {}, b"ok")

    http_server.route("/slow", handler=tracked)
    settings = fetch_settings.replace(fetch_per_host_concurrency=2, fetch_per_host_delay=0.05)

    async def run() -> None:
        async with PoliteClient(settings) as client:
            await asyncio.gather(*(client.fetch(http_server.url(f"/slow?i={i}")) for i in range(6)))

    asyncio.run(run())
    assert state["max"] == 2 and len(state["starts"]) == 6

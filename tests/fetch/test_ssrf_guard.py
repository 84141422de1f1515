"""The SSRF guard: forbidden addresses are refused after DNS resolution, unless allow-listed."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest

from newsdesk.config import Settings
from newsdesk.fetch.client import BlockedURL, FetchError, InvalidURL, PoliteClient
from newsdesk.fetch.ssrf import AddressPolicy, check_url, parse_networks


@pytest.fixture
def guarded(settings: Settings) -> Settings:
    """Settings with no allow-list: the production default."""
    return settings.replace(fetch_allow_networks=(), fetch_per_host_delay=0.0, fetch_total_timeout=5.0)


def fetch_error(settings: Settings, url: str) -> FetchError:
    async def run() -> FetchError:
        async with PoliteClient(settings) as client:
            try:
                await client.fetch(url)
            except FetchError as exc:
                return exc
        raise AssertionError(f"{url} was fetched")

    return asyncio.run(run())


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "2130706433", "017700000001", "0x7f000001", "127.1",
                                  "[::ffff:127.0.0.1]"])
def test_loopback_in_any_spelling_is_refused_without_allow_list(http_server, guarded, host):
    http_server.route("/", body=b"should not be served")
    error = fetch_error(guarded, http_server.url("/", host=host))
    assert isinstance(error, BlockedURL), error
    assert "NEWSDESK_FETCH_ALLOW_NETWORKS" in str(error)
    assert http_server.requests == []


@pytest.mark.parametrize("url", ["http://10.1.2.3/", "http://192.168.0.1/", "http://172.16.5.4/",
                                 "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[fe80::1]/",
                                 "http://[fd00::1]/", "http://100.64.0.1/", "http://0.0.0.0/", "http://224.0.0.1/",
                                 "http://[::]/", "http://240.0.0.1/", "http://[64:ff9b::a00:1]/"])
def test_private_link_local_metadata_and_reserved_addresses_are_refused(guarded, url):
    assert isinstance(fetch_error(guarded, url), BlockedURL)


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "file:///etc/passwd", "gopher://x/", "javascript:alert(1)",
                                 "http:///nohost"])
def test_non_http_schemes_and_hostless_urls_are_invalid(guarded, url):
    assert isinstance(fetch_error(guarded, url), InvalidURL)


def test_allow_list_lets_the_loopback_server_through(http_server, guarded):
    http_server.route("/", body=b"ok")

    async def run() -> bytes:
        async with PoliteClient(guarded.replace(fetch_allow_networks=("127.0.0.0/8",))) as client:
            return (await client.fetch(http_server.url("/"))).content

    assert asyncio.run(run()) == b"ok"


def test_policy_decisions():
    policy = AddressPolicy(["127.0.0.0/8"])
    assert policy.is_allowed(ipaddress.ip_address("127.0.0.1"))
    assert policy.is_allowed(ipaddress.ip_address("::ffff:127.0.0.1"))
    assert policy.is_allowed(ipaddress.ip_address("93.184.216.34"))
    assert policy.is_allowed(ipaddress.ip_address("2606:4700::1111"))
    for private in ("10.0.0.1", "::1", "169.254.169.254", "fd12::1", "100.127.255.255", "198.18.0.1"):
        assert not policy.is_allowed(ipaddress.ip_address(private)), private
    with pytest.raises(BlockedURL):
        check_url("http://[::1]/", policy)


def test_bad_allow_list_entry_is_named():
    with pytest.raises(ValueError, match="not-a-net"):
        parse_networks(["127.0.0.0/8", "not-a-net"])

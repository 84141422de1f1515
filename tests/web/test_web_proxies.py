"""The client's address and scheme come from X-Forwarded-For / X-Forwarded-Proto only when the TCP peer is a
trusted proxy (``web_trusted_proxies``, default none): real uvicorn servers configured as ``newsdesk serve`` does,
reached directly and through Debian's nginx as the reverse proxy the docs describe.

The finding: uvicorn trusted X-Forwarded-For from 127.0.0.1, so a client on loopback rotated the header and was
never rate-limited (25 guesses seen). 127.0.0.2 and 127.0.0.3 stand for readers on other machines."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from support.served_app import WAIT, free_port, raw_request, served_app

from newsdesk.config import Settings, SettingsError
from newsdesk.store.users import create_user
from newsdesk.web.http.proxies import forwarded_client, proxy_networks

FAILURES_ALLOWED = 3
NGINX_CONF = """daemon off; master_process off; pid {dir}/nginx.pid; error_log {dir}/error.log;
events {{ worker_connections 64; }}
http {{ access_log off; client_body_temp_path {dir}/b; proxy_temp_path {dir}/p; fastcgi_temp_path {dir}/f;
  uwsgi_temp_path {dir}/u; scgi_temp_path {dir}/s;
  server {{ listen 127.0.0.1:{port};
    location / {{ proxy_pass http://127.0.0.1:{app_port}; proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto https; }} }} }}
"""


@pytest.fixture
def accounts(engine: sa.Engine) -> sa.Engine:
    with engine.begin() as conn:
        create_user(conn, "ana", "ana-password")
    return engine


def low_limits(settings: Settings, **changes: object) -> Settings:
    """``settings`` with few failed sign-ins allowed per address (the per-address limit where there is one)."""
    limits = ("web_login_failures", "web_login_failures_per_address")
    return settings.replace(**{name: FAILURES_ALLOWED for name in limits if name in settings.values}, **changes)


def sign_in(port: int, username: str, password: str, source: str = "127.0.0.1",
            forwarded: dict[str, str] | None = None) -> tuple[int, str]:
    """POST /login; (status, response headers)."""
    body = f"username={username}&password={password}".encode()
    lines = ["POST /login HTTP/1.0", "Host: news.example", "Content-Type: application/x-www-form-urlencoded",
             *(f"{name}: {value}" for name, value in (forwarded or {}).items())]
    status, headers, _ = raw_request(port, "\r\n".join(lines), body, source=source)
    return status, headers


def spray(port: int, source: str = "127.0.0.1") -> list[int]:
    """Password spraying: a new user name and a new forged X-Forwarded-For for every guess."""
    return [sign_in(port, f"user{n}", "guess", source, {"X-Forwarded-For": f"203.0.113.{n}"})[0]
            for n in range(FAILURES_ALLOWED + 3)]


def test_the_client_is_the_rightmost_address_no_trusted_proxy_wrote() -> None:
    proxies = proxy_networks(["127.0.0.1", "10.0.0.0/8"])
    assert forwarded_client(["203.0.113.7", " 198.51.100.2", "10.1.2.3"], proxies) == "198.51.100.2"
    assert forwarded_client(["10.0.0.9", "127.0.0.1"], proxies) == "10.0.0.9"  # all trusted: the first
    assert forwarded_client(["not-an-ip", "10.0.0.9"], proxies) is None
    assert forwarded_client(["2001:db8::1"], proxies) == "2001:db8::1"
    assert forwarded_client([], proxies) is None
    with pytest.raises(SettingsError, match="web_trusted_proxies"):
        proxy_networks(["localhost"])


def test_by_default_forwarded_headers_are_ignored(settings: Settings, accounts: sa.Engine) -> None:
    direct = low_limits(settings)
    with served_app(direct, accounts) as port:
        assert 429 in spray(port), "a rotating X-Forwarded-For escaped the sign-in limit"
        status, headers = sign_in(port, "ana", "ana-password", "127.0.0.2", {"X-Forwarded-Proto": "https"})
        assert status == 303
        assert "strict-transport-security" not in headers.lower() and "secure" not in cookie_line(headers)


def cookie_line(headers: str) -> str:
    return next((line.lower() for line in headers.splitlines() if line.lower().startswith("set-cookie: nd_session")),
                "")


@pytest.fixture
def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have nginx (installed by .ci/run): the reverse-proxy test may not skip there")
        pytest.skip("nginx is not installed")
    return found


@contextlib.contextmanager
def nginx_in_front(binary: str, app_port: int, folder: Path) -> Iterator[int]:
    port = free_port()
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=folder, port=port, app_port=app_port), encoding="utf-8")
    proxy = subprocess.Popen([binary, "-c", str(conf), "-p", str(folder)], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + WAIT
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            assert time.monotonic() < deadline and proxy.poll() is None, (folder / "error.log").read_text()
            time.sleep(0.1)
        yield port
    finally:
        proxy.terminate()
        proxy.wait(timeout=WAIT)


def test_behind_a_trusted_proxy_each_reader_is_known_by_their_own_address(
        settings: Settings, accounts: sa.Engine, nginx_binary: str, tmp_path: Path) -> None:
    proxied = low_limits(settings, web_trusted_proxies=("127.0.0.1/32",))
    with served_app(proxied, accounts) as app_port, nginx_in_front(nginx_binary, app_port, tmp_path) as port:
        assert 429 in spray(port, source="127.0.0.2"), "the sprayer behind the proxy was not limited"
        other, _ = sign_in(port, "ana", "wrong password", source="127.0.0.3")
        assert other == 401, "one sprayer behind the proxy locked out another reader"
        status, headers = sign_in(port, "ana", "ana-password", source="127.0.0.3")
        assert status == 303
        assert "strict-transport-security: max-age=31536000" in headers.lower()  # nginx said https
        assert "; secure" in cookie_line(headers)
        direct = [sign_in(app_port, f"x{n}", "guess", "127.0.0.4", {"X-Forwarded-For": f"198.51.100.{n}"})[0]
                  for n in range(FAILURES_ALLOWED + 3)]
        assert 429 in direct, "a peer that is not a trusted proxy had its X-Forwarded-For believed"

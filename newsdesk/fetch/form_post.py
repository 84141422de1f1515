"""One form POST through the SSRF guard: what a WebSub subscriber sends its hubs.

The fetch client only GETs; a hub request is a single ``application/x-www-form-urlencoded`` POST whose answer
is a status (202 accepted, 4xx refused). It goes through the same guarded network backend, so a hub URL naming a
private address is refused like a feed URL would be, and it is bounded by the fetch timeouts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from urllib.parse import urlencode

import httpcore
import httpx

from newsdesk import __version__
from newsdesk.fetch.errors import FetchError, FetchTimeout
from newsdesk.fetch.ssrf import AddressPolicy, GuardedNetworkBackend, check_url

MAX_ANSWER_BYTES = 64 * 1024  # a hub's answer is a status and maybe a line of text


async def post_form(url: str, fields: Mapping[str, str], *, allow_networks: tuple[str, ...], timeout: float,
                    user_agent: str = "") -> tuple[int, str]:
    """POST ``fields`` to ``url``; returns (status, the start of the answer's text). Raises :class:`FetchError`
    (blocked address, network failure, timeout)."""
    policy = AddressPolicy(allow_networks)
    target = check_url(url, policy)
    body = urlencode(dict(fields)).encode("ascii")
    headers = [(b"Host", target.netloc), (b"User-Agent", (user_agent or f"newsdesk/{__version__}").encode()),
               (b"Content-Type", b"application/x-www-form-urlencoded"), (b"Content-Length", str(len(body)).encode())]
    pool = httpcore.AsyncConnectionPool(network_backend=GuardedNetworkBackend(policy), max_connections=1,
                                        ssl_context=httpx.create_ssl_context(trust_env=False))
    try:
        async with asyncio.timeout(timeout), pool:
            response = await pool.request("POST", str(target), headers=headers, content=body,
                                          extensions={"timeout": {"connect": timeout, "read": timeout,
                                                                  "write": timeout, "pool": timeout}})
            return response.status, response.content[:MAX_ANSWER_BYTES].decode("utf-8", "replace")
    except TimeoutError:
        raise FetchTimeout(f"{url}: no answer within {timeout:g} s") from None
    except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.TimeoutException) as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from None

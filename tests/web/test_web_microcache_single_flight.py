"""The micro-cache renders a page once however many requests ask for it at the same moment: the others wait for
that rendering, or get the page that just expired while it is made again (newsdesk.web.http.microcache)."""

from __future__ import annotations

import asyncio

from starlette.types import Message, Receive, Scope, Send

from newsdesk.web.http.microcache import MicroCache


class HeldPage:
    """An ASGI app whose pages are answered only when the test lets them go; counts its renderings."""

    def __init__(self) -> None:
        self.renderings = 0
        self.release = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.renderings += 1
        number = self.renderings
        await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.body", "body": f"rendering {number}".encode()})


async def get(cache: MicroCache) -> bytes:
    scope = {"type": "http", "method": "GET", "path": "/", "query_string": b"", "scheme": "http",
             "headers": [(b"host", b"example.org")]}
    body: list[bytes] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    await cache(scope, receive, send)
    return b"".join(body)


async def many_at_once(cache: MicroCache, page: HeldPage, count: int) -> list[bytes]:
    requests = [asyncio.ensure_future(get(cache)) for _ in range(count)]
    for _ in range(5):  # let every request reach the cache before the page is let go
        await asyncio.sleep(0)
    page.release.set()
    return list(await asyncio.gather(*requests))


def test_concurrent_misses_render_the_page_once() -> None:
    async def scenario() -> None:
        page = HeldPage()
        cache = MicroCache(page, seconds=60.0)
        bodies = await many_at_once(cache, page, 20)
        assert page.renderings == 1 and set(bodies) == {b"rendering 1"}

    asyncio.run(scenario())


def test_an_expired_page_is_served_while_one_request_renders_it_again() -> None:
    async def scenario() -> None:
        page = HeldPage()
        cache = MicroCache(page, seconds=60.0)
        page.release.set()
        assert await get(cache) == b"rendering 1"
        for key, entry in list(cache.entries.items()):  # the page expires
            cache.entries[key] = entry.__class__(0.0, entry.status, entry.headers, entry.body, entry.etag)
        page.release = asyncio.Event()
        bodies = await many_at_once(cache, page, 10)
        assert page.renderings == 2
        assert bodies.count(b"rendering 2") == 1 and bodies.count(b"rendering 1") == 9
        assert await get(cache) == b"rendering 2"

    asyncio.run(scenario())

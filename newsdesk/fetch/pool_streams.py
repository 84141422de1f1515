"""A network stream for the connection pool that answers its "is the socket readable?" check cheaply.

Before each request, httpcore's pool asks every idle connection whether the server has closed it, through
``get_extra_info("is_readable")``; anyio answers by building all of the socket's attributes (``getpeername``
included) for each question. With a few dozen keep-alive connections that was about a sixth of an ingest pass's
CPU in its one process. This wrapper keeps the raw socket from the first lookup and polls it directly.
"""

from __future__ import annotations

import select
import socket
import ssl
from typing import Any

import httpcore


def socket_readable(sock: socket.socket | None) -> bool:
    """True when the socket has data or an EOF waiting (or is gone): an idle keep-alive connection is then dead."""
    if sock is None or sock.fileno() < 0:
        return True
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


class KnownSocketStream(httpcore.AsyncNetworkStream):
    """Delegates everything to the wrapped stream, except the readability check (see the module docstring)."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        return KnownSocketStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return socket_readable(self._socket)
        if info == "socket":
            return self._socket
        return self._inner.get_extra_info(info)

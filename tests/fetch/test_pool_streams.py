"""The pool's readability check on kept-alive connections: a connection the server closed while idle is dropped and
the next request opens a new one (a real HTTP/1.1 keep-alive server on loopback)."""

from __future__ import annotations

import asyncio
import socket
import threading

from newsdesk.config import Settings
from newsdesk.fetch.client import PoliteClient
from newsdesk.fetch.pool_streams import socket_readable


def test_an_idle_socket_is_readable_only_once_its_peer_has_closed_it() -> None:
    ours, theirs = socket.socketpair()
    with ours:
        assert not socket_readable(ours)
        theirs.close()
        assert socket_readable(ours)
    assert socket_readable(None)


class ClosingKeepAliveServer:
    """Answers one request per connection with HTTP/1.1 keep-alive, then closes the connection while it is idle."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.closed = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += conn.recv(4096)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok")
            self.closed.set()


def test_a_connection_the_server_closed_while_idle_is_not_reused(settings: Settings) -> None:
    server = ClosingKeepAliveServer()
    url = f"http://127.0.0.1:{server.port}/"

    async def run() -> list[bytes]:
        async with PoliteClient(settings.replace(fetch_per_host_delay=0.0)) as client:
            first = await client.fetch(url)
            assert await asyncio.to_thread(server.closed.wait, 10)
            await asyncio.sleep(0.05)  # the FIN has reached the client's socket
            second = await client.fetch(url)
            return [first.content, second.content]

    try:
        assert asyncio.run(run()) == [b"ok", b"ok"]
        assert server.connections == 2
    finally:
        server.listener.close()

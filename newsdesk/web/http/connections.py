"""Connection limits for the web server: deadlines for request headers and bodies, and caps on open connections.

uvicorn closes idle keep-alive connections but has no deadline for the request itself: a client that opens a
connection and sends its headers a byte at a time (slowloris), or nothing at all, holds a socket and a file
descriptor for as long as it likes, and a thousand such connections exhaust the process's open files. The HTTP
protocol here is uvicorn's h11 protocol with three additions:

- **header deadline**: a connection must deliver complete request headers within ``header_timeout`` seconds of
  connecting, or of starting its next request on a kept-alive connection; otherwise it is closed;
- **body deadline**: once its headers are in, a request must deliver its whole body within ``body_timeout``
  seconds (a body trickled a byte at a time would otherwise hold the connection, and enough of them the cap);
- **connection cap**: beyond ``max_connections`` open connections, a new one is answered 503 and closed at once,
  so the process never runs out of descriptors (the cap is set below the open-file limit, see
  :func:`newsdesk.serve.server_config`);
- **per-client cap**: one address may hold at most ``max_per_client`` of them (trusted proxies, through which
  every reader comes, are exempt), so one client cannot take the whole cap for itself.

The size of a body is bounded by the handlers (``params.small_form``, ``upload.read_upload``), its time here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from newsdesk.web.http.proxies import Network, is_trusted

BUSY_RESPONSE = (b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n"
                 b"connection: close\r\ncontent-length: 28\r\nretry-after: 10\r\n\r\nserver busy, try again soon\n")


@dataclass(frozen=True)
class ConnectionLimits:
    """The limits one server enforces (from the ``web_*`` settings)."""

    header_timeout: float
    max_connections: int
    max_per_client: int
    exempt: Sequence[Network] = ()
    body_timeout: float = 30.0


class LimitedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header deadline and connection caps (``limits`` is set by a subclass made
    with :func:`limited_protocol`, as uvicorn builds protocols from a class and its own arguments)."""

    limits: ConnectionLimits
    header_deadline: asyncio.TimerHandle | None = None
    deadline_for: object = None  # the h11 state the running deadline watches (IDLE: headers, SEND_BODY: body)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if self._over_a_cap():
            self.connections.discard(self)  # refused: no longer counts, though its close completes a turn later
            transport.write(BUSY_RESPONSE)
            transport.close()
            return
        self._watch_headers()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch_headers()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._cancel_deadline()  # idle again: uvicorn's keep-alive timeout runs until the next request's bytes

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def _over_a_cap(self) -> bool:
        """True when this connection is one too many, overall or for its client address."""
        if len(self.connections) > self.limits.max_connections:
            return True
        host = self.client[0] if self.client else None
        if host is None or is_trusted(host, self.limits.exempt):
            return False
        same_client = sum(1 for other in self.connections if (getattr(other, "client", None) or (None,))[0] == host)
        return same_client > self.limits.max_per_client

    def _watch_headers(self) -> None:
        """Called when the connection opens and whenever bytes arrive: while the request's headers are incomplete,
        and then while its body is, a deadline runs (armed once per phase, at the first moment of waiting); once
        the request is complete it is disarmed."""
        state = self.conn.their_state
        timeouts = {h11.IDLE: self.limits.header_timeout, h11.SEND_BODY: self.limits.body_timeout}
        if state not in timeouts or self.transport.is_closing():
            self._cancel_deadline()
        elif self.header_deadline is None or self.deadline_for is not state:
            self._cancel_deadline()
            self.deadline_for = state
            self.header_deadline = self.loop.call_later(timeouts[state], self._headers_too_slow)

    def _cancel_deadline(self) -> None:
        if self.header_deadline is not None:
            self.header_deadline.cancel()
            self.header_deadline = None

    def _headers_too_slow(self) -> None:
        """The deadline passed: close the connection if it is still in the phase the deadline watched."""
        self.header_deadline = None
        if self.conn.their_state is self.deadline_for and not self.transport.is_closing():
            self.transport.close()


def limited_protocol(limits: ConnectionLimits) -> type[LimitedH11Protocol]:
    """A protocol class enforcing ``limits``, for ``uvicorn.Config(http=...)``."""
    return type("LimitedH11Protocol", (LimitedH11Protocol,), {"limits": limits})

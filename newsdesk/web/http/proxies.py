"""Who the client is behind a reverse proxy: X-Forwarded-For and X-Forwarded-Proto, believed only from trusted peers.

Anyone can send ``X-Forwarded-For``; only a proxy we run can be trusted to append the address it saw. So the
headers are read only when the TCP peer is in ``web_trusted_proxies`` (default: none), and the client is the
rightmost address in the chain that is not itself a trusted proxy: addresses to its left were written by the client
and prove nothing. The scheme comes from the rightmost ``X-Forwarded-Proto`` value (what the nearest proxy saw).
The result replaces ``scope["client"]`` and ``scope["scheme"]``, so the sign-in limits, the secure-cookie flag and
HSTS see the real client and scheme. uvicorn's own proxy-header handling (which trusts 127.0.0.1) is turned off in
:mod:`newsdesk.serve`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from starlette.types import ASGIApp, Receive, Scope, Send

from newsdesk.config import SettingsError

Network = IPv4Network | IPv6Network
SCHEMES = {"http": ("http", "ws"), "https": ("https", "wss")}


def proxy_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """The networks of ``web_trusted_proxies`` (a bare address is a /32 or /128); a bad entry is a SettingsError."""
    networks = []
    for entry in entries:
        try:
            networks.append(ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise SettingsError(f"web_trusted_proxies: {entry!r} is not an address or CIDR network") from exc
    return tuple(networks)


def is_trusted(address: str, networks: Sequence[Network]) -> bool:
    """True when ``address`` (an IP, as a socket or a proxy writes it) lies in one of ``networks``."""
    try:
        parsed = ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    if parsed.version == 6 and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped
    return any(parsed in network for network in networks)


def forwarded_client(chain: Sequence[str], networks: Sequence[Network]) -> str | None:
    """The client in an X-Forwarded-For chain: the rightmost entry that is not a trusted proxy (the leftmost when
    all are); None when that entry is not an IP address."""
    entries = [entry.strip() for entry in chain if entry.strip()]
    if not entries:
        return None
    candidate = next((entry for entry in reversed(entries) if not is_trusted(entry, networks)), entries[0])
    try:
        return str(ip_address(candidate.strip("[]")))
    except ValueError:
        return None


def _header_list(scope: Scope, name: bytes) -> list[str]:
    """Every comma-separated value of header ``name`` across all its lines, in order."""
    values = [value.decode("latin-1") for key, value in scope["headers"] if key.lower() == name]
    return [item for value in values for item in value.split(",")]


def as_seen_by_proxy(scope: Scope, networks: Sequence[Network]) -> Scope:
    """``scope`` with client and scheme taken from the forwarding headers, when the peer is a trusted proxy."""
    peer = scope.get("client")
    if not peer or not is_trusted(peer[0], networks):
        return scope
    changes: dict[str, object] = {}
    client = forwarded_client(_header_list(scope, b"x-forwarded-for"), networks)
    if client is not None:
        changes["client"] = (client, 0)
    protos = [value.strip().lower() for value in _header_list(scope, b"x-forwarded-proto") if value.strip()]
    if protos and protos[-1] in SCHEMES:
        changes["scheme"] = SCHEMES[protos[-1]][0 if scope["type"] == "http" else 1]
    return {**scope, **changes} if changes else scope


class TrustedProxies:
    """Pure ASGI middleware applying :func:`as_seen_by_proxy`; with no trusted network it changes nothing."""

    def __init__(self, app: ASGIApp, networks: Sequence[Network] = ()) -> None:
        self.app = app
        self.networks = tuple(networks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.networks and scope["type"] in ("http", "websocket"):
            scope = as_seen_by_proxy(scope, self.networks)
        await self.app(scope, receive, send)

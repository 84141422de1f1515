"""SSRF guard: user-added URLs must not reach loopback, private, link-local, metadata or reserved addresses.

How it holds:

* :func:`check_url` refuses non-http(s) schemes, URLs without a host, and IP-literal hosts that are forbidden.
* :class:`GuardedNetworkBackend` is the httpcore network backend every connection of the polite client goes
  through. It resolves the host itself (``getaddrinfo``), refuses the connection if **any** resolved address is
  forbidden, and then connects to the very address it checked, so a DNS answer that changes between the check
  and the connect (DNS rebinding) cannot slip a private address in. TLS still verifies the certificate against
  the host name, since httpcore passes the name separately to ``start_tls``.
* Redirects are followed by the client hop by hop, and each hop opens its connections through the same
  backend, so every redirect target is checked again after its own DNS resolution.

What remains: a forbidden address reachable through an HTTP proxy is not seen (the client never uses proxies:
``trust_env=False``); a public address that forwards to private ones (an open relay) is out of scope.
Addresses inside ``fetch_allow_networks`` are allowed on purpose (tests, the demo, intranet feeds).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable

import httpcore
import httpx

from newsdesk.fetch.errors import BlockedURL, InvalidURL
from newsdesk.fetch.pool_streams import KnownSocketStream

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES = frozenset({"http", "https"})

# Named explicitly so the intent is readable; anything else that is not globally routable is refused too.
FORBIDDEN_NETWORKS: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(cidr)
    for cidr in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
        "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8",
    )
)


def parse_networks(cidrs: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Parse allow-list CIDRs (``"127.0.0.0/8"``, ``"::1"``); a bad entry raises ValueError naming it."""
    networks = []
    for cidr in cidrs:
        try:
            networks.append(ipaddress.ip_network(cidr.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"fetch_allow_networks: {cidr!r} is not a CIDR network ({exc})") from None
    return tuple(networks)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address hidden in an IPv4-mapped, 6to4 or NAT64 IPv6 address, if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in ipaddress.ip_network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


class AddressPolicy:
    """Decides whether an IP address may be connected to, given the allow-list."""

    def __init__(self, allow_networks: Iterable[str] = ()) -> None:
        self.allow_networks = parse_networks(allow_networks)

    def is_allowed(self, address: IPAddress) -> bool:
        """True if the address is public, or inside an allow-listed network."""
        candidates: list[IPAddress] = [address]
        if isinstance(address, ipaddress.IPv6Address) and (inner := _embedded_ipv4(address)) is not None:
            candidates.append(inner)
        if any(c in net for c in candidates for net in self.allow_networks if c.version == net.version):
            return True
        return all(_is_public(c) for c in candidates)

    def check(self, address: IPAddress, host: str) -> None:
        """Raise :class:`BlockedURL` if the address is forbidden."""
        if not self.is_allowed(address):
            shown = host if host == str(address) else f"{host} ({address})"
            raise BlockedURL(
                f"refused to fetch {shown}: it is a loopback, private, link-local or reserved address; "
                "add its network to NEWSDESK_FETCH_ALLOW_NETWORKS to allow it"
            )


def _is_public(address: IPAddress) -> bool:
    if any(address in net for net in FORBIDDEN_NETWORKS if net.version == address.version):
        return False
    return address.is_global and not address.is_multicast


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_url(url: str | httpx.URL, policy: AddressPolicy) -> httpx.URL:
    """Validate scheme and host before any connection; IP-literal hosts are checked here already."""
    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise InvalidURL(f"not a valid URL: {url!r} ({exc})") from None
    if parsed.scheme not in ALLOWED_SCHEMES:
        raise InvalidURL(f"refused to fetch {url!r}: only http and https URLs are fetched")
    if not parsed.host:
        raise InvalidURL(f"not a valid URL: {url!r} has no host")
    literal = _ip_literal(parsed.host)
    if literal is not None:
        policy.check(literal, parsed.host)
    return parsed


async def resolve_checked(host: str, port: int, policy: AddressPolicy) -> list[str]:
    """Resolve ``host`` and return its addresses, refusing if any of them is forbidden."""
    literal = _ip_literal(host)
    if literal is not None:
        policy.check(literal, host)
        return [str(literal)]
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve host {host!r}: {exc}") from exc
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        policy.check(address, host)
        if str(address) not in addresses:
            addresses.append(str(address))
    if not addresses:
        raise httpcore.ConnectError(f"host {host!r} resolves to no address")
    return addresses


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """An httpcore backend that connects only to the checked addresses of a host (see module docstring)."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve_checked(host, port, self.policy)
        last_error: Exception | None = None
        for address in addresses:
            try:
                return KnownSocketStream(await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                ))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        raise last_error or httpcore.ConnectError(f"cannot connect to {host!r}")

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedURL("refused to connect to a unix socket")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)

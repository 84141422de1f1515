"""Delivering an alert's firing: a signed webhook POST through the SSRF guard, or a mail through the configured
SMTP server. (A feed alert needs no delivery: its Atom feed lists its firings.)

Webhook: ``POST`` of the payload as JSON, with ``X-Newsdesk-Signature: sha256=<hex>``, the HMAC-SHA256 of
``<timestamp>.<body>`` under the alert's secret, and the timestamp in ``X-Newsdesk-Timestamp`` (a receiver rejects
old ones, so a captured request cannot be replayed later). The URL is checked when the alert is saved (scheme, and
every address its host resolves to) and again at each connection by the fetcher's guarded network backend, so DNS
changed after saving cannot point it at a private address. Redirects are not followed; any 2xx is success.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import re
import smtplib
import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from typing import Any

import httpcore
import httpx

from newsdesk import __version__
from newsdesk.config import Settings
from newsdesk.fetch.errors import FetchError
from newsdesk.fetch.ssrf import AddressPolicy, GuardedNetworkBackend, check_url

SIGNATURE_HEADER = "X-Newsdesk-Signature"
TIMESTAMP_HEADER = "X-Newsdesk-Timestamp"
_MAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


class DeliveryFailed(RuntimeError):
    """An attempt that did not go through; the message says why (kept on the firing)."""


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value of a body sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def check_webhook_url(url: str, settings: Settings) -> str:
    """The URL if a webhook may go there; raises ValueError saying why not (scheme, private address)."""
    policy = AddressPolicy(settings.fetch_allow_networks)
    try:
        parsed = check_url(url.strip(), policy)
        host = parsed.host
        try:
            addresses = {info[4][0] for info in socket.getaddrinfo(host, parsed.port or 443, type=socket.SOCK_STREAM)}
        except (socket.gaierror, UnicodeError) as exc:
            raise ValueError(f"cannot resolve {host!r}: {exc}") from None
        for address in sorted(addresses):
            policy.check(ipaddress.ip_address(str(address).split("%", 1)[0]), host)
    except FetchError as refused:
        raise ValueError(str(refused)) from None
    return str(parsed)


def check_mail_address(address: str) -> str:
    address = address.strip()
    if len(address) > 254 or not _MAIL.match(address):
        raise ValueError("not an e-mail address")
    return address


def send_webhook(url: str, secret: str, payload: dict[str, Any], settings: Settings) -> None:
    """POST the payload; raises DeliveryFailed unless the receiver answers 2xx. Runs its own event loop in a
    thread, so it may be called from a thread that has one running."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = [(b"Content-Type", b"application/json"), (b"User-Agent", f"newsdesk/{__version__}".encode()),
               (SIGNATURE_HEADER.encode(), sign(secret, timestamp, body).encode()),
               (TIMESTAMP_HEADER.encode(), timestamp.encode())]
    with ThreadPoolExecutor(1) as runner:
        status = runner.submit(asyncio.run, _post(url, headers, body, settings)).result()
    if not 200 <= status < 300:
        raise DeliveryFailed(f"the receiver answered HTTP {status}")


async def _post(url: str, headers: list[tuple[bytes, bytes]], body: bytes, settings: Settings) -> int:
    policy = AddressPolicy(settings.fetch_allow_networks)
    timeout = settings.alerts_webhook_timeout
    try:
        target = check_url(url, policy)
        async with httpcore.AsyncConnectionPool(network_backend=GuardedNetworkBackend(policy),
                                                ssl_context=httpx.create_ssl_context(trust_env=False)) as pool:
            reply = await pool.request("POST", str(target), headers=headers, content=body,
                                       extensions={"timeout": {"connect": timeout, "read": timeout,
                                                               "write": timeout, "pool": timeout}})
            return reply.status
    except (FetchError, httpcore.ConnectError, httpcore.TimeoutException, httpcore.NetworkError,
            httpcore.ProtocolError, httpcore.UnsupportedProtocol) as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from None


def send_mail(address: str, payload: dict[str, Any], settings: Settings) -> None:
    """Mail the firing through the configured SMTP server; raises DeliveryFailed."""
    if not settings.alerts_smtp_host:
        raise DeliveryFailed("no SMTP server is configured (alerts_smtp_host)")
    message = mail_message(address, payload, settings.alerts_mail_from)
    try:
        with smtplib.SMTP(settings.alerts_smtp_host, settings.alerts_smtp_port,
                          timeout=settings.alerts_webhook_timeout) as smtp:
            if settings.alerts_smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.alerts_smtp_username:
                smtp.login(settings.alerts_smtp_username, settings.alerts_smtp_password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from None


def mail_message(address: str, payload: dict[str, Any], sender: str) -> EmailMessage:
    """The mail of one firing: the article, the new facts quoted with their outlet, the story's link."""
    article = payload["article"]
    message = EmailMessage()
    message["From"], message["To"] = sender, address
    message["Subject"] = f"[newsdesk] {' '.join((article.get('title') or 'New coverage').split())[:150]}"
    lines = [f"{article.get('outlet') or ''}: {article.get('title') or ''}", article.get("url") or "", ""]
    lines += [f"“{fact['text']}”" for fact in payload.get("new_facts") or []]
    if payload.get("story_url"):
        lines += ["", f"Full coverage: {payload['story_url']}"]
    message.set_content("\n".join(lines))
    return message

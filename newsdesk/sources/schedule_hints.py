"""What a publisher says about when to come back: RSS ``<ttl>`` (minutes), HTTP ``Cache-Control: max-age`` (and
``s-maxage``), read as the earliest next check. The scheduler takes the largest of them and ``Retry-After`` as a
floor (capped by its longest interval: a publisher cannot make newsdesk give up on it)."""

from __future__ import annotations

import re
from collections.abc import Mapping

HEAD_BYTES = 16 * 1024  # <ttl> sits in the channel's head
_TTL = re.compile(rb"<ttl>\s*(\d{1,7})\s*</ttl>", re.IGNORECASE)
_MAX_AGE = re.compile(r"(?:^|[,\s])(?:s-maxage|max-age)\s*=\s*\"?(\d{1,9})", re.IGNORECASE)


def publisher_floor(headers: Mapping[str, str], content: bytes) -> float | None:
    """Seconds before which the publisher says nothing new will be there, or None when it says nothing."""
    hints: list[float] = []
    cache_control = headers.get("cache-control", "")
    if "no-cache" not in cache_control.lower() and "no-store" not in cache_control.lower():
        hints.extend(float(m) for m in _MAX_AGE.findall(cache_control))
    ttl = _TTL.search(content[:HEAD_BYTES])
    if ttl:
        hints.append(int(ttl.group(1)) * 60.0)
    return max(hints) if hints else None

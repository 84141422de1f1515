"""Reading feed and sitemap timestamps into timezone-aware UTC datetimes."""

from __future__ import annotations

import calendar
import time
from datetime import UTC, datetime


def parse_iso_datetime(value: object) -> datetime | None:
    """An ISO 8601 / W3C datetime ('2024-05-01', '2024-05-01T10:00Z', with offset) as UTC; None if unreadable.

    A value without a zone is taken as UTC, which is what sitemaps and JSON feeds mean in practice.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def from_struct_time(value: time.struct_time | None) -> datetime | None:
    """feedparser's ``*_parsed`` (a UTC struct_time) as an aware datetime; None if absent or out of range."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None

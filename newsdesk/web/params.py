"""Numbers and times from untrusted query and form parameters (the reader-app APIs): plain ASCII digits within the
range the store can hold, or None. ``int()`` alone accepts "²", "-0", " 7" and numbers no database column takes."""

from __future__ import annotations

from datetime import UTC, datetime

BIGINT_MAX = 2**63 - 1
LATEST = datetime(9999, 12, 31, tzinfo=UTC)


def int_param(value: object, minimum: int = 0, maximum: int = BIGINT_MAX) -> int | None:
    """An integer written in ASCII digits (an optional leading minus when ``minimum`` < 0), within the bounds."""
    text = str(value if value is not None else "").strip()
    digits = text[1:] if text.startswith("-") and minimum < 0 else text
    if not digits or len(digits) > 19 or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def time_param(value: object, per_second: int = 1) -> datetime | None:
    """A Unix time (in seconds, or in 1/``per_second`` seconds) as an aware UTC datetime; far futures are clamped."""
    number = int_param(value)
    if number is None:
        return None
    seconds = number / per_second
    return LATEST if seconds >= LATEST.timestamp() else datetime.fromtimestamp(seconds, UTC)

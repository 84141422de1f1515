"""Untrusted parameters, parsed by one bounded parser each: numbers, page numbers, Unix times and calendar days
(plain ASCII digits within the range the store and ``datetime`` can hold, or None; ``int()`` alone accepts "²", "-0"
and numbers no database column takes, and ``strptime`` accepts 9999-12-31, whose next day overflows), text that
every encoder takes (no lone surrogate, no NUL), and small form bodies read with a cap.

Callers turn None into their own answer: a default, a 404 or a 400, never a 500."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

from starlette.convertors import Convertor, register_url_convertor
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

BIGINT_MAX = 2**63 - 1
LATEST = datetime(9999, 12, 31, tzinfo=UTC)
END_OF_TIME = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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


def page_param(value: object, last: int = BIGINT_MAX) -> int:
    """A 1-based page number, at most ``last``; page 1 when absent or not a plain positive number."""
    number = int_param(value, minimum=1)
    return min(number, last) if number is not None else 1


def day_param(value: object, *, end: bool = False) -> datetime | None:
    """A calendar day written YYYY-MM-DD as the UTC midnight starting it (with ``end``: the one ending it, so a
    filter "up to this day" includes the whole day; the last day of year 9999 ends at :data:`END_OF_TIME`)."""
    text = str(value if value is not None else "").strip()
    if not DAY.fullmatch(text):
        return None
    try:
        start = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:  # 2026-02-30, month 13, year 0
        return None
    if not end:
        return start
    return start + timedelta(days=1) if start < LATEST else END_OF_TIME


def is_plain_text(text: str) -> bool:
    """True when ``text`` can be written as UTF-8 and holds no NUL: what every encoder, model and column takes.
    JSON can carry a lone surrogate ("\\ud800") and a query or form "%00"; both are refused before they travel."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def text_param(value: object) -> str:
    """A query or form value as plain text, stripped: NULs and lone surrogates dropped (PostgreSQL refuses NUL in
    text, and no encoder takes a surrogate), so a search for "a%00b" looks for "ab" instead of failing."""
    text = str(value if value is not None else "")
    if not is_plain_text(text):
        text = text.replace("\x00", "").encode("utf-8", "ignore").decode("utf-8")
    return text.strip()


class IdConvertor(Convertor[int]):
    """``{name:id}`` in a route: a row id of 1 to 18 ASCII digits, so always within what a BIGINT column holds.
    A longer number matches no route (404) instead of overflowing the database driver (500); the router calls no
    code that could refuse a match, so the bound lives in the pattern."""

    regex = "[0-9]{1,18}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())


class BodyTooLarge(Exception):
    """A form body over the cap (answered with 413)."""


async def small_form(request: Request, max_bytes: int = 64 * 1024) -> FormData:
    """A URL-encoded form body read with a byte cap, whatever Content-Length claims (a chunked body is counted as it
    arrives); raises :class:`BodyTooLarge`. Sign-in, comments and the reader-app APIs never need more."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise BodyTooLarge(f"request body over {max_bytes:,} bytes")
        chunks.append(chunk)
    text = b"".join(chunks).decode("utf-8", "replace")
    try:
        fields: list[tuple[str, str | UploadFile]] = list(parse_qsl(text, keep_blank_values=True,
                                                                    max_num_fields=10_000))
        return FormData(fields)
    except ValueError as exc:  # more fields than that
        raise BodyTooLarge(str(exc)) from None

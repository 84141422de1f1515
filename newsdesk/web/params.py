"""Untrusted parameters: numbers and times (plain ASCII digits within the range the store can hold, or None;
``int()`` alone accepts "²", "-0" and numbers no database column takes), and small form bodies read with a cap."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qsl

from starlette.convertors import Convertor, register_url_convertor
from starlette.datastructures import FormData
from starlette.requests import Request

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
        return FormData(parse_qsl(text, keep_blank_values=True, max_num_fields=10_000))
    except ValueError as exc:  # more fields than that
        raise BodyTooLarge(str(exc)) from None

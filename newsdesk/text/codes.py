"""Language and region codes as stored: a BCP 47-like language tag (``en``, ``pt-br``, ``zh-hant``) in lower case,
and a two-letter region in upper case. Anything else from a feed, an OPML file or a form is no code at all."""

from __future__ import annotations

import re

LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8}){0,2}$")
REGION = re.compile(r"^[A-Z]{2}$")


def language_code(value: str | None) -> str | None:
    """``value`` as a language code (lower case, ``_`` read as ``-``), or None when it is not one."""
    code = (value or "").strip().replace("_", "-").lower()
    return code if LANGUAGE.match(code) else None


def region_code(value: str | None) -> str | None:
    """``value`` as a two-letter region code (upper case), or None when it is not one."""
    code = (value or "").strip().upper()
    return code if REGION.match(code) else None

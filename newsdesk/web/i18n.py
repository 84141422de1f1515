"""Interface languages: gettext catalogs, locale choice, text direction and localized relative times.

Catalogs are the ``.po`` files in ``translations/<locale>/LC_MESSAGES/messages.po``; they are compiled in memory
when the app starts (babel reads the ``.po`` and writes the ``.mo`` into a buffer), so a fresh clone needs no build
step. Direction comes from CLDR via babel, for the interface and for each article's own language.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from starlette.requests import Request

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
SOURCE_LOCALE = "en"  # the language msgids are written in


def available_locales() -> list[str]:
    """The source locale plus every locale with a catalog."""
    found = sorted(p.parent.parent.name for p in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"))
    return [SOURCE_LOCALE, *[code for code in found if code != SOURCE_LOCALE]]


def load_translations(locale: str) -> NullTranslations:
    """The compiled catalog for ``locale`` (an empty one for the source language)."""
    po_path = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not po_path.is_file():
        return NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def text_direction(language: str | None) -> str:
    """'rtl' or 'ltr' for a language code (unknown codes read left to right)."""
    if not language:
        return "ltr"
    try:
        return Locale.parse(language.replace("-", "_")).text_direction
    except (ValueError, UnknownLocaleError):
        return "ltr"


def choose_locale(request: Request, supported: list[str], default: str) -> tuple[str, bool]:
    """The interface locale for a request, and whether the reader picked it (``?ui=``, remembered in a cookie).

    Order: ``?ui=``, then ``?lang=`` (the content language of an edition) when we have that interface language,
    then the ``ui`` cookie, then the browser's Accept-Language, then the default.
    """
    for param in ("ui", "lang"):
        value = (request.query_params.get(param) or "").lower()
        if value in supported:
            return value, param == "ui"
    cookie = request.cookies.get("ui", "")
    if cookie in supported:
        return cookie, False
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower().split("-")[0]
        if code in supported:
            return code, False
    return (default if default in supported else SOURCE_LOCALE), False


def time_ago(moment: datetime | None, locale: str | Locale, now: datetime | None = None) -> str:
    """'16 hours ago', 'il y a 16 heures', 'قبل 16 ساعة'; empty for an unknown time."""
    if moment is None:
        return ""
    now = now or datetime.now(UTC)
    delta = moment - now
    if delta.total_seconds() > -1:  # outlets' clocks run ahead sometimes: never "in 5 minutes" (nor "in 0 seconds")
        delta = timedelta(seconds=-1)
    return format_timedelta(delta, add_direction=True, locale=locale, threshold=1.0)


def full_datetime(moment: datetime | None, locale: str | Locale) -> str:
    """A readable absolute date and time (shown as the tooltip of a relative time)."""
    return format_datetime(moment, "medium", tzinfo=UTC, locale=locale) if moment else ""


def language_name(code: str | None, locale: str | Locale) -> str:
    """The name of a language in the interface language, e.g. 'fr' -> 'French' / 'français' / 'الفرنسية'.

    Pass a parsed ``Locale`` when calling often: parsing a locale code costs more than the lookup.
    """
    if not code:
        return ""
    try:
        name = Locale.parse(locale).languages.get(code.split("-")[0])
    except (ValueError, UnknownLocaleError):
        name = None
    return name or code


def own_language_name(code: str) -> str:
    """A language's name in itself ('Français', 'العربية') for the language picker."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def region_name(code: str | None, locale: str | Locale) -> str:
    """The name of a region code in the interface language ('LB' -> 'Lebanon' / 'Liban' / 'لبنان')."""
    if not code:
        return ""
    try:
        name = Locale.parse(locale).territories.get(code.upper())
    except (ValueError, UnknownLocaleError):
        name = None
    return name or code.upper()

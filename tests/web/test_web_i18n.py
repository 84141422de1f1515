"""Every interface string of the templates is translated in every shipped catalog, placeholders intact."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import jinja2
import pytest
from babel.messages.pofile import read_po

from newsdesk.web.i18n import TRANSLATIONS_DIR, available_locales, time_ago
from newsdesk.web.templating import TEMPLATES_DIR

PLACEHOLDER = re.compile(r"%\(\w+\)s")


def template_messages() -> set[str | tuple[str, str]]:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    found: set[str | tuple[str, str]] = set()
    for path in TEMPLATES_DIR.glob("*.html"):
        for _, _, message in env.extract_translations(path.read_text(encoding="utf-8")):
            if isinstance(message, str):
                found.add(message)
            elif message and message[0]:
                found.add(tuple(m for m in message if m) if len(message) > 1 and message[1] else message[0])
    return found


@pytest.mark.parametrize("locale", [code for code in available_locales() if code != "en"])
def test_catalog_translates_every_template_string(locale: str) -> None:
    with (TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=locale)
    for message in template_messages():
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(msgid)
        assert entry is not None and entry.string, f"{locale}: untranslated {msgid!r}"
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set(PLACEHOLDER.findall(msgid)) - {"%(num)s"}
        for text in strings:
            assert text and wanted <= set(PLACEHOLDER.findall(text)), f"{locale}: placeholder lost in {text!r}"


def test_ships_english_french_and_arabic() -> None:
    assert {"en", "fr", "ar"} <= set(available_locales())


@pytest.mark.parametrize(("locale", "expected"), [("en", "16 hours ago"), ("fr", "il y a 16 heures"),
                                                  ("ar", "قبل 16 ساعة")])
def test_relative_time(locale: str, expected: str) -> None:
    now = datetime(2026, 7, 26, 12, tzinfo=UTC)
    assert time_ago(now - timedelta(hours=16), locale, now) == expected
    assert time_ago(None, locale, now) == ""

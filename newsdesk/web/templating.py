"""Jinja2 rendering: one autoescaping environment per interface locale, with the filters the templates use.

Each locale gets its own environment with its gettext catalog installed (new-style ``_()`` with ``%(name)s``
placeholders), so rendering never swaps global state between requests. Static URLs carry a short content hash
(``asset()``) so browsers may cache them for long.

Two rules hold for every template. Every value written into the page passes :func:`displayed` (the environment's
``finalize``): control characters and bidi overrides are removed, whatever the store holds. Every link or image
target is either a path on this site (a literal ``/...``, ``asset()``, ``url_with()``, ``|local_path``) or a stored
URL rendered through ``|safe_url``; tests/web/test_web_template_urls.py walks the templates to keep it so.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
import nh3
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup
from starlette.requests import Request

from newsdesk.search.highlight import to_html
from newsdesk.text.display import clean_text
from newsdesk.web import i18n
from newsdesk.web.http.base_url import site_link
from newsdesk.web.http.origin import local_path

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"


def static_hashes(static_dir: Path = STATIC_DIR) -> dict[str, str]:
    """Short content hash of each static file, keyed by its path under static/."""
    return {str(p.relative_to(static_dir)): hashlib.sha256(p.read_bytes()).hexdigest()[:10]
            for p in sorted(static_dir.rglob("*")) if p.is_file()}


def safe_body(html: str | None) -> Markup:
    """Article HTML cleaned again with nh3 (the only untrusted HTML ever marked safe)."""
    return Markup(nh3.clean(html or "", link_rel="noopener noreferrer nofollow"))


_URL_IGNORED = str.maketrans("", "", "\t\n\r")  # browsers drop these anywhere in a URL ("java\tscript:")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))  # and strip these from both ends


def safe_url(value: object) -> str:
    """A stored URL as a link or image target: http(s) only. Any other scheme (``javascript:``, ``data:``,
    ``vbscript:``, or one disguised with case, spaces or tabs) becomes "", so a link to it goes nowhere. Every
    template renders untrusted URLs through this filter (``{{ url|safe_url }}``)."""
    if not isinstance(value, str):
        return ""
    text = value.translate(_URL_IGNORED).strip(_C0_AND_SPACE)
    return text if text[:8].lower().startswith(("http://", "https://")) else ""


HUE_STEPS = 36  # app.css has a class .hue-0 ... .hue-35 for each (the CSP lets no style= attribute through)


def displayed(value: object) -> object:
    """Every rendered value: text without control characters or bidi overrides (markup stays markup)."""
    if isinstance(value, Markup):
        return Markup(clean_text(str(value)))
    if isinstance(value, str):
        return clean_text(value)
    return value


def hue(name: str | None) -> int:
    """A stable colour for an outlet's badge: the number N of its class ``hue-N`` (a hue of N × 10 degrees)."""
    return zlib.crc32((name or "").encode()) % HUE_STEPS


def url_with(request: Request, **changes: str | int | None) -> str:
    """This page's URL with some query parameters changed (None removes one); always a path on this site."""
    params = {k: v for k, v in request.query_params.items() if k not in changes}
    params.update({k: str(v) for k, v in changes.items() if v not in (None, "")})
    return own_path(request.url.path) + ("?" + urlencode(params) if params else "")


def own_path(path: str) -> str:
    """A request path written as a link that stays on this site: escaped (a backslash, tab or other character a
    browser would drop or read as '/' becomes %XX), and never starting with '//', which a browser would follow to
    another host ('//evil.example/x' becomes '/%2Fevil.example/x', the same path to this server)."""
    escaped = quote(path, safe="/!$&'()*+,;=:@-._~")
    if not escaped.startswith("/"):
        escaped = "/" + escaped
    return "/%2F" + escaped[2:] if escaped.startswith("//") else escaped


def public_base(request: Request) -> str:
    """The site's address for readers to copy (reader apps): ``web_base_url``, else what the browser used."""
    configured = request.app.state.site.settings.web_base_url
    return configured or str(request.base_url).rstrip("/")


def own_link(request: Request, path: str) -> str:
    """A link to a page of this site for others to keep (canonical, previews): absolute when ``web_base_url`` is
    set, else the path (never built from the request's Host header, see :mod:`newsdesk.web.http.base_url`)."""
    return site_link(request.app.state.site.settings.web_base_url, path)


def paragraphs(text: str | None) -> list[str]:
    """Plain text split into paragraphs on line breaks."""
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


class Renderer:
    """Renders templates in a given interface locale."""

    def __init__(self, locales: list[str], asset_hashes: Mapping[str, str]) -> None:
        self.asset_hashes = dict(asset_hashes)
        self.directions: dict[str | None, str] = {}  # language code -> ltr/rtl, filled as languages show up
        self.own_names: dict[str, str] = {}
        self.environments = {locale: self._environment(locale) for locale in locales}

    def direction_of(self, language: str | None) -> str:
        if language not in self.directions:
            self.directions[language] = i18n.text_direction(language)
        return self.directions[language]

    def own_language_name(self, code: str) -> str:
        if code not in self.own_names:
            self.own_names[code] = i18n.own_language_name(code)
        return self.own_names[code]

    def _environment(self, code: str) -> jinja2.Environment:
        locale = Locale.parse(code)  # parsed once: babel calls below skip parsing a code per call
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True,
                                 extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                                 finalize=displayed)
        env.install_gettext_translations(i18n.load_translations(code), newstyle=True)  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        env.globals.update(asset=self.asset_url, locale=code, ui_dir=self.direction_of(code),
                           dir_of=self.direction_of, own_language_name=self.own_language_name, safe_body=safe_body,
                           paragraphs=paragraphs, marked=to_html,
                           url_with=url_with, public_base=public_base, own_link=own_link)
        env.filters.update(
            ago=lambda moment, now=None: i18n.time_ago(moment, locale, now),
            fulltime=lambda moment: i18n.full_datetime(moment, locale),
            isotime=lambda moment: moment.isoformat() if isinstance(moment, datetime) else "",
            language_name=lambda language: i18n.language_name(language, locale),
            region_name=lambda region: i18n.region_name(region, locale),
            hue=hue,
            safe_url=safe_url,
            local_path=local_path,
            number=lambda n: format_decimal(n, locale=locale),
            today=lambda moment: format_date(moment, "full", locale=locale),
        )
        return env

    def asset_url(self, name: str) -> str:
        return f"/static/{name}?v={self.asset_hashes.get(name, '0')}"

    def render(self, locale: str, template: str, context: Mapping[str, Any]) -> str:
        return self.environments[locale].get_template(template).render(context)

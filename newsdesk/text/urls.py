"""The one URL rule: every URL newsdesk stores or links is an absolute, canonical http(s) URL.

:func:`checked_url` is the rule, applied to every URL from every input (CLI, web form, OPML, feeds, sitemaps,
page metadata, JSON Lines import) and again by the store when it writes: http and https only (``javascript:``,
``data:``, ``file:`` and every other scheme, however spelled, are refused with :class:`UrlError`), a host, at most
:data:`MAX_URL_CHARS` characters, in canonical spelling. :func:`checked_url_or_none` is the same rule for
optional fields (a feed item's image): a URL that breaks it is dropped, not stored.

Canonical spelling gives one spelling per page, so the same story from two feeds is recognised as one.
:func:`canonicalize_url` makes a URL absolute, lower-cases scheme and host, turns international host names into
IDNA (punycode), drops default ports, fragments and tracking parameters (``utm_*``, ``fbclid``, ``gclid``, …),
normalises percent-encoding and dot segments, and keeps the order of the remaining query parameters (order can
matter to a site). It is idempotent: canonicalising a canonical URL changes nothing.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urljoin, urlsplit, urlunsplit

import idna

TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid", "_ga", "_gl",
    "yclid", "ref_src", "ref_url", "cmpid", "wt.mc_id", "wt.mc_ev", "_hsenc", "_hsmi", "mkt_tok", "oly_enc_id",
    "oly_anon_id", "vero_id", "vero_conv", "s_cid", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname",
    "ns_fee", "at_medium", "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4", "twclid",
    "ttclid", "li_fat_id", "srsltid", "sr_share", "ocid", "smid", "xtor",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "itm_")
DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_URL_CHARS = 2048  # the store's URL columns hold this many

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = _UNRESERVED | frozenset("!$&'()*+,;=:@/%")
_QUERY_SAFE = _PATH_SAFE | frozenset("?")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ASCII_HOST = re.compile(r"^[a-z0-9_.-]+$")


class UrlError(ValueError):
    """The text cannot be made into an absolute http(s) URL."""


def canonicalize_url(url: str, base: str | None = None) -> str:
    """The canonical spelling of an http(s) URL (relative URLs are resolved against ``base``)."""
    text = url.strip()
    if base:
        try:
            text = urljoin(base.strip(), text)
        except ValueError as exc:
            raise UrlError(f"cannot resolve {url!r} against {base!r}: {exc}") from None
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise UrlError(f"not a valid URL: {url!r} ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UrlError(f"not an absolute http(s) URL: {url!r}")
    host = _canonical_host(parts.hostname or "", url)
    netloc = _netloc(parts.netloc, host, port, scheme)
    path = _remove_dot_segments(_normalise_escapes(parts.path, _PATH_SAFE)) or "/"
    query = _clean_query(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def checked_url(url: str, base: str | None = None) -> str:
    """``url`` (resolved against ``base``) as a canonical http(s) URL, or :class:`UrlError` saying why not."""
    if not isinstance(url, str):
        raise UrlError(f"not a URL: {url!r}")
    canonical = canonicalize_url(url, base)
    if "@" in urlsplit(canonical).netloc:
        raise UrlError(f"a URL with a user name or password is not accepted: {canonical[:60]!r}")
    if len(canonical) > MAX_URL_CHARS:
        raise UrlError(f"URL longer than {MAX_URL_CHARS} characters: {canonical[:60]!r}…")
    return canonical


def checked_url_or_none(url: str | None, base: str | None = None) -> str | None:
    """:func:`checked_url` for an optional URL: None when it is missing or breaks the rule."""
    if not url:
        return None
    try:
        return checked_url(url, base)
    except UrlError:
        return None


def is_tracking_param(name: str) -> bool:
    """True for query parameter names that only track the reader (``utm_source``, ``fbclid``, …)."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _canonical_host(hostname: str, url: str) -> str:
    host = hostname.rstrip(".").lower()
    if not host:
        raise UrlError(f"not an absolute http(s) URL: {url!r} has no host")
    if ":" in host:  # IPv6 literal
        return f"[{host}]"
    if _ASCII_HOST.match(host):
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError) as exc:
        raise UrlError(f"not a valid host name in {url!r}: {exc}") from None


def _netloc(netloc: str, host: str, port: int | None, scheme: str) -> str:
    userinfo = netloc.rpartition("@")[0] if "@" in netloc else ""
    out = f"{_normalise_escapes(userinfo, _UNRESERVED | frozenset('!$&()*+,;=:%'))}@" if userinfo else ""
    out += host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        out += f":{port}"
    return out


def _normalise_escapes(text: str, safe: frozenset[str]) -> str:
    """Decode escapes of unreserved characters, upper-case the others, and escape what must be escaped."""
    if "%" in text:
        text = _ESCAPE.sub(_unescape_unreserved, _STRAY_PERCENT.sub("%25", text))
    return _unsafe_chars(safe).sub(lambda match: _escape(match.group()), text)


def _unescape_unreserved(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    return char if char in _UNRESERVED else "%" + match.group(1).upper()


@functools.cache
def _unsafe_chars(safe: frozenset[str]) -> re.Pattern[str]:
    """A pattern matching one character outside ``safe`` (most URLs have none, and are then returned as they are)."""
    return re.compile("[^" + "".join(re.escape(char) for char in sorted(safe)) + "]")


def _escape(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, on segments: '/a/./b/../c' becomes '/a/c'."""
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    result = "/".join(output)
    return result if result.startswith("/") or not path.startswith("/") else "/" + result


def _clean_query(query: str) -> str:
    kept = []
    for pair in query.split("&"):
        if not pair:
            continue
        name = pair.split("=", 1)[0]
        if is_tracking_param(_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), name).replace("+", " ")):
            continue
        kept.append(_normalise_escapes(pair, _QUERY_SAFE))
    return "&".join(kept)

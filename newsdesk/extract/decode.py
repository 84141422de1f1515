"""Turn the raw bytes of a fetched page into text, whatever charset it claims or really has.

Order of evidence: a byte-order mark, then the charset declared in the Content-Type header or a ``<meta>`` tag
(checked: the bytes must decode cleanly with it), then UTF-8, then charset-normalizer's detection, and as a last
resort Windows-1252 with replacement characters. Labels follow the WHATWG Encoding Standard, where ``iso-8859-1``
and ``ascii`` mean ``windows-1252``. :func:`decode_page` never raises.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:\-]+)""", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:\-]+)""", re.I)
_WHATWG_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "l1": "cp1252",
    "ascii": "cp1252", "us-ascii": "cp1252", "windows-1252": "cp1252", "x-sjis": "shift_jis",
    "gb2312": "gb18030", "gbk": "gb18030", "iso-8859-9": "cp1254", "tis-620": "cp874", "utf8": "utf-8",
}
_SINGLE_BYTE = frozenset({"cp1252", "cp1250", "cp1251", "cp1254", "cp874", "iso8859-2", "iso8859-15", "koi8-r"})
_CP1252_CHAOS_MARGIN = 0.2  # charset-normalizer "chaos" (0..1) by which a cp1252 reading may trail the best
_META_WINDOW = 8192  # browsers look for <meta charset> in the first 1024 bytes; pages in the wild put it later


def decode_page(raw: bytes, content_type: str | None = None) -> str:
    """Decode a page's bytes to text: BOM, then header/meta charset, then UTF-8, then detection. Never raises."""
    if not raw:
        return ""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding, errors="replace")
    declared = _declared_encoding(raw, content_type)
    if declared and declared != "utf-8":
        if declared in _SINGLE_BYTE and _strict(raw, "utf-8") is not None and not raw.isascii():
            # Valid multi-byte UTF-8 is next to impossible in real single-byte text: the label is wrong.
            return raw.decode("utf-8")
        text = _strict(raw, declared)
        if text is not None:
            return text
    text = _strict(raw, "utf-8")
    if text is not None:
        return text
    return _detect(raw)


def _declared_encoding(raw: bytes, content_type: str | None) -> str | None:
    """The first usable charset label from the header, then from a <meta> tag, normalised to a Python codec."""
    labels: list[str] = []
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match:
            labels.append(match.group(1))
    meta = _META_CHARSET.search(raw[:_META_WINDOW])
    if meta:
        labels.append(meta.group(1).decode("ascii", "replace"))
    for label in labels:
        codec = _codec_name(label)
        if codec:
            return codec
    return None


def _codec_name(label: str) -> str | None:
    label = label.strip().lower()
    label = _WHATWG_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return "utf-8"  # an ASCII-compatible page cannot really be UTF-16 without a BOM (WHATWG rule)
    return _WHATWG_ALIASES.get(name, name)


def _strict(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(raw: bytes) -> str:
    """charset-normalizer's best guess, else Windows-1252 with replacement characters."""
    for encoding in _guesses(raw):
        decoded = _strict(raw, encoding)
        if decoded is not None:
            return decoded
    return raw.decode("cp1252", errors="replace")


def _guesses(raw: bytes) -> list[str]:
    """Encodings charset-normalizer finds plausible, best first; Windows-1252 is moved first when it is about as
    plausible as the best single-byte guess, since it is by far the web's most common legacy encoding (a short
    French page otherwise comes out as Baltic cp1257)."""
    try:
        matches = list(from_bytes(raw[:200_000]))
    except Exception:  # a detector bug must not take the page down; the caller falls back safely
        return []
    if not matches:
        return []
    best = matches[0]
    western = next((m for m in matches if _codec_name(m.encoding) == "cp1252"), None)
    if western is not None and _codec_name(best.encoding) in _SINGLE_BYTE | {"cp1257", "mac-latin2", "cp775"} and (
            western.chaos <= best.chaos + _CP1252_CHAOS_MARGIN):
        matches.insert(0, western)
    return [m.encoding for m in matches]

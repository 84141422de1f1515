"""Which headline a reader sees for a story: the best one among its articles in the reader's language, never a cut
sentence, never starting in lower case.

Some feeds give no title, and the article's opening sentence cut at a length stands in ("Microsoft has released a
temporary patch … in its…"); some start in lower case ("fast-moving fire destroyed …"). Such a title is passed over
when another article of the story has a proper one. Languages are tried in order: the reader's, then English, then
any; within one, the story's representative article first when its title is proper. When no proper title exists,
the first one is repaired: a cut title becomes the opening sentence it was cut from (found at the start of the
article's text), or is trimmed back to its last clause; a lower-case start is capitalised. Brand names written
with a small first letter ("iTunes", "eBay") are not lower-case starts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

ELLIPSES = ("…", "...")
_BRAND = re.compile(r"^[a-z]{1,3}[A-Z]")  # iTunes, eBay, iPhone
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_CLAUSE_BREAK = re.compile(r"[,;:–—]\s")
MAX_SENTENCE_CHARS = 220


def is_cut(title: str) -> bool:
    """True when the title ends in an ellipsis: a sentence cut at a length, not a headline."""
    return title.rstrip().endswith(ELLIPSES)


def starts_lower(title: str) -> bool:
    """True when the first letter is lower case (a brand like iTunes excepted)."""
    text = title.lstrip("\"'“‘( ")
    return bool(text) and text[0].islower() and not _BRAND.match(text)


def is_proper(title: str | None) -> bool:
    text = (title or "").strip()
    return bool(text) and not is_cut(text) and not starts_lower(text)


def repaired(title: str, text: str | None = None) -> str:
    """A proper headline made from a cut or lower-case one (see the module docstring)."""
    out = " ".join(title.split())
    if is_cut(out):
        out = _whole_sentence(out, text) or _last_clause(out)
    if starts_lower(out):
        lead = len(out) - len(out.lstrip("\"'“‘( "))
        out = out[:lead] + out[lead].upper() + out[lead + 1:]
    return out


def _whole_sentence(cut: str, text: str | None) -> str | None:
    stem = cut.rstrip("….").rstrip()
    body = " ".join((text or "").split())
    if not stem or not body.startswith(stem[: min(len(stem), 40)]):
        return None
    sentence = _SENTENCE_END.split(body, maxsplit=1)[0]
    return sentence if len(stem) <= len(sentence) <= MAX_SENTENCE_CHARS else None


def _last_clause(cut: str) -> str:
    stem = cut.rstrip("….").rstrip()
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(stem) if m.start() >= len(stem) // 3]
    return stem[: breaks[-1]] if breaks else stem


def _language(item: dict[str, Any]) -> str:
    return (item.get("language") or "").split("-")[0].lower()


def choose_headline(items: Sequence[dict[str, Any]], language: str | None,
                    representative_id: int | None = None) -> tuple[dict[str, Any], str] | None:
    """(the article whose headline is shown, the headline) among ``items`` (dicts with id, title, language and
    optionally excerpt or text), for a reader of ``language``; None when no item has a title."""
    titled = [a for a in items if (a.get("title") or "").strip()]
    titled.sort(key=lambda a: a.get("id") != representative_id)  # stable: the representative first
    tiers = [lang for lang in dict.fromkeys(((language or "").split("-")[0].lower(), "en")) if lang]
    for tier in [*([a for a in titled if _language(a) == lang] for lang in tiers), titled]:
        if not tier:
            continue
        proper = next((a for a in tier if is_proper(a["title"])), None)
        if proper is not None:
            return proper, " ".join(proper["title"].split())
        first = tier[0]
        return first, repaired(first["title"], first.get("text") or first.get("excerpt"))
    return None

"""The source edit form: what an admin may change (name, language, region, topics), checked and tidied.

Each field is bounded and spelled one way: a language is a lower-case code (``en``, ``pt-br``), a region an
upper-case two-letter code (``LB``), topics a comma-separated list (each kept once, in the order typed). Control
characters and bidi overrides are dropped from names and topics, so a name cannot reorder the text around it.
A refused field gives an error code the template states in words; the typed values come back for the form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from newsdesk.text.codes import LANGUAGE, REGION

MAX_NAME = 200
MAX_TOPIC = 60
MAX_TOPICS = 20
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FIELDS = ("name", "language", "region", "topics")


@dataclass(frozen=True)
class SourceFields:
    """The edited values, ready for the store (None clears a field)."""

    name: str | None
    language: str | None
    region: str | None
    topics: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EditForm:
    """A submitted edit form: the values as typed, the checked fields (None if refused) and error codes."""

    typed: dict[str, str]
    fields: SourceFields | None
    errors: list[str]


def _clean(text: str) -> str:
    return " ".join(_INVISIBLE.sub("", text).split())


def parse_edit_form(form: Mapping[str, str]) -> EditForm:
    """Check a posted edit form (missing fields count as empty)."""
    typed = {name: str(form.get(name, ""))[:2000] for name in FIELDS}
    errors: list[str] = []
    name = _clean(typed["name"])
    if len(name) > MAX_NAME:
        errors.append("name-too-long")
    language = typed["language"].strip().lower().replace("_", "-")
    if language and not LANGUAGE.match(language):
        errors.append("bad-language")
    region = typed["region"].strip().upper()
    if region and not REGION.match(region):
        errors.append("bad-region")
    topics = list(dict.fromkeys(t for t in (_clean(part) for part in typed["topics"].split(",")) if t))
    if len(topics) > MAX_TOPICS:
        errors.append("too-many-topics")
    if any(len(topic) > MAX_TOPIC for topic in topics):
        errors.append("topic-too-long")
    if errors:
        return EditForm(typed, None, errors)
    return EditForm(typed, SourceFields(name or None, language or None, region or None, topics), [])


def typed_values(source: Mapping[str, object]) -> dict[str, str]:
    """A stored source's values as the form shows them."""
    topics = source.get("topics") or []
    return {"name": str(source.get("name") or ""), "language": str(source.get("language") or ""),
            "region": str(source.get("region") or ""),
            "topics": ", ".join(str(t) for t in topics) if isinstance(topics, list) else ""}

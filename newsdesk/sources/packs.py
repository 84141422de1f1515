"""The starter-pack catalog: 197 editions and topics of real news feeds, shipped in ``kite_packs.jsonl.gz``.

The data comes from Kagi's kite feed list (MIT; credit and licence in ``KITE_NOTICE.txt``, built by
``scripts/build_packs.py``). A pack is an *edition* when it names a place (a country, a part of one, a world area:
its sources carry the region code) and a *topic* otherwise; either way its sources carry its language and its
English name as a topic, so the reader's edition and topic filters find them. Names are looked up by slug
(``usa-texas``) or by English name in any case (``"USA | Texas"``).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources

CATALOG_FILE = "kite_packs.jsonl.gz"


@dataclass(frozen=True)
class Pack:
    """One starter pack: ``kind`` is 'edition' or 'topic'; ``names`` maps a locale to its display name."""

    slug: str
    name: str
    kind: str
    language: str | None
    region: str | None
    names: Mapping[str, str] = field(default_factory=dict)
    feeds: tuple[str, ...] = ()

    def display_name(self, locale: str) -> str:
        """The name in ``locale`` (``fr``, ``pt-BR``, ``zh-Hant``...), else its base language, else English."""
        for candidate in (locale, locale.split("-")[0], "en"):
            for key, name in self.names.items():
                if key.lower() == candidate.lower():
                    return name
        return self.name


class UnknownPack(KeyError):
    """No pack has that name; the message suggests close ones."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Catalog:
    """Every pack, in slug order."""

    packs: tuple[Pack, ...]

    @classmethod
    def shipped(cls) -> Catalog:
        """The catalog shipped inside the package (read each time: ~30 ms, no module-level cache)."""
        raw = resources.files("newsdesk.sources").joinpath(CATALOG_FILE).read_bytes()
        return cls.from_lines(gzip.decompress(raw).decode("utf-8").splitlines())

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Catalog:
        packs = []
        for line in lines:
            if line.strip():
                item = json.loads(line)
                packs.append(Pack(item["slug"], item["name"], item["kind"], item.get("language"), item.get("region"),
                                  dict(item.get("names") or {}), tuple(item.get("feeds") or ())))
        return cls(tuple(sorted(packs, key=lambda p: p.slug)))

    def find(self, name: str) -> Pack:
        """The pack named by slug or English name (any case); :class:`UnknownPack` otherwise."""
        wanted = name.strip().lower()
        for pack in self.packs:
            if wanted in (pack.slug, pack.name.lower()):
                return pack
        close = [p.slug for p in self.packs if wanted and (wanted in p.slug or wanted in p.name.lower())][:5]
        hint = f"; did you mean {', '.join(close)}?" if close else "; `newsdesk sources packs` lists them"
        raise UnknownPack(f"no starter pack named {name!r}{hint}")

    def of_kind(self, kind: str) -> list[Pack]:
        return [p for p in self.packs if p.kind == kind]

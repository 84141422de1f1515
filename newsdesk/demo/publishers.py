"""The demo's simulated publishers and the schedule on which the corpus's articles appear on them."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "data" / "corpus.jsonl.gz"


@dataclass(frozen=True)
class Publisher:
    """One simulated outlet, served on its own loopback address."""

    slug: str
    name: str
    language: str
    region: str
    feed: str  # rss | atom | json | sitemap (a site without a feed)
    address: str
    colour: str

    @property
    def feed_path(self) -> str:
        return {"rss": "/rss.xml", "atom": "/atom.xml", "json": "/feed.json", "sitemap": "/news-sitemap.xml"}[self.feed]


PUBLISHERS = (
    Publisher("meridian", "Daily Meridian", "en", "US", "rss", "127.0.0.11", "#b3261e"),
    Publisher("harbour", "The Harbour Post", "en", "GB", "atom", "127.0.0.12", "#1b4f8a"),
    Publisher("pacific", "Pacific Chronicle", "en", "AU", "json", "127.0.0.13", "#0f7b6c"),
    Publisher("cedar", "Cedar Times", "en", "LB", "rss", "127.0.0.14", "#2e7d32"),
    Publisher("metro", "Metro Business Review", "en", "US", "sitemap", "127.0.0.15", "#6a1b9a"),
    Publisher("observador", "El Observador Global", "es", "ES", "rss", "127.0.0.16", "#c2571a"),
    Publisher("voce", "La Voce Libera", "it", "IT", "atom", "127.0.0.17", "#00695c"),
    Publisher("avondblad", "Het Avondblad", "nl", "NL", "json", "127.0.0.18", "#e65100"),
)
BYLINES = ("Amira Haddad", "James Whitfield", "Lucía Romero", "Marco Bellini", "Sanne de Vries", "Priya Nair",
           "Tom Okafor", "Claire Dubois", "Daniel Kim", "Nour Saleh", "Ben Carter", "Elena Rossi")
WIRE_REPUBLISHERS = ("pacific", "cedar")  # outlets that also run some of the Daily Meridian's copy (wire copies)


@dataclass(frozen=True)
class DemoArticle:
    """An article as one publisher runs it, with the offset (seconds from the wire's start) it appears at."""

    key: str
    publisher: Publisher
    title: str
    text: str
    language: str
    origin: str
    licence: str
    byline: str
    offset: float
    wire_of: str | None = None

    def published(self, start: datetime) -> datetime:
        return start + timedelta(seconds=self.offset)


def _stable(value: str) -> int:
    return int(hashlib.sha256(value.encode()).hexdigest()[:8], 16)


def _publisher_for(row: dict) -> Publisher:
    by_lang = {p.language: p for p in PUBLISHERS if p.language != "en"}
    if row["language"] in by_lang:
        return by_lang[row["language"]]
    english = [p for p in PUBLISHERS if p.language == "en"]
    if row["licence"] == "CC BY 4.0":  # Wikinews English goes to the two big papers
        return english[_stable(row["id"]) % 2]
    return english[_stable(row.get("origin") or row["id"]) % len(english)]


def load_corpus() -> list[dict]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def schedule(backlog_hours: float = 72.0, live_share: float = 0.1, release_every: float = 60.0) -> list[DemoArticle]:
    """Every article with its appearance offset: most spread over the past ``backlog_hours`` (events keep their
    articles within a couple of hours of each other), the last ``live_share`` released one per ``release_every`` s."""
    rows = load_corpus()
    events = sorted({r["event"] for r in rows}, key=lambda e: _stable(e))
    live_from = int(len(events) * (1 - live_share))
    out: list[DemoArticle] = []
    live_clock = release_every
    for rank, event in enumerate(events):
        members = sorted((r for r in rows if r["event"] == event), key=lambda r: r["id"])
        if rank < live_from:
            base = -backlog_hours * 3600 * (1 - rank / max(1, live_from))
        else:
            base = live_clock
            live_clock += release_every * len(members)
        for i, row in enumerate(members):
            if rank >= live_from:
                out.append(_article(row, base + i * release_every))
            else:  # within two hours after the event broke, and never in the future
                out.append(_article(row, min(-600.0, base + _stable(row["id"]) % 7200)))
    out += _wire_copies(out)
    return sorted(out, key=lambda a: a.offset)


def _article(row: dict, offset: float) -> DemoArticle:
    pub = _publisher_for(row)
    return DemoArticle(key=row["id"].split("-")[-1][:12], publisher=pub, title=row["title"], text=row["text"],
                       language=row["language"], origin=row["origin"], licence=row["licence"],
                       byline=BYLINES[_stable(row["id"] + "by") % len(BYLINES)], offset=offset)


def _wire_copies(articles: list[DemoArticle]) -> list[DemoArticle]:
    """One in six Daily Meridian stories is also run by another outlet, lightly edited: a wire copy."""
    copies = []
    for a in articles:
        if a.publisher.slug != "meridian" or _stable(a.key) % 6:
            continue
        other = next(p for p in PUBLISHERS if p.slug == WIRE_REPUBLISHERS[_stable(a.key) % 2])
        paragraphs = a.text.split("\n")
        edited = "\n".join([f"({other.name}) {paragraphs[0]}", *paragraphs[1:]])
        copies.append(DemoArticle(key=a.key + "w", publisher=other, title=a.title, text=edited, language=a.language,
                                  origin=f"{a.origin} via Daily Meridian", licence=a.licence, byline="Wire staff",
                                  offset=a.offset + 1200, wire_of=a.key))
    return copies

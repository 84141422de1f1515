"""Topics by a transparent multilingual keyword rule set that ships with the project.

Each topic lists word prefixes in English, French, Spanish, German, Italian, Portuguese and Arabic. An article gets
every topic with at least ``MIN_HITS`` keyword hits in its title and lead (a title hit counts twice); a story gets
the topics that a third of its members carry. Rules, not a model: a wrong topic can be traced to the word that
caused it and fixed here.

The keys of ``TOPIC_KEYWORDS`` are the one vocabulary of topics: what articles and stories carry, what the home
page's tabs, the search filter, the JSON API and the feeds out ask for. ``canonical_topic`` maps the other names
people use for them ("sports", "technology") onto it, and ``TOPIC_LABELS`` gives each its English tab label (the
msgid the interface translates).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

MIN_HITS = 2
LEAD_CHARS = 800
_WORD = re.compile(r"\w+", re.UNICODE)

TOPIC_KEYWORDS: dict[str, tuple[str, ...]] = {
    "politics": ("election", "elector", "parliament", "minister", "president", "senat", "congress", "vote", "voting",
                 "government", "opposition", "campaign", "élection", "ministre", "gouvernement", "député", "elección",
                 "gobierno", "wahl", "regierung", "bundestag", "governo", "eleição", "انتخاب", "حكوم", "وزير",
                 "برلمان"),
    "world": ("war", "troops", "invasion", "refugee", "united nations", "nato", "border", "ceasefire", "coup",
              "diplomat", "embassy", "guerre", "réfugié", "frontière", "guerra", "refugiad", "krieg", "flüchtling",
              "حرب", "لاجئ", "الأمم"),
    "business": ("market", "stock", "shares", "investor", "econom", "inflation", "bank", "profit", "revenue",
                 "acqui", "merger", "company", "billion", "earnings", "trade", "marché", "bourse", "entreprise",
                 "mercado", "empresa", "bolsa", "markt", "unternehmen", "aktie", "azion", "mercato", "اقتصاد", "سوق",
                 "شركة", "بنك"),
    "tech": ("software", "computer", "internet", "smartphone", "iphone", "ipod", "apple", "google", "microsoft",
             "chip", "processor", "server", "app", "cyber", "artificial intelligence", "logiciel", "ordinateur",
             "informática", "tecnolog", "technolog", "digital", "تقنية", "تكنولوجيا", "إنترنت"),
    "science": ("scientist", "research", "study", "space", "nasa", "planet", "physic", "climate", "species",
                "nobel", "scientifique", "recherche", "espace", "científic", "investigación", "forschung",
                "wissenschaft", "scienz", "علم", "فضاء", "أبحاث"),
    "sport": ("football", "soccer", "match", "championship", "tournament", "olympi", "league", "goal", "coach",
              "player", "tennis", "cup", "fútbol", "partido", "championnat", "joueur", "fußball", "spiel", "calcio",
              "campionato", "futebol", "كرة", "مباراة", "بطولة", "لاعب"),
    "health": ("health", "hospital", "disease", "virus", "vaccine", "patient", "doctor", "medical", "cancer",
               "rehab", "drug", "covid", "santé", "hôpital", "maladie", "salud", "hospital", "enfermedad",
               "gesundheit", "krankenhaus", "salute", "صحة", "مستشفى", "مرض", "لقاح"),
    "culture": ("film", "movie", "music", "album", "actor", "actress", "singer", "festival", "award", "oscar",
                "book", "novel", "museum", "art", "celebrity", "musique", "cinéma", "chanteur", "música", "película",
                "cantante", "musik", "sänger", "musica", "فيلم", "موسيقى", "مهرجان"),
    "disaster": ("earthquake", "quake", "flood", "hurricane", "storm", "fire", "explosion", "crash", "tsunami",
                 "killed", "séisme", "inondation", "incendie", "terremoto", "inundación", "incendio", "erdbeben",
                 "überschwemmung", "زلزال", "فيضان", "حريق"),
    "crime": ("police", "arrest", "murder", "shooting", "robbery", "court", "trial", "sentenced", "prison",
              "charged", "suspect", "policía", "tribunal", "meurtre", "procès", "polizei", "gericht", "polizia",
              "شرطة", "محكمة", "اعتقال"),
}


TOPIC_LABELS: dict[str, str] = {
    "world": "World", "politics": "Politics", "business": "Business", "tech": "Technology", "science": "Science",
    "sport": "Sports", "health": "Health", "culture": "Culture", "disaster": "Disasters", "crime": "Crime",
}
TOPIC_ALIASES: dict[str, str] = {
    "technology": "tech", "sports": "sport", "entertainment": "culture", "arts": "culture", "economy": "business",
    "disasters": "disaster", "international": "world",
}


def canonical_topic(name: str | None) -> str | None:
    """The vocabulary's name for a topic someone asked for (aliases mapped, case ignored); an unknown name is
    returned lower-cased (it matches nothing), an empty one as None."""
    key = (name or "").strip().lower()
    if not key:
        return None
    return TOPIC_ALIASES.get(key, key)


def topic_tabs(names: Iterable[str]) -> list[str]:
    """Configured tab topics in the vocabulary, in order, without repeats or names no article can carry."""
    found = (canonical_topic(name) for name in names)
    return list(dict.fromkeys(t for t in found if t in TOPIC_KEYWORDS))


def _keyword_table() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Single-word keywords -> their topics (matched as word prefixes) and phrases -> their topics."""
    words: dict[str, list[str]] = {}
    phrases: dict[str, list[str]] = {}
    for topic, keywords in TOPIC_KEYWORDS.items():
        for keyword in keywords:
            (phrases if " " in keyword else words).setdefault(keyword, []).append(topic)
    return words, phrases


_WORD_KEYWORDS, _PHRASE_KEYWORDS = _keyword_table()
_LONGEST_KEYWORD = max(map(len, _WORD_KEYWORDS))


def _count_hits(hits: Counter[str], text: str, weight: int) -> None:
    """Add ``weight`` per keyword hit: each word counts once for every keyword it starts with."""
    for word in _WORD.findall(text):
        for end in range(1, min(len(word), _LONGEST_KEYWORD) + 1):
            for topic in _WORD_KEYWORDS.get(word[:end], ()):
                hits[topic] += weight
    for phrase, topics in _PHRASE_KEYWORDS.items():
        count = text.count(phrase)
        for topic in topics if count else ():
            hits[topic] += weight * count


def article_topics(title: str, text: str) -> list[str]:
    """Topics of one article, in the order of TOPIC_KEYWORDS."""
    hits: Counter[str] = Counter()
    _count_hits(hits, (title or "").lower(), 2)
    _count_hits(hits, (text or "")[:LEAD_CHARS].lower(), 1)
    return [topic for topic in TOPIC_KEYWORDS if hits[topic] >= MIN_HITS]


def story_topics(member_topics: Iterable[list[str]], share: float = 1 / 3) -> list[str]:
    """Topics carried by at least ``share`` of a story's members (most common first)."""
    counts: Counter[str] = Counter()
    members = 0
    for topics in member_topics:
        members += 1
        counts.update(set(topics or ()))
    return [t for t, c in counts.most_common() if members and c >= share * members]

"""Topics by a transparent multilingual keyword rule set that ships with the project.

Each topic lists word prefixes in English, French, Spanish, German, Italian, Portuguese and Arabic. An article gets
every topic with at least ``MIN_HITS`` keyword hits in its title and lead (a title hit counts twice); a story gets
the topics that a third of its members carry. Rules, not a model: a wrong topic can be traced to the word that
caused it and fixed here.
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


def _matches(words: list[str], text: str, keyword: str) -> int:
    if " " in keyword:
        return text.count(keyword)
    return sum(1 for w in words if w.startswith(keyword))


def article_topics(title: str, text: str) -> list[str]:
    """Topics of one article, in the order of TOPIC_KEYWORDS."""
    title_l, lead_l = (title or "").lower(), (text or "")[:LEAD_CHARS].lower()
    title_words, lead_words = _WORD.findall(title_l), _WORD.findall(lead_l)
    found = []
    for topic, keywords in TOPIC_KEYWORDS.items():
        hits = sum(2 * _matches(title_words, title_l, k) + _matches(lead_words, lead_l, k) for k in keywords)
        if hits >= MIN_HITS:
            found.append(topic)
    return found


def story_topics(member_topics: Iterable[list[str]], share: float = 1 / 3) -> list[str]:
    """Topics carried by at least ``share`` of a story's members (most common first)."""
    counts: Counter[str] = Counter()
    members = 0
    for topics in member_topics:
        members += 1
        counts.update(set(topics or ()))
    return [t for t, c in counts.most_common() if members and c >= share * members]

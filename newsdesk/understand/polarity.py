"""What a sentence asserts beyond its topic: direction (rise/fall, guilty/acquitted, win/lose ...), negation,
numbers and calendar dates, in the languages newsdesk's corpora carry (en, es, it, nl, plus fr, de, pt).

Two reports of one kind of event share names and words; what tells "markets fell" from "markets surged", or "was
convicted" from "pleads not guilty", is a handful of cue words, the figures and the day. The clusterer uses the
cues of an article's title and lead to keep same-kind events apart (``newsdesk.understand.evidence``); the summary
uses them to keep a citation only where the cited sentence says the same (``newsdesk.ai.support``).

Cues are looked up per language (a Dutch "pas" is not a French negation); text of unknown language is read with
the union of the unambiguous cue lists. A negation within three words before a direction cue flips it ("not
guilty", "no subió"); other negations count towards the sentence's negation parity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

Direction = tuple[str, int]  # (axis, +1 or -1)

# axis -> sign -> words; an entry ending in "*" is a prefix. Axes: level (up/down), verdict (guilty/cleared),
# contest (win/lose), decision (approved/rejected), result (profit/loss), office (hired/fired).
CUES: dict[str, dict[str, dict[int, tuple[str, ...]]]] = {
    "en": {
        "level": {1: ("rise", "rises", "rose", "risen", "rising", "surg*", "soar*", "jump", "jumps", "jumped",
                      "climb*", "gain", "gains", "gained", "rally", "rallies", "rallied", "rebound*", "increas*",
                      "higher", "highest", "skyrocket*", "recover*", "advance", "advanced", "advances", "upward*"),
                  -1: ("fall", "falls", "fell", "fallen", "falling", "drop", "drops", "dropped", "dropping",
                       "declin*", "plung*", "plummet*", "slid", "slide", "slides", "sliding", "slump*", "tumbl*",
                       "sink", "sinks", "sank", "sunk", "crash*", "decreas*", "lower", "lowest", "sell-off",
                       "selloff", "retreat*", "downward*")},
        "verdict": {1: ("guilty", "convict*", "sentenced"), -1: ("acquit*", "innocent", "exonerat*")},
        "contest": {1: ("win", "wins", "won", "winning", "victory", "victorious", "beat", "beats", "defeated",
                        "defeats"),
                    -1: ("lose", "loses", "losing", "lost")},
        "decision": {1: ("approv*", "passed", "passes", "accept*"),
                     -1: ("reject*", "fail", "fails", "failed", "veto*", "blocked", "denied", "denies")},
        "result": {1: ("profit*", "surplus"), -1: ("loss", "losses", "deficit")},
        "office": {1: ("hired", "hires", "appointed", "appoints", "elected", "sworn"),
                   -1: ("fired", "sacked", "dismissed", "ousted", "resign*", "quit", "quits")},
    },
    "es": {
        "level": {1: ("sube", "suben", "subió", "subieron", "subida*", "subido*", "subir", "aument*", "alza*",
                      "repunt*", "crec*", "recuper*", "avanz*"),
                  -1: ("caer", "cae", "caen", "cayó", "cayeron", "caída*", "caído*", "baja", "bajan", "bajó",
                       "bajaron", "bajada*", "bajado*", "desplom*", "descen*", "retroce*", "hund*", "disminu*")},
        "verdict": {1: ("culpable*", "conden*"), -1: ("absuel*", "absolv*", "inocente*")},
        "contest": {1: ("gana", "ganan", "ganó", "ganaron", "ganador*", "victoria*", "venc*"),
                    -1: ("pierde*", "perdi*", "derrota*")},
        "decision": {1: ("aprob*", "aprueb*", "acept*"), -1: ("rechaz*", "fracas*", "veto*", "vetó")},
        "result": {1: ("beneficio*", "ganancia*"), -1: ("pérdida*",)},
        "office": {1: ("contratad*", "nombrad*", "designad*", "elegid*"),
                   -1: ("despedid*", "destituid*", "dimit*", "dimisión", "renunci*")},
    },
    "it": {
        "level": {1: ("sale", "salgono", "salito", "salita", "saliti", "salire", "aument*", "rialz*", "impenn*",
                      "balz*", "cresc*", "guadagn*", "recuper*"),
                  -1: ("croll*", "calo", "cala", "calano", "calato", "calati", "calata", "calando", "scend*",
                       "sces*", "ribass*", "precipit*", "diminu*", "affond*")},
        "verdict": {1: ("colpevol*", "condann*"), -1: ("assolt*", "assolv*", "innocent*")},
        "contest": {1: ("vinc*", "vint*", "vittori*"), -1: ("perd*", "persa", "perso", "sconfitt*")},
        "decision": {1: ("approv*", "accett*"), -1: ("respint*", "boccia*", "rifiut*", "fallit*")},
        "result": {1: ("utile", "utili", "profitt*"), -1: ("perdit*",)},
        "office": {1: ("assunt*", "nominat*", "elett*"), -1: ("licenziat*", "dimess*", "dimiss*", "esonerat*")},
    },
    "nl": {
        "level": {1: ("stijg*", "steeg", "stegen", "gestegen", "omhoog", "hoger", "groei*", "herstel*"),
                  -1: ("daal*", "dalen", "gedaald", "daling*", "zakt", "zakte", "zakten", "gezakt", "kelder*",
                       "omlaag", "instort*")},
        "verdict": {1: ("schuldig", "veroordeel*", "veroordeeld*"),
                    -1: ("onschuldig", "vrijgesproken", "vrijspraak")},
        "contest": {1: ("wint", "won", "winnen", "overwinning*"), -1: ("verliest", "verloor", "nederlaag*")},
        "decision": {1: ("goedgekeurd*", "aangenomen"), -1: ("verworpen", "afgewezen")},
        "result": {1: ("winst*",), -1: ("verlies*",)},
        "office": {1: ("benoemd", "aangesteld", "gekozen"), -1: ("ontslagen", "ontslag")},
    },
    "fr": {
        "level": {1: ("hausse*", "augment*", "grimp*", "bondi*", "progress*", "monte*", "monté*", "envol*"),
                  -1: ("baiss*", "chut*", "recul*", "plong*", "dégringol*", "effondr*", "diminu*")},
        "verdict": {1: ("coupable*", "condamn*"), -1: ("acquitt*", "innocent*")},
        "contest": {1: ("gagn*", "victoire*", "remport*"), -1: ("défaite*", "perd*")},
        "decision": {1: ("approuv*", "adopt*", "accept*"), -1: ("rejet*", "rejeté*", "échou*")},
        "result": {1: ("bénéfice*",), -1: ("pertes",)},
        "office": {1: ("nommé*", "embauch*", "élu", "élue"), -1: ("licenci*", "limog*", "démission*")},
    },
    "de": {
        "level": {1: ("steig*", "stieg*", "gestiegen", "anstieg*", "zugeleg*", "erhol*", "höher"),
                  -1: ("fällt", "fiel*", "gefallen", "fallen", "sink*", "sank*", "gesunken", "rückgang*",
                       "eingebrochen", "einbruch*", "absturz*", "stürz*")},
        "verdict": {1: ("schuldig", "verurteil*"), -1: ("unschuldig", "freigesprochen", "freispruch*")},
        "contest": {1: ("gewinnt", "gewann*", "gewonnen", "sieg*"), -1: ("verlier*", "verlor*", "niederlage*")},
        "decision": {1: ("genehmig*", "angenommen", "billig*"), -1: ("abgelehnt", "lehnt*", "gescheitert")},
        "result": {1: ("gewinn*",), -1: ("verlust*",)},
        "office": {1: ("ernannt", "eingestellt", "gewählt"),
                   -1: ("entlassen", "gefeuert", "rücktritt*", "zurückgetreten")},
    },
    "pt": {
        "level": {1: ("sobe", "sobem", "subiu", "subiram", "alta*", "aument*", "cresc*", "recuper*"),
                  -1: ("cai", "caem", "caiu", "caíram", "cair", "queda*", "baixa*", "despenc*", "recua*",
                       "diminu*")},
        "verdict": {1: ("culpad*", "conden*"), -1: ("absolvid*", "inocente*")},
        "contest": {1: ("venc*", "vitória*", "ganh*"), -1: ("perd*", "derrota*")},
        "decision": {1: ("aprov*", "aceit*"), -1: ("rejeit*", "vet*")},
        "result": {1: ("lucro*",), -1: ("prejuízo*",)},
        "office": {1: ("contratad*", "nomead*", "eleit*"), -1: ("demitid*", "renunci*")},
    },
}
NEGATIONS: dict[str, tuple[str, ...]] = {
    "en": ("not", "no", "never", "cannot", "neither", "nor", "without"),
    "es": ("no", "nunca", "jamás", "ni", "sin"),
    "it": ("non", "mai", "né", "senza", "mancata", "mancato", "mancate", "mancati"),
    "nl": ("niet", "geen", "nooit", "zonder"),
    "fr": ("pas", "jamais", "aucun", "aucune", "sans"),
    "de": ("nicht", "kein", "keine", "keinen", "keiner", "nie", "niemals", "ohne"),
    "pt": ("não", "nunca", "jamais", "sem"),
}
# A cue next to one of these (up to NEGATION_REACH words before it, or right after) is not asserted.
MODALS = frozenset({"would", "could", "might", "may", "should", "would've", "could've", "might've", "podría",
                    "podrían", "potrebbe", "potrebbero", "zou", "zouden", "kan", "pourrait", "pourraient", "würde",
                    "würden", "könnte", "könnten", "poderia", "poderiam"})
_NOT_SUBJECTS = frozenset({"the", "a", "an", "they", "he", "she", "it", "we", "i", "you", "this", "that", "these",
                           "those", "there", "on", "in", "at", "after", "before", "but", "and", "however", "el",
                           "la", "los", "las", "il", "lo", "gli", "de", "het", "een", "le", "les", "der", "die",
                           "das", "o", "os", "as"})
NEGATION_REACH = 3  # a negation this many words before a direction cue flips it; it governs this many words after
SUBJECT_REACH = 8  # a contest cue's subject is a capitalised word at most this many words before it
MIN_CONTENT_CHARS = 4  # shorter words are function words for the negation check
# "up"/"down" are direction only next to a figure or a verb of reporting: "was down 2.6%", "closed up".
_UP_DOWN = re.compile(r"\b(?:(?:was|were|is|are|closed|ended|finished|trading|traded)\s+(up|down)|"
                      r"(up|down)\s+(?:by\s+)?[\d.,]+\s*(?:%|per\s*cent|percent|points?))\b", re.IGNORECASE)
_NOT = re.compile(r"n['’]t\b", re.IGNORECASE)  # "won't", "didn't": a "not"
_NUMBERED = re.compile(r"\b(?:No|Nr|Nº)\.?\s*(?=\d)", re.IGNORECASE)  # "No. 5 seed" is a number, not a negation
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f]\d+)*")
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
        ("january", "jan", "enero", "gennaio", "januari", "janvier", "januar", "janeiro"),
        ("february", "feb", "febrero", "febbraio", "februari", "février", "februar", "fevereiro"),
        ("march", "mar", "marzo", "maart", "mars", "märz", "março"),
        ("april", "apr", "abril", "aprile", "avril"),
        ("may", "mayo", "maggio", "mei", "mai", "maio"),
        ("june", "jun", "junio", "giugno", "juni", "juin", "junho"),
        ("july", "jul", "julio", "luglio", "juli", "juillet", "julho"),
        ("august", "aug", "agosto", "augustus", "août"),
        ("september", "sep", "sept", "septiembre", "settembre", "septembre", "setembro"),
        ("october", "oct", "octubre", "ottobre", "oktober", "octobre", "outubro"),
        ("november", "nov", "noviembre", "novembre", "novembro"),
        ("december", "dec", "diciembre", "dicembre", "décembre", "dezember", "dezembro")), start=1):
    for _name in _names:
        _MONTHS[_name] = _number
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAYS: dict[str, int] = {}
for _number, _names in enumerate((
        ("monday", "lunes", "lunedì", "lunedi", "maandag", "lundi", "montag", "segunda-feira"),
        ("tuesday", "martes", "martedì", "martedi", "dinsdag", "mardi", "dienstag", "terça-feira"),
        ("wednesday", "miércoles", "mercoledì", "mercoledi", "woensdag", "mercredi", "mittwoch", "quarta-feira"),
        ("thursday", "jueves", "giovedì", "giovedi", "donderdag", "jeudi", "donnerstag", "quinta-feira"),
        ("friday", "viernes", "venerdì", "venerdi", "vrijdag", "vendredi", "freitag", "sexta-feira"),
        ("saturday", "sábado", "sabato", "zaterdag", "samedi", "samstag", "sonnabend"),
        ("sunday", "domingo", "domenica", "zondag", "dimanche", "sonntag")), start=1):
    for _name in _names:
        _WEEKDAYS[_name] = _number
_FULL_MONTHS = {name: number for name, number in _MONTHS.items() if len(name) > 3 or name in {"mei", "mai"}}
_DATES = (
    (re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE), (2, 1, 3)),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th|er|º|\.)?\s+(?:de\s+)?({_MONTH})\.?,?\s+(?:de\s+)?((?:19|20)\d\d)\b",
                re.IGNORECASE), (1, 2, 3)),
    (re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b"), (3, 2, 1)),
)


@dataclass(frozen=True)
class Cues:
    """The assertions of one text.

    ``directions``: (axis, sign) read with the text's language's cues; ``any_directions``: read with every
    language's cues (a comparison across languages must hold under both readings, so a cue one lexicon lacks
    cannot fake an opposition). Contest cues are relative to who wins ("the Chiefs lost to the Colts" and "the
    Colts won" agree), so their axis carries the name written last before the cue: ``contest:colts``.
    ``negated``: the content words a negation governs (up to NEGATION_REACH words after a "not" that no direction
    cue used up); ``words``: every word, lower case. ``numbers``: its figures, weekdays and months
    (``numbers_in``, ``facts_in``).
    """

    directions: frozenset[Direction]
    numbers: frozenset[str]
    any_directions: frozenset[Direction] = frozenset()
    negated: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()


def _compile(words: tuple[str, ...]) -> re.Pattern[str]:
    parts = [w[:-1] + r"\w*" if w.endswith("*") else w for w in words]
    return re.compile(r"^(?:" + "|".join(parts) + r")$", re.IGNORECASE)


@lru_cache(maxsize=64)
def _tables(lang: str) -> tuple[list[tuple[str, int, re.Pattern[str]]], frozenset[str]]:
    """The compiled cue patterns and negation words of a language code ("": every cue language, English
    negations); compiled once per process (they are constants)."""
    languages = [lang] if lang in CUES else list(CUES)
    cues = [(axis, sign, _compile(tuple(w for code in languages for w in CUES[code][axis][sign])))
            for axis in CUES["en"] for sign in (1, -1)]
    negations = frozenset(w for code in ([lang] if lang in NEGATIONS else ["en"]) for w in NEGATIONS[code])
    return cues, negations


def read_cues(text: str, language: str | None) -> Cues:
    """Directions, negated words and figures of ``text`` written in ``language`` (ISO 639-1; None: unknown)."""
    tokens = _WORD.findall(_NOT.sub(" not", _NUMBERED.sub(" ", _UP_DOWN.sub(" ", text))))
    words = [w.lower().replace("’", "'") for w in tokens]
    up_down = {("level", 1 if (m.group(1) or m.group(2)).lower() == "up" else -1) for m in _UP_DOWN.finditer(text)}
    lang = (language or "").split("-")[0].lower()
    negations = _tables(lang)[1]
    directions, spent = _directions(tokens, words, lang, negations)
    any_directions = directions
    if lang in CUES:
        any_directions, _ = _directions(tokens, words, "", negations)
    negated = {w for i, word in enumerate(words) if word in negations and i not in spent
               for w in words[i + 1:i + 1 + NEGATION_REACH] if len(w) >= MIN_CONTENT_CHARS}
    return Cues(frozenset(directions | up_down), numbers_in(text) | facts_in(tokens),
                frozenset(any_directions | up_down), frozenset(negated), frozenset(words))


def _directions(tokens: list[str], words: list[str], lang: str,
                negations: frozenset[str]) -> tuple[set[Direction], set[int]]:
    """The direction cues among ``words`` (flipped by a negation up to NEGATION_REACH words before them) and the
    positions of the negations they used up; contest cues carry their subject (see ``Cues``)."""
    directions: set[Direction] = set()
    spent: set[int] = set()
    for position, word in enumerate(words):
        cue = _cue_of(lang, word)
        if cue is None:
            continue
        axis, sign = cue
        if MODALS.intersection(words[max(0, position - NEGATION_REACH):position + 2]):
            continue  # "would have risen", "a win would've cost them": not asserted
        flip = next((i for i in range(max(0, position - NEGATION_REACH), position) if words[i] in negations), None)
        if flip is not None:
            spent.add(flip)
        if axis == "contest":
            subject = _subject(tokens, position)
            if not subject:
                continue  # a win or a loss of nobody named tells nothing
            axis = f"contest:{subject}"
        directions.add((axis, -sign if flip is not None else sign))
    return directions, spent


@lru_cache(maxsize=1 << 16)
def _cue_of(lang: str, word: str) -> Direction | None:
    """The (axis, sign) a word is a cue for in a language's table, or None; memoised (words repeat, and every
    cue table is a constant)."""
    if word in {"up", "down"}:
        return None
    return next(((axis, sign) for axis, sign, pattern in _tables(lang)[0] if pattern.match(word)), None)


def _subject(tokens: list[str], position: int) -> str:
    """The capitalised word nearest before ``position`` (within SUBJECT_REACH words), lower case, that is not a
    capitalised pronoun or article opening a sentence; empty if none."""
    for token in reversed(tokens[max(0, position - SUBJECT_REACH):position]):
        if token[:1].isupper() and token.lower() not in _NOT_SUBJECTS:
            return token.lower()
    return ""


def negation_flip(mine: Cues, theirs: Cues) -> bool:
    """True when one text negates a word the other asserts ("will attend" / "will not attend"); for texts of one
    language (translations move negation into words: "not efficient enough" / "insufficiente")."""
    return bool(mine.negated & (theirs.words - theirs.negated)) or bool(theirs.negated & (mine.words - mine.negated))


def numbers_in(text: str) -> frozenset[str]:
    """The figures of a text as significant digits: separators and trailing zeros dropped, so "2.62" and "2,62",
    "$38 billion" and "38.000 millones", "1,78 miliardi" and "1.780 millones" agree; one-digit figures are left
    out (too common to tell statements apart)."""
    out = set()
    for match in _NUMBER.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) >= 2:
            out.add(digits.strip("0") or "0")
    return frozenset(out)


_SCALE = (r"(?:million|billion|trillion|mln|bn|millones|millón|miles de millones|milioni|miliardi|miljoen|miljard"
          r"|millions?|milliards?|milliarden?|millionen|milhões|bilhões)")
_AMOUNT = re.compile(
    r"(?:[$€£¥]\s?|US\$\s?|(?:USD|EUR|GBP)\s?)(\d+(?:[.,\u00a0]\d+)*)"  # $299, € 2,5, USD 10
    r"|(\d+(?:[.,\u00a0]\d+)*)\s?(?:%|per\s?cent\b|percent\b|por\s?ciento\b|per\s?cento\b|procent\b|pour\s?cent\b"
    rf"|prozent\b|por\s?cento\b|{_SCALE}\b|(?:dollars?|euros?|pounds|dólares|dollari|dollar)\b)", re.IGNORECASE)


def amounts_in(text: str) -> frozenset[str]:
    """Amounts of money and percentages ("$299", "2.62%", "38 billion", "16,6 miliardi") as significant digits (see
    ``numbers_in``): the figures that tell one deal, drop or price from another, where a score, an age or a time of
    day does not."""
    out = set()
    for match in _AMOUNT.finditer(text):
        digits = re.sub(r"\D", "", match.group(1) or match.group(2))
        if digits.strip("0"):
            out.add(digits.strip("0"))
    return frozenset(out)


def facts_in(tokens: list[str]) -> frozenset[str]:
    """The weekdays and months a text names, in any of the cue languages ("day:2" for Tuesday, "martes", "dinsdag";
    "month:9"); a lower-case "may"/"mai" is a verb, not the month."""
    out = set()
    for token in tokens:
        word = token.lower()
        if word in _WEEKDAYS:
            out.add(f"day:{_WEEKDAYS[word]}")
        elif word in _FULL_MONTHS and (word not in {"may", "mai"} or token[:1].isupper()):
            out.add(f"month:{_FULL_MONTHS[word]}")
    return frozenset(out)


def opposed(mine: frozenset[Direction], theirs: frozenset[Direction]) -> list[str]:
    """The axes on which two texts point opposite ways (each side points one way only on that axis)."""
    out = []
    for axis in {a for a, _ in mine} & {a for a, _ in theirs}:
        my_signs = {s for a, s in mine if a == axis}
        their_signs = {s for a, s in theirs if a == axis}
        if len(my_signs) == 1 and len(their_signs) == 1 and my_signs != their_signs:
            out.append(axis)
    return sorted(out)


def opposed_cues(mine: Cues, theirs: Cues, same_language: bool) -> list[str]:
    """The axes on which two texts point opposite ways; across languages, under both readings (own lexicon and
    every lexicon)."""
    axes = opposed(mine.directions, theirs.directions)
    if same_language or not axes:
        return axes
    return [axis for axis in axes if axis in opposed(mine.any_directions, theirs.any_directions)]


def mentioned_dates(text: str) -> tuple[int, ...]:
    """Calendar dates written out in the text ("May 3, 2013", "3 mai 2013", "2013-05-03"), as day numbers
    (``date.toordinal``), sorted and each once; impossible dates are skipped."""
    found = set()
    for pattern, (day_group, month_group, year_group) in _DATES:
        for match in pattern.finditer(text):
            month_text = match.group(month_group)
            month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower().rstrip("."))
            try:
                found.add(date(int(match.group(year_group)), month or 0, int(match.group(day_group))).toordinal())
            except ValueError:
                continue
    return tuple(sorted(found))

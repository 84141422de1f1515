"""Whether a cited sentence supports a summary sentence, contradicts it, or neither.

Similarity alone picks sentences about the same thing, not sentences that say the same: "markets have fallen
dramatically" and "markets have increased dramatically" sit at cosine 0.9. So a citation beyond the quoted article
is kept only when one of the cited article's sentences

- is similar enough (cosine at or above the caller's threshold),
- carries every figure of the claim (digits compared without separators, so 2.62 matches 2,62) and names no other
  weekday or month,
- points the same way on every axis both sides mention (rise/fall, guilty/cleared, win/lose, passed/failed,
  profit/loss, hired/fired; see ``newsdesk.understand.polarity``), and
- does not negate a word the claim asserts, or the reverse (compared within one language only: translations move
  negation into words, "not efficient enough" / "insufficiente").

A sentence of another article that is close to the claim (cosine at or above the disagreement threshold) and points
the other way on an axis *contradicts* it: the summary lists it as "outlets differ" instead of citing it. Negation
flips and other figures only withhold the citation: measured on ECB+ (independent outlets, one event), two reports
of one event often differ there without disagreeing ("the Colts (11-4)" a week after "10-5"; "no tsunami warning
was issued" beside "the quake killed one person").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from newsdesk.understand.polarity import Cues, negation_flip, opposed_cues, read_cues


@dataclass(frozen=True)
class Judgement:
    """How one article relates to one claim: supports it, contradicts it (with its differing sentence and why), or
    neither."""

    supports: bool
    contradicts: bool = False
    sentence: int | None = None  # index of the article's sentence that supports or contradicts
    reasons: tuple[str, ...] = ()


NEITHER = Judgement(False)


def conflict(claim: Cues, other: Cues, same_language: bool) -> tuple[str, ...]:
    """Why ``other`` does not say what ``claim`` says, as far as cues go: an axis pointing the other way
    (``direction:<axis>``), a negated word the other asserts or the reverse (``negation``, one language only), a
    figure of the claim the other lacks (``numbers``), another weekday or month than the claim's (``day``,
    ``month``; a report that names none is not in the way). Empty when nothing is in the way."""
    reasons = [f"direction:{axis}" for axis in opposed_cues(claim, other, same_language)]
    if same_language and negation_flip(claim, other):
        reasons.append("negation")
    missing = claim.numbers - other.numbers
    if any(":" not in fact for fact in missing):
        reasons.append("numbers")
    for kind in {fact.split(":")[0] for fact in missing if ":" in fact}:  # another day or month named instead
        if any(fact.startswith(kind + ":") for fact in other.numbers):
            reasons.append(kind)
    return tuple(reasons)


def contradicting(reasons: tuple[str, ...]) -> tuple[str, ...]:
    """The reasons that make a difference a disagreement worth showing: opposed directions."""
    return tuple(r for r in reasons if r.startswith("direction:"))


@dataclass
class SupportJudge:
    """Judges articles against claims; cues of each sentence are read once (keyed by text and language)."""

    support_threshold: float
    disagreement_threshold: float
    _cues: dict[tuple[str, str | None], Cues] = field(default_factory=dict)

    def cues(self, text: str, language: str | None) -> Cues:
        key = (text, language)
        found = self._cues.get(key)
        if found is None:
            found = self._cues[key] = read_cues(text, language)
        return found

    def judge(self, claim: Cues, claim_language: str | None, sentences: Sequence[tuple[str, str | None]],
              similarity: np.ndarray) -> Judgement:
        """Judge one article whose sentences (text, language) have these cosines with the claim: the most similar
        supporting sentence wins; else the most similar contradicting one; else neither."""
        order = np.argsort(-similarity, kind="stable")
        contradiction: Judgement | None = None
        for index in order:
            cosine = float(similarity[index])
            if cosine < self.disagreement_threshold:
                break
            text, language = sentences[index]
            other = self.cues(text, language)
            same_language = _language(language) == _language(claim_language)
            reasons = conflict(claim, other, same_language)
            if cosine >= self.support_threshold and not reasons:
                return Judgement(True, sentence=int(index))
            if contradiction is None and contradicting(reasons):
                contradiction = Judgement(False, True, int(index), contradicting(reasons))
        return contradiction or NEITHER


def _language(code: str | None) -> str:
    return (code or "").split("-")[0].lower()

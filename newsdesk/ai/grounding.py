"""Grounding of LLM answers: numbered source passages in, cited claims out, each claim checked against its sources.

A claim passes when it cites at least one passage, every cited number resolves to a passage of the prompt, and a
cited passage *supports* it: one of its sentences is close enough (cosine >= ``ai_grounding_threshold``) and has the
claim's figures, direction and negation (``newsdesk.ai.support``). Only supporting passages stay cited; a cited
passage that points the other way is reported as differing. Anything else is rejected with the reason, so a summary
that invents, misattributes or turns a fall into a rise is never shown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from newsdesk.ai.embedding import embed
from newsdesk.ai.sentences import split_sentences
from newsdesk.ai.support import SupportJudge

CITATION = re.compile(r"\[\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\]")
ONLY_CITATIONS = re.compile(r"^(?:\s*\[\s*\d{1,3}(?:\s*[,;]\s*\d{1,3})*\s*\]\s*[.,;]?)+\s*$")
BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
HEADING_LINE = re.compile(r"^[\W_]*[^\W\d_][\w ]{0,30}:[\W_]*$")  # "SUMMARY:", "**Answer:**"


@dataclass
class Passage:
    """One numbered source passage: the article it comes from, its text, its sentences (row i of ``vectors`` embeds
    sentence i) and the article's language."""

    number: int
    article_id: int
    outlet: str
    text: str
    vectors: np.ndarray = field(repr=False)
    sentences: tuple[str, ...] = ()
    language: str | None = None


@dataclass(frozen=True)
class Claim:
    """One sentence of an answer, its text without citation markers, and the passage numbers it cites."""

    text: str
    cited: tuple[int, ...]


@dataclass(frozen=True)
class Verdict:
    """Whether a claim is grounded, its best support cosine, why it failed (empty when it passed), the cited passage
    numbers that support it, and the cited passages that point the other way (number, their sentence, why)."""

    claim: Claim
    grounded: bool
    support: float
    reason: str
    supporting: tuple[int, ...] = ()
    differing: tuple[tuple[int, str, tuple[str, ...]], ...] = ()


def format_passages(passages: Sequence[Passage]) -> str:
    """The passages as the prompt shows them: ``[n] (outlet) text``, one per line."""
    return "\n".join(f"[{p.number}] ({p.outlet}) {' '.join(p.text.split())}" for p in passages)


def parse_claims(block: str, language: str | None) -> list[Claim]:
    """Split an answer block into claims; citation-only fragments ("[2].") attach to the sentence before them."""
    claims: list[Claim] = []
    for line in block.splitlines():
        line = BULLET.sub("", line).strip()
        if not line or HEADING_LINE.match(line):
            continue
        for sentence in split_sentences(line, language):
            numbers = tuple(int(n) for group in CITATION.findall(sentence.text) for n in re.split(r"[,;]", group))
            if ONLY_CITATIONS.match(sentence.text) and claims:
                last = claims.pop()
                claims.append(Claim(last.text, tuple(dict.fromkeys(last.cited + numbers))))
                continue
            text = " ".join(CITATION.sub("", sentence.text).split())
            text = re.sub(r"\s+([.,;:!?])", r"\1", text)
            if text:
                claims.append(Claim(text, tuple(dict.fromkeys(numbers))))
    return claims


def check_claims(claims: Sequence[Claim], passages: Sequence[Passage], threshold: float,
                 language: str | None = None) -> list[Verdict]:
    """A verdict for each claim written in ``language`` (one embedding batch for all of them)."""
    by_number = {p.number: p for p in passages}
    vectors = embed([c.text for c in claims])
    judge = SupportJudge(threshold, threshold)
    verdicts = []
    for claim, vector in zip(claims, vectors, strict=True):
        missing = [n for n in claim.cited if n not in by_number]
        if not claim.cited:
            verdicts.append(Verdict(claim, False, 0.0, "cites no passage"))
        elif missing:
            verdicts.append(Verdict(claim, False, 0.0, f"cites passage(s) {missing} that do not exist"))
        else:
            verdicts.append(_verdict(claim, vector, [by_number[n] for n in claim.cited], judge, threshold, language))
    return verdicts


def _verdict(claim: Claim, vector: np.ndarray, cited: list[Passage], judge: SupportJudge, threshold: float,
             language: str | None) -> Verdict:
    """Judge one claim against the passages it cites (a passage without sentence texts is judged by cosine)."""
    cues = judge.cues(claim.text, language)
    support = max(float(np.max(p.vectors @ vector, initial=-1.0)) for p in cited)
    supporting, differing = [], []
    for passage in cited:
        similarity = passage.vectors @ vector
        if not passage.sentences:
            if float(np.max(similarity, initial=-1.0)) >= threshold:
                supporting.append(passage.number)
            continue
        found = judge.judge(cues, language, [(t, passage.language) for t in passage.sentences], similarity)
        if found.supports:
            supporting.append(passage.number)
        elif found.contradicts and found.sentence is not None:
            differing.append((passage.number, passage.sentences[found.sentence], found.reasons))
    if supporting:
        return Verdict(claim, True, round(support, 3), "", tuple(supporting), tuple(differing))
    if support < threshold:
        reason = f"not supported by its sources (cosine {support:.2f} < {threshold})"
    else:
        reason = "its sources do not say the same (figures, direction or negation differ)"
    return Verdict(claim, False, round(support, 3), reason, (), tuple(differing))


def cited_articles(claim: Claim, passages: Sequence[Passage]) -> list[int]:
    """The article ids behind a claim's passage numbers, in citation order, each once."""
    by_number = {p.number: p.article_id for p in passages}
    return list(dict.fromkeys(by_number[n] for n in claim.cited if n in by_number))


def supporting_articles(verdict: Verdict, passages: Sequence[Passage]) -> list[int]:
    """The article ids of the passages that support a grounded claim, in citation order, each once."""
    by_number = {p.number: p.article_id for p in passages}
    return list(dict.fromkeys(by_number[n] for n in verdict.supporting if n in by_number))

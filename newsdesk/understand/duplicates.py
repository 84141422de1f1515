"""Near-duplicate text (wire copies, light edits): MinHash over word 5-gram shingles, LSH banding.

Signatures come from ``datasketch.MinHash``. The bands are hashed to 63-bit buckets and kept in the table
``duplicate_bands`` (band, bucket, article id) with an index, so finding candidate copies is a handful of index
lookups whatever the number of stored articles, and survives restarts. Candidates are confirmed with the Jaccard
estimate from the stored signatures.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash

from newsdesk.store.db import Connection
from newsdesk.store.understanding import band_matches, stored_minhashes

PERMUTATIONS = 64
BANDS = 16  # 16 bands of 4 rows: a pair at Jaccard 0.8 shares a band with probability 1 - (1 - 0.8**4)**16 > 0.999
SHINGLE_WORDS = 5
_WORD = re.compile(r"\w+", re.UNICODE)


def signature(text: str) -> np.ndarray | None:
    """MinHash of the text's word 5-grams (lower case), or None when the text is too short to have any."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return None
    minhash = MinHash(num_perm=PERMUTATIONS, seed=1)
    minhash.update_batch([" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - 4)])
    return minhash.hashvalues.astype(np.uint64)


def bucket_of(band: np.ndarray) -> int:
    return int.from_bytes(hashlib.blake2b(band.tobytes(), digest_size=8).digest(), "big") >> 1


def band_buckets(sig: np.ndarray) -> list[tuple[int, int]]:
    rows = PERMUTATIONS // BANDS
    return [(band, bucket_of(sig[band * rows:(band + 1) * rows])) for band in range(BANDS)]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


def find_originals(conn: Connection, signatures: list[tuple[int, np.ndarray]],
                   threshold: float) -> dict[int, int]:
    """For each (article id, signature), in processing order, the earliest article (lowest id) whose text it copies,
    among stored articles and those before it in the list. One indexed query per band for the whole batch."""
    keys = {article_id: band_buckets(sig) for article_id, sig in signatures}
    seen: dict[tuple[int, int], list[int]] = {}
    for band in range(BANDS):
        wanted = sorted({bucket for buckets in keys.values() for b, bucket in buckets if b == band})
        for bucket, article_id in band_matches(conn, band, wanted):
            seen.setdefault((band, bucket), []).append(article_id)
    known = stored_minhashes(conn, sorted({a for ids in seen.values() for a in ids}))
    originals: dict[int, int] = {}
    for article_id, sig in signatures:
        candidates = {c for key in keys[article_id] for c in seen.get(key, ()) if c in known and c != article_id}
        copies = [c for c in candidates if jaccard(sig, known[c]) >= threshold]
        if copies:
            originals[article_id] = min(copies)
        known[article_id] = sig
        for key in keys[article_id]:
            seen.setdefault(key, []).append(article_id)
    return originals


def band_rows(article_id: int, sig: np.ndarray) -> list[dict[str, int]]:
    """Rows of ``duplicate_bands`` that let later copies find this article."""
    return [{"band": band, "bucket": bucket, "article_id": article_id} for band, bucket in band_buckets(sig)]

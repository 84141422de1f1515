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
import sqlalchemy as sa
from datasketch import MinHash

from newsdesk.store.tables_understanding import article_signals, duplicate_bands

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


def find_original(conn: sa.Connection, sig: np.ndarray, threshold: float) -> int | None:
    """The earliest stored article (lowest id among the best matches) whose text is a copy of this signature's."""
    buckets = band_buckets(sig)
    condition = sa.or_(*[sa.and_(duplicate_bands.c.band == band, duplicate_bands.c.bucket == bucket)
                         for band, bucket in buckets])
    candidates = conn.execute(sa.select(duplicate_bands.c.article_id).where(condition).distinct()).scalars().all()
    if not candidates:
        return None
    rows = conn.execute(sa.select(article_signals.c.article_id, article_signals.c.minhash)
                        .where(article_signals.c.article_id.in_(candidates))
                        .where(article_signals.c.minhash.is_not(None))).all()
    copies = sorted(article_id for article_id, blob in rows
                    if jaccard(sig, np.frombuffer(blob, dtype=np.uint64)) >= threshold)
    return copies[0] if copies else None


def remember(conn: sa.Connection, article_id: int, sig: np.ndarray) -> None:
    """Store the signature's bands so later copies find this article."""
    conn.execute(sa.insert(duplicate_bands),
                 [{"band": band, "bucket": bucket, "article_id": article_id} for band, bucket in band_buckets(sig)])


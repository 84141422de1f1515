#!/usr/bin/env python3
"""Event-grouped cross-validation of the clustering evidence weights on the clustering-dev sets (docs/clustering.md).

Sets and groups: ecbplus-dev grouped by ECB+ topic (each topic holds two same-kind events); meantime-dev as shipped
(dated) and "meantime-undated" (the same articles without dates: the demo's situation, where events of one kind
arrive hours apart), grouped by MEANTIME topic set (airbus, apple, gm, stock); itn-dev and the UCI sample (headline
model) grouped by gold cluster. Folds hold whole groups, so the two events of a confusable pair always sit on the
same side and a held-out fold still holds same-kind pairs.

For each fold, every candidate setting is scored on the other folds (streaming BCubed F1 of each set's training
articles clustered alone, mean over the sets of the model), and the best is scored on the held-out fold. Reported
per set: the held-out BCubed F1 and the pairwise precision on same-topic pairs (the share of same-topic pairs put in
one story that are one event) of the chosen settings, beside the baseline (new evidence weighted 0) on the same
folds, and both on the whole sets.

usage: python bench/cluster_cv.py [--folds 4] [--cache /tmp/cluster-cv]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import statistics
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from newsdesk.config import Settings, load_settings
from newsdesk.understand.cluster_params import cluster_params
from newsdesk.understand.clustering import StoryClusterer
from newsdesk.understand.embed import article_text_for_embedding, embed_texts
from newsdesk.understand.evidence import EVIDENCE, Article
from newsdesk.understand.features import text_features

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "clustering-dev"
sys.path.insert(0, str(ROOT.parent / "shared" / "eval" / "clustering"))
from score import score  # noqa: E402

TEXT_SETS = ("ecbplus-dev", "meantime-dev", "meantime-undated")
HEADLINE_SETS = ("itn-dev", "uci-news-aggregator-first999")
NEW_EVIDENCE = {"direction": EVIDENCE.index("direction_conflict"), "number": EVIDENCE.index("number_conflict")}
BASELINE = {"direction": 0.0, "number": 0.0}  # the new evidence weighted 0
TEXT_GRID = [{"direction": r, "number": n} for r, n in itertools.product((0.0, -2.0, -4.0, -6.0), (0.0, -2.0, -4.0))]
HEADLINE_GRID = [{"direction": r, "number": n} for r, n in itertools.product((0.0, -2.0, -4.0), (0.0, -2.0))]


def load(name: str) -> list[dict]:
    """Rows in arrival order (published time, undated last, then file order) with ``time`` and ``group``."""
    source = "meantime-dev" if name == "meantime-undated" else name
    rows = [json.loads(line) for line in (DEV / f"{source}.jsonl").read_text(encoding="utf-8").splitlines() if line]
    for row in rows:
        published = None if name == "meantime-undated" else row.get("published")
        row["time"] = _timestamp(published)
        row["group"] = _group(name, row["cluster"])
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["time"] is None, rows[i]["time"] or 0.0, i))
    return [rows[i] for i in order]


def _timestamp(text: str | None) -> float | None:
    if not text:
        return None
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def _group(name: str, cluster: str) -> str:
    if name.startswith("ecbplus"):
        return cluster.split("_")[0]
    if name.startswith("meantime"):
        return cluster.split("-")[1]
    return cluster


def vectors(name: str, rows: list[dict], cache: Path) -> np.ndarray:
    """Embeddings as the pipeline makes them (title + 600 characters), cached per set and content."""
    texts = [article_text_for_embedding(r["title"], r.get("text") or "", 600) for r in rows]
    key = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    path = cache / f"{name}-{key}.npy"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        np.save(path, embed_texts(texts))
    return np.load(path)


def run(rows: list[dict], matrix: np.ndarray, indexes: Iterable[int], settings: Settings) -> dict[int, int]:
    """Stream the articles at ``indexes`` (in arrival order) through a fresh clusterer; article index -> story."""
    clusterer = StoryClusterer(cluster_params(settings))
    joined = {}
    for i in indexes:
        row = rows[i]
        text = row.get("text") or ""
        article = Article(i, matrix[i].copy(), text_features(row["title"], text, language=row.get("language")),
                          row["time"], len(text) >= settings.understand_headline_max_chars)
        joined[i] = clusterer.add(article)
    return {i: clusterer.resolve(clusterer.story_of.get(i, key)) for i, key in joined.items()}


def measure(rows: list[dict], predicted: dict[int, int]) -> tuple[float, float]:
    """(BCubed F1, pairwise precision on same-topic pairs) of a prediction over its articles."""
    result = score({str(i): rows[i]["cluster"] for i in predicted}, {str(i): str(k) for i, k in predicted.items()})
    by_story: dict[int, list[int]] = {}
    for i, key in predicted.items():
        by_story.setdefault(key, []).append(i)
    together = same = 0
    for members in by_story.values():
        for a, b in itertools.combinations(members, 2):
            if rows[a]["group"] == rows[b]["group"]:
                together += 1
                same += rows[a]["cluster"] == rows[b]["cluster"]
    return result["bcubed_f1"], same / together if together else 1.0


def with_weights(settings: Settings, candidate: dict[str, float], headline: bool) -> Settings:
    name = "cluster_headline_weights" if headline else "cluster_text_weights"
    weights = list(getattr(settings, name))
    for evidence, weight in candidate.items():
        weights[NEW_EVIDENCE[evidence]] = str(weight)
    return settings.replace(**{name: tuple(weights)})


def folds_of(rows: list[dict], count: int) -> list[set[str]]:
    groups = sorted({r["group"] for r in rows}, key=lambda g: hashlib.sha256(g.encode()).hexdigest())
    return [set(groups[k::count]) for k in range(count)]


def cross_validate(data: dict[str, tuple[list[dict], np.ndarray]], grid: list[dict], headline: bool,
                   settings: Settings, count: int) -> tuple[dict, list[dict]]:
    """Held-out figures per set for the chosen candidate of each fold and for the baseline; the chosen ones."""
    folds = {name: folds_of(rows, count) for name, (rows, _) in data.items()}
    held: dict[str, dict[str, list[tuple[float, float]]]] = {n: {"chosen": [], "baseline": []} for n in data}
    chosen = []
    for k in range(count):
        def train_f1(candidate: dict, k: int = k) -> float:
            tuned = with_weights(settings, candidate, headline)
            return statistics.mean(measure(rows, run(rows, matrix, _indexes(rows, folds[n], k, False), tuned))[0]
                                   for n, (rows, matrix) in data.items())
        best = max(grid, key=train_f1)
        chosen.append(best)
        for name, (rows, matrix) in data.items():
            test = list(_indexes(rows, folds[name], k, True))
            for label, candidate in (("chosen", best), ("baseline", BASELINE)):
                held[name][label].append(measure(rows, run(rows, matrix, test, with_weights(settings, candidate,
                                                                                             headline))))
    return held, chosen


def _indexes(rows: list[dict], folds: list[set[str]], k: int, held_out: bool) -> Iterable[int]:
    return (i for i, r in enumerate(rows) if (r["group"] in folds[k]) == held_out)


def report(held: dict, chosen: list[dict], data: dict, settings: Settings, headline: bool) -> list[str]:
    final = max(set(map(json.dumps, chosen)), key=lambda c: sum(json.dumps(x) == c for x in chosen))
    final_candidate = json.loads(final)
    lines = [f"chosen per fold: {chosen}; shipped: {final_candidate}",
             "| set | held-out F1 baseline -> chosen | held-out same-topic pair precision | whole set F1 | whole set "
             "pair precision |", "|---|---|---|---|---|"]
    for name, (rows, matrix) in data.items():
        base = held[name]["baseline"]
        best = held[name]["chosen"]
        whole_base = measure(rows, run(rows, matrix, range(len(rows)), with_weights(settings, BASELINE, headline)))
        whole = measure(rows, run(rows, matrix, range(len(rows)), with_weights(settings, final_candidate, headline)))
        lines.append(f"| {name} | {statistics.mean(f for f, _ in base):.3f} -> "
                     f"{statistics.mean(f for f, _ in best):.3f}"
                     f" | {statistics.mean(p for _, p in base):.3f} -> {statistics.mean(p for _, p in best):.3f}"
                     f" | {whole_base[0]:.3f} -> {whole[0]:.3f} | {whole_base[1]:.3f} -> {whole[1]:.3f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--cache", default="/tmp/cluster-cv")
    parser.add_argument("--only", choices=["text", "headline"])
    args = parser.parse_args()
    settings = load_settings(env={}, config_file=Path("/nonexistent/newsdesk.toml"))
    for headline, names, grid in ((False, TEXT_SETS, TEXT_GRID), (True, HEADLINE_SETS, HEADLINE_GRID)):
        if args.only and args.only != ("headline" if headline else "text"):
            continue
        data = {}
        for name in names:
            rows = load(name)
            data[name] = (rows, vectors(name, rows, Path(args.cache)))
        held, chosen = cross_validate(data, grid, headline, settings, args.folds)
        print("\n".join(report(held, chosen, data, settings, headline)), flush=True)


if __name__ == "__main__":
    main()

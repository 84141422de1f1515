"""Speed and quality of extract_article on the extraction dev set, next to trafilatura and readability alone.

Run from the repo root: ``.venv/bin/python bench/extract.py [--limit N]``. Each extractor sees the same decoded
pages in the same process, one after the other; the table gives pages/s, median and 95th-percentile ms/page and the
benchmark F1 of shared/eval/extraction/score.py.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from newsdesk.extract import decode_page, extract_article  # noqa: E402


def _load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_pages(limit: int | None) -> list[dict]:
    """Decoded dev pages with their URL and ground truth."""
    folder = SHARED / "data" / "extraction-dev"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth)[:limit]:
        raw = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append({"html": decode_page(raw), "url": truth[page_id]["url"], "truth": truth[page_id]["articleBody"]})
    return pages


def measure(name: str, extract: Callable[[str, str], str], pages: list[dict], score) -> dict:
    """Time one extractor over all pages and score its texts."""
    seconds, rows = [], []
    for page in pages:
        start = time.perf_counter()
        text = extract(page["html"], page["url"])
        seconds.append(time.perf_counter() - start)
        tp, fp, fn = score.page_counts(page["truth"], text)
        precision, recall = score.precision_recall(tp, fp, fn)
        rows.append({"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "status": "ok",
                     "f1": score.f1(precision, recall), "exact": False, "seconds": seconds[-1]})
    summary = score.summarise(rows)
    return {"name": name, "pages_per_s": len(pages) / sum(seconds), "median_ms": 1000 * statistics.median(seconds),
            "p95_ms": 1000 * statistics.quantiles(seconds, n=20)[-1], "f1": summary["f1_benchmark"],
            "precision": summary["precision_benchmark"], "recall": summary["recall_benchmark"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="use only the first N pages")
    args = parser.parse_args()
    score = _load_module("extraction_score", SHARED / "eval" / "extraction" / "score.py")
    baselines = _load_module("extraction_baselines", SHARED / "eval" / "extraction" / "baselines.py")
    pages = load_pages(args.limit)
    extractors = {
        "newsdesk extract_article": lambda html, url: extract_article(html, url).text,
        "trafilatura (defaults)": baselines.trafilatura_text,
        "readability-lxml": baselines.readability_text,
    }
    print(f"{len(pages)} dev pages")
    print(f"{'extractor':<28}{'pages/s':>9}{'median ms':>11}{'p95 ms':>9}{'F1':>8}{'P':>7}{'R':>7}")
    for name, extract in extractors.items():
        row = measure(name, extract, pages, score)
        print(f"{row['name']:<28}{row['pages_per_s']:>9.1f}{row['median_ms']:>11.1f}{row['p95_ms']:>9.1f}"
              f"{row['f1']:>8.3f}{row['precision']:>7.3f}{row['recall']:>7.3f}")


if __name__ == "__main__":
    main()

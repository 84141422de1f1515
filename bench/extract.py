"""Quality and speed of extract_article next to trafilatura and readability-lxml, per dev set and by unseen site.

Run from the repo root: ``.venv/bin/python bench/extract.py [--sample N] [--folds K] [--only NAME ...]``.

Both dev sets are read (``../shared/data/extraction-dev``, 181 pages with URLs, and ``extraction-dev2``, 1,469
Dragnet and Readability.js pages without URLs). Every page gets a *site*: the registrable domain of its URL, else of
its canonical / og:url link, else the most frequent outside host it links to; Readability.js test pages are grouped
by their name (``bbc-1`` and ``bbc-2`` are one site). Each extractor runs once per page in this process, timed; the
report gives, per dev set and over both together, the benchmark F1 / P / R of shared/eval/extraction/score.py,
pages/s and median ms. The site-grouped cross-validation deals the sites into K folds (a stable hash of the site
name) and scores each fold's pages apart. None of the three has parameters fitted on these pages today (newsdesk's
vote and its settings were chosen on extraction-dev alone), so the pooled out-of-fold F1 equals the figure over both
sets, and the worst fold shows how far the score drops on one group of sites; a fitted extractor must be fitted
on the other folds before it is scored on one. ``--sample N`` takes every k-th page of each set (a
fixed, site-spread sample) for quick iteration; the full run takes minutes on a loaded machine.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import importlib.util
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from newsdesk.extract import extract_article  # noqa: E402

DEV_SETS = ("extraction-dev", "extraction-dev2")
Extract = Callable[[str, str], str]
_LINK_HOST = re.compile(r"""(?:href|src|content|action)\s*=\s*["']?(https?://[^/"'\s>?#]+)""", re.I)
_CANONICAL_HOST = re.compile(r"""<link[^>]+rel=["']?canonical["']?[^>]*href=["']?(https?://[^/"'\s>?#]+)"""
                             r"""|<meta[^>]+og:url["'][^>]*content=["']?(https?://[^/"'\s>?#]+)""", re.I)
_SHARED_HOSTS = frozenset({  # hosts many unrelated sites link to: never a page's own site
    "facebook.com", "twitter.com", "google.com", "googleapis.com", "doubleclick.net", "addthis.com", "w3.org",
    "gstatic.com", "googlesyndication.com", "google-analytics.com", "feedburner.com", "digg.com", "reddit.com",
    "stumbleupon.com", "linkedin.com", "youtube.com", "addtoany.com", "sharethis.com", "quantserve.com",
    "scorecardresearch.com", "gravatar.com", "delicious.com", "wp.com", "disqus.com", "bit.ly",
    "creativecommons.org", "flickr.com", "amazon.com", "apple.com", "adobe.com", "macromedia.com", "jquery.com",
    "cloudfront.net", "akamaihd.net", "statcounter.com", "wordpress.org", "sitemeter.com", "technorati.com",
    "yahoo.com", "yimg.com", "fbcdn.net", "ytimg.com", "schema.org", "ogp.me", "purl.org",
})
_SECOND_LEVEL = frozenset({"co", "com", "org", "ac", "gov", "net", "ne", "or"})


def load_module(name: str, path: Path) -> ModuleType:
    """Import a module from a file path (the shared scorer and baselines are not a package)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader, f"cannot load {path}"
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def registrable_domain(host: str | None) -> str:
    """``www.bbc.co.uk`` -> ``bbc.co.uk``, ``news.example.com`` -> ``example.com`` (no public-suffix list)."""
    parts = (host or "").lower().strip(".").split(".")
    if parts and parts[0] == "www":
        parts = parts[1:]
    keep = 3 if len(parts) > 2 and len(parts[-1]) == 2 and parts[-2] in _SECOND_LEVEL else 2
    return ".".join(parts[-keep:])


def site_of(page_id: str, url: str | None, html: str) -> str:
    """The site a page belongs to, for grouping: its own domain, never one it only links to."""
    if url:
        return registrable_domain(urlsplit(url).hostname)
    if page_id.startswith("readability-"):
        return re.sub(r"-\d+$", "", page_id.removeprefix("readability-"))
    canonical = _CANONICAL_HOST.search(html)
    if canonical:
        return registrable_domain(urlsplit(canonical.group(1) or canonical.group(2)).hostname)
    hosts = collections.Counter(registrable_domain(urlsplit(h).hostname) for h in _LINK_HOST.findall(html))
    for shared in _SHARED_HOSTS:
        hosts.pop(shared, None)
    return hosts.most_common(1)[0][0] if hosts else page_id


def load_pages(score: ModuleType, sample: int | None) -> list[dict]:
    """Decoded pages of both dev sets with set name, URL, ground truth and site; ``sample``: about N per set."""
    pages = []
    for name in DEV_SETS:
        folder = SHARED / "data" / name
        truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
        ids = sorted(page_id for page_id in truth if not page_id.endswith(".DS_Store"))  # a stray Finder file
        if sample:
            ids = ids[:: max(1, len(ids) // sample)][:sample]
        for page_id in ids:
            html = score.decode_html(gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes()))
            url = truth[page_id].get("url")
            url = url if url and url != "None" else None
            pages.append({"set": name, "id": page_id, "url": url, "html": html,
                          "truth": truth[page_id].get("articleBody", ""), "site": site_of(page_id, url, html)})
    return pages


def fold_of(site: str, folds: int) -> int:
    """Stable fold number of a site (the same on every run and machine)."""
    return int(hashlib.sha1(site.encode("utf-8")).hexdigest(), 16) % folds


def run(extract: Extract, pages: Sequence[dict], score: ModuleType) -> list[dict]:
    """One scored, timed row per page (the row shape score.summarise takes)."""
    rows = []
    for page in pages:
        start = time.perf_counter()
        try:
            text, status = extract(page["html"], page["url"] or ""), "ok"
        except Exception as exc:  # a crash is a failure and an empty prediction, as score.py counts it
            text, status = "", f"error: {exc!r}"
        seconds = time.perf_counter() - start
        tp, fp, fn = score.page_counts(page["truth"], text)
        precision, recall = score.precision_recall(tp, fp, fn)
        rows.append({"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "status": status,
                     "f1": score.f1(precision, recall), "exact": False, "seconds": seconds})
    return rows


def summary_line(label: str, rows: list[dict], score: ModuleType) -> str:
    """One table line: F1, P, R, pages/s, median ms and failures."""
    summary = score.summarise(rows)
    return (f"{label:<34}{summary['f1_benchmark']:>7.3f}{summary['precision_benchmark']:>7.3f}"
            f"{summary['recall_benchmark']:>7.3f}{summary['pages_per_s']:>9.1f}{summary['median_ms']:>8.1f}"
            f"{summary['failures']:>6}{len(rows):>7}")


def cross_validated(rows: list[dict], pages: Sequence[dict], folds: int, score: ModuleType) -> tuple[float, float]:
    """Pooled out-of-fold benchmark F1 and the worst fold's, sites dealt into ``folds`` groups."""
    by_fold: dict[int, list[dict]] = collections.defaultdict(list)
    for row, page in zip(rows, pages, strict=True):
        by_fold[fold_of(page["site"], folds)].append(row)
    worst = min(score.summarise(fold_rows)["f1_benchmark"] for fold_rows in by_fold.values())
    return score.summarise(rows)["f1_benchmark"], worst


def extractors(baselines: ModuleType) -> dict[str, Extract]:
    """The contenders: newsdesk's extract_article and the two libraries as the scorer's baselines call them."""
    return {
        "newsdesk": lambda html, url: extract_article(html, url or None).text,
        "trafilatura": baselines.trafilatura_text,
        "readability-lxml": baselines.readability_text,
    }


def report(results: dict[str, list[dict]], pages: list[dict], folds: int, score: ModuleType) -> None:
    """Print the per-set tables and the site-grouped cross-validation table."""
    header = f"{'set / extractor':<34}{'F1':>7}{'P':>7}{'R':>7}{'pages/s':>9}{'med ms':>8}{'fail':>6}{'pages':>7}"
    for name in (*DEV_SETS, "both"):
        chosen = [i for i, page in enumerate(pages) if name in ("both", page["set"])]
        print(f"\n{name} ({len(chosen)} pages, {len({pages[i]['site'] for i in chosen})} sites)\n{header}")
        for extractor, rows in results.items():
            print(summary_line(f"  {extractor}", [rows[i] for i in chosen], score))
    print(f"\nsite-grouped cross-validation: {folds} folds of sites, both sets "
          f"({len({page['site'] for page in pages})} sites)")
    print(f"{'extractor':<34}{'F1 out-of-fold':>16}{'worst fold':>12}")
    for extractor, rows in results.items():
        pooled, worst = cross_validated(rows, pages, folds, score)
        print(f"  {extractor:<32}{pooled:>16.3f}{worst:>12.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, help="about N pages per dev set, spread over the set (fast mode)")
    parser.add_argument("--folds", type=int, default=5, help="folds of sites for the cross-validation")
    parser.add_argument("--only", nargs="+", help="run only these extractors (newsdesk, trafilatura, ...)")
    args = parser.parse_args()
    score = load_module("extraction_score", SHARED / "eval" / "extraction" / "score.py")
    baselines = load_module("extraction_baselines", SHARED / "eval" / "extraction" / "baselines.py")
    pages = load_pages(score, args.sample)
    chosen = {name: extract for name, extract in extractors(baselines).items() if not args.only or name in args.only}
    load = os.getloadavg()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average at start "
          f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} cores")
    results = {name: run(extract, pages, score) for name, extract in chosen.items()}
    print(f"load average at end {os.getloadavg()[0]:.1f}; median ms and pages/s are wall time in one process")
    report(results, pages, args.folds, score)


if __name__ == "__main__":
    main()

"""The story page's views of coverage: the chart of articles over time, who covers it, and articles grouped.

All functions take the story's article briefs (dicts from ``newsdesk.store.read_models``) and return plain data
for the templates; the chart is drawn by the template as inline SVG from the bars computed here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# Colour-blind-safe palette (Okabe–Ito, then Tol); the last slot is "other".
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#6F5BB5", "#8C6D31")
OTHER_COLOUR = "#9AA0A6"


@dataclass(frozen=True)
class Bar:
    """One stacked rectangle of the coverage chart, in SVG user units."""

    x: float
    y: float
    width: float
    height: float
    colour: str
    key: str
    count: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    legend: list[tuple[str, str, int]]  # key, colour, count
    start: datetime | None
    end: datetime | None
    width: int
    height: int
    peak: int


def coverage_chart(items: Sequence[dict[str, Any]], key: str = "language", buckets: int = 24,
                   width: int = 640, height: int = 120) -> Chart:
    """Articles per time bucket, stacked by ``key`` (language or region); the commonest keys get colours."""
    dated = [a for a in items if a.get("published_at")]
    totals = Counter((a.get(key) or "?") for a in dated)
    colours = {k: PALETTE[i] for i, (k, _) in enumerate(totals.most_common(len(PALETTE)))}
    legend = [(k, colours.get(k, OTHER_COLOUR), n) for k, n in totals.most_common()]
    if not dated:
        return Chart([], legend, None, None, width, height, 0)
    start = min(a["published_at"] for a in dated)
    end = max(a["published_at"] for a in dated)
    span = max((end - start).total_seconds(), 1.0)
    counts: list[Counter[str]] = [Counter() for _ in range(buckets)]
    for a in dated:
        index = min(int((a["published_at"] - start).total_seconds() / span * buckets), buckets - 1)
        counts[index][colours.get(a.get(key) or "?", OTHER_COLOUR)] += 1
    peak = max(sum(c.values()) for c in counts)
    return Chart(_stack(counts, colours, width, height, peak), legend, start, end, width, height, peak)


def _stack(counts: list[Counter[str]], colours: dict[str, str], width: int, height: int, peak: int) -> list[Bar]:
    key_of = {colour: key for key, colour in colours.items()}
    slot = width / len(counts)
    bars: list[Bar] = []
    for index, bucket in enumerate(counts):
        top = float(height)
        for colour, count in sorted(bucket.items(), key=lambda kv: -kv[1]):
            h = count / peak * (height - 4)
            top -= h
            bars.append(Bar(round(index * slot + 1, 1), round(top, 1), round(slot - 2, 1), round(h, 1), colour,
                            key_of.get(colour, "other"), count))
    return bars


@dataclass(frozen=True)
class WhoCovers:
    regions: list[tuple[str, list[str]]]  # region code, outlets
    languages: list[tuple[str, int]]
    silent: list[str]  # edition regions with no article


def who_covers(items: Sequence[dict[str, Any]], editions: Sequence[str]) -> WhoCovers:
    """Outlets by region, article counts by language, and the edition regions that are silent (the blindspot)."""
    outlets: dict[str, set[str]] = defaultdict(set)
    for a in items:
        outlets[(a.get("region") or "").upper()].add(a.get("outlet") or "?")
    regions = sorted(((r, sorted(o)) for r, o in outlets.items()), key=lambda ro: (-len(ro[1]), ro[0]))
    languages = Counter(a.get("language") or "?" for a in items).most_common()
    silent = [r for r in editions if r.upper() not in outlets]
    return WhoCovers(regions, languages, silent)


def group_articles(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Articles grouped by language then outlet, wire copies folded under the article they copy.

    Returns ``[{"language", "outlets": [{"outlet", "entries": [{"article", "copies"}]}]}]``, biggest groups first.
    """
    ids = {a["id"] for a in items}
    copies: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for a in items:
        if a.get("duplicate_of") in ids:
            copies[a["duplicate_of"]].append(a)
    tree: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for a in items:
        if a.get("duplicate_of") in ids:
            continue
        tree[a.get("language") or "?"][a.get("outlet") or "?"].append({"article": a, "copies": copies.get(a["id"], [])})
    groups = []
    for language, by_outlet in tree.items():
        ordered = sorted(by_outlet.items(), key=lambda oe: (-len(oe[1]), oe[0]))
        outlets = [{"outlet": o, "entries": e} for o, e in ordered]
        groups.append({"language": language, "outlets": outlets, "count": sum(len(o["entries"]) for o in outlets)})
    return sorted(groups, key=lambda g: -g["count"])

"""Build ``newsdesk/sources/kite_packs.jsonl.gz`` (the starter packs) from Kagi's ``kite_feeds.json``.

One line per category: slug, English name, kind (``edition`` for a place, ``topic`` otherwise), language, region
code (ISO 3166, where the category is a country or part of one), display names in 18 languages, feed URLs.
Run: ``python scripts/build_packs.py ../shared/data/source-packs/kite_feeds.json``. The licence (MIT, Kagi Search)
travels with the data in ``newsdesk/sources/KITE_NOTICE.txt``.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "newsdesk" / "sources" / "kite_packs.jsonl.gz"

# The places the categories name, by the name they use (before " | " or in parentheses removed).
REGIONS = {
    "Albania": "AL", "Algeria": "DZ", "Argentina": "AR", "Australia": "AU", "Austria": "AT", "Bangladesh": "BD",
    "Belgium": "BE", "Bosnia and Herzegovina": "BA", "Brazil": "BR", "Bulgaria": "BG", "Cambodia": "KH",
    "Canada": "CA", "Chile": "CL", "China": "CN", "Colombia": "CO", "Costa Rica": "CR", "Croatia": "HR",
    "Czech Republic": "CZ", "Denmark": "DK", "Dominican Republic": "DO", "DR Congo": "CD", "Estonia": "EE",
    "Ethiopia": "ET", "Finland": "FI", "France": "FR", "Georgia": "GE", "Germany": "DE", "Ghana": "GH",
    "Greece": "GR", "Hong Kong": "HK", "Hungary": "HU", "Iceland": "IS", "India": "IN", "Indonesia": "ID",
    "Iran": "IR", "Ireland": "IE", "Israel": "IL", "Italy": "IT", "Japan": "JP", "Kenya": "KE", "Kosovo": "XK",
    "Latvia": "LV", "Lithuania": "LT", "Macau": "MO", "Madeira Island": "PT", "Malaysia": "MY", "Malta": "MT",
    "Mexico": "MX", "Moldova": "MD", "Montenegro": "ME", "Morocco": "MA", "Myanmar": "MM", "New Zealand": "NZ",
    "Nigeria": "NG", "North Carolina": "US", "North Macedonia": "MK", "Norway": "NO", "Pakistan": "PK",
    "Palestine": "PS", "Philippines": "PH", "Poland": "PL", "Portugal": "PT", "Romania": "RO", "Russia": "RU",
    "Rwanda": "RW", "Serbia": "RS", "Singapore": "SG", "Slovakia": "SK", "Slovenia": "SI", "South Africa": "ZA",
    "South Korea": "KR", "Spain": "ES", "Sweden": "SE", "Switzerland": "CH", "Taiwan": "TW", "Tanzania": "TZ",
    "Thailand": "TH", "The Netherlands": "NL", "Turkey": "TR", "UK": "GB", "Ukraine": "UA", "USA": "US",
    "Venezuela": "VE", "Vietnam": "VN",
}
WORLD_AREAS = {"Africa", "Asia", "Europe", "Middle East", "Caribbean"}  # editions without one region code
LANGUAGE_FIXES = {"gr": "el"}  # the source spells Greek with its country code


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def place(name: str) -> tuple[str, str | None]:
    """(kind, region) of a category name: a country, a part of one ("USA | Texas") or a topic ("Healthcare | USA",
    a topic with a region)."""
    parts = [re.sub(r"\s*\(.*\)$", "", p).strip() for p in name.split(" | ")]
    if parts[0] in REGIONS:
        return "edition", REGIONS[parts[0]]
    if parts[0] in WORLD_AREAS:
        return "edition", None
    return "topic", REGIONS.get(parts[-1]) if len(parts) > 1 else None


def pack_line(name: str, category: dict) -> dict:
    kind, region = place(name)
    if category["category_type"] in ("region", "city"):
        kind = "edition"
    language = category["source_language"]
    return {"slug": slug(name), "name": name, "kind": kind, "category_type": category["category_type"],
            "language": LANGUAGE_FIXES.get(language, language), "region": region,
            "names": category["display_names"], "feeds": sorted(set(category["feeds"]))}


def main(source: str) -> None:
    categories = json.loads(Path(source).read_text(encoding="utf-8"))
    lines = [json.dumps(pack_line(name, c), ensure_ascii=False, separators=(",", ":")) for name, c in
             sorted(categories.items(), key=lambda item: slug(item[0]))]
    with gzip.GzipFile(OUT, "wb", mtime=0) as out:  # mtime 0: the same input gives the same bytes
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{len(lines)} packs, {sum(len(c['feeds']) for c in categories.values())} feeds -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])

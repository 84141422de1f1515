#!/usr/bin/env python3
"""Build the demo newswire's bundled corpus from the shared clustering dev sets (run once; the output is committed).

Takes MEANTIME (Wikinews articles in EN/ES/IT/NL, CC BY 4.0) and the ECB+ articles that carry a headline and URL
(CC BY 3.0), repairs ECB+'s token re-joining ("energy - efficient" -> "energy-efficient"), and writes
newsdesk/demo/data/corpus.jsonl.gz with: id, event, language, title, text, origin, date.

usage: python scripts/build_demo_corpus.py [../shared/data/clustering-dev]
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "newsdesk" / "demo" / "data" / "corpus.jsonl.gz"
FIXES = [
    (re.compile(r"(\w) - (\w)"), r"\1-\2"),
    (re.compile(r" ([,.;:!?%)\]])"), r"\1"),
    (re.compile(r"([(\[$]) "), r"\1"),
    (re.compile(r" ' s\b"), "'s"),
    (re.compile(r" n't\b"), "n't"),
    (re.compile(r"\" (.*?) \""), r'"\1"'),
    (re.compile(r"(\w) ’ (\w)"), r"\1’\2"),
    (re.compile(r"“ "), "“"),
    (re.compile(r" ”"), "”"),
    (re.compile(r"(\d)\. (\d)"), r"\1.\2"),  # "6. 1-magnitude" -> "6.1-magnitude"
    (re.compile(r"(\d), (\d{3})\b"), r"\1,\2"),  # "2, 000ft" -> "2,000ft"
    (re.compile(r"\b([A-Z])\. ([A-Z])\."), r"\1.\2."),  # "U. S." -> "U.S."
    (re.compile(r"[ \t]+"), " "),
]


DATELINE_WORDS = re.compile(
    r"(?i)\b[ap]\. ?m\.|\b(last|updated?|posted|published|at|on|gmt|et|bst|utc|[ecmp][sd]t|cet|am|pm|"
    r"mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(tember)?|"
    r"oct(ober)?|nov(ember)?|dec(ember)?)\b|\d+([ap]m)?|[^\w\s]")


def is_dateline(title: str) -> bool:
    """A 'title' that is only a date and time ("11 November 2011 Last updated at 12:41 GMT")."""
    return len(DATELINE_WORDS.sub(" ", title).split()) < 2


def headline_from(text: str, limit: int = 110) -> str:
    """The first real sentence of the body (datelines and fragments skipped), cut to ``limit`` characters."""
    sentences = re.split(r"(?<=[a-z0-9][.!?])\s+(?=[A-Z])", text.strip())
    first = next((s for s in sentences if len(s.split()) >= 5 and not is_dateline(s)), sentences[0])
    return first if len(first) <= limit else first[:limit].rsplit(" ", 1)[0] + "…"


def tidy(text: str) -> str:
    for pattern, repl in FIXES:
        text = pattern.sub(repl, text)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def main() -> int:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "clustering-dev")
    out = []
    for r in map(json.loads, (src / "meantime-dev.jsonl").read_text(encoding="utf-8").splitlines()):
        out.append({"id": r["id"], "event": r["cluster"], "language": r["language"], "title": r["title"].strip(),
                    "text": r["text"].strip(), "origin": "Wikinews" if r["language"] == "en" else
                    "Wikinews (MEANTIME translation)", "date": r["published"], "licence": "CC BY 4.0"})
    for r in map(json.loads, (src / "ecbplus-dev.jsonl").read_text(encoding="utf-8").splitlines()):
        if not r.get("url"):
            continue
        lines = tidy(r["text"]).splitlines()
        body = [ln for ln in lines[1:] if len(ln.split()) > 4]  # line 0 repeats the headline; short lines are datelines
        title = tidy(r["title"])
        if is_dateline(title):  # some ECB+ pages put the dateline where the headline should be
            title = headline_from(body[0] if body else "")
        out.append({"id": r["id"], "event": r["cluster"], "language": "en", "title": title,
                    "text": "\n".join(body), "origin": r.get("source") or "", "date": None, "licence": "CC BY 3.0"})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(OUT, "wt", encoding="utf-8") as handle:
        for row in out:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(out)} articles -> {OUT} ({OUT.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

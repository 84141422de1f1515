"""Quality gate: BCubed F1 of the whole understanding pipeline on the clustering-dev sets stays above the floors pinned
in clustering_floors.json (one configuration for all sets), and so does the pairwise precision on same-topic pairs
(two articles of one ECB+ topic or one MEANTIME topic set put in one story are one event): the same-kind events
the stories must keep apart. "meantime-undated" is meantime-dev without its dates, the demo's situation (events of
one kind arriving hours apart)."""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import pytest
from understand_devsets import assignments, insert_rows, load_rows

from newsdesk.store.db import open_store
from newsdesk.understand.pipeline import Understanding

FLOORS = json.loads((Path(__file__).with_name("clustering_floors.json")).read_text(encoding="utf-8"))
SETS = [name for name in FLOORS if not name.startswith("_")]
PAIR_FLOORS = FLOORS["_same_topic_pair_precision"]


def _rows(shared_dir: Path, name: str) -> list[dict]:
    if name.endswith("-undated"):
        return [{**row, "published": None} for row in load_rows(shared_dir, name.removesuffix("-undated") + "-dev")]
    return load_rows(shared_dir, name)


def same_topic_pair_precision(rows: list[dict], story_of: dict[str, int]) -> float:
    """Of the pairs of one topic that share a story, the share that are one event."""
    def topic(cluster: str) -> str:
        return cluster.split("_")[0] if "_" in cluster else cluster.split("-")[1]
    by_story: dict[int, list[dict]] = {}
    for row in rows:
        by_story.setdefault(story_of[str(row["id"])], []).append(row)
    pairs = [(a["cluster"], b["cluster"]) for members in by_story.values()
             for a, b in itertools.combinations(members, 2) if topic(a["cluster"]) == topic(b["cluster"])]
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else 1.0


@pytest.mark.slow
@pytest.mark.parametrize("name", SETS)
def test_bcubed_f1_stays_above_its_floor(name, settings, shared_dir, tmp_path):
    sys.path.insert(0, str(shared_dir / "eval" / "clustering"))
    from score import score

    engine = open_store(f"sqlite:///{tmp_path / (name + '.sqlite3')}")
    rows = _rows(shared_dir, name)
    Understanding(engine, settings).process(insert_rows(engine, rows))
    got = {k: v[0] for k, v in assignments(engine).items()}
    engine.dispose()
    result = score({str(r["id"]): str(r["cluster"]) for r in rows}, {k: str(v) for k, v in got.items()})
    assert result["missing"] == 0
    assert result["bcubed_f1"] >= FLOORS[name], f"{name}: BCubed F1 {result['bcubed_f1']:.3f} < {FLOORS[name]}"
    if name in PAIR_FLOORS:
        precision = same_topic_pair_precision(rows, got)
        assert precision >= PAIR_FLOORS[name], f"{name}: same-topic pair precision {precision:.3f}"

"""Quality gate: BCubed F1 of the whole understanding pipeline on the four clustering-dev sets stays above the
floors pinned in clustering_floors.json (one configuration for all sets)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from understand_devsets import assignments, insert_rows, load_rows

from newsdesk.store.db import open_store
from newsdesk.understand.pipeline import Understanding

FLOORS = json.loads((Path(__file__).with_name("clustering_floors.json")).read_text(encoding="utf-8"))
SETS = [name for name in FLOORS if not name.startswith("_")]


@pytest.mark.slow
@pytest.mark.parametrize("name", SETS)
def test_bcubed_f1_stays_above_its_floor(name, settings, shared_dir, tmp_path):
    sys.path.insert(0, str(shared_dir / "eval" / "clustering"))
    from score import score

    engine = open_store(f"sqlite:///{tmp_path / (name + '.sqlite3')}")
    rows = load_rows(shared_dir, name)
    Understanding(engine, settings).process(insert_rows(engine, rows))
    got = assignments(engine)
    engine.dispose()
    result = score({str(r["id"]): str(r["cluster"]) for r in rows}, {k: str(v[0]) for k, v in got.items()})
    assert result["missing"] == 0
    assert result["bcubed_f1"] >= FLOORS[name], f"{name}: BCubed F1 {result['bcubed_f1']:.3f} < {FLOORS[name]}"

"""Quality gate: extract_article on each extraction dev set must stay at or above the floors pinned per set."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from newsdesk.extract import extract_article

FLOORS = json.loads((Path(__file__).parent / "extraction_floor.json").read_text(encoding="utf-8"))
DEV_SETS = ("extraction-dev", "extraction-dev2")
METRICS = ("f1_benchmark", "precision_benchmark", "recall_benchmark")  # every set pins these; more may be pinned


def _scorer(shared_dir: Path) -> ModuleType:
    path = shared_dir / "eval" / "extraction" / "score.py"
    spec = importlib.util.spec_from_file_location("extraction_score", path)
    assert spec and spec.loader, f"cannot load {path}"
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_every_dev_set_has_every_floor() -> None:
    for name in DEV_SETS:
        assert set(METRICS) <= set(FLOORS[name]), f"{name} lacks a floor"
        assert all(0 < FLOORS[name][metric] <= 1 for metric in FLOORS[name] if metric != "pages")


@pytest.mark.slow
@pytest.mark.parametrize("dev_set", DEV_SETS)
def test_dev_set_scores_at_least_the_pinned_floors(shared_dir: Path, dev_set: str) -> None:
    score = _scorer(shared_dir)
    pages = [page for page in score.load_dataset("dev", str(shared_dir / "data" / dev_set))
             if not page["id"].endswith(".DS_Store")]  # dev2's stray Finder file is not a page

    def extract(page: dict, workdir: Path) -> str:
        return extract_article(score.decode_html(page["html_bytes"]), _url(page)).text

    rows = score.score(pages, extract, limit=None)
    summary = score.summarise(rows)
    floors = {metric: value for metric, value in FLOORS[dev_set].items() if metric != "pages"}
    assert summary["pages"] == FLOORS[dev_set]["pages"]
    assert summary["failures"] == 0
    for metric in floors:
        measured = summary[metric]
        assert measured >= floors[metric], f"{dev_set} {metric} {measured:.4f} fell below {floors[metric]}"


def _url(page: dict) -> str | None:
    return page["url"] if page["url"] not in ("", "None") else None  # dev2's ground truth says "None" for no URL

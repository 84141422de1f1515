"""``newsdesk sources packs / add-pack / remove-pack`` as a user runs them: a real process on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from test_cli import run


def test_list_add_again_and_remove_a_pack(tmp_path: Path) -> None:
    listing = run(tmp_path, "sources", "packs", "--kind", "edition", "--locale", "fr")
    assert listing.returncode == 0, listing.stderr
    assert "germany " in listing.stdout and "Allemagne" in listing.stdout and "AI" not in listing.stdout.split()
    assert "131 packs" in listing.stdout
    added = run(tmp_path, "sources", "add-pack", "germany-berlin", "Healthcare | Germany")
    assert added.returncode == 0, added.stderr
    assert "germany-berlin: edition 'Germany | Berlin', 31 sources (31 new), language de, region DE" in added.stdout
    assert "healthcare-germany: topic" in added.stdout
    again = run(tmp_path, "sources", "add-pack", "germany-berlin")
    assert "31 sources (0 new)" in again.stdout
    marked = run(tmp_path, "sources", "packs")
    assert "* germany-berlin" in marked.stdout and "installed (2)" in marked.stdout
    removed = run(tmp_path, "sources", "remove-pack", "germany-berlin")
    assert removed.returncode == 0 and "31 of its 31 sources removed" in removed.stdout
    assert run(tmp_path, "sources", "remove-pack", "germany-berlin").returncode == 1


def test_an_unknown_pack_adds_nothing_and_says_what_was_meant(tmp_path: Path) -> None:
    result = run(tmp_path, "sources", "add-pack", "ai", "berlin")
    assert result.returncode == 1
    assert "germany-berlin" in result.stderr
    assert "installed (0)" in run(tmp_path, "sources", "packs").stdout

"""``newsdesk users`` as an admin runs it: roles at creation and later, one account per name whatever its case."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CLI = str(Path(sys.executable).parent / "newsdesk")


def users(tmp_path: Path, *args: str, password: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path / "data")}
    command = [CLI, "--db", f"sqlite:///{tmp_path / 'cli.sqlite3'}", "users", *args]
    if password is not None:
        command.append("--password-stdin")
    return subprocess.run(command, input=(password or "") + "\n", capture_output=True, text=True, env=env,
                          timeout=120)


def test_roles_from_the_command_line(tmp_path: Path) -> None:
    made = users(tmp_path, "add", "Alice", "--admin", password="a long password")
    assert made.returncode == 0 and "created Alice (admin)" in made.stdout
    assert users(tmp_path, "add", "bob", password="another password").returncode == 0
    assert users(tmp_path, "role", "BOB", "moderator").returncode == 0
    listing = users(tmp_path, "list").stdout.splitlines()
    assert [line.split("\t")[::2] for line in listing] == [["Alice", "admin"], ["bob", "moderator"]]
    assert users(tmp_path, "moderator", "bob", "--off").returncode == 0
    assert users(tmp_path, "list").stdout.splitlines()[1].endswith("\treader")


def test_a_name_is_taken_whatever_its_case(tmp_path: Path) -> None:
    """Found from outside: alice, Alice and ALICE were three accounts."""
    assert users(tmp_path, "add", "alice", password="a long password").returncode == 0
    for spelling in ("Alice", "ALICE"):
        again = users(tmp_path, "add", spelling, password="a long password")
        assert again.returncode == 1 and "exists already" in again.stderr and "Traceback" not in again.stderr
    assert len(users(tmp_path, "list").stdout.splitlines()) == 1
    assert users(tmp_path, "passwd", "ALICE", password="a new long password").returncode == 0

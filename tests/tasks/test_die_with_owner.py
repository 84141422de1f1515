"""Extraction processes end with the process that owns them: the owner of a real pool is killed with SIGKILL, and
its two extraction processes, the forkserver and multiprocessing's resource tracker all exit."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

OWNER = textwrap.dedent("""
    import asyncio, json, sys, time
    from multiprocessing import forkserver, resource_tracker
    from newsdesk.config import load_settings
    from newsdesk.tasks.extraction_pool import ExtractionPool

    settings = load_settings(env={"NEWSDESK_EXTRACT_PROCESSES": "2"}, config_file=sys.argv[1])
    pool = ExtractionPool(settings)
    page = "<html><body><article><h1>Harbour</h1>" + "<p>The harbour reopened on Monday.</p>" * 20 + "</article>"
    asyncio.run(pool.extract(page, "https://news.example/a"))
    print(json.dumps({"workers": pool.worker_pids(), "forkserver": forkserver._forkserver._forkserver_pid,
                      "tracker": resource_tracker._resource_tracker._pid}), flush=True)
    time.sleep(600)
""")


def _running(pid: int) -> bool:
    """True while the process exists and is not a zombie (an exited child nobody reaped yet)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return False
    return fields[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl and pidfds are Linux's")
def test_extraction_processes_exit_when_their_owner_is_killed(tmp_path: Path) -> None:
    with subprocess.Popen([sys.executable, "-c", OWNER, str(tmp_path / "none.toml")], stdout=subprocess.PIPE,
                          text=True) as owner:
        try:
            started = json.loads(owner.stdout.readline())
        finally:
            os.kill(owner.pid, signal.SIGKILL)
            owner.wait()
    pids = [*started["workers"], started["forkserver"], started["tracker"]]
    assert len(started["workers"]) == 2 and all(pids)
    deadline = time.monotonic() + 30
    while any(map(_running, pids)) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [pid for pid in pids if _running(pid)]
    for pid in left:  # do not leave them behind when the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == []

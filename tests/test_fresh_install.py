"""A fresh install with no extras runs: a new virtual environment (``python -m venv``), the package installed from a
copy of this tree with its runtime dependencies only (from the configured package index), and ``newsdesk serve``
from that environment answers a page. No test, benchmark, PostgreSQL or Redis package is in it.

Slow: 2 to 3.5 minutes on a shared 2-core machine (pip upgrade 12 s, install 99 s alone; 192 s in all beside other
tests; measured 2026-12-04). Runs in `make test` (marked slow: `-m "not slow"` leaves it out).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from support.served_app import WAIT, free_port

ROOT = Path(__file__).resolve().parents[1]
INSTALL_TIMEOUT = 900

pytestmark = pytest.mark.slow


def source_copy(target: Path) -> Path:
    """What a fresh clone has that the build needs (a build in the working tree would leave build/ behind)."""
    target.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, target / name)
    shutil.copytree(ROOT / "newsdesk", target / "newsdesk", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return target


def clean_env(tmp_path: Path) -> dict[str, str]:
    """The environment without this test run's PYTHONPATH, so the new venv imports only what it installed."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "VIRTUAL_ENV"} and not k.startswith("NEWSDESK_")}
    return {**env, "NEWSDESK_DATA_DIR": str(tmp_path / "data")}


def wait_for(url: str, process: subprocess.Popen) -> tuple[int, str]:
    deadline = time.monotonic() + WAIT * 3
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=WAIT) as answer:
                return answer.status, answer.read().decode()
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} never answered (exit status {process.poll()})")


def test_a_fresh_venv_without_extras_serves_the_reader(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env, timeout=INSTALL_TIMEOUT)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True, env=env, timeout=INSTALL_TIMEOUT)  # as `make run` does
    subprocess.run([*pip, str(source_copy(tmp_path / "src"))], check=True, env=env, timeout=INSTALL_TIMEOUT,
                   cwd=tmp_path)
    python = str(venv / "bin" / "python")
    for extra in ("pytest", "playwright", "psycopg", "redis", "llama_cpp", "matplotlib"):
        absent = subprocess.run([python, "-c", f"import {extra}"], capture_output=True, env=env, timeout=60)
        assert absent.returncode != 0, f"{extra} came with a plain install"
    port = free_port()
    server = subprocess.Popen([str(venv / "bin" / "newsdesk"), "--db", f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
                               "serve", "--port", str(port), "--no-scheduler"], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        status, page = wait_for(f"http://127.0.0.1:{port}/", server)
        assert status == 200 and "newsdesk" in page and "Nothing here yet" in page
        assert wait_for(f"http://127.0.0.1:{port}/login", server)[1].count("users add NAME --admin") == 1
    finally:
        server.terminate()
        out, err = server.communicate(timeout=WAIT)
    assert "Traceback" not in err, err
    assert "users add NAME --admin" in out

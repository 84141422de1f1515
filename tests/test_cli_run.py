"""``newsdesk run`` and the CLI's errors as a newcomer meets them, through a real process: a busy port is one clear
line before any work starts; the web app answers at once while the first pass runs, the terminal shows its progress,
and Ctrl-C stops it; expected errors carry no traceback unless -v."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from support.served_app import WAIT, free_port

CLI = str(Path(sys.executable).parent / "newsdesk")


def newsdesk(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path / "data")}
    return subprocess.run([CLI, "--db", f"sqlite:///{tmp_path / 'run.sqlite3'}", *args], capture_output=True,
                          text=True, env=env, timeout=120)


@contextmanager
def held(host: str, port: int) -> Iterator[None]:
    """Another program listening on ``host:port``."""
    with socket.socket() as other:
        other.bind((host, port))
        other.listen()
        yield


def test_a_busy_web_port_is_one_line_naming_it_before_any_work(tmp_path: Path) -> None:
    port = free_port()
    with held("127.0.0.1", port):
        done = newsdesk(tmp_path, "run", "--port", str(port), "--demo-port", str(free_port()))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr
    assert f"port {port}" in done.stderr and f"make run PORT={port + 1}" in done.stderr
    assert not (tmp_path / "run.sqlite3").exists()  # nothing was set up: no database, no ingest


def test_a_busy_demo_port_is_one_line_naming_it(tmp_path: Path) -> None:
    demo_port = free_port()
    with held("127.0.0.14", demo_port):  # one of the eight publishers' addresses
        done = newsdesk(tmp_path, "run", "--port", str(free_port()), "--demo-port", str(demo_port))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr
    assert f"port {demo_port}" in done.stderr and f"DEMO_PORT={demo_port + 1}" in done.stderr


def test_serve_on_a_busy_port_says_so_without_a_traceback(tmp_path: Path) -> None:
    port = free_port()
    with held("127.0.0.1", port):
        done = newsdesk(tmp_path, "serve", "--port", str(port))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"port {port}" in done.stderr and f"newsdesk serve --port {port + 1}" in done.stderr


def test_expected_errors_are_one_line_and_the_traceback_comes_with_v(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    missing = f"sqlite:///{tmp_path / 'a-file' / 'news.sqlite3'}"
    plain = subprocess.run([CLI, "--db", missing, "migrate"], capture_output=True, text=True, timeout=60)
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert plain.stderr.startswith("error: ") and plain.stderr.strip().count("\n") == 0
    verbose = subprocess.run([CLI, "-v", "--db", missing, "migrate"], capture_output=True, text=True, timeout=60)
    assert verbose.returncode == 1 and "Traceback" in verbose.stderr


def test_help_describes_the_ports() -> None:
    shown = subprocess.run([CLI, "run", "--help"], capture_output=True, text=True, timeout=60).stdout
    assert "port of the web app" in shown and "port of the demo newswire" in shown


def wait_for_page(port: int, process: subprocess.Popen) -> str:
    deadline = time.monotonic() + WAIT * 3
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=WAIT) as answer:
                return answer.read().decode()
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"no page on port {port} (exit status {process.poll()})")


def test_the_web_app_answers_while_the_first_pass_runs_and_the_terminal_shows_progress(tmp_path: Path) -> None:
    port = free_port()
    # a politeness delay of 0.2 s toward each publisher makes the first pass last about 12 s (459 pages, 8 hosts)
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path / "data"), "NEWSDESK_FETCH_PER_HOST_DELAY": "0.2"}
    process = subprocess.Popen([CLI, "--db", f"sqlite:///{tmp_path / 'run.sqlite3'}", "run", "--port", str(port),
                                "--demo-port", str(free_port())], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    try:
        home = wait_for_page(port, process)
        assert "Ingesting" in home and 'http-equiv="refresh"' in home
    finally:
        process.send_signal(signal.SIGINT)
        try:
            out, err = process.communicate(timeout=WAIT)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
            raise AssertionError("Ctrl-C did not stop newsdesk run") from None
    assert process.returncode in (0, 130), err
    assert "Traceback" not in err
    assert f"newsdesk on http://127.0.0.1:{port}/" in out and "users add NAME --admin" in out
    assert "feeds " in err and " · pages " in err and " · articles " in err and " · stories " in err

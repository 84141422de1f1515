"""Servers the web tests run: the app under uvicorn on a free loopback port, and the scripted LLM stub of tests/ai.

The stub (tests/ai/llm_stub.py) is loaded from its file, so these tests reuse it without depending on which test
folders pytest put on ``sys.path``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import uvicorn
from starlette.types import ASGIApp

STUB_FILE = Path(__file__).resolve().parents[1] / "ai" / "llm_stub.py"


CHROMIUM = "/usr/bin/chromium"  # Debian's package, installed by .ci/run; never a downloaded browser
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@contextlib.contextmanager
def serve(app: ASGIApp) -> Iterator[str]:
    """``app`` served by uvicorn on a free 127.0.0.1 port in a thread; yields the base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def llm_stub_module() -> ModuleType:
    """tests/ai/llm_stub.py as a module (the one already imported when the ai tests ran first)."""
    if "llm_stub" in sys.modules:
        return sys.modules["llm_stub"]
    spec = importlib.util.spec_from_file_location("llm_stub", STUB_FILE)
    assert spec is not None and spec.loader is not None, STUB_FILE
    module = importlib.util.module_from_spec(spec)
    sys.modules["llm_stub"] = module
    spec.loader.exec_module(module)
    return module

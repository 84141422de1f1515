"""A minimal client for OpenAI-compatible chat endpoints (Ollama, llama.cpp server, vLLM, hosted APIs).

POST ``<ai_llm_url>/v1/chat/completions`` with httpx, either whole or streamed as server-sent events
(``data: {json}`` lines ending with ``data: [DONE]``). One overall deadline (``ai_llm_timeout``) covers connecting,
waiting and a stream that dribbles. Every failure becomes :class:`LLMUnavailable` so callers fall back to the
extractive engine. Nothing is sent unless ``ai_llm_url`` is set.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import httpx

from newsdesk.config import Settings


class LLMUnavailable(RuntimeError):
    """The endpoint is not configured, unreachable, too slow, or answered something that is not a chat reply."""


@dataclass(frozen=True)
class Message:
    """One chat message."""

    role: str  # system | user | assistant
    content: str


def chat_url(base_url: str) -> str:
    """The chat completions URL for a base URL given with or without the ``/v1`` suffix."""
    base = base_url.strip().rstrip("/")
    if base.endswith("/chat/completions"):
        return base
    if not base.endswith("/v1"):
        base += "/v1"
    return base + "/chat/completions"


def _request(settings: Settings, messages: Sequence[Message], stream: bool) -> tuple[str, dict, dict]:
    if not settings.ai_llm_url.strip():
        raise LLMUnavailable("no LLM endpoint configured (ai_llm_url is empty)")
    headers = {"Content-Type": "application/json"}
    if settings.ai_llm_api_key:
        headers["Authorization"] = f"Bearer {settings.ai_llm_api_key}"
    body = {"model": settings.ai_llm_model or "default", "stream": stream,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": settings.ai_llm_max_tokens, "temperature": settings.ai_llm_temperature}
    return chat_url(settings.ai_llm_url), headers, body


def complete(settings: Settings, messages: Sequence[Message],
             on_delta: Callable[[str], None] | None = None) -> str:
    """The assistant's whole reply; with ``on_delta`` the reply is streamed and each piece handed over as it comes."""
    if on_delta is None:
        return _complete_whole(settings, messages)
    pieces = []
    for piece in stream(settings, messages):
        pieces.append(piece)
        on_delta(piece)
    return "".join(pieces)


def _complete_whole(settings: Settings, messages: Sequence[Message]) -> str:
    url, headers, body = _request(settings, messages, stream=False)
    try:
        with httpx.Client(timeout=settings.ai_llm_timeout) as client:
            response = client.post(url, json=body, headers=headers)
            response.raise_for_status()
            return str(response.json()["choices"][0]["message"]["content"] or "")
    except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
        raise LLMUnavailable(f"LLM request failed: {type(exc).__name__}: {exc}") from exc


def stream(settings: Settings, messages: Sequence[Message]) -> Iterator[str]:
    """Yield the reply's text pieces as the server streams them; raise LLMUnavailable past the deadline."""
    url, headers, body = _request(settings, messages, stream=True)
    deadline = time.monotonic() + settings.ai_llm_timeout
    try:
        with httpx.Client(timeout=settings.ai_llm_timeout) as client, \
                client.stream("POST", url, json=body, headers=headers) as response:
            response.raise_for_status()
            for line in response.iter_lines():
                if time.monotonic() > deadline:
                    raise LLMUnavailable(f"LLM stream exceeded {settings.ai_llm_timeout}s")
                piece = _sse_piece(line)
                if piece is None:
                    break
                if piece:
                    yield piece
    except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
        raise LLMUnavailable(f"LLM stream failed: {type(exc).__name__}: {exc}") from exc


def _sse_piece(line: str) -> str | None:
    """The text carried by one SSE line: '' for keep-alives and comments, None at ``[DONE]``."""
    if not line.startswith("data:"):
        return ""
    data = line[5:].strip()
    if data == "[DONE]":
        return None
    if not data:
        return ""
    choice = json.loads(data)["choices"][0]
    return str((choice.get("delta") or {}).get("content") or "")

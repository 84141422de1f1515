"""Prompts as files the admin can edit: ``<name>.txt`` in ``ai_prompts_dir``, else the built-in ``prompts/`` folder.

A prompt file holds the system message, a line ``---``, then the user message. Placeholders use ``$name``
(``string.Template``), so braces in news text or in an admin's prompt need no escaping; an unknown placeholder is
left as written.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

from newsdesk.ai.llm_client import Message
from newsdesk.config import Settings

BUILT_IN = Path(__file__).resolve().parent / "prompts"
SEPARATOR = "\n---\n"


def prompt_path(settings: Settings, name: str) -> Path:
    """The admin's file when ``ai_prompts_dir`` has one for ``name``, else the built-in file."""
    if settings.ai_prompts_dir:
        custom = Path(settings.ai_prompts_dir) / f"{name}.txt"
        if custom.is_file():
            return custom
    return BUILT_IN / f"{name}.txt"


def render_prompt(settings: Settings, name: str, **values: str) -> list[Message]:
    """The system and user messages of prompt ``name`` with ``values`` filled in."""
    raw = prompt_path(settings, name).read_text(encoding="utf-8")
    system, _, user = raw.partition(SEPARATOR)
    if not user:  # no separator: the whole file is the user message
        system, user = "", system
    messages = [Message("system", Template(system).safe_substitute(values).strip())] if system.strip() else []
    messages.append(Message("user", Template(user).safe_substitute(values).strip()))
    return messages

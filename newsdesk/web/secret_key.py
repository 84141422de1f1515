"""The install's secret key: what signs tokens that must not be forgeable from a copy of the database.

``web_secret_key`` when set (give every web process of a scaled-out install the same one); otherwise a random key
made once and kept in ``<data_dir>/secret_key`` (mode 0600, in a data dir made 0700), which suits the one-machine
install. Losing it only signs reader apps out: they sign in again.
"""

from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path

from newsdesk.config import Settings
from newsdesk.private_files import private_dir


def secret_key(settings: Settings) -> bytes:
    """The key (created on first use when no setting gives one)."""
    if settings.web_secret_key:
        return settings.web_secret_key.encode()
    return _key_in(str(Path(settings.data_dir).resolve() / "secret_key"))


@functools.lru_cache(maxsize=8)
def _key_in(file: str) -> bytes:
    """The key kept in ``file``, made there if missing (read once per process)."""
    path = Path(file)
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    private_dir(path.parent)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_bytes().strip()
    key = secrets.token_hex(32).encode()
    with os.fdopen(handle, "wb") as out:
        out.write(key)
    return key

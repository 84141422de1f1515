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


MIN_KEY_BYTES = 32  # an empty or cut key (a crash mid-write) is made anew, never used


@functools.lru_cache(maxsize=8)
def _key_in(file: str) -> bytes:
    """The key kept in ``file``, made there if missing or unusable (read once per process). The new key is written
    to a private temporary file first and then linked into place, so no process ever reads a half-written key."""
    path = Path(file)
    key = _usable_key(path)
    if key is not None:
        return key
    private_dir(path.parent)
    fresh = secrets.token_hex(32).encode()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "wb") as out:
        out.write(fresh)
        out.flush()
        os.fsync(out.fileno())
    try:
        if path.exists():
            os.replace(temporary, path)  # an unusable key left behind: replaced whole
        else:
            os.link(temporary, path)  # refused when another process linked its key first: theirs is kept
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)
    return _usable_key(path) or fresh


def _usable_key(path: Path) -> bytes | None:
    try:
        key = path.read_bytes().strip()
    except FileNotFoundError:
        return None
    return key if len(key) >= MIN_KEY_BYTES else None

"""Files and folders only the account running newsdesk may read: the data dir, the SQLite database, the secret key.

They hold password hashes, session tokens, reader-app keys and the key that signs them, so they are created with
mode 0700 (folders) and 0600 (files) whatever the umask. A SQLite database is made as an empty file with mode
0600 before SQLite opens it: SQLite creates its ``-wal`` and ``-shm`` files with the database file's own mode, so
those follow. Folders and files that already exist keep the mode they have (an operator may have chosen it);
``chmod 700 data && chmod 600 data/*.sqlite3*`` tightens an older install.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_dir(path: str | os.PathLike[str]) -> Path:
    """``path`` as a folder, each missing level created with mode 0700; returns it."""
    folder = Path(path)
    missing = []
    for level in (folder, *folder.parents):
        if level.exists():
            break
        missing.append(level)
    for level in reversed(missing):
        try:
            level.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:  # another process made it meanwhile
            continue
        os.chmod(level, PRIVATE_DIR_MODE)  # mkdir's mode passes through the umask; make it exact
    return folder


def private_file(path: str | os.PathLike[str]) -> bool:
    """Create ``path`` empty with mode 0600 when it does not exist (its folder with :func:`private_dir`); returns
    whether it was created."""
    file = Path(path)
    private_dir(file.parent)
    try:
        handle = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        return False
    os.fchmod(handle, PRIVATE_FILE_MODE)
    os.close(handle)
    return True

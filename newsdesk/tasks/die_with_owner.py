"""Extraction processes end when the process that owns them ends, however it ends (SIGKILL included).

A pass's extraction processes are forked by multiprocessing's forkserver, itself a child of the pass's process.
When that process is killed, nothing tells them: each worker holds the write end of its own task queue, so it never
sees end-of-file, and the forkserver lives on as long as any worker holds its "alive" pipe. They stayed, about
150 MB, re-parented to PID 1 and holding the database open. So each worker, as it starts:

* asks the kernel for SIGKILL when its parent (the forkserver) dies (``prctl(PR_SET_PDEATHSIG)``), and
* watches the owner, the process that made the pool: a thread waits on a pidfd of it (on kernels without pidfds, it
  polls the owner's pid each second) and ends the worker when the owner is gone.

With every worker gone, the forkserver's alive pipe reaches end-of-file and it exits by itself, and so does
multiprocessing's resource tracker.
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Linux: have the kernel send SIGKILL to this process when its parent ends (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _wait_for_exit(pid: int) -> None:
    """Return when process ``pid`` has ended."""
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    except (AttributeError, OSError):  # no pidfds here: poll
        while _alive(pid):
            time.sleep(1.0)
        return
    select.select([pidfd], [], [])
    os.close(pidfd)


def _end_when_gone(owner: int) -> None:
    _wait_for_exit(owner)
    os._exit(1)  # the owner is gone: nothing will ever read what this process would produce


def die_with_owner(owner: int) -> None:
    """End this process when ``owner`` ends, and when this process's parent ends."""
    die_with_parent()
    if not _alive(owner):
        os._exit(1)
    threading.Thread(target=_end_when_gone, args=(owner,), name="owner-watch", daemon=True).start()

"""Read models of the pages, kept while the store has not changed: computed on the first request after a change,
then served from memory by every request until the store's stamp moves or ``web_read_model_seconds`` pass.

The home page's trending strip, top stories and cards, and the language list cost tens of milliseconds each to
compute over 100k articles, yet change only when an article is stored or a story grows. Each value is kept with the
store's :func:`~newsdesk.store.change_stamp.change_stamp` at the time it was computed; a request reads the stamp once
(two index lookups) and reuses every value computed under the same stamp. The age bound keeps time-dependent values
(trending scores decay by the hour) and changes the stamp does not see (a story renamed or merged) from lasting.
One cache per app (per serving process), bounded, no module state.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from newsdesk.store.change_stamp import change_stamp
from newsdesk.store.db import Engine

T = TypeVar("T")


class ReadModelCache:
    """Values computed from the store, reused while its stamp is unchanged and they are younger than ``max_age``."""

    def __init__(self, engine: Engine, max_age: float, max_entries: int = 512) -> None:
        self.engine = engine
        self.max_age = max_age
        self.max_entries = max_entries
        self.entries: OrderedDict[Hashable, tuple[tuple[Any, ...], float, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def stamp(self) -> tuple[Any, ...]:
        """The store's stamp now (read once per request, then passed to :meth:`get`)."""
        with self.engine.connect() as conn:
            return change_stamp(conn)

    def get(self, key: Hashable, stamp: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """The value for ``key`` computed under ``stamp``: from memory, or computed now and kept."""
        if self.max_age <= 0:
            return compute()
        now = time.monotonic()
        with self.lock:
            found = self.entries.get(key)
        if found is not None and found[0] == stamp and now - found[1] < self.max_age:
            return found[2]
        value = compute()
        with self.lock:
            self.entries[key] = (stamp, now, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)
        return value

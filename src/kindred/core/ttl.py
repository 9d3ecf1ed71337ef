"""A per-process dict whose entries expire, for hot paths that read rarely-changing rows.

``TTLCache(seconds).get(key, loader)`` returns the kept value, or calls ``loader(key)`` and
keeps its result (``None`` too) for ``seconds``. Dict operations are atomic in CPython, so
threads may share one without a lock (a race only costs an extra load). Each process has its
own: a change reaches every process within ``seconds``, or at once where the code that
changes the row calls ``forget``/``clear`` (signals do, for the directory's drop-downs).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any


class TTLCache:
    def __init__(self, seconds: float, *, limit: int = 10_000):
        self.seconds = seconds
        self.limit = limit
        self.data: dict[Hashable, tuple[float, Any]] = {}

    def get(self, key: Hashable, loader: Callable[[Any], Any]) -> Any:
        now = time.monotonic()
        hit = self.data.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = loader(key)
        if len(self.data) >= self.limit:
            self.data.clear()
        self.data[key] = (now + self.seconds, value)
        return value

    def forget(self, key: Hashable) -> None:
        self.data.pop(key, None)

    def clear(self) -> None:
        self.data.clear()

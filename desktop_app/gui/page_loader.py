"""Windows of rows read on a thread of their own, for the lazy models (the ledger, the photo gallery).

One reader thread with a read-only connection of its own serves the newest request first; requests
the user has scrolled past are dropped, so dragging a scroll bar over a million rows never queues a
million reads. Results come back to the GUI thread by a queued signal.
"""

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

log = logging.getLogger(__name__)
MAX_QUEUED = 4  # background requests kept; older ones were scrolled past


class PageCache:
    """The windows of rows already read, by window number; beyond `max_pages` the least recently used
    window is dropped."""

    def __init__(self, page_size: int, max_pages: int):
        self.page_size, self.max_pages = page_size, max_pages
        self._pages: OrderedDict[int, list] = OrderedDict()

    def __contains__(self, number: int) -> bool:
        return number in self._pages

    def __iter__(self):
        """The numbers of the cached windows, least recently used first."""
        return iter(self._pages)

    def __len__(self) -> int:
        return len(self._pages)

    def clear(self) -> None:
        self._pages.clear()

    def get(self, row: int):
        """The row if its window is cached (the window counts as used), else None."""
        number = row // self.page_size
        page = self._pages.get(number)
        if page is None:
            return None
        self._pages.move_to_end(number)
        offset = row - number * self.page_size
        return page[offset] if offset < len(page) else None

    def put(self, number: int, rows: list) -> list[tuple[int, list]]:
        """Cache a window; the windows it replaced or pushed out, as (number, rows)."""
        gone = [(number, self._pages.pop(number))] if number in self._pages else []
        self._pages[number] = rows
        if len(self._pages) > self.max_pages:
            gone.append(self._pages.popitem(last=False))
        return gone

    def find(self, wanted: Callable[[Any], bool]) -> int | None:
        """The row number of the first cached row that is `wanted`."""
        for number, page in self._pages.items():
            for offset, row in enumerate(page):
                if wanted(row):
                    return number * self.page_size + offset
        return None


class PageLoader(QObject):
    """`open_reader()` makes the thread's reader (a connection or a session wrapper) on first use;
    `fetch(reader, query, offset, limit)` reads one window; `close_reader(reader)` ends it."""

    loaded = Signal(int, int, object)  # generation, window number, rows

    def __init__(self, open_reader: Callable[[], Any], fetch: Callable[[Any, Any, int, int], list],
                 close_reader: Callable[[Any], None], page_size: int, parent: QObject | None = None):
        super().__init__(parent)
        self._open, self._fetch, self._close = open_reader, fetch, close_reader
        self._page_size = page_size
        self._reader = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._lock = threading.Lock()
        self._queue: list[tuple[int, int, Any]] = []

    def request(self, generation: int, number: int, query) -> list[int]:
        """Queue a window; returns the window numbers dropped from the queue (no longer in flight)."""
        with self._lock:
            self._queue.append((generation, number, query))
            dropped = [n for _g, n, _q in self._queue[:-MAX_QUEUED]]
            del self._queue[:-MAX_QUEUED]
        self._pool.start(self._work)
        return dropped

    def _work(self) -> None:
        with self._lock:
            if not self._queue:
                return
            generation, number, query = self._queue.pop()
        try:
            if self._reader is None:
                self._reader = self._open()
            rows = self._fetch(self._reader, query, number * self._page_size, self._page_size)
        except Exception:  # noqa: BLE001 — a failed read shows an empty window, never a crash
            log.exception("后台读取第 %s 页失败", number)
            rows = []
        try:
            self.loaded.emit(generation, number, rows)
        except RuntimeError:  # the model was deleted meanwhile
            pass

    def close(self) -> None:
        with self._lock:
            self._queue.clear()
        self._pool.waitForDone()
        if self._reader is not None:
            self._close(self._reader)
            self._reader = None

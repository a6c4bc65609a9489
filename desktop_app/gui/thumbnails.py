"""Thumbnails for the photo tiles, read off the GUI thread.

`ThumbnailLoader`: a few pool threads decode the derived thumbnail files into `QImage`s (rebuilding a
missing one from the original through `photo_files.ensure_derived`), newest request first so the rows
just scrolled into view load before those scrolled past; the GUI thread turns each into a `QPixmap` and
keeps the most recently used ones. A picture that cannot be read is reported as failed and shown as
“无法显示”, never stopping the list. A loader may be shared by several models (a page's gallery and an
editor's strip); whoever creates it closes it.
"""

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QSize, Qt, QThread, QThreadPool, Signal
from PySide6.QtGui import QColor, QGuiApplication, QImage, QImageReader, QPainter, QPixmap

from desktop_app.core.storage import photo_files

log = logging.getLogger(__name__)

CACHE_SIZE = 1000  # thumbnails kept as pixmaps: at most ~65 KB each at the tile size, ~65 MB in all
MAX_PENDING = 120  # thumbnail requests kept (about four screens); older ones were scrolled past
IMAGE_BOX = QSize(148, 111)  # the picture area of a tile (4:3); thumbnails are scaled to fit it

LOADING, READY, FAILED = "loading", "ready", "failed"  # what a thumbnail is: on its way, here, unreadable

PLACEHOLDER_FILL = QColor("#eceff1")
PLACEHOLDER_EDGE = QColor("#cfd8dc")
MUTED = QColor("#7f8c8d")


def load_thumbnail(root: Path, sha256: str, original: Callable[[str], Path], box: QSize) -> QImage:
    """The thumbnail scaled to fit `box`, read in a worker thread; a missing or empty file is first
    rebuilt from the original. A null QImage when it cannot be had (no original, a damaged file)."""
    path = photo_files.thumb_path(root, sha256)
    if not _has_content(path):  # missing, or left empty by a power cut
        try:
            photo_files.ensure_derived(root, sha256, original(sha256))
        except Exception as exc:  # noqa: BLE001 — a tile shows “无法显示”, the list goes on
            log.warning("无法重建照片 %s 的缩略图：%s", sha256[:12], exc)
            return QImage()
        if not _has_content(path):
            return QImage()
    reader = QImageReader(str(path))
    size = reader.size()
    if size.isValid() and (size.width() > box.width() or size.height() > box.height()):
        reader.setScaledSize(size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        log.warning("无法读取缩略图 %s：%s", path, reader.errorString())
    return image


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


class ThumbnailLoader(QObject):
    """Reads thumbnails on a small thread pool, newest request first, each sha once at a time.

    `request(sha)` queues a read unless the picture is cached, failed or already on its way; when more
    than `max_pending` wait, the oldest requests (rows scrolled past) are dropped and may be asked for
    again. `pixmap(sha)` is the cached picture (GUI thread only). `loaded(sha, image)` or `failed(sha)`
    follows each read. `close()` drops the queue and waits for the reads under way."""

    loaded = Signal(str, QImage)
    failed = Signal(str)
    _read = Signal(str, QImage)  # from the workers; queued into the GUI thread

    def __init__(self, root: Path, original: Callable[[str], Path], *, box: QSize = IMAGE_BOX,
                 threads: int | None = None, cache_size: int = CACHE_SIZE, max_pending: int = MAX_PENDING,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._root = Path(root)
        self._original = original
        screen = QGuiApplication.primaryScreen() if QGuiApplication.instance() else None
        self._ratio = screen.devicePixelRatio() if screen is not None else 1.0
        self._box = QSize(round(box.width() * self._ratio), round(box.height() * self._ratio))
        self._threads = threads or max(2, min(4, QThread.idealThreadCount() - 1))
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(self._threads)
        self._cache_size = cache_size
        self._max_pending = max_pending
        self._lock = threading.Lock()  # guards the three below, shared with the workers
        self._pending: OrderedDict[str, None] = OrderedDict()  # newest last
        self._running: set[str] = set()
        self._workers = 0
        self._closed = False
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()  # GUI thread only
        self._failed: set[str] = set()
        self._placeholders: dict[bool, QPixmap] = {}
        self._read.connect(self._on_read, Qt.ConnectionType.QueuedConnection)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)

    # ---------------------------------------------------------------- GUI side

    def pixmap(self, sha256: str) -> QPixmap | None:
        found = self._cache.get(sha256)
        if found is not None:
            self._cache.move_to_end(sha256)
        return found

    def state(self, sha256: str) -> str:
        if sha256 in self._cache:
            return READY
        return FAILED if sha256 in self._failed else LOADING

    def placeholder(self, failed: bool) -> QPixmap:
        """The neutral tile shown while a thumbnail loads, or “无法显示” when it cannot be read."""
        found = self._placeholders.get(failed)
        if found is None:
            found = QPixmap(IMAGE_BOX)
            found.fill(PLACEHOLDER_FILL)
            painter = QPainter(found)
            painter.setPen(PLACEHOLDER_EDGE)
            painter.drawRect(found.rect().adjusted(0, 0, -1, -1))
            if failed:
                painter.setPen(MUTED)
                painter.drawText(found.rect(), Qt.AlignmentFlag.AlignCenter, "无法显示")
            painter.end()
            self._placeholders[failed] = found
        return found

    def request(self, sha256: str) -> None:
        if sha256 in self._cache or sha256 in self._failed:
            return
        with self._lock:
            if self._closed or sha256 in self._running:
                return
            if sha256 in self._pending:
                self._pending.move_to_end(sha256)  # wanted again: now first in line
                return
            self._pending[sha256] = None
            while len(self._pending) > self._max_pending:
                self._pending.popitem(last=False)
            start = self._workers < self._threads
            if start:
                self._workers += 1
        if start:
            self._pool.start(self._work)

    def drop_pending(self) -> None:
        """Forget the queued requests (the list now shows something else)."""
        with self._lock:
            self._pending.clear()

    def retry_failed(self) -> None:
        self._failed.clear()

    def forget(self, sha256: str) -> None:
        """Read this picture again next time (its file was rebuilt)."""
        self._cache.pop(sha256, None)
        self._failed.discard(sha256)

    @property
    def idle(self) -> bool:
        with self._lock:
            return not (self._pending or self._running)

    @property
    def threads(self) -> int:
        return self._threads

    @property
    def cached(self) -> int:
        return len(self._cache)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._pending.clear()
        self._pool.waitForDone()
        self._cache.clear()
        self._placeholders.clear()

    def _on_read(self, sha256: str, image: QImage) -> None:
        with self._lock:
            self._running.discard(sha256)
            if self._closed:
                return
        if image.isNull():
            self._failed.add(sha256)
            self.failed.emit(sha256)
            return
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self._ratio)
        self._cache[sha256] = pixmap
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        self.loaded.emit(sha256, image)

    # ---------------------------------------------------------------- worker side

    def _work(self) -> None:
        while True:
            with self._lock:
                if self._closed or not self._pending:
                    self._workers -= 1
                    return
                sha256, _ = self._pending.popitem(last=True)
                self._running.add(sha256)
            try:
                image = load_thumbnail(self._root, sha256, self._original, self._box)
            except Exception:  # noqa: BLE001 — never lose a worker to one bad file
                log.exception("读取缩略图 %s 失败", sha256[:12])
                image = QImage()
            try:
                self._read.emit(sha256, image)
            except RuntimeError:  # the loader was deleted meanwhile
                return

"""Photo galleries: a lazy list model over the `photo` table, a thumbnail loader off the GUI thread, the
project gallery (an icon grid) and the activity editor's photo strip.

`PhotoGalleryModel` counts the photos of one scope (a project, an activity or a charity space) with one
`count(*)` and reads them in windows of 200 rows only when the view asks for them, through the photo
service's `count_photos` and `photo_page` (in their order: position, then when they were added, read
straight from the index ix_photo_gallery). The first window is read at once, the others on a reader
thread of its own (as `ledger_model.LedgerModel` does), newest request first.
Thumbnails come from `ThumbnailLoader`: a few pool threads decode the derived thumbnail files into
`QImage`s (rebuilding a missing one from the original through `photos.ensure_derived`), newest request
first so the rows just scrolled into view load before those scrolled past; the GUI thread turns each
into a `QPixmap` and keeps the most recently used ones. A tile whose picture cannot be read shows
“无法显示” and never stops the list.

Whoever creates a model closes it (`model.close()`, which also waits for its threads) before the
workspace closes; a loader handed in from outside is closed by its owner.
"""

import json
import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QImageReader,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)
from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from desktop_app.core.services import photos as photo_service
from desktop_app.core.services.photos import PhotoRow
from desktop_app.core.storage import photo_files as photos
from desktop_app.gui.page_loader import PageCache, PageLoader

log = logging.getLogger(__name__)

PAGE_SIZE = 200  # rows read at a time
MAX_PAGES = 50  # windows kept (least recently used dropped)
CACHE_SIZE = 1000  # thumbnails kept as pixmaps: at most ~65 KB each at the tile size, ~65 MB in all
MAX_PENDING = 120  # thumbnail requests kept (about four screens); older ones were scrolled past
IMAGE_BOX = QSize(148, 111)  # the picture area of a tile (4:3); thumbnails are scaled to fit it
TILE_WIDTH = 160
PHOTO_IDS_MIME = "application/x-charity-ledger-photo-ids"

PHOTO_ROLE = Qt.ItemDataRole.UserRole + 1  # (photo id, sha256)
TILE_ROLE = Qt.ItemDataRole.UserRole + 2  # the PhotoRow (services.photos)
THUMB_STATE_ROLE = Qt.ItemDataRole.UserRole + 3  # LOADING | READY | FAILED
LOADING, READY, FAILED = "loading", "ready", "failed"

PLACEHOLDER_FILL = QColor("#eceff1")
PLACEHOLDER_EDGE = QColor("#cfd8dc")
NOTICE_BADGE = QColor("#1e8449")
MUTED = QColor("#7f8c8d")

Index = QModelIndex | QPersistentModelIndex


def label(row: PhotoRow) -> str:
    """The text under a tile: the caption, else what the photo belongs to."""
    return row.caption or row.activity_title or row.space_name


def tooltip(row: PhotoRow) -> str:
    lines = [row.caption or "（无说明）"]
    if row.activity_title:
        lines.append(f"活动：{row.activity_title}")
    if row.space_name:
        lines.append(f"阵地：{row.space_name}")
    day = row.date or row.taken_at[:10]
    if day:
        lines.append(f"日期：{day}")
    if row.in_notice:
        lines.append("用于公示")
    return "\n".join(lines)


Scope = dict[str, str]  # {"project_id" | "activity_id" | "space_id": id}


class _Reader:
    """A read-only connection of the model's own (as LedgerModel has, from `ws.raw_reader`), wrapped in
    a session so the photo service's queries run on it. Not `ws.reading()`: the workspace's read engine
    keeps one connection per thread in a pool of five, which extra reader threads must not crowd."""

    def __init__(self, connect: Callable[[], sqlite3.Connection]):
        self._connect = connect
        self._engine = None

    def session(self) -> Session:
        if self._engine is None:
            conn = self._connect()
            self._engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)
        return Session(self._engine)

    def page(self, scope: Scope, offset: int, limit: int) -> list[PhotoRow]:
        with self.session() as session:
            return photo_service.photo_page(session, **scope, offset=offset, limit=limit)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()  # closes the connection
            self._engine = None


# ---------------------------------------------------------------- thumbnails

def load_thumbnail(root: Path, sha256: str, original: Callable[[str], Path], box: QSize) -> QImage:
    """The thumbnail scaled to fit `box`, read in a worker thread; a missing or empty file is first
    rebuilt from the original. A null QImage when it cannot be had (no original, a damaged file)."""
    path = photos.thumb_path(root, sha256)
    if not _has_content(path):  # missing, or left empty by a power cut
        try:
            photos.ensure_derived(root, sha256, original(sha256))
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


# ---------------------------------------------------------------- the model

class PhotoGalleryModel(QAbstractListModel):
    """The photos of one scope, in their order (position, then when they were added).

    `ws` is the Workspace (read-only connections of the model's own, its derived files and originals). `loader` may be
    shared between models (a page's gallery and an editor's strip); by default the model has its own."""

    def __init__(self, ws, *, loader: ThumbnailLoader | None = None, background: bool = True,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._db = _Reader(ws.raw_reader)
        self._owns_loader = loader is None
        self.loader = loader or ThumbnailLoader(ws.root, ws.attachment_path, parent=self)
        self.loader.loaded.connect(self._thumb_arrived)
        self.loader.failed.connect(self._thumb_arrived)
        self._scope: Scope | None = None
        self._count = 0
        self._generation = 0
        self._pages = PageCache(PAGE_SIZE, MAX_PAGES)
        self._rows_by_sha: dict[str, list[int]] = {}
        self._in_flight: set[int] = set()
        self.error: str | None = None  # why the last refresh could not read the photos
        self._reader: PageLoader | None = None
        if background:
            self._reader = PageLoader(lambda: _Reader(ws.raw_reader), _Reader.page, _Reader.close, PAGE_SIZE, self)
            self._reader.loaded.connect(self._page_loaded)
        self._changed_rows: set[int] = set()
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(15)  # thumbnails arriving together repaint once
        self._flush.timeout.connect(self._emit_changed)

    # ---------------------------------------------------------------- scope

    @property
    def scope(self) -> Scope | None:
        return dict(self._scope) if self._scope else None

    def set_scope(self, project_id: str | None = None, activity_id: str | None = None,
                  space_id: str | None = None) -> None:
        """Show the photos of one project, activity or charity space (None of them: nothing)."""
        given = [(column, value) for column, value in
                 (("activity_id", activity_id), ("space_id", space_id), ("project_id", project_id)) if value]
        if len(given) > 1:
            raise ValueError("set_scope takes one of project_id, activity_id, space_id")
        scope = dict(given) if given else None
        if scope != self._scope or not self._generation:
            self._scope = scope
            self.loader.drop_pending()
            self.refresh()

    def refresh(self) -> None:
        """Re-count and forget every window (after photos were added, removed, reordered or edited)."""
        self.beginResetModel()
        self._generation += 1
        self._pages.clear()
        self._rows_by_sha.clear()
        self._in_flight.clear()
        self._changed_rows.clear()
        self.loader.retry_failed()
        self._count, self.error = 0, None
        if self._scope is not None:
            try:
                with self._db.session() as session:
                    self._count = photo_service.count_photos(session, **self._scope)
                    if self._count:
                        self._store(0, photo_service.photo_page(session, **self._scope, offset=0, limit=PAGE_SIZE))
            except (sqlite3.Error, SQLAlchemyError) as exc:  # a damaged file: show nothing rather than crash
                log.error("读取照片失败：%s", exc)
                self._count, self.error = 0, f"读取照片失败（{exc}）"
        self.endResetModel()

    def reconnect(self) -> None:
        """After a restore replaced the database file: new connections, then a refresh."""
        if self._reader is not None:
            self._reader.close()
        self._db.close()
        self.refresh()

    def close(self) -> None:
        """Stop the reader and (when the model owns it) the thumbnail loader, waiting for their threads."""
        self._flush.stop()
        if self._reader is not None:
            self._reader.close()
        if self._owns_loader:
            self.loader.close()
        self._db.close()

    # ---------------------------------------------------------------- rows

    def tile(self, row: int) -> PhotoRow | None:
        """The row, read now if its window is not loaded (for code that needs it at once)."""
        if not 0 <= row < self._count or self._scope is None:
            return None
        number = row // PAGE_SIZE
        if number not in self._pages:
            self._store(number, self._db.page(self._scope, number * PAGE_SIZE, PAGE_SIZE))
        return self._cached(row)

    def photo_ids(self) -> list[str]:
        """Every photo id of the scope in order, read now (an activity's or a space's few dozen)."""
        if self._scope is None:
            return []
        with self._db.session() as session:
            count = photo_service.count_photos(session, **self._scope)
            return [r.id for r in photo_service.photo_page(session, **self._scope, offset=0, limit=count)]

    def row_of(self, photo_id: str) -> int | None:
        """The row of a photo among the windows already read (for keeping a selection)."""
        return self._pages.find(lambda tile: tile.id == photo_id)

    @property
    def loading(self) -> bool:
        return bool(self._in_flight)

    @property
    def updates_pending(self) -> bool:
        """Thumbnails arrived whose tiles are not yet repainted (they are, within 15 ms)."""
        return self._flush.isActive()

    def _store(self, number: int, page: list[PhotoRow]) -> None:
        for gone, rows in self._pages.put(number, page):  # replaced or pushed out: off the index
            self._unindex(gone, rows)
        self._in_flight.discard(number)
        first = number * PAGE_SIZE
        for offset, tile in enumerate(page):
            self._rows_by_sha.setdefault(tile.sha256, []).append(first + offset)

    def _unindex(self, number: int, page: list[PhotoRow]) -> None:
        first = number * PAGE_SIZE
        for offset, tile in enumerate(page):
            rows = self._rows_by_sha.get(tile.sha256)
            if rows is not None:
                rows[:] = [r for r in rows if r != first + offset]
                if not rows:
                    del self._rows_by_sha[tile.sha256]

    def _cached(self, row: int) -> PhotoRow | None:
        return self._pages.get(row)

    def _tile_for_view(self, row: int) -> PhotoRow | None:
        """The row if its window is loaded; otherwise ask the reader for it (None until it arrives)."""
        if not 0 <= row < self._count:
            return None
        found = self._cached(row)
        if found is not None:
            return found
        if self._reader is None:
            return self.tile(row)
        number = row // PAGE_SIZE
        if number not in self._in_flight and self._scope is not None:
            self._in_flight.add(number)
            dropped = self._reader.request(self._generation, number, self._scope)
            self._in_flight.difference_update(dropped)
        return None

    def _page_loaded(self, generation: int, number: int, rows: list[PhotoRow]) -> None:
        if generation != self._generation:
            return  # the scope changed or the photos were reloaded meanwhile
        self._store(number, rows)
        first = number * PAGE_SIZE
        last = min(self._count, first + PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first), self.index(last))

    def _thumb_arrived(self, sha256: str, *_image) -> None:
        rows = self._rows_by_sha.get(sha256)
        if rows:
            self._changed_rows.update(rows)
            if not self._flush.isActive():
                self._flush.start()

    def _emit_changed(self) -> None:
        rows = [r for r in self._changed_rows if r < self._count]
        self._changed_rows.clear()
        if rows:
            self.dataChanged.emit(self.index(min(rows)), self.index(max(rows)), [Qt.ItemDataRole.DecorationRole])

    def thumb_state(self, row: int) -> str | None:
        tile = self._cached(row) if 0 <= row < self._count else None
        return self.loader.state(tile.sha256) if tile is not None else None

    # ---------------------------------------------------------------- Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        tile = self._tile_for_view(index.row())
        if role == Qt.ItemDataRole.DecorationRole:
            if tile is None:
                return self.loader.placeholder(False)
            found = self.loader.pixmap(tile.sha256)
            if found is not None:
                return found
            if self.loader.state(tile.sha256) == FAILED:
                return self.loader.placeholder(True)
            self.loader.request(tile.sha256)
            return self.loader.placeholder(False)
        if tile is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return label(tile)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(tile)
        if role == PHOTO_ROLE:
            return (tile.id, tile.sha256)
        if role == TILE_ROLE:
            return tile
        if role == THUMB_STATE_ROLE:
            return self.loader.state(tile.sha256)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # drops land between tiles, never on one
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
                | Qt.ItemFlag.ItemNeverHasChildren)

    def mimeTypes(self) -> list[str]:
        return [PHOTO_IDS_MIME, "text/uri-list"]

    def mimeData(self, indexes: Iterable[Index]) -> QMimeData:
        ids = []
        for index in sorted((i for i in indexes if i.isValid()), key=lambda i: i.row()):
            tile = self.tile(index.row())
            if tile is not None and tile.id not in ids:
                ids.append(tile.id)
        mime = QMimeData()
        mime.setData(PHOTO_IDS_MIME, QByteArray(json.dumps(ids).encode("utf-8")))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: Index) -> bool:
        return data.hasFormat(PHOTO_IDS_MIME) or bool(local_paths(data))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        return False  # the strip turns drops into signals; the editor calls the service


def dragged_ids(mime: QMimeData) -> list[str]:
    if not mime.hasFormat(PHOTO_IDS_MIME):
        return []
    try:
        ids = json.loads(bytes(mime.data(PHOTO_IDS_MIME).data()).decode("utf-8"))
    except ValueError:
        return []
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []


def local_paths(mime: QMimeData) -> list[Path]:
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


# ---------------------------------------------------------------- views

class PhotoTileDelegate(QStyledItemDelegate):
    """A tile: the thumbnail centred in its box, the caption elided on one line under it, a 公示 mark.
    Its size is fixed, so the view never asks the model for rows it does not show."""

    def __init__(self, tile: QSize, parent: QObject | None = None):
        super().__init__(parent)
        self._tile = tile

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return self._tile

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        rect = option.rect.adjusted(2, 2, -2, -2)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            fill = QColor(palette.highlight().color())
            fill.setAlpha(70)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(palette.highlight().color(), 1.5))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 5, 5)
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, palette.midlight())
        box = QRect(rect.x() + (rect.width() - IMAGE_BOX.width()) // 2, rect.y() + 4, IMAGE_BOX.width(),
                    IMAGE_BOX.height())
        picture = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(picture, QPixmap) and not picture.isNull():
            size = picture.deviceIndependentSize().toSize()
            target = QRect(QPoint(0, 0), size)
            target.moveCenter(box.center())
            painter.drawPixmap(target, picture)
        tile = index.data(TILE_ROLE)
        if isinstance(tile, PhotoRow) and tile.in_notice:
            badge = QRect(box.x() + 3, box.y() + 3, option.fontMetrics.horizontalAdvance("公示") + 8,
                          option.fontMetrics.height() + 2)
            painter.fillRect(badge, NOTICE_BADGE)
            painter.setPen(QColor("white"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, "公示")
        text_rect = QRect(rect.x() + 4, box.bottom() + 5, rect.width() - 8, option.fontMetrics.height())
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        painter.setPen(palette.text().color() if text != "…" else MUTED)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
                         option.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width()))
        if option.state & QStyle.StateFlag.State_HasFocus and not selected:
            painter.setPen(QPen(palette.highlight().color(), 1, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.restore()


class _PhotoListView(QListView):
    photo_activated = Signal(str)  # photo id: double-click or Enter

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setUniformItemSizes(True)
        self.setMouseTracking(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        metrics = self.fontMetrics()
        self.tile_size = QSize(TILE_WIDTH, 4 + IMAGE_BOX.height() + 5 + metrics.height() + 8)
        self.setGridSize(self.tile_size)
        self.setItemDelegate(PhotoTileDelegate(self.tile_size - QSize(2, 2), self))
        self.doubleClicked.connect(self._activate)

    def _activate(self, index: QModelIndex) -> None:
        photo = index.data(PHOTO_ROLE) if index.isValid() else None
        if photo:
            self.photo_activated.emit(photo[0])

    def current_photo_id(self) -> str | None:
        photo = self.currentIndex().data(PHOTO_ROLE) if self.currentIndex().isValid() else None
        return photo[0] if photo else None

    def selected_ids(self) -> list[str]:
        found = [i.data(PHOTO_ROLE) for i in sorted(self.selectedIndexes(), key=lambda i: i.row())]
        return [photo[0] for photo in found if photo]

    def visible_rows(self) -> range:
        """The rows whose tiles are (at least partly) in the viewport."""
        rows = []
        step_x, step_y = max(1, self.tile_size.width() // 2), max(1, self.tile_size.height() // 2)
        area = self.viewport().rect()
        for y in range(area.top() + 1, area.bottom() + step_y, step_y):
            for x in range(area.left() + 1, area.right() + step_x, step_x):
                index = self.indexAt(QPoint(min(x, area.right() - 1), min(y, area.bottom() - 1)))
                if index.isValid():
                    rows.append(index.row())
        return range(min(rows), max(rows) + 1) if rows else range(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._activate(self.currentIndex())
            return
        super().keyPressEvent(event)


class PhotoGalleryView(_PhotoListView):
    """The project gallery: 160-pixel tiles in rows that wrap, laid out in batches so 50,000 photos
    show at once; several may be selected. Double-click (or Enter) emits `photo_activated(photo_id)`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(500)
        self.setGridSize(self.tile_size)  # IconMode reset what the base set
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(self.tile_size.height() // 3)


class PhotoStrip(_PhotoListView):
    """The activity editor's photos in one row. Image files or folders dragged in from the file manager
    emit `files_dropped(paths)` (folders as folders, nothing filtered: the import reports what is not a
    photo); dragging a tile to another place emits `reordered(ids)` with every id in the new order;
    Delete emits `remove_requested(photo_id)`. The strip never changes the photos itself: the editor
    calls the service and refreshes the model."""

    files_dropped = Signal(list)  # list[pathlib.Path]
    reordered = Signal(list)  # list[str]: every photo id of the activity, in the new order
    remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setGridSize(self.tile_size)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(False)  # the strip draws its own insertion mark
        self._drop_x: int | None = None
        scroll = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.setFixedHeight(self.tile_size.height() + scroll + 2 * self.frameWidth() + 2)

    # ---------------------------------------------------------------- drag and drop

    def _own_ids(self, mime: QMimeData) -> list[str]:
        """The dragged photo ids when they are photos of this strip (an internal move), else []."""
        ids = dragged_ids(mime)
        model = self.model()
        if not ids or not isinstance(model, PhotoGalleryModel):
            return []
        known = set(model.photo_ids())
        return ids if all(i in known for i in ids) else []

    def _accept(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> str | None:
        mime = event.mimeData()
        if mime.hasFormat(PHOTO_IDS_MIME):
            if self._own_ids(mime):
                event.setDropAction(Qt.DropAction.MoveAction)
                event.accept()
                return "move"
        elif local_paths(mime):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            return "files"
        event.ignore()
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accept(event) is not None:
            self.setState(QAbstractItemView.State.DraggingState)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        kind = self._accept(event)
        if kind == "move":
            self._set_drop_mark(self._insert_row(event.position().toPoint()))
        else:
            self._set_drop_mark(None)
        if kind is not None:
            margin = self.autoScrollMargin()
            x = event.position().toPoint().x()
            if x < margin or x > self.viewport().width() - margin:
                self.startAutoScroll()

    def dragLeaveEvent(self, event) -> None:
        self._set_drop_mark(None)
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        kind = self._accept(event)
        self._set_drop_mark(None)
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        if kind == "files":
            self.files_dropped.emit(local_paths(event.mimeData()))
        elif kind == "move":
            order = self._moved(self._own_ids(event.mimeData()), self._insert_row(event.position().toPoint()))
            if order is not None:
                self.reordered.emit(order)

    def _insert_row(self, pos: QPoint) -> int:
        """Where a tile dropped at `pos` goes: before the tile under it, or after it on its right half."""
        index = self.indexAt(pos)
        if index.isValid():
            return index.row() + (1 if pos.x() > self.visualRect(index).center().x() else 0)
        model = self.model()
        count = model.rowCount() if model is not None else 0
        if count and pos.x() < self.visualRect(model.index(0, 0)).left():
            return 0
        return count

    def _moved(self, moving: list[str], row: int) -> list[str] | None:
        model = self.model()
        ids = model.photo_ids() if isinstance(model, PhotoGalleryModel) else []
        moving_set = set(moving)
        if not ids or not moving_set:
            return None
        moving = [i for i in ids if i in moving_set]
        before = sum(1 for i in ids[:row] if i not in moving_set)
        rest = [i for i in ids if i not in moving_set]
        order = rest[:before] + moving + rest[before:]
        return order if order != ids else None

    def _set_drop_mark(self, row: int | None) -> None:
        x = None
        model = self.model()
        if row is not None and model is not None and model.rowCount():
            if row < model.rowCount():
                x = self.visualRect(model.index(row, 0)).left()
            else:
                x = self.visualRect(model.index(model.rowCount() - 1, 0)).right() + 1
        if x != self._drop_x:
            self._drop_x = x
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._drop_x is not None:
            painter = QPainter(self.viewport())
            painter.setPen(QPen(self.palette().highlight().color(), 3))
            painter.drawLine(self._drop_x, 2, self._drop_x, self.viewport().height() - 3)
            painter.end()

    # ---------------------------------------------------------------- keys

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            photo_id = self.current_photo_id()
            if photo_id:
                self.remove_requested.emit(photo_id)
            return
        super().keyPressEvent(event)

"""The photo gallery's model: a lazy list model over the `photo` table, and the drag data of its tiles.

`PhotoGalleryModel` counts the photos of one scope (a project, an activity or a charity space) with one
`count(*)` and reads them in windows of 200 rows only when the view asks for them, through the photo
service's `count_photos` and `photo_page` (in their order: position, then when they were added, read
straight from the index ix_photo_gallery). The first window is read at once, the others on a reader
thread of its own (as `ledger_model.LedgerModel` does), newest request first. Each tile's picture comes
from a `thumbnails.ThumbnailLoader`; the views that show the tiles are in `photo_views` (the project
gallery) and `photo_strip` (the activity editor's strip).

Whoever creates a model closes it (`model.close()`, which also waits for its threads) before the
workspace closes; a loader handed in from outside is closed by its owner.
"""

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from desktop_app.core.queries import photos as photo_queries
from desktop_app.core.queries.photos import PhotoRow
from desktop_app.gui.page_loader import PageCache, PageLoader
from desktop_app.gui.thumbnails import FAILED, ThumbnailLoader

log = logging.getLogger(__name__)

PAGE_SIZE = 200  # rows read at a time
MAX_PAGES = 50  # windows kept (least recently used dropped)
PHOTO_IDS_MIME = "application/x-charity-ledger-photo-ids"

PHOTO_ROLE = Qt.ItemDataRole.UserRole + 1  # (photo id, sha256)
TILE_ROLE = Qt.ItemDataRole.UserRole + 2  # the PhotoRow (services.photos)
THUMB_STATE_ROLE = Qt.ItemDataRole.UserRole + 3  # LOADING | READY | FAILED (thumbnails)

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
            return photo_queries.photo_page(session, **scope, offset=offset, limit=limit)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()  # closes the connection
            self._engine = None


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
                    self._count = photo_queries.count_photos(session, **self._scope)
                    if self._count:
                        self._store(0, photo_queries.photo_page(session, **self._scope, offset=0, limit=PAGE_SIZE))
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
            count = photo_queries.count_photos(session, **self._scope)
            return [r.id for r in photo_queries.photo_page(session, **self._scope, offset=0, limit=count)]

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

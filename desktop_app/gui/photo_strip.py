"""The activity editor's photo strip: its photos in one row, with drag and drop — image files or
folders dragged in from the file manager, tiles dragged to a new place — and Delete. The strip only
reports what the user did, as signals; the editor changes the photos."""

from PySide6.QtCore import QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QWidget

from desktop_app.gui.photo_gallery import PHOTO_IDS_MIME, PhotoGalleryModel, dragged_ids, local_paths
from desktop_app.gui.photo_views import PhotoListView


class PhotoStrip(PhotoListView):
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

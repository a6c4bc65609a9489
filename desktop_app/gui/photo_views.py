"""The views of a `PhotoGalleryModel`: how a photo tile is painted, the list view every photo list
shares (fixed-size tiles, double-click or Enter opens a photo), and the project gallery, an icon grid
that shows 50,000 photos at once. The activity editor's one-row strip is in `photo_strip`."""

from PySide6.QtCore import QModelIndex, QObject, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop_app.core.queries.photos import PhotoRow
from desktop_app.gui.photo_gallery import PHOTO_ROLE, TILE_ROLE, Index
from desktop_app.gui.thumbnails import IMAGE_BOX, MUTED

TILE_WIDTH = 160
NOTICE_BADGE = QColor("#1e8449")


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


class PhotoListView(QListView):
    """What the gallery and the strip share: tiles of one fixed size painted by `PhotoTileDelegate`,
    the photo ids of the current and the selected tiles, and `photo_activated` on double-click or Enter."""

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


class PhotoGalleryView(PhotoListView):
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

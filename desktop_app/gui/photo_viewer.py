"""A photo full size with its caption: opened by double-clicking a photo in the activity editor's strip.
上一张 / 下一张 (or ← →) walk the photos of the same activity. It shows the display copy (long edge 1600)
when there is one, else the original, upright; it changes nothing."""

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QKeyEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from desktop_app.core.storage.photo_files import display_path
from desktop_app.gui.screen_fit import fit_window
from desktop_app.gui.widgets import HINT_STYLE, STRETCH, row_of, wrapped_label


@dataclass(frozen=True)
class ViewedPhoto:
    sha256: str
    caption: str
    original_name: str = ""


def photo_file(ws, sha256: str) -> Path:
    """The display copy when it was made, else the original."""
    display = display_path(ws.root, sha256)
    return display if display.is_file() else ws.attachment_path(sha256)


def read_photo(path: Path) -> QImage:
    reader = QImageReader(str(path))
    reader.setDecideFormatFromContent(True)
    reader.setAutoTransform(True)
    return reader.read()


class PhotoViewer(QDialog):
    def __init__(self, ws, photos: list[ViewedPhoto], index: int = 0, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws, self.photos = ws, list(photos)
        self.index = max(0, min(index, len(self.photos) - 1))
        self.image = QImage()
        self.setWindowTitle("查看照片")
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.picture.setMinimumSize(320, 240)
        self.picture.setStyleSheet("background: #1c1c1c; color: #eeeeee;")
        self.caption = wrapped_label()
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setStyleSheet("font-size: 15px;")
        self.position = QLabel()
        self.position.setStyleSheet(HINT_STYLE)
        self.previous_button = QPushButton("← 上一张")
        self.next_button = QPushButton("下一张 →")
        self.close_button = QPushButton("关闭")
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.caption)
        layout.addLayout(row_of(self.position, STRETCH, self.previous_button, self.next_button, self.close_button))
        self.previous_button.clicked.connect(lambda: self.go(-1))
        self.next_button.clicked.connect(lambda: self.go(1))
        self.close_button.clicked.connect(self.accept)
        fit_window(self, 1100, 800, key="photo-viewer")
        self.show_current()

    def go(self, step: int) -> None:
        target = self.index + step
        if 0 <= target < len(self.photos):
            self.index = target
            self.show_current()

    def current(self) -> ViewedPhoto | None:
        return self.photos[self.index] if self.photos else None

    def show_current(self) -> None:
        photo = self.current()
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(self.photos) - 1)
        if photo is None:
            self.image = QImage()
            self.picture.setText("没有照片。")
            return
        self.caption.setText(photo.caption or "（这张照片还没有说明）")
        name = f" · {photo.original_name}" if photo.original_name else ""
        self.position.setText(f"第 {self.index + 1} / {len(self.photos)} 张{name}")
        path = photo_file(self.ws, photo.sha256)
        self.image = read_photo(path) if path.is_file() else QImage()
        if self.image.isNull():
            self.picture.setPixmap(QPixmap())
            self.picture.setText("这张照片的文件读不出来（可能被移动或损坏）。请在“设置 › 数据校验”里查看详情。")
        self._fit()

    def _fit(self) -> None:
        if self.image.isNull():
            return
        box = self.picture.size().boundedTo(self.image.size()) if self.picture.width() > 0 else QSize(800, 600)
        self.picture.setPixmap(QPixmap.fromImage(self.image.scaled(
            box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Left, Qt.Key.Key_PageUp):
            self.go(-1)
        elif event.key() in (Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space):
            self.go(1)
        else:
            super().keyPressEvent(event)

"""The activity editor's photos panel: the strip of the activity's photos, 添加照片… and 添加整个文件夹…,
the caption and 用于公示 of the selected photo, reordering and removing. Unlike the form's fields, each
photo change is its own operation and is saved at once (a removal is undone from the activities page);
`import_report` says in words what an import added and what it did not."""

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.changes import ACTIVITIES
from desktop_app.core.errors import Cancelled, UserError
from desktop_app.core.services import photos as photo_service
from desktop_app.core.services.photos import PhotoImport
from desktop_app.gui import prompts, undo
from desktop_app.gui.context import AppContext
from desktop_app.gui.photo_gallery import PhotoGalleryModel
from desktop_app.gui.photo_strip import PhotoStrip
from desktop_app.gui.photo_viewer import PhotoViewer, ViewedPhoto
from desktop_app.gui.thumbnails import ThumbnailLoader
from desktop_app.gui.widgets import HINT_STYLE, section_title

PHOTO_HINT = ("可以一次选多张照片，也可以把照片或整个文件夹从“文件管理器”拖到上面的照片栏；拖动照片可调整顺序。"
              "照片的添加、说明、顺序和删除会立即保存。")
UNSAVED_PHOTO_HINT = "照片要添加到已保存的活动上：点“添加照片…”时会先保存这个活动（保存后窗口不关闭）。"
REPORT_LIMIT = 12  # files listed per kind in the import summary


def import_report(result: PhotoImport, limit: int = REPORT_LIMIT) -> str:
    """What an import did, in words: the summary line, then each file not added and why."""
    lines = [result.summary()]
    for title, items in (("无法添加：", result.refused), ("重复，未再添加：", result.duplicates),
                         ("已添加，但这些照片也用在：", result.also_elsewhere)):
        if items:
            lines += ["", title] + [f"· {name}：{why}" for name, why in items[:limit]]
            if len(items) > limit:
                lines.append(f"……另有 {len(items) - limit} 个文件")
    return "\n".join(lines)


class ActivityPhotos(QWidget):
    """The editor's photos: the strip (drop files or folders on it, drag to reorder, Delete to remove),
    添加照片… / 添加整个文件夹…, and the caption and 用于公示 of the selected photo. Each change is its own
    operation, saved at once. Photos belong to a saved activity: before the first save, adding asks
    `save_first(again)` to save the form and then run `again`."""

    message = Signal(str, bool)  # text, is an error

    def __init__(self, ctx: AppContext, *, save_first, loader: ThumbnailLoader | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self._save_first = ctx, save_first
        self.activity_id: str | None = None
        self._closed = False
        self._build(loader)
        ctx.runner.changed.connect(self._on_changed)

    def set_activity(self, activity_id: str | None) -> None:
        self.activity_id = activity_id
        self._show_photos()

    def _say(self, text: str, *, error: bool) -> None:
        self.message.emit(text, error)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.caption and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self._save_caption()
            return True
        return super().eventFilter(watched, event)

    def _build(self, loader: ThumbnailLoader | None) -> None:
        self.photo_model = PhotoGalleryModel(self.ctx.ws, loader=loader, parent=self)
        self.strip = PhotoStrip()
        self.strip.setModel(self.photo_model)
        self.photo_count = QLabel("")
        self.photo_count.setStyleSheet(HINT_STYLE)
        self.add_photos_button = QPushButton("添加照片…")
        self.add_folder_button = QPushButton("添加整个文件夹…")
        self.remove_photo_button = QPushButton("删除这张照片")
        self.caption = QLineEdit()
        self.caption.setPlaceholderText("选中一张照片后在这里写说明，如“八台慈善音乐会现场”（公示中印在照片下）")
        self.in_notice = QCheckBox("用于公示")
        self.in_notice.setToolTip("勾选的照片会印在经费使用情况公示里。")
        self.photo_hint = QLabel("")
        self.photo_hint.setWordWrap(True)
        self.photo_hint.setStyleSheet(HINT_STYLE)
        top = QHBoxLayout()
        top.addWidget(section_title("活动照片"))
        top.addWidget(self.photo_count)
        top.addStretch()
        top.addWidget(self.add_photos_button)
        top.addWidget(self.add_folder_button)
        caption = QHBoxLayout()
        caption.addWidget(QLabel("照片说明"))
        caption.addWidget(self.caption, 1)
        caption.addWidget(self.in_notice)
        caption.addWidget(self.remove_photo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.strip)
        layout.addLayout(caption)
        layout.addWidget(self.photo_hint)
        self.add_photos_button.clicked.connect(self.pick_photos)
        self.add_folder_button.clicked.connect(self.pick_folder)
        self.remove_photo_button.clicked.connect(lambda: self.remove_photo(self.strip.current_photo_id()))
        self.strip.files_dropped.connect(self.import_photos)
        self.strip.reordered.connect(self.reorder_photos)
        self.strip.remove_requested.connect(self.remove_photo)
        self.strip.photo_activated.connect(self.view_photo)  # double-click or Enter: full size with its caption
        self.strip.selectionModel().currentChanged.connect(lambda _current, _previous: self._photo_selected())
        self.caption.editingFinished.connect(self._save_caption)
        self.caption.installEventFilter(self)  # Enter confirms the caption; it must not save and close the form
        self.in_notice.clicked.connect(self._save_in_notice)

    def _on_changed(self, changes) -> None:
        if changes.touches("activities") and not self._closed and self.activity_id:
            self._show_photos()

    def _show_photos(self) -> None:
        """(Re)read the strip, keeping the selected photo."""
        if self._closed:
            return
        current = self.strip.current_photo_id()
        if self.activity_id and self.photo_model.scope is not None:
            self.photo_model.refresh()
        else:
            self.photo_model.set_scope(activity_id=self.activity_id)
        count = self.photo_model.rowCount()
        self.photo_count.setText(f"（{count} 张）" if count else "")
        if self.activity_id:
            self.photo_hint.setText(PHOTO_HINT if count else "还没有照片。" + PHOTO_HINT)
        else:
            self.photo_hint.setText(UNSAVED_PHOTO_HINT)
        row = self.photo_model.row_of(current) if current else None
        if row is not None:
            self.strip.setCurrentIndex(self.photo_model.index(row))
        self._photo_selected()

    def view_photo(self, photo_id: str) -> PhotoViewer:
        """The activity's photos full size with their captions, starting at `photo_id`."""
        model = self.photo_model
        tiles = [tile for row in range(model.rowCount()) if (tile := model.tile(row)) is not None]
        start = next((i for i, tile in enumerate(tiles) if tile.id == photo_id), 0)
        self.viewer = PhotoViewer(self.ctx.ws, [ViewedPhoto(t.sha256, t.caption, t.original_name) for t in tiles],
                                  start, parent=self)
        self.viewer.open()
        return self.viewer

    def _current_tile(self):
        index = self.strip.currentIndex()
        return self.photo_model.tile(index.row()) if index.isValid() else None

    def _photo_selected(self) -> None:
        tile = self._current_tile()
        for widget in (self.caption, self.in_notice, self.remove_photo_button):
            widget.setEnabled(tile is not None)
        self.caption.setText(tile.caption if tile else "")
        self.in_notice.setChecked(bool(tile and tile.in_notice))

    def pick_photos(self) -> None:
        if self._ready_for_photos(self.pick_photos):
            paths = prompts.open_photos(self, "选择活动照片（可多选）")
            if paths:
                self.import_photos(paths)

    def pick_folder(self) -> None:
        if self._ready_for_photos(self.pick_folder):
            folder = prompts.choose_folder(self, "选择照片所在的文件夹（添加其中所有照片）")
            if folder is not None:
                self.import_photos([folder])

    def _ready_for_photos(self, again) -> bool:
        """True when the activity is saved; else offer to save it first and then do `again`."""
        if self.activity_id:
            return True
        if prompts.confirm(self, "先保存活动", "照片要添加到已保存的活动上。\n\n现在先保存这个活动（窗口不关闭），"
                           "然后选择照片吗？"):
            self._save_first(again)
        return False

    def import_photos(self, paths: list) -> None:
        """Add files (and whole folders) in the worker, with progress and 取消; then say what happened."""
        if not paths or not self._ready_for_photos(lambda: self.import_photos(paths)):
            return
        ws, activity_id = self.ctx.ws, self.activity_id

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Cancelled):
                self._say("已取消添加照片，这一批照片都没有添加。", error=False)
            elif isinstance(exc, UserError):
                self._say(str(exc), error=True)

        count = "文件夹里的" if any(p.is_dir() for p in paths) else f" {len(paths)} 张"
        self.ctx.runner.run(lambda progress: photo_service.add_photos(ws, paths, activity_id=activity_id, progress=progress),
                            self._photos_imported, failed, changes=ACTIVITIES,
                            progress_title=f"正在添加{count}照片…", cancellable=True, parent=self.window())

    def _photos_imported(self, result: PhotoImport) -> None:
        if self._closed:
            return
        if result.added:
            self.strip.setCurrentIndex(self.photo_model.index(self.photo_model.rowCount() - 1))
            self.strip.scrollToBottom()
        if result.refused or result.duplicates or result.also_elsewhere:
            prompts.show_info(self, import_report(result), "照片添加结果")
        self._say(result.summary(), error=not result.added)

    def _photo_op(self, fn, done_text: str = "") -> None:
        def done(_result) -> None:
            if done_text and not self._closed:
                self._say(done_text, error=False)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError) and not self._closed:
                self._say(str(exc), error=True)
                self._show_photos()  # back to what is stored

        ws = self.ctx.ws
        self.ctx.runner.run(lambda: fn(ws), done, failed, changes=ACTIVITIES)

    def _save_caption(self) -> None:
        tile = self._current_tile()
        if tile is None or self.caption.text().strip() == tile.caption:
            return
        text, photo_id = self.caption.text().strip(), tile.id
        self._photo_op(lambda ws: photo_service.update_photo(ws, photo_id, caption=text), "已保存照片说明。")

    def _save_in_notice(self) -> None:
        tile = self._current_tile()
        if tile is None:
            return
        on, photo_id = self.in_notice.isChecked(), tile.id
        self._photo_op(lambda ws: photo_service.update_photo(ws, photo_id, in_notice=on),
                       "这张照片将用于公示。" if on else "这张照片不再用于公示。")

    def reorder_photos(self, photo_ids: list[str]) -> None:
        self._photo_op(lambda ws: photo_service.reorder_photos(ws, photo_ids))

    def remove_photo(self, photo_id: str | None) -> None:
        tile = self._current_tile()
        if not photo_id or tile is None or tile.id != photo_id:
            return
        name = tile.caption or "所选照片"
        if not prompts.confirm(self, "删除照片", f"从这个活动中删除“{name}”吗？\n\n照片的原始文件仍保存在台账里，"
                               "关闭此窗口后可以在“活动记录”页点“撤销”恢复。"):
            return
        ctx = self.ctx

        def step(_result) -> None:
            ctx.undo.push(undo.DraftStep(ctx, f"删除照片“{name}”", lambda ws: photo_service.remove_photo(ws, photo_id),
                                         lambda ws: photo_service.restore_photo(ws, photo_id), ACTIVITIES))
            if not self._closed:
                self._say(f"已删除照片“{name}”。", error=False)

        ws = ctx.ws
        ctx.runner.run(lambda: photo_service.remove_photo(ws, photo_id), step,
                       lambda exc: self._say(str(exc), error=True), changes=ACTIVITIES)

    def close_model(self) -> None:
        """Before the editor closes: save a caption typed but not confirmed, stop the strip's reader (and
        its own thumbnail loader)."""
        if not self._closed:
            self._save_caption()
            self._closed = True
            self.photo_model.close()

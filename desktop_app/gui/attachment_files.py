"""An entry's attachments in the GUI: the list (name, size, date), a preview of an image or of a PDF's first
page, and 打开 in the system's viewer.

The stored file is content-addressed (attachments/ab/<sha256>, no name, no extension) and must never be
changed: 打开 copies it into a fresh temporary folder under its original name, read-only, and opens the
copy — the viewer shows the right name and an edit there cannot touch the store.
"""

import re
import shutil
import stat
import tempfile
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QImageReader, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem

from desktop_app.core.errors import UserError
from desktop_app.core.queries.entry_detail import AttachedFile
from desktop_app.core.storage import files
from desktop_app.gui import pdf_preview

PREVIEW_BOX = QSize(360, 360)
MAX_NAME, MAX_NAME_BYTES = 80, 200  # a temporary copy's name: deep inside %TEMP%, under every path limit
VIEWER_SUFFIXES = files.IMAGE_SUFFIXES | {".pdf", ".ofd"}
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
MISSING = ("附件文件“{name}”在工作区的 attachments 文件夹里找不到了（可能被误删或移动）。"
           "请从最近的备份恢复，或在“设置 › 数据校验”里查看详情。")


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def local_time(utc_iso: str | None) -> str:
    """“2024-05-20 14:03” in local time from a stored UTC time; "" when there is none."""
    if not utc_iso:
        return ""
    try:
        moment = datetime.fromisoformat(utc_iso.replace("Z", "+00:00"))
    except ValueError:
        return utc_iso
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def safe_name(name: str, fallback: str = "附件") -> str:
    """The original name as a file name this system accepts (no folders, no reserved characters), shortened
    to MAX_NAME characters and MAX_NAME_BYTES UTF-8 bytes with its extension kept: a 250-character name in
    the temporary folder would pass Windows' 260-character path limit (and Linux's 255 bytes a name)."""
    cleaned = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip(" .") or fallback
    suffix = Path(cleaned).suffix if len(Path(cleaned).suffix) <= 8 else ""
    stem = cleaned.removesuffix(suffix) if suffix else cleaned
    while len(stem + suffix) > MAX_NAME or len((stem + suffix).encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return (stem.rstrip(" .") or fallback) + suffix


def viewer_suffix(path: Path, head: bytes) -> str:
    """The extension a viewer needs for a stored file named without a known one (“发票”, “scan.dat”): by its
    content, ".jpg", ".png", ".pdf" …; "" when the content is not a voucher."""
    image = bytes(QImageReader.imageFormat(str(path)).data()).decode("ascii", "replace")
    if image:
        return "." + {"jpeg": "jpg", "tiff": "tif"}.get(image, image)
    family = files.voucher_family(path, head)
    return {"image": ".jpg", "pdf": ".pdf", "ofd": ".ofd"}.get(family or "", "")


def stored_path(ws, sha256: str, name: str) -> Path:
    path = ws.attachment_path(sha256)
    if not path.is_file():
        raise UserError(MISSING.format(name=name), technical=f"应在的位置：{path}")
    return path


def temporary_copy(ws, file: AttachedFile) -> Path:
    """A read-only copy of an attachment under its original name, in a new temporary folder."""
    source = stored_path(ws, file.sha256, file.name)
    folder = Path(tempfile.mkdtemp(prefix="charity-attachment-"))
    name = safe_name(file.name, f"附件-{file.sha256[:8]}")
    if Path(name).suffix.lower() not in VIEWER_SUFFIXES:  # without one, the system knows no program to open it
        with open(source, "rb") as handle:
            name += viewer_suffix(source, handle.read(files.HEAD_BYTES))
    target = folder / name
    shutil.copyfile(source, target)
    target.chmod(stat.S_IREAD)
    return target


def open_attachment(ws, file: AttachedFile) -> Path:
    """Open a temporary copy of the attachment in the system's viewer. UserError when it cannot be opened."""
    copy = temporary_copy(ws, file)
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy))):
        raise UserError(f"没有找到能打开“{copy.name}”的程序。请在电脑上装一个看图或 PDF 程序；"
                        "也可以在文件管理器里打开这个副本（位置见“详细信息”）。", technical=f"副本的位置：{copy}")
    return copy


def is_pdf(path: Path, name: str = "") -> bool:
    if name.lower().endswith(".pdf"):
        return True
    with open(path, "rb") as handle:
        return handle.read(5) == b"%PDF-"


def preview_image(path: Path, name: str, box: QSize = PREVIEW_BOX) -> QImage | None:
    """The picture of an image file, or of a PDF's first page, fitted into `box`; None when it is neither."""
    if is_pdf(path, name):
        classes = pdf_preview.qtpdf()
        if classes is None:
            return None
        try:
            document = pdf_preview.open_document(path)
        except UserError:
            return None
        try:
            page = document.pagePointSize(0)
            size = page.toSize().scaled(box, Qt.AspectRatioMode.KeepAspectRatio) if page.isValid() else box
            image = document.render(0, size)
            return None if image.isNull() else image
        finally:
            document.close()
    reader = QImageReader(str(path))
    reader.setDecideFormatFromContent(True)
    reader.setAutoTransform(True)
    if not reader.canRead():
        return None
    full = reader.size()
    if full.isValid() and (full.width() > box.width() or full.height() > box.height()):
        reader.setScaledSize(full.scaled(box, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image


def show_preview(label: QLabel, ws, file: AttachedFile | None) -> None:
    """Put the preview of `file` (or a word on why there is none) into `label`."""
    label.setPixmap(QPixmap())
    if file is None:
        label.setText("选中一个附件可在这里预览。")
        return
    try:
        path = stored_path(ws, file.sha256, file.name)
        image = preview_image(path, file.name)
    except (UserError, OSError) as exc:
        label.setText(str(exc) if isinstance(exc, UserError) else f"无法读取附件“{file.name}”。")
        return
    if image is None:
        label.setText(f"“{file.name}”不是图片或 PDF，不能在这里预览。点“打开”用系统的程序查看。")
        return
    label.setPixmap(QPixmap.fromImage(image))


class AttachmentTable(QTableWidget):
    """The attachments of an entry: 名称, 大小, 添加时间 (one row each, the whole row selected)."""

    def __init__(self, parent=None):
        super().__init__(0, 3, parent)
        self.files: list[AttachedFile] = []
        self.setHorizontalHeaderLabels(["名称", "大小", "添加时间"])
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

    def set_files(self, files: list[AttachedFile]) -> None:
        self.files = list(files)
        self.setRowCount(len(self.files))
        for row, file in enumerate(self.files):
            for column, text in enumerate((file.name, size_text(file.size), local_time(file.added_at))):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, column, item)
        if self.files:
            self.selectRow(0)

    def current_file(self) -> AttachedFile | None:
        rows = self.selectionModel().selectedRows()
        return self.files[rows[0].row()] if rows else None

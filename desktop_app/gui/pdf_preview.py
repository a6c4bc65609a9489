"""PDF inside the app: the preview pane (QtPdf) and printing a PDF on the system's printer.

QtPdf is imported lazily: it lives in PySide6-Addons up to 6.11 and in the PySide6-Pdf wheel from 6.12,
and an install without it must still run (the preview then says so, and 导出 PDF still works).

Printing renders each page with QtPdf into an image and paints it, scaled to the paper, on the
printer. It runs in the worker (QPainter may paint on a QPrinter in another thread; the worker makes
its own QPdfDocument), so a long notice never freezes the window and 取消 stops it between pages.
"""

import shutil
import tempfile
from collections.abc import Callable
from functools import cache
from itertools import count
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from desktop_app.core.errors import UserError

QTPDF_MISSING = ("这台电脑上的程序缺少 PDF 预览组件（QtPdf），无法在窗口里预览。"
                 "公示照常可以导出：点“导出 PDF…”保存后，用 WPS 或其他 PDF 阅读器打开查看和打印。")
NO_PRINTER = ("本机没有安装打印机。可以点“导出 PDF…”把公示保存下来，用 U 盘拷到有打印机的电脑上打印"
              "（用 WPS 或任何 PDF 阅读器打开，选 A4 纸、实际大小）。")
PRINT_DPI = 300  # pages are rendered at most this fine: enough for 三号 text and photos, A4 ≈ 35 MB a page


@cache
def qtpdf():
    """(QPdfDocument, QPdfView), or None when this PySide6 has no QtPdf."""
    try:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView
    except ImportError:
        return None
    return QPdfDocument, QPdfView


def open_document(path: Path, parent=None):
    """A loaded QPdfDocument; UserError when the file cannot be read as a PDF (or QtPdf is missing)."""
    classes = qtpdf()
    if classes is None:
        raise UserError(QTPDF_MISSING)
    document = classes[0](parent)
    error = document.load(str(path))
    if error != classes[0].Error.None_ or document.pageCount() < 1:
        document.close()
        raise UserError(f"无法打开 PDF 文件“{Path(path).name}”（{error.name}）。文件可能已损坏或被移走，请重新导出。")
    return document


def page_count(path: Path) -> int:
    document = open_document(path)
    try:
        return document.pageCount()
    finally:
        document.close()


class PdfPreview(QWidget):
    """A PDF shown page after page, fitted to the width; or a message in its place."""

    def __init__(self, parent: QWidget | None = None, placeholder: str = ""):
        super().__init__(parent)
        self.path: Path | None = None
        self.document = None
        self.placeholder = placeholder
        self.message = QLabel(placeholder)
        self.message.setObjectName("note")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setMargin(24)
        self.info = QLabel("")
        self.info.setObjectName("note")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.view = None
        classes = qtpdf()
        if classes is not None:
            document_class, view_class = classes
            self.document = document_class(self)
            self.view = view_class()
            self.view.setDocument(self.document)
            self.view.setPageMode(view_class.PageMode.MultiPage)
            self.view.setZoomMode(view_class.ZoomMode.FitToWidth)
            self.view.setPageSpacing(12)
            self.view.setStyleSheet("background: #7f8c8d;")
            self.stack.addWidget(self.view)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.info, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bar)

    @property
    def available(self) -> bool:
        return self.document is not None

    def page_count(self) -> int:
        return self.document.pageCount() if self.path is not None and self.document is not None else 0

    def show_file(self, path: Path, info: str = "") -> bool:
        """Show `path`; False (and a message in its place) when it cannot be shown."""
        if self.document is None:
            self.show_message(QTPDF_MISSING)
            return False
        self.document.close()  # releases the previous file (Windows keeps open files locked)
        error = self.document.load(str(path))
        if error != type(self.document).Error.None_ or self.document.pageCount() < 1:
            self.show_message(f"无法显示“{Path(path).name}”：文件打不开（{error.name}）。请重新生成预览或重新导出。")
            return False
        self.path = Path(path)
        pages = self.document.pageCount()
        self.info.setText(f"共 {pages} 页" + (f"　{info}" if info else ""))
        self.stack.setCurrentWidget(self.view)
        self.view.pageNavigator().jump(0, QPointF(0, 0))
        return True

    def show_message(self, text: str) -> None:
        if self.document is not None:
            self.document.close()
        self.path = None
        self.info.setText("")
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def clear(self) -> None:
        self.show_message(self.placeholder)

    def release(self) -> None:
        """Close the file (before it is deleted or replaced)."""
        if self.document is not None:
            self.document.close()
        self.path = None


class ScratchFiles:
    """Temporary PDFs for the previews, in one folder removed when the page closes. Every file gets a
    new name: a file still shown is never overwritten (Windows keeps it locked)."""

    def __init__(self):
        self._folder: Path | None = None
        self._count = count(1)

    def new(self, stem: str) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="charity-notices-"))
        return self._folder / f"{stem}-{next(self._count)}.pdf"

    def cleanup(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


# ------------------------------------------------------------------ printing


def has_printer() -> bool:
    from PySide6.QtPrintSupport import QPrinterInfo

    return bool(QPrinterInfo.availablePrinters())


def a4_printer():
    """A high-resolution printer set to A4 portrait, the whole sheet addressable (the notice's own
    margins are in the PDF pages)."""
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    printer.setDocName("信息公示")
    return printer


def print_pdf(path: Path, printer, progress: Callable[[int, int], None] | None = None) -> int:
    """Print the PDF's pages (the range chosen in the print dialog, else all) on `printer`, each scaled
    to the paper and centred; returns the number of pages sent. Runs in the worker thread."""
    from PySide6.QtPrintSupport import QPrinter

    document = open_document(path)
    painter = QPainter()
    try:
        count = document.pageCount()
        first = max(printer.fromPage(), 1)
        last = min(printer.toPage() or count, count)
        if first > last:
            raise UserError(f"所选的页码范围超出了公示的页数（共 {count} 页）。请重新选择要打印的页码。")
        if not painter.begin(printer):
            raise UserError(f"无法开始打印（打印机“{printer.printerName() or printer.outputFileName()}”没有响应）。"
                            "请检查打印机是否开机、联网，或导出 PDF 后到别的电脑打印。")
        dpi = min(printer.resolution(), PRINT_DPI)
        paper = printer.paperRect(QPrinter.Unit.DevicePixel)
        for number, page in enumerate(range(first - 1, last)):
            if progress:
                progress(number, last - first + 1)  # raises Cancelled when the user pressed 取消
            if number:
                printer.newPage()
            points = document.pagePointSize(page)
            image = document.render(page, QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72)))
            scale = min(paper.width() / points.width(), paper.height() / points.height())
            width, height = points.width() * scale, points.height() * scale
            target = QRectF(paper.x() + (paper.width() - width) / 2, paper.y() + (paper.height() - height) / 2,
                            width, height)
            painter.drawImage(target, image)
        if progress:
            progress(last - first + 1, last - first + 1)
        return last - first + 1
    except BaseException:
        if painter.isActive():
            printer.abort()
        raise
    finally:
        if painter.isActive():
            painter.end()
        document.close()

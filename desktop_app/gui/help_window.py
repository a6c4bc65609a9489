"""The user guide (使用说明), offline: F1 and 帮助 › 使用说明 open it in a window of its own.

The guide is Markdown, one file per task, in `docs/user-guide/` with its screenshots in
`docs/screenshots/1366x728/` (linked as `../screenshots/1366x728/x.png`). A non-editable install carries
both to `<prefix>/share/charity-ledger/user-guide/` and `…/screenshots/1366x728/` (pyproject data-files), so
the relative links hold in a checkout and in an installed copy alike.
"""

import re
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImageReader, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QTextBrowser, QWidget

from desktop_app.gui.screen_fit import fit_window

_CHECKOUT = Path(__file__).resolve().parents[2] / "docs" / "user-guide"
_INSTALLED = Path(sys.prefix) / "share" / "charity-ledger" / "user-guide"
GUIDE_DIR = _CHECKOUT if _CHECKOUT.is_dir() else _INSTALLED
INDEX = "index.md"
TITLE = "社区慈善台账 使用说明"
IMAGE_WIDTH = 820  # screenshots (1366 px wide) are shown at most this wide, and never wider than the page


def guide_pages(folder: Path | None = None) -> list[Path]:
    """The guide's pages in reading order: the index first, then the numbered tasks (01-…, 02-…)."""
    folder = folder or GUIDE_DIR
    pages = sorted(p for p in folder.glob("*.md") if p.name != INDEX)
    index = folder / INDEX
    return ([index] if index.is_file() else []) + pages


def page_title(path: Path) -> str:
    """The first `# heading` of a page, else its file name."""
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"#\s+(.+)", line)
        if match:
            return match.group(1).strip()
    return path.stem


class HelpWindow(QWidget):
    """The guide: its tasks listed on the left, the chosen one shown on the right (with its screenshots)."""

    def __init__(self, parent: QWidget | None = None, folder: Path | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(TITLE)
        self.folder = folder or GUIDE_DIR
        self.pages = guide_pages(self.folder)
        self.toc = QListWidget()
        self.toc.setObjectName("nav")
        self.toc.setFixedWidth(220)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)  # links between pages and to the web are handled here
        self.browser.setSearchPaths([str(self.folder)])  # so ../screenshots/… images load
        self.browser.document().setDocumentMargin(16)
        self.browser.anchorClicked.connect(self._follow)
        self._viewport = self.browser.viewport()
        self._viewport.installEventFilter(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toc)
        layout.addWidget(self.browser, 1)
        for page in self.pages:
            self.toc.addItem(page_title(page))
        self.toc.currentRowChanged.connect(self._show_row)
        if self.pages:
            self.toc.setCurrentRow(0)
        else:
            self.browser.setMarkdown(f"# {TITLE}\n\n找不到使用说明文件（应在 {self.folder}）。请重新安装本程序。")
        fit_window(self, 1100, 800, key="help")

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self.pages):
            path = self.pages[row]
            self.browser.setMarkdown(path.read_text(encoding="utf-8"))
            self._fit_images()
            self.browser.verticalScrollBar().setValue(0)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize and watched is self._viewport:
            self._fit_images()  # the page got wider or narrower (the window resized, a scroll bar came or went)
        return super().eventFilter(watched, event)

    def _fit_images(self) -> None:
        """Scale each screenshot down to the page's width, at most IMAGE_WIDTH (Markdown has no width
        attribute), so the page never needs sideways scrolling."""
        document = self.browser.document()
        room = self.browser.viewport().width() - 2 * int(document.documentMargin()) - 16
        widest = max(240, min(IMAGE_WIDTH, room))
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    image = fmt.toImageFormat()
                    size = QImageReader(str(self.folder / image.name())).size()
                    if size.isValid():
                        width = min(size.width(), widest)
                        image.setWidth(width)
                        image.setHeight(size.height() * width / size.width())
                        cursor = QTextCursor(document)
                        cursor.setPosition(fragment.position())
                        cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                        cursor.setCharFormat(image)
                it += 1
            block = block.next()

    def show_page(self, name: str) -> None:
        """Show the page whose file is `name` (e.g. "03-expense.md")."""
        for row, path in enumerate(self.pages):
            if path.name == name:
                self.toc.setCurrentRow(row)
                return

    def current_text(self) -> str:
        return self.browser.toPlainText()

    def _follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        name = Path(url.path()).name
        if name.endswith(".md"):
            self.show_page(name)


def open_help(parent: QWidget, page: str | None = None) -> HelpWindow:
    """Show the guide (one window per main window: raised again when already open)."""
    window = getattr(parent, "guide_window", None)
    if not isinstance(window, HelpWindow):
        window = HelpWindow(parent)
        parent.guide_window = window
    if page:
        window.show_page(page)
    window.show()
    window.raise_()
    window.activateWindow()
    return window

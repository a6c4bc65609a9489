"""The attachments a draft already has, in the entry dialog: listed (name, size, date), opened in the system's
viewer (a read-only temporary copy), and removed — at once, through `ledger.remove_draft_attachment`
(a posted entry's attachments are part of its voucher and stay)."""

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.changes import LEDGER
from desktop_app.core.errors import UserError
from desktop_app.core.queries.entry_detail import AttachedFile, entry_attachments
from desktop_app.core.services import ledger
from desktop_app.gui import prompts
from desktop_app.gui.attachment_files import AttachmentTable, open_attachment
from desktop_app.gui.screen_fit import grow_within
from desktop_app.gui.widgets import HINT_STYLE, STRETCH, fill, row_of


def load_attachments(ws, entry_id: str) -> list[AttachedFile]:
    with ws.reading() as session:
        return entry_attachments(session, entry_id)


class DraftAttachments(QWidget):
    """The saved attachments of the draft `entry_id` (hidden while there are none). `message(text, error)`
    reports what happened, for the dialog's message line."""

    message = Signal(str, bool)

    def __init__(self, ctx, entry_id: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.entry_id = ctx, entry_id
        self._grown = False
        self.title = QLabel("")
        self.title.setStyleSheet(HINT_STYLE)
        self.table = AttachmentTable()
        self.table.setMaximumHeight(110)
        self.open_button = QPushButton("打开")
        self.open_button.setToolTip("用电脑上的看图或 PDF 程序打开这个附件（打开的是一份只读副本）。")
        self.remove_button = QPushButton("移除这个附件")
        self.remove_button.setToolTip("从这条草稿上移除所选附件（立即保存）。已记账的分录不能移除附件。")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(row_of((self.table, 1), fill(QVBoxLayout(), self.open_button, self.remove_button, STRETCH)))
        self.open_button.clicked.connect(self.open_current)
        self.remove_button.clicked.connect(self.remove_current)
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        self.set_files([])

    def load(self) -> None:
        if self.entry_id is None:
            return
        ws, entry_id = self.ctx.ws, self.entry_id
        self.ctx.runner.query(lambda: load_attachments(ws, entry_id), self.set_files)

    def set_files(self, files: list[AttachedFile]) -> None:
        self.table.set_files(files)
        self.title.setText(f"这条草稿已保存的附件（{len(files)} 个；新添加的附件会一并保存）：")
        self.setVisible(bool(files))
        if files and not self._grown and self.window() is not self:
            self._grown = True  # the list in view where there is room: the window grows by its height, once
            window, extra = self.window(), self.sizeHint().height()
            QTimer.singleShot(0, window, lambda: grow_within(window, window.height() + extra))

    def open_current(self) -> None:
        file = self.table.current_file()
        if file is None:
            return
        try:
            open_attachment(self.ctx.ws, file)
        except (UserError, OSError) as exc:
            self.message.emit(str(exc) if isinstance(exc, UserError) else f"无法打开附件“{file.name}”。", True)

    def remove_current(self) -> None:
        file = self.table.current_file()
        if file is None or self.entry_id is None:
            return
        if not prompts.confirm(self, "移除附件", f"从这条草稿上移除附件“{file.name}”？\n移除后立即保存；"
                               "如需要，可以再用“添加附件…”重新附上。"):
            return
        ws, entry_id = self.ctx.ws, self.entry_id

        def done(name: str) -> None:
            self.message.emit(f"已移除附件“{name or file.name}”。", False)
            self.load()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                self.message.emit(str(exc), True)
            self.load()

        self.ctx.runner.run(lambda: ledger.remove_draft_attachment(ws, entry_id, file.link_id), done, failed,
                            changes=LEDGER)

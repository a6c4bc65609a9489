"""Two parts of the notice builder's left column, each a small widget that shows one thing: the drafts
that stand in the way of a notice (with the two ways on) and the names and numbers the notice masked."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.notices.request import DraftLine
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import ERROR_STYLE, HINT_STYLE, table


class DraftsBox(QWidget):
    """公示期间还有未记账的草稿: the drafts listed, with 全部记账后生成 and 不计入草稿 (hidden until needed)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel("")
        self.title.setWordWrap(True)
        self.title.setStyleSheet(ERROR_STYLE)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setMaximumHeight(130)
        self.post_button = QPushButton("全部记账后生成")
        self.post_button.setToolTip("把这些草稿逐笔记账（和在“收支台账”点记账一样），再生成公示。")
        self.skip_button = QPushButton("不计入草稿")
        self.skip_button.setToolTip("公示只列已记账的收支，并注明另有几笔草稿未列入。")
        row = QHBoxLayout()
        row.addWidget(self.post_button)
        row.addWidget(self.skip_button)
        row.addStretch()
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self.hide()

    def show_drafts(self, drafts: list[DraftLine], failures: list[str]) -> None:
        """The drafts in the period; or, after 全部记账 left some unposted, why each of those was refused."""
        text = f"公示期间还有 {len(drafts)} 笔草稿没有记账，公示的数字会不完整。请选择："
        if failures:
            text = (f"有 {len(failures)} 笔草稿没能记账（见下），请到“收支台账”补齐后再记账，"
                    "或选择不计入草稿。")
        self.title.setText(text)
        self.list.clear()
        self.list.addItems(failures or [d.describe() for d in drafts])
        for i in range(self.list.count()):
            self.list.item(i).setToolTip(self.list.item(i).text())
        self.show()


def masked_rows(masked: list) -> list[tuple[str, str, str]]:
    return [(m.original, m.shown, m.reason) for m in masked]


class MaskedList(QWidget):
    """打码的姓名和号码: what the notice masked or replaced, and why (the originals are only shown here)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel("")
        self.title.setWordWrap(True)
        self.model = RowsModel(["原来的姓名或号码", "公示中显示为", "原因"])
        self.view = table(self.model, stretch=2)
        self.view.setToolTip("这些原名只在本机显示，不会印在公示上。")
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.title)
        column.addWidget(self.view, 1)

    def show_masked(self, masked: list, *, built: bool) -> None:
        """`masked` of the notice built last (`built`: whether one was built yet)."""
        self.model.set_rows(masked_rows(masked))
        if not built:
            self.title.setText("生成预览后，这里列出公示中被打码或替换的姓名和号码及原因。")
        elif masked:
            self.title.setText(f"以下 {len(masked)} 处姓名或号码已打码或替换（原名只在本机显示，不会印在公示上）：")
        else:
            self.title.setText("这份公示没有需要打码的姓名或号码。")
        self.title.setStyleSheet(HINT_STYLE)

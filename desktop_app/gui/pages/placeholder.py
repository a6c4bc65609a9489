"""Pages that come in a later version: say what they will do, so nobody looks for it in vain."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop_app.gui.widgets import heading, note

COMING = {
    "需求调查": "需求调查将在下一版本提供：录入纸质问卷、导入问卷星和腾讯问卷的导出文件，"
            "统计有效问卷并按需求排序（如 亲子教育、养老服务、就业、环境卫生）。",
    "数据同步": "数据同步将在下一版本提供：生成签名的增量数据包，用 U 盘、共享文件夹或微信带给县慈善会；"
            "县慈善会用同一程序的县级模式查看各乡镇的数据。",
}


class PlaceholderPage(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        layout = QVBoxLayout(self)
        self.message = note(COMING[title])
        layout.addWidget(heading(title))
        layout.addWidget(self.message)
        layout.addStretch()
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)

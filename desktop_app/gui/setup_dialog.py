"""First start in a new workspace: who this office is (the same questions as `init`)."""

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from desktop_app.core.errors import UserError
from desktop_app.core.services import office
from desktop_app.core.storage.workspace import Workspace
from desktop_app.core.validation import text_notices
from desktop_app.gui import prompts
from desktop_app.gui.screen_fit import fit_window
from desktop_app.gui.widgets import ERROR_STYLE, AsksBeforeClosing, form_rows, note, wrapped_label


class SetupDialog(AsksBeforeClosing, QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("新建工作区 — 填写本单位信息")
        self.name = QLineEdit()
        self.name.setPlaceholderText("如“八台镇社工站”")
        self.division_code = QLineEdit()
        self.division_code.setMaxLength(12)
        self.division_code.setPlaceholderText("12 位统计用区划代码，乡镇的末 3 位为 000")
        self.code_year = QSpinBox()
        self.code_year.setRange(2009, 2100)
        self.code_year.setValue(2024)
        self.level = QComboBox()
        self.level.addItem("按区划代码自动判断", None)
        for level in office.LEVELS:
            self.level.addItem(level, level)
        self.association = QLineEdit()
        self.association.setPlaceholderText("如“万源市慈善会”")
        self.message = wrapped_label("", ERROR_STYLE)
        form = form_rows(QFormLayout(self), note(f"工作区：{ws.root}\n这些信息用于标识本单位的数据，以后可在“设置 › 本单位”修改。"),
                         ("本单位名称", self.name), ("统计用区划代码", self.division_code), ("区划代码表年份", self.code_year),
                         ("单位层级", self.level), ("所属慈善会", self.association), self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        fit_window(self, 560)
        self.mark_clean()  # closing asks only once something was typed

    def save(self) -> None:
        # before the window exists, so not through its worker (whose status bar says these notices)
        try:
            with text_notices() as cleaned:
                office.init_office(self.ws, name=self.name.text(), division_code=self.division_code.text(),
                                   association=self.association.text(), level=self.level.currentData(),
                                   code_year=self.code_year.value())
        except UserError as exc:
            self.message.setText(str(exc))
            return
        if cleaned:
            prompts.show_info(self, "\n".join(cleaned), "已删去不可见字符")
        self.accept()

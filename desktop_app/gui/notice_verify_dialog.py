"""核验结果: what verifying a notice found (its code typed in, or its PDF chosen), shown in a dialog."""

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout, QWidget

from desktop_app.core.notices import lookup as notice_lookup
from desktop_app.core.notices import verify as notice_verify
from desktop_app.gui.screen_fit import fit_window, scrolled
from desktop_app.gui.widgets import heading, note


class VerifyDialog(QDialog):
    """What 核验 found: 数据未变, or every change since the notice was exported or published."""

    def __init__(self, result: notice_verify.VerifyResult, parent: QWidget | None = None):
        super().__init__(parent)
        self.result = result
        self.setWindowTitle("核验结果")
        n = result.notice
        self.summary = QLabel(result.summary)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(("color: #1e8449;" if result.ok else "color: #c0392b;") + " font-weight: bold;")
        what = note(f"《{n.title}》　{notice_lookup.template_label(n.template)}　期间 {n.date_from} 至 {n.date_to}　"
                    f"核验码 {n.verification_code}"
                    + (f"　编号 {n.number}，{n.published_on} 发布" if n.status == "published" else "　（草稿）"))
        self.changes = QListWidget()
        self.changes.setWordWrap(True)
        self.changes.addItems(result.changes)
        self.notes = note("\n".join(result.notes))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(what)
        if result.changes:
            layout.addWidget(heading("变化明细"))
            layout.addWidget(self.changes, 1)
            layout.addWidget(note("如数据是在程序之外被改动的，请从改动之前的备份恢复（设置 › 备份）；"
                                  "如公示本身有误，请选中它点“更正说明…”。"))
        else:
            self.changes.hide()
        if result.notes:
            layout.addWidget(scrolled(self.notes, margins=None), 0 if result.changes else 1)  # many notes scroll
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_window(self, 720, 460 if result.changes else 0, key="verify" if result.changes else None)

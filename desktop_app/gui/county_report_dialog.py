"""生成进展报告…: the period of the county's progress report (seed 003) — the half-years ending in June and
November as quick choices, or any dates — and whether to save it as Excel or PDF."""

import re
from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.exports.county_report import half_years, period_label
from desktop_app.gui.screen_fit import fit_window
from desktop_app.gui.widgets import date_edit, pydate, qdate

CUSTOM = "自定义期间"


@dataclass(frozen=True)
class ReportChoice:
    date_from: date
    date_to: date
    pdf: bool


class ReportPeriodDialog(QDialog):
    def __init__(self, parent: QWidget | None, today: date):
        super().__init__(parent)
        self.setWindowTitle("生成社区慈善工作进展情况报告")
        self.choices = half_years(today)
        layout = QVBoxLayout(self)
        intro = QLabel("按云南省社区慈善实施方案，工作进展于每年6月底、11月底前报送。请选择统计期间和文件格式：")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.period = QComboBox()
        self.period.addItems([label for label, _start, _end in self.choices] + [CUSTOM])
        start, end = (self.choices[0][1], self.choices[0][2]) if self.choices else (date(today.year, 1, 1), today)
        self.date_from = date_edit(start)
        self.date_to = date_edit(end)
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("至"))
        dates.addWidget(self.date_to)
        self.excel = QRadioButton("Excel 工作簿（.xlsx）")
        self.pdf = QRadioButton("PDF 文件（A4，可打印）")
        self.excel.setChecked(True)
        kinds = QButtonGroup(self)
        kinds.addButton(self.excel)
        kinds.addButton(self.pdf)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.excel)
        kind_row.addWidget(self.pdf)
        kind_row.addStretch()
        form = QFormLayout()
        form.addRow("统计期间", self.period)
        form.addRow("起止日期", dates)
        form.addRow("文件格式", kind_row)
        layout.addLayout(form)
        self.problem = QLabel("")
        self.problem.setObjectName("alertWarning")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("生成…")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.period.currentIndexChanged.connect(self._quick)
        self.date_from.dateChanged.connect(self._typed)
        self.date_to.dateChanged.connect(self._typed)
        self._setting = False
        fit_window(self, 480)

    def _quick(self, index: int) -> None:
        if 0 <= index < len(self.choices):
            _label, start, end = self.choices[index]
            self._setting = True
            self.date_from.setDate(qdate(start))
            self.date_to.setDate(qdate(end))
            self._setting = False

    def _typed(self) -> None:
        if self._setting:
            return
        start, end = pydate(self.date_from.date()), pydate(self.date_to.date())
        match = next((i for i, (_l, s, e) in enumerate(self.choices) if (s, e) == (start, end)), len(self.choices))
        self.period.blockSignals(True)
        self.period.setCurrentIndex(match)
        self.period.blockSignals(False)
        self.problem.setText("")

    def choice(self) -> ReportChoice:
        return ReportChoice(pydate(self.date_from.date()), pydate(self.date_to.date()), self.pdf.isChecked())

    def _accept(self) -> None:
        chosen = self.choice()
        if chosen.date_from > chosen.date_to:
            self.problem.setText("起始日期晚于截止日期。请把起始日期改到截止日期之前。")
            return
        self.accept()


def ask_report_period(parent: QWidget | None, today: date) -> ReportChoice | None:
    """The period and format of the progress report, or None when cancelled (the GUI tests patch this)."""
    dialog = ReportPeriodDialog(parent, today)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.choice()


def report_file_name(county: str, choice: ReportChoice) -> str:
    """“万源市慈善会社区慈善工作进展情况报告（2026年1月—6月）.xlsx”."""
    suffix = ".pdf" if choice.pdf else ".xlsx"
    stem = f"{county}社区慈善工作进展情况报告（{period_label(choice.date_from, choice.date_to)}）"
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", stem) + suffix  # what Windows allows in a file name

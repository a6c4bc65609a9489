"""批量录入: type in a paper list (慈善一日捐) and post it as one batch, checked against the paper's
declared count and total. A list that disagrees posts only after the user confirms it."""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.changes import LEDGER
from desktop_app.core.errors import NeedsOverride, UserError
from desktop_app.core.models import PAYMENT_METHODS
from desktop_app.core.money import format_yuan, parse_amount, to_fen
from desktop_app.core.services import ledger
from desktop_app.core.services.ledger import EntryInput
from desktop_app.gui import prompts
from desktop_app.gui.context import AppContext
from desktop_app.gui.lookups import Lookups
from desktop_app.gui.screen_fit import fit_window
from desktop_app.gui.widgets import (
    ERROR_STYLE,
    HINT_STYLE,
    OK_STYLE,
    STRETCH,
    AsksBeforeClosing,
    combo,
    date_edit,
    form_rows,
    pydate,
    read_form,
    row_of,
    wrapped_label,
)

Index = QModelIndex | QPersistentModelIndex
NAME, AMOUNT, ANONYMOUS = 0, 1, 2
RED = QColor("#c0392b")


@dataclass
class Line:
    name: str = ""
    amount: str = ""
    anonymous: bool = False

    @property
    def empty(self) -> bool:
        return not self.name.strip() and not self.amount.strip()

    def parsed(self) -> Decimal | None:
        try:
            return parse_amount(self.amount)
        except UserError:
            return None


class BatchModel(QAbstractTableModel):
    """Lines of the paper list; there is always one blank line at the end to type into."""

    HEADERS = ("捐赠人姓名（空白为匿名）", "金额（元）", "匿名")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.lines: list[Line] = [Line()]

    def filled(self) -> list[tuple[int, Line]]:
        return [(i, line) for i, line in enumerate(self.lines) if not line.empty]

    def add_line(self, name: str, amount: str, anonymous: bool = False) -> None:
        row = len(self.lines) - 1
        self.lines[row] = Line(name, amount, anonymous)
        self.dataChanged.emit(self.index(row, 0), self.index(row, 2))
        self._keep_blank_tail()

    def remove_rows(self, rows: list[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self.lines) - 1:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.lines[row]
                self.endRemoveRows()

    def _keep_blank_tail(self) -> None:
        if not self.lines[-1].empty:
            self.beginInsertRows(QModelIndex(), len(self.lines), len(self.lines))
            self.lines.append(Line())
            self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.HEADERS[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == ANONYMOUS:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line, col = self.lines[index.row()], index.column()
        if col == ANONYMOUS:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if line.anonymous or (line.amount and not line.name) else Qt.CheckState.Unchecked
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return line.name if col == NAME else line.amount
        invalid = col == AMOUNT and line.amount.strip() and line.parsed() is None
        if role == Qt.ItemDataRole.ForegroundRole and invalid:
            return RED
        if role == Qt.ItemDataRole.ToolTipRole and invalid:
            try:
                parse_amount(line.amount)
            except UserError as exc:
                return str(exc)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        line, col = self.lines[index.row()], index.column()
        if col == ANONYMOUS and role == Qt.ItemDataRole.CheckStateRole:
            line.anonymous = Qt.CheckState(value) == Qt.CheckState.Checked
        elif col in (NAME, AMOUNT) and role == Qt.ItemDataRole.EditRole:
            text = str(value or "").strip()
            if col == NAME:
                line.name = text
            else:
                line.amount = text
        else:
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 2))
        self._keep_blank_tail()
        return True


class BatchDialog(AsksBeforeClosing, QDialog):
    saved = Signal(str)

    def __init__(self, ctx: AppContext, lookups: Lookups, *, fund_id: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx, self._lookups = ctx, lookups
        self._busy = False
        self.setWindowTitle("批量录入纸质清单")
        self._build()
        if fund_id:
            index = self.fund.findData(fund_id)
            if index >= 0:
                self.fund.setCurrentIndex(index)
        self._update_totals()
        self.mark_clean()  # closing asks only once something was typed

    def typed_state(self) -> tuple:
        lines = tuple((line.name, line.amount, line.anonymous) for line in self.model.lines)
        return super().typed_state() + (lines,)  # the typed list is in the table's model

    def _build(self) -> None:
        self.fund = combo(self._lookups.funds)
        self.day = date_edit()
        self.title = QLineEdit("慈善一日捐")
        self.category = combo(self._lookups.income_categories)
        if self.category.findText("慈善一日捐") >= 0:
            self.category.setCurrentText("慈善一日捐")
        self.payment = combo(list(PAYMENT_METHODS))
        self.payment.setCurrentText("现金")
        self.declared_count = QSpinBox()
        self.declared_count.setRange(0, 100000)
        self.declared_count.setSuffix(" 笔")
        self.declared_total = QLineEdit()
        self.declared_total.setPlaceholderText("纸质清单上的合计金额，如 3,260.00")

        declared = row_of(self.declared_count, QLabel("合计金额（元）"), (self.declared_total, 1))
        form = form_rows(QFormLayout(), ("基金", self.fund), ("日期", self.day), ("清单标题（作摘要）", self.title),
                         ("收入类别", self.category), ("收款方式", self.payment), ("纸质清单笔数", declared))

        self.model = BatchModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(AMOUNT, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(AMOUNT, 160)
        header.setSectionResizeMode(ANONYMOUS, QHeaderView.ResizeMode.ResizeToContents)
        QShortcut(QKeySequence.StandardKey.Paste, self.table, activated=self.paste)

        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.message = wrapped_label("", ERROR_STYLE)
        hint = QLabel("Tab 在格子间移动；也可以从 Excel 复制“姓名、金额”两列后按 Ctrl+V 粘贴。")
        hint.setStyleSheet(HINT_STYLE)

        self.remove_button = QPushButton("删除所选行")
        self.post_button = QPushButton("记账")
        self.close_button = QPushButton("关闭")
        for button in (self.remove_button, self.post_button, self.close_button):
            button.setAutoDefault(False)  # Enter belongs to the table (commits the cell), never to a button
        buttons = row_of(self.remove_button, STRETCH, self.post_button, self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.model.dataChanged.connect(self._update_totals)
        self.model.rowsRemoved.connect(self._update_totals)
        self.declared_count.valueChanged.connect(self._update_totals)
        self.declared_total.textChanged.connect(self._update_totals)
        self.remove_button.clicked.connect(
            lambda: self.model.remove_rows([i.row() for i in self.table.selectionModel().selectedIndexes()]))
        self.post_button.clicked.connect(self.post)
        self.close_button.clicked.connect(self.reject)
        fit_window(self, 760, 640, key="batch")

    def paste(self) -> None:
        self.paste_text(QApplication.clipboard().text())

    def paste_text(self, text: str) -> None:
        """Lines of “姓名<Tab>金额” (as copied from Excel); a lone amount is an anonymous line. Cells are
        split on tabs only when there are tabs: Excel copies amounts with thousands separators (1,000.00)."""
        for raw in text.splitlines():
            if "\t" in raw:
                cells = [c.strip() for c in raw.split("\t") if c.strip()]
            else:  # typed by hand: “张三 100” or “张三，100”
                cells = [c for c in re.split(r"[\s，]+", raw.strip()) if c]
            if len(cells) == 1:
                self.model.add_line("", cells[0])
            elif len(cells) >= 2:
                self.model.add_line(cells[0], cells[1])

    def _declared_total(self) -> Decimal | None:
        try:
            return parse_amount(self.declared_total.text(), allow_zero=True)
        except UserError:
            return None

    def _update_totals(self) -> None:
        filled = self.model.filled()
        amounts = [line.parsed() for _, line in filled]
        total = sum((to_fen(a) for a in amounts if a is not None), 0)
        bad = sum(1 for a in amounts if a is None)
        text = f"已录入 {len(filled)} 笔，合计 {format_yuan(total)}"
        if bad:
            text += f"（另有 {bad} 行金额无法识别，标红的格子）"
        declared = self._declared_total()
        count = self.declared_count.value()
        if count or declared is not None:
            text += f"；纸质清单：{count} 笔，{format_yuan(to_fen(declared)) if declared is not None else '合计未填'}"
        agrees = bool(filled) and not bad and count == len(filled) and declared is not None and to_fen(declared) == total
        text += "，一致。" if agrees else ("，不一致。" if filled and (count or declared is not None) else "")
        self.totals.setText(text)
        self.totals.setStyleSheet(OK_STYLE if agrees else (ERROR_STYLE if filled else ""))

    def collect(self) -> tuple[list[EntryInput], int, Decimal]:
        if self.fund.currentData() is None:
            raise UserError("还没有社区基金。请先到“社区基金”页新增一个基金。")
        lines = []
        for row, line in self.model.filled():
            try:
                amount = parse_amount(line.amount)
            except UserError as exc:
                raise UserError(f"第 {row + 1} 行（{line.name or '匿名'}）：{exc}") from None
            anonymous = line.anonymous or not line.name
            lines.append(EntryInput(
                fund_id=self.fund.currentData(), entry_date=pydate(self.day.date()), entry_type="donation",
                amount=amount, summary=self.title.text().strip() or "批量录入", category=self.category.currentText(),
                counterparty_name=line.name, counterparty_kind="个人", anonymous=anonymous,
                payment_method=self.payment.currentText()))
        declared = self._declared_total()
        if declared is None:
            raise UserError("请填写纸质清单上的合计金额，例如 3,260.00。")
        return lines, self.declared_count.value(), declared

    def post(self) -> None:
        if self._busy:
            return
        collected = read_form(self.collect, self.message)
        if collected is None:
            return
        lines, count, total = collected
        self._submit(lines, count, total, confirm=False)

    def _submit(self, lines: list[EntryInput], count: int, total: Decimal, *, confirm: bool) -> None:
        ws, title = self._ctx.ws, self.title.text()

        def failed(exc: BaseException) -> None:
            self._busy = False
            if isinstance(exc, NeedsOverride) and not confirm:
                if prompts.confirm(self, "清单不一致", f"{exc}\n\n确认按录入的 {len(lines)} 笔记账吗？"):
                    self._submit(lines, count, total, confirm=True)
                    return
                self.message.setText("没有记账。请核对纸质清单后再记账。")
            elif isinstance(exc, UserError):
                self.message.setText(str(exc))

        def done(posted) -> None:
            self._busy = False
            self.saved.emit(f"批量记账完成：{len(posted)} 笔，合计 {format_yuan(sum(e.amount_fen for e in posted))}。")
            self.accept()

        self._busy = True
        self._ctx.runner.run(lambda: ledger.post_batch(ws, title, lines, count, total, confirm_mismatch=confirm),
                             done, failed, changes=LEDGER)

"""收支台账: the lazy ledger table with its filter bar and the entry commands."""


from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
)

from desktop_app.core import vouchers
from desktop_app.core.changes import LEDGER, Changes
from desktop_app.core.errors import UserError
from desktop_app.core.models import ENTRY_TYPES
from desktop_app.core.money import format_yuan, to_fen
from desktop_app.core.queries import ledger as ledger_query
from desktop_app.core.queries.ledger import LedgerFilter, LedgerRow
from desktop_app.core.services import ledger
from desktop_app.core.services.ledger import FutureDate
from desktop_app.gui import exports, posting, prompts, undo
from desktop_app.gui.batch_dialog import BatchDialog
from desktop_app.gui.county_views import OfficeFilter, OfficeScope, load_office_scope, refuse_buttons
from desktop_app.gui.entry_detail import EntryDetailDialog
from desktop_app.gui.entry_dialog import EntryDialog, confirm_future_date
from desktop_app.gui.ledger_model import OFFICE, ROW_ROLE, SORT_KEYS, LedgerModel
from desktop_app.gui.lookups import Lookups, load_lookups
from desktop_app.gui.pages.base import Page
from desktop_app.gui.widgets import (
    STRETCH,
    SearchBox,
    combo,
    date_range,
    filter_combo,
    push_button,
    refill,
    row_of,
)

COLUMN_WIDTHS = (84, 92, 150, 76, 0, 84, 110, 110, 140, 64, 44, 100)


def short_fund_name(name: str, association: str) -> str:
    """“万源市慈善会八台镇尚善社区基金” → “八台镇尚善社区基金” (the full name is the cell's tooltip)."""
    short = name.removeprefix(association) if association else name
    return short or name


def totals_text(totals: ledger_query.LedgerTotals) -> str:
    return (f"收入合计 {format_yuan(to_fen(totals.income))}　　支出合计 {format_yuan(to_fen(totals.expense))}"
            f"　　净额 {format_yuan(to_fen(totals.net))}")


def named(row: LedgerRow) -> str:
    """“【阳光社区基金】凭证 2024-0014”: voucher numbers run per fund, so a message names the fund too."""
    return vouchers.fund_voucher(row.fund_name, row.voucher)


def ask_reversal_reason(parent, row: LedgerRow) -> str | None:
    return prompts.ask_text(parent, "红字冲销", f"冲销{named(row)}“{row.summary}”。\n冲销后原凭证保留，"
                            "另记一笔金额相反的红字凭证。\n\n冲销原因（如“金额录错，应为 1,200.00 元”）：")


class LedgerPage(Page):
    title = "收支台账"
    watches = ("ledger", "funds", "settings")
    status = Signal(str)

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.lookups: Lookups | None = None
        self.dialog = None  # the entry or batch dialog opened last
        self.scope = OfficeScope()  # a county's offices, once read
        association = ctx.ws.local_office().association_name
        self.model = LedgerModel(ctx.ws.raw_reader, short_fund=lambda name: short_fund_name(name, association),
                                 office_name=lambda office_id: self.scope.name(office_id), parent=self)
        self._build_filters()
        self._build_buttons()
        self._build_table()
        layout = QVBoxLayout(self)
        layout.addLayout(self.filters)
        layout.addLayout(self.buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.totals_label)
        self._update_buttons()

    # ---------------------------------------------------------------- layout

    def _build_filters(self) -> None:
        self.office_filter = OfficeFilter()
        self.fund_filter = filter_combo("全部基金", 14)
        self.type_filter = combo([("", "全部类型")] + list(ENTRY_TYPES.items()))
        self.category_filter = filter_combo("全部类别")
        self.status_filter = combo([("", "全部状态"), ("draft", "草稿"), ("posted", "已记账")])
        self.date_from, self.date_to = date_range()
        self.search = SearchBox("搜索摘要、对方、类别或凭证号（如 2024-0012）")
        self.filters = row_of(self.office_filter, self.fund_filter, self.type_filter, self.category_filter, self.status_filter,
                              self.date_from, self.date_to, (self.search, 1))
        for widget in (self.fund_filter, self.type_filter, self.category_filter, self.status_filter):
            widget.currentIndexChanged.connect(self.apply_filter)
        self.office_filter.currentIndexChanged.connect(self._office_changed)
        for bound in (self.date_from, self.date_to):
            bound.changed.connect(self.apply_filter)
        self.search.settled.connect(self.apply_filter)

    def _build_buttons(self) -> None:
        self.new_button = QPushButton("新增 (Ctrl+N)")
        self.edit_button = QPushButton("修改草稿")
        self.delete_button = QPushButton("删除草稿")
        self.post_button = QPushButton("记账")
        # 红字冲销, with 冲销并复制为新草稿 on its arrow (and on the table's right-click menu): one button's width
        self.reverse_button = QToolButton()
        self.reverse_button.setText("红字冲销")
        self.reverse_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.redo_copy_action = QAction("冲销并复制为新草稿…", self)
        self.redo_copy_action.setToolTip("红字冲销所选凭证，再打开一张内容相同、日期为今天的新草稿，改正后保存或记账。")
        self.redo_copy_action.setStatusTip(self.redo_copy_action.toolTip())
        reverse_menu = QMenu(self.reverse_button)
        reverse_menu.setToolTipsVisible(True)
        reverse_menu.addAction(self.redo_copy_action)
        self.reverse_button.setMenu(reverse_menu)
        self.reverse_button.setToolTip("红字冲销所选凭证；点右侧箭头可“冲销并复制为新草稿”。")
        self.detail_button = push_button("查看详情", "查看所选分录的全部内容、冲销关系、关联活动和附件（已记账的分录双击也可打开）。")
        self.batch_button = QPushButton("批量录入")
        self.undo_button = push_button("撤销", "撤销草稿的新增、修改、删除（Ctrl+Z）。记账不能撤销，已记账的错误请用红字冲销。")
        self.redo_button = QPushButton("重做")
        self.export_button = push_button("导出 Excel…", "把当前筛选出的分录导出为 Excel 工作簿（含合计和大写金额）。")
        self.count_label = QLabel()
        self.buttons = row_of(self.new_button, self.edit_button, self.delete_button, self.post_button,
                              self.reverse_button, self.detail_button, self.batch_button, self.undo_button,
                              self.redo_button, STRETCH,
                              self.export_button)
        self.buttons.addSpacing(12)
        self.buttons.addWidget(self.count_label)
        self.new_button.clicked.connect(self.new_entry)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.post_button.clicked.connect(self.post_selected)
        self.reverse_button.clicked.connect(self.reverse_selected)
        self.redo_copy_action.triggered.connect(self.reverse_and_copy_selected)
        self.detail_button.clicked.connect(self.show_details)
        self.batch_button.clicked.connect(self.batch_entry)
        self.export_button.clicked.connect(self.export_excel)
        self.undo_button.clicked.connect(self.ctx.undo.undo)
        self.redo_button.clicked.connect(self.ctx.undo.redo)
        self.ctx.undo.canUndoChanged.connect(self.undo_button.setEnabled)
        self.ctx.undo.canRedoChanged.connect(self.redo_button.setEnabled)
        self.ctx.undo.undoTextChanged.connect(self._show_undo_text)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)

    def _show_undo_text(self, text: str) -> None:
        """The button says what 撤销 will undo (shortened; the whole step in its tooltip)."""
        full = f"撤销{text}" if text else "撤销"
        self.undo_button.setText(full if len(full) <= 14 else full[:13] + "…”")
        self.undo_button.setToolTip(f"{full}（Ctrl+Z）。记账不能撤销，已记账的错误请用红字冲销。")

    def _build_table(self) -> None:
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        vertical = self.view.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(26)
        header = self.view.horizontalHeader()
        for column, width in enumerate(COLUMN_WIDTHS):
            if width:
                header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.moveSection(OFFICE, 0)  # a county's office column leads
        self.view.setColumnHidden(OFFICE, True)  # shown in a county's workspace only
        header.setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        self._sort_indicator = (1, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self._sort_changed)
        self.view.setSortingEnabled(True)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.view.addAction(self.redo_copy_action)
        self.totals_label = QLabel(" ")
        self.totals_label.setToolTip("当前筛选出的分录的合计（含草稿时一并计入；红字冲销按负数计入原方向）")
        self._totals_for: LedgerFilter | None = None

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        if column not in SORT_KEYS:  # 对方 and 附件 have no index to sort by
            header = self.view.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(*self._sort_indicator)
            header.blockSignals(False)
            self.status.emit("这一列不能排序。")
            return
        self._sort_indicator = (column, order)

    # ---------------------------------------------------------------- data

    def on_changed(self, changes: Changes) -> None:
        if changes.everything:
            self.model.reconnect()
            self.lookups = None
        if changes.touches("funds", "settings"):
            self.lookups = None
        super().on_changed(changes)

    def refresh(self) -> None:
        selected = self.selected_row()
        self.model.refresh()
        self._show_count()
        if selected:
            self.select_entry(selected.id)
        self._update_buttons()
        ws = self.ctx.ws
        self.ctx.runner.query(lambda: load_office_scope(ws), self._set_scope)  # a sync may bring a new office
        if self.lookups is None:
            self.ctx.runner.query(lambda: load_lookups(ws), self._set_lookups)

    def _set_scope(self, scope: OfficeScope) -> None:
        self.scope = scope
        self.office_filter.set_scope(scope)  # a vanished office's choice falls back to 全部乡镇 (and refilters)
        self.view.setColumnHidden(OFFICE, not scope.county)
        self.view.viewport().update()
        self._update_buttons()

    def _set_lookups(self, lookups: Lookups) -> None:
        self.lookups = lookups
        self._fill_fund_filter()
        refill(self.category_filter, [("全部类别", None)] + [(c, c) for c in lookups.all_categories])

    def _fill_fund_filter(self) -> None:
        """Every fund (at the county, of the office the filter shows), in the order of the fund list."""
        if self.lookups is None:
            return
        office = self.office_filter.office_id()
        refill(self.fund_filter, [("全部基金", None)] + [(name, fid) for fid, name, owner in self.lookups.shown_funds
                                                      if office in (None, owner)])

    def _office_changed(self) -> None:
        self._fill_fund_filter()  # a fund of another office would show nothing
        self.apply_filter()

    def current_lookups(self) -> Lookups:
        if self.lookups is None:
            self._set_lookups(load_lookups(self.ctx.ws))  # a few small reads
        return self.lookups

    def current_filter(self) -> LedgerFilter:
        return LedgerFilter(fund_id=self.fund_filter.currentData(), office_id=self.office_filter.office_id(),
                            date_from=self.date_from.value(),
                            date_to=self.date_to.value(), entry_type=self.type_filter.currentData() or None,
                            category=self.category_filter.currentData(), text=self.search.text().strip(),
                            status=self.status_filter.currentData() or None)

    def apply_filter(self) -> None:
        self.search.delay.stop()
        self.model.set_filter(self.current_filter())
        self.view.setColumnHidden(2, self.fund_filter.currentData() is not None)  # one fund: no need to repeat it
        self._show_count()
        self._update_buttons()

    def _show_count(self) -> None:
        self.count_label.setText(self.model.error or f"共 {self.model.rowCount():,} 条")
        self._show_totals()

    def _show_totals(self) -> None:
        """收入合计, 支出合计 and 净额 of the current filter: one SQL SUM in the worker (a million rows: ~0.1 s)."""
        ws, wanted = self.ctx.ws, self.model.filter
        self._totals_for = wanted

        def read() -> ledger_query.LedgerTotals:
            conn = ws.raw_reader()
            try:
                return ledger_query.totals(conn, wanted)
            finally:
                conn.close()

        def show(totals: ledger_query.LedgerTotals) -> None:
            if self._totals_for == wanted:  # a later filter's sum is on its way: show that one
                self.totals_label.setText(totals_text(totals))

        self.ctx.runner.query(read, show, lambda exc: self.totals_label.setText(f"合计读取失败（{exc}）"))

    def selected_row(self) -> LedgerRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_entry(self, entry_id: str) -> bool:
        self.model.row_at(0)
        row = self.model.find_loaded(entry_id)
        if row is None:
            return False
        self.view.selectionModel().select(self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                          | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(self.model.index(row, 0))
        return True

    def _update_buttons(self) -> None:
        row = self.selected_row()
        draft = row is not None and row.status == "draft"
        self.edit_button.setEnabled(draft)
        self.delete_button.setEnabled(draft)
        self.post_button.setEnabled(draft)
        self.detail_button.setEnabled(row is not None)
        self.reverse_button.setEnabled(row is not None and row.status == "posted" and row.entry_type != "reversal"
                                       and not row.reversed_by)
        # at the county, a township's entries are read-only, and nothing is added while one township is shown
        refuse_buttons(self.scope.foreign_note(row.office_id if row else None), self.edit_button,
                       self.delete_button, self.post_button, self.reverse_button)
        self.redo_copy_action.setEnabled(self.reverse_button.isEnabled())
        for button in (self.new_button, self.batch_button):
            button.setEnabled(True)
        refuse_buttons(self.office_filter.add_note(), self.new_button, self.batch_button)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # ---------------------------------------------------------------- commands

    def new_entry(self) -> EntryDialog | None:
        if self.office_filter.add_note():  # Ctrl+N while the county shows a township's ledger
            self.status.emit(self.office_filter.add_note() + "要记本单位的账，请先在单位筛选里选“全部乡镇”或本单位。")
            return None
        dialog = EntryDialog(self.ctx, self.current_lookups(), parent=self)
        fund = self.fund_filter.currentData()
        if fund:
            dialog.fund.setCurrentIndex(max(0, dialog.fund.findData(fund)))
            dialog.mark_clean()
        return self._open(dialog)

    def _open(self, dialog):
        if self.dialog is not None and not self.dialog.isVisible():
            self.dialog.deleteLater()  # keep at most one closed dialog around
        dialog.saved.connect(self.status.emit)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _double_clicked(self, index) -> None:
        row = self.model.data(index, ROW_ROLE)
        if row is not None and row.status == "draft" and not self.scope.foreign_note(row.office_id):
            self.edit_selected()
        elif row is not None:
            self.show_details()

    def show_details(self) -> EntryDetailDialog | None:
        """查看详情 of the selected entry (draft or posted); a draft's 修改草稿 there opens the entry dialog."""
        row = self.selected_row()
        if row is None:
            return None
        dialog = EntryDetailDialog(self.ctx, row.id, parent=self)
        dialog.edit_requested.connect(lambda entry_id: self.select_entry(entry_id) and self.edit_selected())
        if self.dialog is not None and not self.dialog.isVisible():
            self.dialog.deleteLater()  # keep at most one closed dialog around
        self.dialog = dialog
        dialog.open()
        return dialog

    def edit_selected(self) -> None:
        row = self.selected_row()
        if row is None or row.status != "draft" or self.scope.foreign_note(row.office_id):
            return
        ws, lookups = self.ctx.ws, self.current_lookups()

        def show(loaded: tuple[ledger.EntryInput, int]) -> None:
            data, attachments = loaded
            dialog = EntryDialog(self.ctx, lookups, entry_id=row.id, initial=data, parent=self)
            dialog.set_existing_attachments(attachments)
            self._open(dialog)

        self.ctx.runner.query(lambda: ledger.load_draft(ws, row.id), show)

    def delete_selected(self) -> None:
        row = self.selected_row()
        if row is None or row.status != "draft":
            return
        ws, ctx = self.ctx.ws, self.ctx

        def done(_result) -> None:
            ctx.undo.push(undo.deleted(ctx, row.id, row.summary))
            self.status.emit(f"已删除草稿“{row.summary}”（可用 Ctrl+Z 撤销）。")

        self.ctx.runner.run(lambda: ledger.delete_draft(ws, row.id), done, changes=LEDGER)

    def post_selected(self) -> None:
        row = self.selected_row()
        if row is None or row.status != "draft":
            return
        if posting.confirm_posting(self, f"记账草稿“{row.summary}”（{format_yuan(row.amount_fen)}）"):
            self._post(row, "")

    def _post(self, row: LedgerRow, override_reason: str, future_ok: bool = False) -> None:
        ws = self.ctx.ws

        def failed(exc: BaseException) -> None:
            if isinstance(exc, FutureDate) and not future_ok:  # dated after this year: asked as the entry dialog asks
                if confirm_future_date(self, exc, row.entry_date):
                    self._post(row, override_reason, True)
                else:
                    self.status.emit(f"没有记账：草稿“{row.summary}”的日期 {row.entry_date} 在今年之后。"
                                     "日期填错了请点“修改草稿”改正后再记账。")
                return
            if prompts.retry_with_override_reason(self, exc, override_reason,
                                                  lambda given: self._post(row, given, future_ok)):
                return
            prompts.show_refusal(self, exc, "没有记账")

        def done(entry) -> None:
            undo.entry_posted(self.ctx.undo, row.id)
            self.status.emit(f"已记账：{vouchers.fund_voucher(row.fund_name, vouchers.voucher_text(entry))}。"
                             "记账不能撤销，如有错误请用“红字冲销”。")

        self.ctx.runner.run(lambda: ledger.post_entry(ws, row.id, override_reason=override_reason,
                                                      allow_future_date=future_ok),
                            done, failed, changes=LEDGER)

    def reverse_selected(self) -> None:
        row = self.selected_row()
        if row is None or row.status != "posted":
            return
        reason = ask_reversal_reason(self, row)
        if reason:
            self._reverse(row, reason, "")

    def reverse_and_copy_selected(self) -> None:
        """冲销并复制为新草稿: the reversal (its reason asked as 红字冲销 asks), then the entry dialog filled with
        the original as a new draft dated today, to correct and save."""
        row = self.selected_row()
        if row is None or row.status != "posted":
            return
        reason = ask_reversal_reason(self, row)
        if reason:
            self._reverse(row, reason, "", then=lambda: self._open_copy(row))

    def _open_copy(self, row: LedgerRow) -> None:
        ws, lookups = self.ctx.ws, self.current_lookups()

        def show(data: ledger.EntryInput) -> None:
            dialog = EntryDialog(self.ctx, lookups, initial=data, parent=self)
            dialog.keep_going.setChecked(False)
            dialog.setWindowTitle(f"新草稿（复制自{named(row)}）")
            dialog.show_message(f"{named(row)} 已红字冲销。这是它的副本（日期为今天，附件未复制），"
                                "改正后保存草稿或记账。", error=False)
            self._open(dialog)

        self.ctx.runner.query(lambda: ledger.load_copy(ws, row.id), show,
                              lambda exc: prompts.show_refusal(self, exc))

    def _reverse(self, row: LedgerRow, reason: str, override_reason: str, then=None) -> None:
        ws = self.ctx.ws

        def done(entry) -> None:
            self.status.emit(f"已红字冲销{named(row)}，冲销凭证为 {vouchers.voucher_text(entry)}。")
            if then is not None:
                then()

        def failed(exc: BaseException) -> None:
            # reversing a donation already spent takes its bucket below zero: ask, as posting does
            if prompts.retry_with_override_reason(self, exc, override_reason,
                                                  lambda given: self._reverse(row, reason, given, then)):
                return
            if isinstance(exc, UserError):
                prompts.show_refusal(self, exc)

        self.ctx.runner.run(lambda: ledger.reverse_entry(ws, row.id, reason, override_reason=override_reason),
                            done, failed, changes=LEDGER)

    def batch_entry(self) -> BatchDialog:
        dialog = BatchDialog(self.ctx, self.current_lookups(), fund_id=self.fund_filter.currentData(), parent=self)
        return self._open(dialog)

    def export_excel(self) -> None:
        self.search.settle_now()  # text typed in the last 250 ms: export what the box says
        exports.export_ledger(self.ctx, self, self.model.filter)

    def shutdown(self) -> None:
        self.model.close()



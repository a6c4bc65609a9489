"""物资台账: the stock of each fund's goods and every receipt and issue, with the two forms."""

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from desktop_app.core import quantities
from desktop_app.core.changes import GOODS
from desktop_app.core.models import Activity, GoodsMovement
from desktop_app.core.money import format_yuan
from desktop_app.core.queries import goods as goods_queries
from desktop_app.core.queries.projects import list_funds
from desktop_app.core.services import goods
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui import exports, prompts
from desktop_app.gui.goods_dialog import GoodsIssueDialog, GoodsReceiptDialog
from desktop_app.gui.pages.base import Page
from desktop_app.gui.pages.ledger import short_fund_name
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import (
    STRETCH,
    filter_combo,
    heading,
    note,
    pane,
    refill,
    row_of,
    splitter,
    table,
)

ANONYMOUS = "匿名"
NOTE = ("估值的捐赠物资（按捐赠方凭据或公允价值）按价值计入基金的捐赠收入和报表；未估值的物资只在这里登记。"
        "发放时按收入的平均价值结转；任何日期的库存都不能小于零，登记错的记录可以删除后重新登记。")


@dataclass(frozen=True)
class GoodsView:
    funds: list[tuple[str, str]]  # (id, name)
    stock: list[goods_queries.StockRow]
    movements: list[GoodsMovement]
    fund_names: dict[str, str]  # id → the name without the association's (“八台镇尚善社区基金”)
    activity_titles: dict[str, str]


def load_goods(ws: Workspace, fund_id: str | None) -> GoodsView:
    association = ws.local_office().association_name
    with ws.reading() as s:
        funds = [(f.id, f.name) for f in list_funds(s)]
        movements = goods_queries.list_movements(s, fund_id)
        titles = {}
        for activity_id in {m.activity_id for m in movements if m.activity_id}:
            activity = s.get(Activity, activity_id)
            titles[activity_id] = activity.title if activity else ""
        short = {fid: short_fund_name(name, association) for fid, name in funds}
        return GoodsView(funds, goods_queries.stock(s, fund_id), movements, short, titles)


def quantity_text(milli: int, unit: str) -> str:
    return f"{quantities.quantity_of(milli)} {unit}"


def source_text(m: GoodsMovement) -> str:
    """捐赠：万源市鑫达建材有限公司 — the office's own register shows the real name (匿名 when anonymous)."""
    who = ANONYMOUS if m.anonymous else m.donor_name
    return f"{m.source}：{who}" if who else m.source


def movement_row(m: GoodsMovement, view: GoodsView) -> tuple:
    received = m.direction == "in"
    valued = m.valuation and m.valuation != goods_queries.UNVALUED
    recipients = f"{m.beneficiary_group} {m.recipients} 人".strip() if m.recipients else m.beneficiary_group
    return (m.movement_date, view.fund_names.get(m.fund_id, ""), "收入" if received else "发放", m.item,
            quantity_text(m.quantity_milli, m.unit), source_text(m) if received else "", m.valuation,
            format_yuan(m.value_fen) if valued else "—", view.activity_titles.get(m.activity_id or "", ""),
            "" if received else recipients, m.note)


def fit_columns(view: QTableView, widest: int = 180) -> None:
    """Columns as wide as their contents but at most `widest` pixels (the cell's tooltip has it all), so
    the register fits the window without scrolling sideways."""
    view.resizeColumnsToContents()
    last = view.model().columnCount() - 1
    for column in range(last + 1):  # the last one stretches into whatever room is left
        view.setColumnWidth(column, min(view.columnWidth(column), widest if column < last else widest // 2))


class GoodsPage(Page):
    title = "物资台账"
    watches = ("goods", "funds", "activities")

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.view_data: GoodsView | None = None
        self.fund_filter = filter_combo("全部基金", 16)
        self.stock_model = RowsModel(["社区基金", "物资", "单位", "收入", "发出", "结存", "估值"], right=[3, 4, 5, 6])
        self.stock_view = table(self.stock_model, stretch=1)
        self.movements_model = RowsModel(
            ["日期", "社区基金", "收/发", "物资", "数量", "来源/捐赠方", "估值依据", "价值", "发放活动",
             "受益群体/人数", "备注"], right=[4, 7])
        self.movements_view = table(self.movements_model, stretch=10)
        self.movements_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.movements_view.horizontalHeader().setStretchLastSection(True)
        self.receive_button = QPushButton("登记收入物资…")
        self.issue_button = QPushButton("登记发放…")
        self.delete_button = QPushButton("删除所选记录")
        self.export_button = QPushButton("导出物资台账…")
        self.count_label = QLabel("")
        self.count_label.setObjectName("note")

        filters = row_of(QLabel("社区基金"), self.fund_filter, STRETCH, self.receive_button, self.issue_button)
        stock = pane(heading("库存"), self.stock_view)
        buttons = row_of(self.count_label, STRETCH, self.delete_button, self.export_button)
        movements = pane(heading("收发记录"), self.movements_view, buttons)
        parts = splitter(stock, movements, sizes=[260, 440], vertical=True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("物资台账"))
        layout.addWidget(note(NOTE))
        layout.addLayout(filters)
        layout.addWidget(parts, 1)

        self.fund_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.receive_button.clicked.connect(self.receive)
        self.issue_button.clicked.connect(self.issue)
        self.delete_button.clicked.connect(self.delete_selected)
        self.export_button.clicked.connect(self.export)
        self.movements_view.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self._update_buttons()

    def refresh(self) -> None:
        ws, fund_id = self.ctx.ws, self.fund_filter.currentData()
        self.ctx.runner.query(lambda: load_goods(ws, fund_id), self.show_goods)

    def show_goods(self, data: GoodsView) -> None:
        self.view_data = data
        refill(self.fund_filter, [("全部基金", None)] + [(name, fid) for fid, name in data.funds])
        one_fund = self.fund_filter.currentData() is not None
        self.stock_model.set_rows([
            (data.fund_names.get(r.fund_id, r.fund_name), r.item, r.unit, quantities.quantity_of(r.received_milli), quantities.quantity_of(r.issued_milli),
             quantities.quantity_of(r.stock_milli), format_yuan(r.value_fen) if r.valued else goods_queries.UNVALUED)
            for r in data.stock], keys=data.stock)
        movements = list(reversed(data.movements))  # newest first: what was just entered is on top
        self.movements_model.set_rows([movement_row(m, data) for m in movements], keys=movements)
        fit_columns(self.movements_view)
        self.stock_view.setColumnHidden(0, one_fund)
        self.movements_view.setColumnHidden(1, one_fund)
        received = sum(1 for m in movements if m.direction == "in")
        self.count_label.setText(f"收入 {received} 条，发放 {len(movements) - received} 条" if movements else
                                 "还没有物资记录。收到捐赠或购买的物资后，点“登记收入物资…”登记。")
        self._update_buttons()

    def selected_movement(self) -> GoodsMovement | None:
        return self.movements_model.key(self.movements_view.currentIndex().row())

    def selected_stock(self) -> goods_queries.StockRow | None:
        return self.stock_model.key(self.stock_view.currentIndex().row())

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(self.selected_movement() is not None)

    def receive(self) -> GoodsReceiptDialog:
        dialog = GoodsReceiptDialog(self.ctx, self, fund_id=self.fund_filter.currentData())
        dialog.load()
        dialog.open()
        return dialog

    def issue(self) -> GoodsIssueDialog:
        row = self.selected_stock()
        fund_id = row.fund_id if row else self.fund_filter.currentData()
        dialog = GoodsIssueDialog(self.ctx, self, fund_id=fund_id, item=(row.item, row.unit) if row else None)
        dialog.load()
        dialog.open()
        return dialog

    def delete_selected(self) -> None:
        m = self.selected_movement()
        if m is None:
            return
        what = f"{m.movement_date} {'收入' if m.direction == 'in' else '发放'} {m.item} {quantity_text(m.quantity_milli, m.unit)}"
        if not prompts.confirm(self, "删除物资记录", f"确定删除这条物资记录吗？\n\n{what}\n\n"
                               "删除后库存随之调整。只删除登记错的记录；物资确实减少了，请登记发放。"):
            return
        ws, movement_id = self.ctx.ws, m.id
        self.ctx.runner.run(lambda: goods.remove_movement(ws, movement_id),
                            lambda _r: self.ctx.runner.message.emit(f"已删除物资记录：{what}"), changes=GOODS,
                            parent=self)

    def export(self) -> None:
        exports.export_goods(self.ctx, self, self.fund_filter.currentData(), self.fund_filter.currentText())

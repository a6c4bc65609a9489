"""登记收入物资 / 登记发放: the two forms of the goods register.

Both read their choices (funds, known items, stock, the fund's project's activities, beneficiary
groups) off the GUI thread when they open. Bad input gets the core's message in red under the form;
the dialog stays open and keeps everything typed.
"""

from dataclasses import dataclass, field
from functools import partial

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import quantities
from desktop_app.core.changes import GOODS
from desktop_app.core.errors import UserError
from desktop_app.core.models import COUNTERPARTY_KINDS, GOODS_SOURCES, GOODS_VALUATIONS
from desktop_app.core.queries import goods as goods_queries
from desktop_app.core.queries.activities import ActivityFilter, list_activities
from desktop_app.core.queries.categories import local_categories
from desktop_app.core.queries.projects import list_funds
from desktop_app.core.services import goods
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui.screen_fit import fit_window
from desktop_app.gui.widgets import (
    ERROR_STYLE,
    HINT_STYLE,
    STRETCH,
    AsksBeforeClosing,
    GrowingMessage,
    combo,
    date_edit,
    editable_combo,
    fit_height,
    form_rows,
    note,
    pydate,
    read_form,
    refill,
    row_of,
    save_cancel_buttons,
    select_data,
    submit,
    wrapped_label,
)

VALUATION_HINTS = {
    "捐赠方凭据": "按捐赠方提供的发票、清单等凭据上的金额填写这批物资的总价值。",
    "公允价值": "无凭据时按市场价格评估这批物资的总价值，并在备注中写明评估方法。",
    goods_queries.UNVALUED: "无法可靠估值的物资只记在物资台账里，不计入基金的收入和报表。",
}


@dataclass(frozen=True)
class GoodsChoices:
    funds: list[tuple[str, str, str | None]] = field(default_factory=list)  # (id, name, project id)
    items: list[tuple[str, str]] = field(default_factory=list)  # known (item, unit)
    stock: list[goods_queries.StockRow] = field(default_factory=list)  # every fund's stock
    activities: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # project id → (id, label)
    groups: list[str] = field(default_factory=list)  # beneficiary groups

    def project_of(self, fund_id: str | None) -> str | None:
        return next((project for fid, _name, project in self.funds if fid == fund_id), None)

    def in_stock(self, fund_id: str | None) -> list[goods_queries.StockRow]:
        return [r for r in self.stock if r.fund_id == fund_id and r.stock_milli > 0]


def load_goods_choices(ws: Workspace) -> GoodsChoices:
    with ws.reading() as s:
        funds = [(f.id, f.name, f.project_id) for f in list_funds(s)]
        activities: dict[str, list[tuple[str, str]]] = {}
        for project_id in {p for _i, _n, p in funds if p}:
            activities[project_id] = [(a.id, f"{a.start_date} {a.title}")
                                      for a in list_activities(s, ActivityFilter(project_id=project_id))]
        return GoodsChoices(funds, goods_queries.known_items(s), goods_queries.stock(s), activities,
                            [c.name for c in local_categories(s, "beneficiary_group")])


def stock_text(row: goods_queries.StockRow) -> str:
    return f"{row.item}（结存 {quantities.quantity_of(row.stock_milli)} {row.unit}）"


class _GoodsDialog(AsksBeforeClosing, GrowingMessage, QDialog):
    """What both forms share: fund, date, quantity, note, the message line and 保存/取消."""

    title = ""

    def __init__(self, ctx, parent: QWidget | None = None, *, fund_id: str | None = None):
        super().__init__(parent)
        self.ctx, self.wanted_fund = ctx, fund_id
        self.choices = GoodsChoices()
        self.setWindowTitle(self.title)
        self.fund = QComboBox()
        self.day = date_edit()
        self.quantity = QLineEdit()
        self.quantity.setPlaceholderText("如 200 或 2.5")
        self.note_edit = QLineEdit()
        self.message = wrapped_label("", ERROR_STYLE)
        self.form = QFormLayout()
        self.outer = QVBoxLayout(self)
        self.outer.addLayout(self.form)
        self.buttons, self.save_button = save_cancel_buttons(self, self.save, enabled=False)
        self.fund.currentIndexChanged.connect(lambda _i: self.fund_changed())

    def finish_form(self, hint: str) -> None:
        self.form.addRow("备注", self.note_edit)
        self.outer.addWidget(note(hint))
        self.outer.addWidget(self.message)
        self.outer.addWidget(self.buttons)
        fit_window(self, 600)
        fit_height(self)
        self.mark_clean()  # the form is complete: closing asks only once something was typed

    def load(self) -> None:
        """Read the choices (off the GUI thread); 保存 is enabled once they are in."""
        ws = self.ctx.ws
        self.ctx.runner.query(lambda: load_goods_choices(ws), self.set_choices, self.load_failed)

    def set_choices(self, choices: GoodsChoices) -> None:
        with self.filling():
            self._set_choices(choices)

    def _set_choices(self, choices: GoodsChoices) -> None:
        self.choices = choices
        refill(self.fund, [(name, fid) for fid, name, _p in choices.funds])
        if self.wanted_fund:
            select_data(self.fund, self.wanted_fund)
        self.fill_choices()
        self.fund_changed()
        if not choices.funds:
            self.show_message("还没有社区基金。请先到“社区基金”页新增一个基金，再登记物资。")
        self.save_button.setEnabled(bool(choices.funds))

    def load_failed(self, exc: BaseException) -> None:
        self.show_message(f"{exc}\n请关闭此窗口，稍后重试。")

    def fill_choices(self) -> None:
        """Fill the lists that do not depend on the fund."""

    def fund_changed(self) -> None:
        """Fill the lists that depend on the fund."""

    def collect(self):
        raise NotImplementedError

    def operation(self, ws: Workspace, data):
        raise NotImplementedError

    def done_text(self, data) -> str:
        raise NotImplementedError

    def save(self) -> None:
        data = read_form(self.collect, self.message, grow=self)
        if data is None:
            return
        self.message.setText("")
        submit(self, partial(self.operation, self.ctx.ws, data), GOODS, lambda _movement: self.done_text(data))

    def fund_id(self) -> str:
        fund_id = self.fund.currentData()
        if not fund_id:
            raise UserError("请选择物资所属的社区基金。")
        return fund_id


class GoodsReceiptDialog(_GoodsDialog):
    """登记收入物资: goods donated, bought or transferred to a fund."""

    title = "登记收入物资"

    def __init__(self, ctx, parent: QWidget | None = None, *, fund_id: str | None = None):
        super().__init__(ctx, parent, fund_id=fund_id)
        self.item = editable_combo("如“新春礼品”；可从已登记的物资中选")
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("份、个、箱、千克…")
        self.unit.setMaximumWidth(120)
        self.source = combo(list(GOODS_SOURCES))
        self.donor = QLineEdit()
        self.donor.setPlaceholderText("捐赠人或捐赠单位；购买、调拨时填供货或调出单位")
        self.donor_kind = combo([("", "（未填）")] + [(k, k) for k in COUNTERPARTY_KINDS])
        self.anonymous = QCheckBox("匿名捐赠（公示为“爱心人士”）")
        self.consent = QCheckBox("同意在公示中显示姓名")
        self.valuation = combo(list(GOODS_VALUATIONS))
        self.valuation.setCurrentText(goods_queries.UNVALUED)
        self.value = QLineEdit()
        self.value.setPlaceholderText("这批物资的总价值，如 6000 或 6,000.00")
        self.value_hint = wrapped_label("", HINT_STYLE)
        amount = row_of((self.quantity, 1), QLabel("单位"), self.unit)
        donor = row_of((self.donor, 1), self.donor_kind)
        flags = row_of(self.anonymous, self.consent, STRETCH)
        form_rows(self.form, ("社区基金", self.fund), ("收到日期", self.day), ("物资名称", self.item), ("数量", amount),
                  ("来源", self.source), ("捐赠方", donor), ("", flags), ("估值依据", self.valuation),
                  ("总价值（元）", self.value), ("", self.value_hint))
        self.finish_form("估值的捐赠物资按价值计入基金的捐赠收入和报表；未估值的物资只在物资台账中登记。")
        self.item.activated.connect(self._item_chosen)
        self.source.currentIndexChanged.connect(lambda _i: self._source_changed())
        self.anonymous.toggled.connect(lambda _on: self._source_changed())
        self.valuation.currentIndexChanged.connect(lambda _i: self._valuation_changed())
        self._source_changed()
        self._valuation_changed()

    def fill_choices(self) -> None:
        typed = self.item.currentText()
        self.item.clear()
        for item, unit in self.choices.items:
            self.item.addItem(item, unit)
        self.item.setCurrentIndex(-1)
        self.item.setEditText(typed)

    def _item_chosen(self, index: int) -> None:
        unit = self.item.itemData(index)
        if unit:
            self.unit.setText(unit)

    def _source_changed(self) -> None:
        donated = self.source.currentText() == "捐赠"
        self.anonymous.setEnabled(donated)
        self.consent.setEnabled(donated and not self.anonymous.isChecked())
        self.donor.setEnabled(not (donated and self.anonymous.isChecked()))

    def _valuation_changed(self) -> None:
        valued = self.valuation.currentText() != goods_queries.UNVALUED
        self.value.setEnabled(valued)
        self.value_hint.setText(VALUATION_HINTS.get(self.valuation.currentText(), ""))
        fit_height(self)

    def collect(self) -> goods.GoodsReceiptInput:
        donated = self.source.currentText() == "捐赠"
        anonymous = donated and self.anonymous.isChecked()
        valued = self.valuation.currentText() != goods_queries.UNVALUED
        return goods.GoodsReceiptInput(
            fund_id=self.fund_id(), movement_date=pydate(self.day.date()), item=self.item.currentText().strip(),
            unit=self.unit.text().strip(), quantity=self.quantity.text(), source=self.source.currentText(),
            donor_name="" if anonymous else self.donor.text().strip(), donor_kind=self.donor_kind.currentData(),
            anonymous=anonymous, publish_consent=donated and not anonymous and self.consent.isChecked(),
            valuation=self.valuation.currentText(), value=self.value.text() if valued else "0",
            note=self.note_edit.text())

    def operation(self, ws: Workspace, data: goods.GoodsReceiptInput):
        return goods.receive_goods(ws, data)

    def done_text(self, data: goods.GoodsReceiptInput) -> str:
        return f"已登记收入物资：{data.item} {quantities.parse_quantity(data.quantity)}{data.unit}"


class GoodsIssueDialog(_GoodsDialog):
    """登记发放: goods of a fund handed out, optionally at one of its project's activities."""

    title = "登记发放物资"

    def __init__(self, ctx, parent: QWidget | None = None, *, fund_id: str | None = None,
                 item: tuple[str, str] | None = None):
        super().__init__(ctx, parent, fund_id=fund_id)
        self.wanted_item = item
        self.item = QComboBox()
        self.unit = QLabel("")
        self.activity = QComboBox()
        self.group = editable_combo("如 老年人、儿童")
        self.recipients = QLineEdit()
        self.recipients.setPlaceholderText("领到物资的人数，如 150")
        amount = row_of((self.quantity, 1), self.unit)
        form_rows(self.form, ("社区基金", self.fund), ("发放日期", self.day), ("物资（现有库存）", self.item),
                  ("发放数量", amount), ("发放活动", self.activity), ("受益群体", self.group), ("受益人数", self.recipients))
        self.finish_form("只能发放本基金库存中的物资，任何日期的库存都不能小于零。物资收到以前的日期不能登记发放。")
        self.item.currentIndexChanged.connect(lambda _i: self._item_changed())

    def fill_choices(self) -> None:
        typed = self.group.currentText()
        self.group.clear()
        self.group.addItems(self.choices.groups)
        self.group.setEditText(typed)

    def fund_changed(self) -> None:
        fund_id = self.fund.currentData()
        rows = self.choices.in_stock(fund_id)
        wanted = self.wanted_item or self.item.currentData()
        keys = [(r.item, r.unit) for r in rows]
        refill(self.item, [(stock_text(r), key) for r, key in zip(rows, keys, strict=True)])
        if wanted:  # tuples are stored as Python objects, which findData compares by identity
            self.item.setCurrentIndex(keys.index(tuple(wanted)) if tuple(wanted) in keys else 0)
        self.wanted_item = None
        activities = self.choices.activities.get(self.choices.project_of(fund_id) or "", [])
        refill(self.activity, [("（不关联活动）", None)] + [(label, aid) for aid, label in activities])
        self._item_changed()
        if self.choices.funds and fund_id and not rows:
            self.show_message("这个基金现在没有库存物资。请先点“登记收入物资…”登记收到的物资，再登记发放。")
        elif self.message.text().startswith("这个基金现在没有库存物资"):
            self.message.setText("")

    def _item_changed(self) -> None:
        chosen = self.item.currentData()
        self.unit.setText(chosen[1] if chosen else "")

    def collect(self) -> goods.GoodsIssueInput:
        fund_id = self.fund_id()
        chosen = self.item.currentData()
        if not chosen:
            raise UserError("请选择要发放的物资。这个基金没有库存时，请先登记收入物资。")
        return goods.GoodsIssueInput(
            fund_id=fund_id, movement_date=pydate(self.day.date()), item=chosen[0], unit=chosen[1],
            quantity=self.quantity.text(), activity_id=self.activity.currentData(),
            beneficiary_group=self.group.currentText().strip(), recipients=self.recipients.text(),
            note=self.note_edit.text())

    def operation(self, ws: Workspace, data: goods.GoodsIssueInput):
        return goods.issue_goods(ws, data)

    def done_text(self, data: goods.GoodsIssueInput) -> str:
        return f"已登记发放：{data.item} {quantities.parse_quantity(data.quantity)}{data.unit}"

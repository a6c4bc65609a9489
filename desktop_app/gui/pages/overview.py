"""概览: balances of every fund, this month's income and expense, budget use, alerts."""

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.money import format_yuan
from desktop_app.core.months import month_end
from desktop_app.core.notices.clock import DueNotice, due_notices
from desktop_app.core.queries import reports
from desktop_app.core.queries.projects import list_projects
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui.pages.base import Page
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import heading, note


@dataclass(frozen=True)
class BudgetUse:
    project: str
    budget_fen: int
    actual_fen: int
    percent: float | None


@dataclass(frozen=True)
class OverviewData:
    month: str
    funds: list[reports.FundSummary]
    month_income_fen: int
    month_expense_fen: int
    year_income_fen: int
    year_expense_fen: int
    budgets: list[BudgetUse]
    alerts: list[reports.Alert]
    due: list[DueNotice] = field(default_factory=list)  # notices to publish (慈善法 第79条, seed 003)


def month_bounds(today: date) -> tuple[date, date]:
    return today.replace(day=1), month_end(today)


def load_overview(ws: Workspace, today: date | None = None) -> OverviewData:
    today = today or date.today()
    first, last = month_bounds(today)
    with ws.reading() as s:
        funds = reports.fund_summaries(s)
        month_in, month_out = reports.period_totals(s, first, last)
        year_in, year_out = reports.period_totals(s, date(today.year, 1, 1), date(today.year, 12, 31))
        budgets = []
        for project in list_projects(s):
            total = reports.budget_vs_actual(s, project.id)[-1]
            budgets.append(BudgetUse(project.name, total.budget_fen, total.actual_fen, total.used_percent))
        alerts = reports.alerts(ws, s, today)
        due = due_notices(s, today)
    return OverviewData(f"{today:%Y年%m月}", funds, month_in, month_out, year_in, year_out, budgets, alerts, due)


class Card(QFrame):
    def __init__(self, title: str):
        super().__init__()
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        self.title = QLabel(title)
        self.title.setObjectName("cardTitle")
        self.value = QLabel("—")
        self.value.setObjectName("cardValue")
        self.detail = QLabel("")
        self.detail.setObjectName("note")
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)

    def set(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)


class OverviewPage(Page):
    title = "概览"
    watches = ("ledger", "funds", "projects", "settings", "backups", "notices")
    notice_due = Signal(object)  # a DueNotice the user wants to prepare (信息公示 opens its builder)

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.data: OverviewData | None = None
        self.today: date | None = None  # None: the real today (tests and screenshots pin a day)
        self.balance_card = Card("基金余额合计")
        self.restricted_card = Card("其中限定性资金")
        self.month_in_card = Card("本月收入")
        self.month_out_card = Card("本月支出")
        cards = QHBoxLayout()
        for card in (self.balance_card, self.restricted_card, self.month_in_card, self.month_out_card):
            cards.addWidget(card)

        self.funds_model = RowsModel(["社区基金", "所属项目", "累计收入", "累计支出", "余额", "限定性", "非限定性", "草稿"],
                                     right=range(2, 8))
        self.funds_table = QTableView()
        self.funds_table.setModel(self.funds_model)
        self.funds_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.funds_table.verticalHeader().hide()
        self.funds_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.funds_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        self.budget_box = QGridLayout()
        self.budget_box.setColumnStretch(1, 1)
        self.alerts_box = QVBoxLayout()
        self.due_box = QVBoxLayout()

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(heading("概览"))
        layout.addLayout(cards)
        layout.addWidget(heading("社区基金"))
        layout.addWidget(self.funds_table)
        layout.addWidget(heading("项目预算执行"))
        layout.addLayout(self.budget_box)
        layout.addWidget(heading("待公示"))
        layout.addLayout(self.due_box)
        layout.addWidget(heading("提醒"))
        layout.addLayout(self.alerts_box)
        layout.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def refresh(self) -> None:
        ws = self.ctx.ws
        today = self.today
        self.ctx.runner.query(lambda: load_overview(ws, today), self.show_data)

    def show_data(self, data: OverviewData) -> None:
        self.data = data
        balance = sum(f.balance_fen for f in data.funds)
        restricted = sum(f.restricted_fen for f in data.funds)
        self.balance_card.set(format_yuan(balance), f"{len(data.funds)} 个社区基金")
        self.restricted_card.set(format_yuan(restricted), f"非限定性 {format_yuan(balance - restricted)}")
        self.month_in_card.set(format_yuan(data.month_income_fen), f"{data.month}；本年 {format_yuan(data.year_income_fen)}")
        self.month_out_card.set(format_yuan(data.month_expense_fen), f"{data.month}；本年 {format_yuan(data.year_expense_fen)}")
        self.funds_model.set_rows([
            (f.name, f.project_name or "—", format_yuan(f.income_fen), format_yuan(f.expense_fen),
             format_yuan(f.balance_fen), format_yuan(f.restricted_fen), format_yuan(f.unrestricted_fen),
             f.drafts or "") for f in data.funds])
        rows = max(1, min(len(data.funds), 8))
        self.funds_table.setFixedHeight(self.funds_table.horizontalHeader().sizeHint().height()
                                        + rows * self.funds_table.verticalHeader().defaultSectionSize() + 4)
        self._show_budgets(data.budgets)
        self._show_due(data)
        self._show_alerts(data)

    def _show_budgets(self, budgets: list[BudgetUse]) -> None:
        clear(self.budget_box)
        if not budgets:
            self.budget_box.addWidget(note("还没有试点项目。可在“项目”页新增项目并填写预算。"), 0, 0, 1, 3)
        for row, use in enumerate(budgets):
            bar = QProgressBar()
            bar.setRange(0, 100)
            bar.setValue(min(100, round(use.percent or 0)))
            bar.setFormat(f"{use.percent:.1f}%" if use.percent is not None else "未填预算")
            self.budget_box.addWidget(QLabel(use.project), row, 0)
            self.budget_box.addWidget(bar, row, 1)
            self.budget_box.addWidget(QLabel(f"已支出 {format_yuan(use.actual_fen)} / 预算 {format_yuan(use.budget_fen)}"),
                                      row, 2)

    def _show_alerts(self, data: OverviewData) -> None:
        clear(self.alerts_box)
        if not data.funds:
            self.alerts_box.addWidget(note("还没有社区基金。请先到“社区基金”页新增基金，再到“收支台账”录入收支。"))
        for alert in data.alerts:
            label = QLabel(("⚠ " if alert.level == "warning" else "• ") + alert.text)
            label.setObjectName("alertWarning" if alert.level == "warning" else "alertInfo")
            label.setWordWrap(True)
            self.alerts_box.addWidget(label)


    def _show_due(self, data: OverviewData) -> None:
        clear(self.due_box)
        today = self.today or date.today()
        if not data.due:
            self.due_box.addWidget(note("近一个月没有到期的公示。"))
        for index, due in enumerate(data.due):
            self.due_box.addWidget(due_label(due, today, index, lambda i: self.notice_due.emit(data.due[int(i)])))


def due_label(due: DueNotice, today: date, index: int, on_link) -> QLabel:
    """“已逾期 项目结束后的经费使用情况公示 — 项目：应于 2025-05-28 前公示 去生成…”, the rule under it."""
    if due.overdue:
        state = f'<span style="color:#c0392b; font-weight:bold;">已逾期 {(today - due.due_date).days} 天</span>'
    else:
        state = f'<span style="color:#a04000; font-weight:bold;">还有 {(due.due_date - today).days} 天</span>'
    label = QLabel(f"{state}　{due.title} — {due.project_name}：应于 {due.due_date} 前公示"
                   f"（期间 {due.period_from} 至 {due.period_to}）　<a href=\"{index}\">去生成…</a>"
                   f"<br><span style=\"color:#566573;\">依据　{due.basis}</span>")
    label.setWordWrap(True)
    label.setObjectName("dueOverdue" if due.overdue else "dueSoon")
    label.linkActivated.connect(on_link)
    return label


def clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget():
            item.widget().deleteLater()

"""概览: balances of every fund, this month's income and expense, budget use, alerts. In county mode it opens
with every township's figures this year (last sync package, missing ones, balance, spending against budget,
activities, beneficiaries, surveys, overdue notices) and the totals, and 生成进展报告… (seed 003's report).

The page fills in two reads: the figures first, then the reminders (提醒), whose count of expenses without a
voucher reads every expense — a third of a second on a million entries, which the figures do not wait for."""

from dataclasses import dataclass, field, replace
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
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.exports.county_report import write_county_report
from desktop_app.core.money import format_yuan
from desktop_app.core.months import month_end
from desktop_app.core.notices.clock import DueNotice, due_notices, office_disclosure
from desktop_app.core.queries import reports
from desktop_app.core.queries.county import CountyIndicators, OfficeIndicators, county_overview
from desktop_app.core.queries.projects import list_projects
from desktop_app.core.storage.identity import is_county
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui import county_report_dialog, exports
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
    county: CountyIndicators | None = None  # county mode: every township's figures this year


def month_bounds(today: date) -> tuple[date, date]:
    return today.replace(day=1), month_end(today)


def load_overview(ws: Workspace, today: date | None = None, *, alerts: bool = True) -> OverviewData:
    """What the page shows; `alerts=False`: all but the reminders (`load_alerts`), left empty."""
    today = today or date.today()
    first, last = month_bounds(today)
    with ws.reading() as s:
        funds = reports.fund_summaries(s)
        month_in, month_out = reports.period_totals(s, first, last)
        year_in, year_out = reports.period_totals(s, date(today.year, 1, 1), date(today.year, 12, 31))
        budgets = []
        spent = reports.project_spending(s)
        for project in list_projects(s):
            total = reports.BudgetRow("合计", int(project.budget_fen or 0), spent.get(project.id, 0))
            budgets.append(BudgetUse(project.name, total.budget_fen, total.actual_fen, total.used_percent))
        found = reports.alerts(ws, s, today) if alerts else []
        due = due_notices(s, today)
        county = county_overview(s, today, disclosure=office_disclosure) if is_county(s) else None
    return OverviewData(f"{today:%Y年%m月}", funds, month_in, month_out, year_in, year_out, budgets, found, due,
                        county)


def load_alerts(ws: Workspace, today: date | None = None) -> list[reports.Alert]:
    with ws.reading() as s:
        return reports.alerts(ws, s, today or date.today())


COUNTY_COLUMNS = ["乡镇（街道）", "最近同步包", "缺失的同步包", "基金余额", "项目支出 / 预算", "活动(场)",
                  "受益(人次)", "需求调查", "逾期公示"]
OVERDUE_COLUMN = 8


def county_row(r: OfficeIndicators) -> tuple[str, ...]:
    """One township's line of the county table (the total line too)."""
    spent = f"{format_yuan(r.spent_fen)} / {format_yuan(r.budget_fen)}"
    if r.spent_percent is not None:
        spent += f"（{r.spent_percent}%）"
    local = r.local or r.total
    return (r.name + ("（本会）" if r.local else ""), "" if local else r.last_package,
            "" if local else r.missing_packages, format_yuan(r.balance_fen), spent, str(r.activities),
            str(r.beneficiaries_total), f"{r.surveys} 个" if r.surveys else "—",
            f"逾期 {len(r.overdue)} 项" if r.overdue else "无")


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
    watches = ("ledger", "funds", "projects", "settings", "backups", "notices", "sync", "activities", "surveys")
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

        self.county_rows: list[OfficeIndicators] = []
        self.county_model = RowsModel(COUNTY_COLUMNS, right=(3, 5, 6), red=self._overdue_cell)
        self.county_table = QTableView()
        self.county_table.setModel(self.county_model)
        self.county_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.county_table.verticalHeader().hide()
        self.county_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.county_table.horizontalHeader().setStretchLastSection(True)
        self.county_title = heading("各乡镇（街道）情况")
        self.report_button = QPushButton("生成进展报告…")
        self.report_button.setToolTip("生成全县社区慈善工作进展情况报告（Excel 或 PDF），可选6月、11月报送的半年或任意期间")
        self.report_button.clicked.connect(self.make_report)
        self.county_note = note("")
        self.county_note.setWordWrap(True)
        self.county_box = QWidget()
        county_layout = QVBoxLayout(self.county_box)
        county_layout.setContentsMargins(0, 0, 0, 0)
        title_row = QHBoxLayout()
        title_row.addWidget(self.county_title)
        title_row.addStretch()
        title_row.addWidget(self.report_button)
        county_layout.addLayout(title_row)
        county_layout.addWidget(self.county_table)
        county_layout.addWidget(self.county_note)
        self.county_box.hide()

        self.budget_box = QGridLayout()
        self.budget_box.setColumnStretch(1, 1)
        self.alerts_box = QVBoxLayout()
        self.due_box = QVBoxLayout()

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(heading("概览"))
        layout.addLayout(cards)
        layout.addWidget(self.county_box)
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
        self.ctx.runner.query(lambda: load_overview(ws, today, alerts=False), self.show_data)
        self.ctx.runner.query(lambda: load_alerts(ws, today), self.show_alerts)

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
        self._show_county(data.county)
        self._show_budgets(data.budgets)
        self._show_due(data)

    def show_alerts(self, alerts: list[reports.Alert]) -> None:
        if self.data is None:  # the figures' read failed: it was reported
            return
        self.data = replace(self.data, alerts=alerts)
        self._show_alerts(self.data)

    def _overdue_cell(self, row: int, column: int) -> bool:
        return column == OVERDUE_COLUMN and 0 <= row < len(self.county_rows) and bool(self.county_rows[row].overdue)

    def _show_county(self, county: CountyIndicators | None) -> None:
        self.county_box.setVisible(county is not None)
        if county is None:
            self.county_rows = []
            return
        self.county_rows = [*county.offices, county.total]
        self.county_model.set_rows([county_row(r) for r in self.county_rows])
        self.county_title.setText(f"各乡镇（街道）情况（{county.date_from.year}年1月1日至今）")
        rows = max(1, min(len(self.county_rows), 12))
        self.county_table.setFixedHeight(self.county_table.horizontalHeader().sizeHint().height()
                                         + rows * self.county_table.verticalHeader().defaultSectionSize() + 4)
        late = [r.name for r in county.offices if r.overdue]
        spaces = (f"社区慈善阵地共 {len(county.total.spaces)} 个（“六有”齐全 {county.total.spaces_complete} 个），"
                  + ("已达到到2027年底不少于 5 个的目标。" if not county.spaces_short
                     else f"距到2027年底不少于 5 个的目标尚差 {county.spaces_short} 个。"))
        overdue = (f"有逾期未公示事项的乡镇：{'、'.join(late)}。请提醒其尽快发布公示并报送同步包。" if late
                   else "各乡镇没有逾期未公示的事项。")
        self.county_note.setText(f"{spaces}{overdue}乡镇的数据截至其最近报送的同步包；“—”表示尚未收到。")

    def make_report(self) -> None:
        """生成进展报告…: the period and format, where to save, then the report written in the worker."""
        today = self.today or date.today()
        choice = county_report_dialog.ask_report_period(self, today)
        if choice is None:
            return
        county = self.data.county.county if self.data and self.data.county else ""
        out = exports.ask_path(self.ctx, self, "保存社区慈善工作进展情况报告",
                               county_report_dialog.report_file_name(county, choice), pdf=choice.pdf)
        if out is None:
            return
        ws = self.ctx.ws
        self.ctx.runner.run(
            lambda _progress: write_county_report(ws, choice.date_from, choice.date_to, out, today=today),
            lambda _out: exports.exported(self, out, 0, "社区慈善工作进展情况报告"),
            progress_title=f"正在生成进展报告 {out.name}…", parent=self)

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

"""社区基金: funds with balances, committee, purpose and agreement; new fund; month-end closing."""

from dataclasses import dataclass
from datetime import date
from functools import partial

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.changes import Changes
from desktop_app.core.models import FUND_STATUSES, Fund
from desktop_app.core.money import format_yuan
from desktop_app.core.months import add_months, month_after
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.queries import reports
from desktop_app.core.services import ledger, projects
from desktop_app.core.storage.workspace import Workspace
from desktop_app.core.validation import check_fund_name
from desktop_app.gui import prompts
from desktop_app.gui.county_views import (
    OFFICE_COLUMN,
    OfficeFilter,
    OfficeScope,
    load_office_scope,
    refuse_buttons,
)
from desktop_app.gui.lookups import load_project_choices
from desktop_app.gui.pages.base import Page
from desktop_app.gui.screen_fit import fit_window, scrolling_layout
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import (
    ERROR_STYLE,
    HINT_STYLE,
    OK_STYLE,
    STRETCH,
    AsksBeforeClosing,
    current_of,
    date_edit,
    form_rows,
    heading,
    parse_people,
    people_text,
    pydate,
    qdate,
    read_form,
    reselect,
    row_of,
    save_cancel_buttons,
    table,
    text_box,
    wrapped_label,
)


@dataclass(frozen=True)
class FundDetail:
    fund: Fund
    summary: reports.FundSummary
    committee: list[tuple[str, str, bool]]
    closed: list[str]


def load_funds(ws: Workspace, office_id: str | None = None) -> list[FundDetail]:
    """Every fund (of one office when `office_id` is given: a county's office filter)."""
    with ws.reading() as s:
        summaries = {x.fund_id: x for x in reports.fund_summaries(s, office_id)}
        return [FundDetail(f, summaries[f.id], [(m.name, m.role, m.is_supervisor) for m in project_queries.committee(s, f.id)],
                           project_queries.closed_months(s, f.id)) for f in project_queries.list_funds(s, office_id)]


def load_fund_input(ws: Workspace, fund_id: str) -> tuple[projects.FundInput, str]:
    with ws.reading() as s:
        fund = project_queries.resolve_fund(s, fund_id)
        return projects.fund_input(s, fund), fund.status


class FundsPage(Page):
    title = "社区基金"
    watches = ("funds", "ledger", "projects")

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.details: list[FundDetail] = []
        self.scope = OfficeScope()
        self.office_filter = OfficeFilter()
        self.model = RowsModel(["社区基金", "所属项目", "余额", "限定性", "非限定性", "草稿", OFFICE_COLUMN],
                               right=[2, 3, 4, 5])
        self.view = table(self.model)
        self.view.horizontalHeader().moveSection(6, 0)  # a county's office column leads
        self.view.setColumnHidden(6, True)  # the office column: a county's workspace only
        self.add_button = QPushButton("新增基金…")
        self.edit_button = QPushButton("修改基金…")
        self.close_button = QPushButton("月末结账…")
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.committee_model = RowsModel(["管委会成员", "职务", "监督员"])
        buttons = row_of(self.add_button, self.edit_button, self.close_button, STRETCH)
        layout = QVBoxLayout(self)
        layout.addLayout(row_of(heading("社区基金"), STRETCH, self.office_filter))
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addWidget(heading("基金详情"))
        layout.addWidget(self.info)
        layout.addWidget(table(self.committee_model, stretch=1), 1)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _prev: self.show_fund(current.row()))
        self.add_button.clicked.connect(self.add_fund)
        self.edit_button.clicked.connect(self.edit_fund)
        self.view.doubleClicked.connect(lambda _index: self.edit_fund())
        self.close_button.clicked.connect(self.close_month)
        self.office_filter.currentIndexChanged.connect(lambda _i: self.refresh())

    def refresh(self) -> None:
        ws, office = self.ctx.ws, self.office_filter.office_id()
        self.ctx.runner.query(lambda: (load_office_scope(ws), load_funds(ws, office)), self._loaded)

    def _loaded(self, loaded: tuple[OfficeScope, list[FundDetail]]) -> None:
        self.scope, details = loaded
        self.office_filter.set_scope(self.scope)
        self.view.setColumnHidden(6, not self.scope.county)
        self.show_funds(details)

    def current(self) -> FundDetail | None:
        return current_of(self.view, self.details)

    def show_funds(self, details: list[FundDetail]) -> None:
        previous = self.current()
        self.details = details
        self.model.set_rows([(d.fund.name, d.summary.project_name or "—", format_yuan(d.summary.balance_fen),
                              format_yuan(d.summary.restricted_fen), format_yuan(d.summary.unrestricted_fen),
                              d.summary.drafts or "", self.scope.name(d.fund.office_id)) for d in details])
        self.show_fund(reselect(self.view, [d.fund.id for d in details], previous.fund.id if previous else None))

    def show_fund(self, row: int) -> None:
        for button in (self.edit_button, self.close_button):
            button.setEnabled(0 <= row < len(self.details))
        selected = self.details[row].fund.office_id if 0 <= row < len(self.details) else None
        refuse_buttons(self.scope.foreign_note(selected), self.edit_button, self.close_button)
        self.add_button.setEnabled(True)
        refuse_buttons(self.office_filter.add_note(), self.add_button)
        if not 0 <= row < len(self.details):
            self.info.setText("还没有社区基金。点“新增基金…”登记慈善会设立的社区基金。")
            self.committee_model.set_rows([])
            return
        d = self.details[row]
        f = d.fund
        agreement = f.agreement_no or "未填"
        if f.agreement_date:
            agreement += f"（{f.agreement_date}）"
        closed = f"已结账至 {d.closed[-1]}" if d.closed else "尚未结账"
        owner = f"　登记单位：{self.scope.name(f.office_id)}" if self.scope.county else ""
        self.info.setText(f"<b>{f.name}</b>　状态：{f.status}{owner}<br>所属慈善会：{f.association_name}　设立协议：{agreement}"
                          f"<br>用途：{f.purpose or '未填'}<br>累计收入 {format_yuan(d.summary.income_fen)}，"
                          f"累计支出 {format_yuan(d.summary.expense_fen)}；{closed}")
        self.committee_model.set_rows([(n, r, "是" if s else "") for n, r, s in d.committee])

    def add_fund(self) -> "FundDialog":
        return self._open(FundDialog(self.ctx, self.ctx.ws.local_office().association_name, self))

    def edit_fund(self) -> "FundDialog | None":
        """The add-fund dialog, filled (off the GUI thread) with the selected fund and its committee."""
        detail = self.current()
        if detail is None or self.scope.foreign_note(detail.fund.office_id):  # a township's fund, at the county
            return None
        ws, fund_id = self.ctx.ws, detail.fund.id
        dialog = FundDialog(self.ctx, detail.fund.association_name, self, fund_id=fund_id)
        self._open(dialog)  # the project list is queued first, so `fill` can select the fund's project
        self.ctx.runner.query(lambda: load_fund_input(ws, fund_id), lambda loaded: dialog.fill(*loaded),
                              dialog.load_failed)
        return dialog

    def _open(self, dialog: "FundDialog") -> "FundDialog":
        ws = self.ctx.ws
        self.ctx.runner.query(lambda: load_project_choices(ws), dialog.set_projects)
        dialog.open()
        return dialog

    def close_month(self) -> None:
        detail = self.current()
        if detail is None:
            return
        latest = add_months(date.today().replace(day=1), -1)  # the month before this one: the last that ended
        last = max(detail.closed, default=None)
        earliest = month_after(last) if last else None  # months closed already are not offered
        if earliest is not None and earliest > latest:
            prompts.show_info(self, f"{detail.fund.name} 已结账至 {last}，没有可以结账的月份：每个月结束后才能结账。")
            return
        month = prompts.ask_month(self, "月末结账", f"结账后，{detail.fund.name} 在这个月及以前不能再记账"
                                  "（更正请在以后的月份红字冲销）。请选择要结账的月份：", latest, latest, earliest)
        if not month:
            return
        ws, fund_id = self.ctx.ws, detail.fund.id
        self.ctx.runner.run(lambda: ledger.close_month(ws, fund_id, month),
                            lambda _r: prompts.show_info(self, f"{month} 已结账。"), changes=Changes(funds=True))


class FundDialog(AsksBeforeClosing, QDialog):
    """New fund, or — with `fund_id` — the same form to edit one (filled by `fill`)."""

    def __init__(self, ctx, association: str, parent: QWidget | None = None, *, fund_id: str | None = None):
        super().__init__(parent)
        self.ctx, self.association, self.fund_id = ctx, association, fund_id
        self.original_name = ""
        self.setWindowTitle("修改社区基金" if fund_id else "新增社区基金")
        self.name = QLineEdit()
        self.name.setPlaceholderText(f"如“{association}八台镇尚善社区基金”")
        self.name_check = wrapped_label("命名规范：“慈善组织 + 乡镇(街道) + 字号 + 社区基金”或“慈善组织 + 社区 + 字号 + 基金”。",
                                        HINT_STYLE)
        self.project = QComboBox()
        self.project.addItem("（不属于试点项目）", None)
        self.status = QComboBox()
        self.status.addItems(FUND_STATUSES)
        self.agreement_no = QLineEdit()
        self.has_agreement_date = QCheckBox("已签协议，日期：")
        self.agreement_date = date_edit()
        self.agreement_date.setEnabled(False)
        self.purpose = text_box(2)
        self.committee = text_box(6, "每行一位：姓名，职务；监督员请在职务里写“监督员”")
        self.message = wrapped_label("", ERROR_STYLE)
        dated = row_of(self.has_agreement_date, (self.agreement_date, 1))
        form = form_rows(QFormLayout(), ("基金名称", self.name), ("", self.name_check), ("所属项目", self.project),
                         ("基金状态", self.status), ("设立协议编号", self.agreement_no), ("", dated),
                         ("用途", self.purpose), ("管委会", self.committee))
        form.setRowVisible(self.status, bool(fund_id))  # a new record starts in its default status
        buttons, self.save_button = save_cancel_buttons(self, self.save, enabled=not fund_id)
        scrolling_layout(self, form, self.message, buttons)  # a small screen scrolls the form, not the buttons
        self.name.textChanged.connect(self._check_name)
        self.has_agreement_date.toggled.connect(self.agreement_date.setEnabled)
        fit_window(self, 640)
        self.mark_clean()

    def set_projects(self, items: list[tuple[str, str]]) -> None:
        for project_id, name in items:
            self.project.addItem(name, project_id)

    def fill(self, data: projects.FundInput, status: str) -> None:
        self.original_name = data.name
        self.name.setText(data.name)
        self.project.setCurrentIndex(max(self.project.findData(data.project_id), 0))
        self.status.setCurrentText(status)
        self.agreement_no.setText(data.agreement_no)
        self.has_agreement_date.setChecked(data.agreement_date is not None)
        if data.agreement_date:
            self.agreement_date.setDate(qdate(data.agreement_date))
        self.purpose.setPlainText(data.purpose)
        self.committee.setPlainText(people_text([
            (name, role if not supervisor or "监督" in role else f"{role}（监督员）")
            for name, role, supervisor in data.committee]))
        self.save_button.setEnabled(True)
        self.mark_clean()

    def load_failed(self, exc: BaseException) -> None:
        self.message.setText(f"{exc}\n请关闭此窗口，刷新后重试。")

    def _check_name(self, text: str) -> None:
        if not text.strip():
            return
        check = check_fund_name(text, self.association)
        self.name_check.setText(check.explanation)
        self.name_check.setStyleSheet(OK_STYLE if check.ok else HINT_STYLE)

    def collect(self) -> projects.FundInput:
        committee = [(n, r, "监督" in r) for n, r in parse_people(self.committee.toPlainText(), 2) if n]
        return projects.FundInput(
            name=self.name.text().strip(), project_id=self.project.currentData(),
            agreement_no=self.agreement_no.text().strip(),
            agreement_date=pydate(self.agreement_date.date()) if self.has_agreement_date.isChecked() else None,
            purpose=self.purpose.toPlainText().strip(), committee=committee)

    def save(self) -> None:
        data = read_form(self.collect, self.message)
        if data is None:
            return
        ws = self.ctx.ws

        if self.fund_id:
            op = partial(projects.update_fund, ws, self.fund_id, data, status=self.status.currentText())
        else:
            op = partial(projects.add_fund, ws, data)
        verb = "已修改" if self.fund_id else "已新增"

        def done(result) -> None:
            fund, check = result
            if not check.ok and fund.name != self.original_name:
                prompts.show_info(self, f"社区基金“{fund.name}”{verb}。\n\n{check.explanation}", "命名提示")
            self.accept()

        self.ctx.runner.run(op, done, lambda exc: self.message.setText(str(exc)), changes=Changes(funds=True))

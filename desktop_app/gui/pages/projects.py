"""项目: pilot projects with period, budget, leaders and sites; budget against actual spending."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import reports
from desktop_app.core.errors import UserError
from desktop_app.core.models import Project
from desktop_app.core.money import format_yuan, parse_amount
from desktop_app.core.services import projects
from desktop_app.core.services.changes import Changes
from desktop_app.core.workspace import Workspace
from desktop_app.gui.entry_dialog import ERROR_STYLE, pydate, qdate
from desktop_app.gui.pages.base import Page, heading, note
from desktop_app.gui.table_model import RowsModel


@dataclass(frozen=True)
class ProjectDetail:
    project: Project
    leaders: list[tuple[str, str, str]]
    sites: list[tuple[str, str]]
    budget: list[reports.BudgetRow]


def load_projects(ws: Workspace) -> list[ProjectDetail]:
    with ws.reading() as s:
        return [ProjectDetail(
            p, [(x.name, x.role, x.phone) for x in projects.project_leaders(s, p.id)],
            [(x.name, x.division_code) for x in projects.project_sites(s, p.id)],
            reports.budget_vs_actual(s, p.id)) for p in projects.list_projects(s)]


def table(model: RowsModel, *, stretch: int = 0) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class ProjectsPage(Page):
    title = "项目"
    watches = ("projects", "ledger")

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.details: list[ProjectDetail] = []
        self.list_model = RowsModel(["项目", "总预算"], right=[1])
        self.list_view = table(self.list_model)
        self.add_button = QPushButton("新增项目…")
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.leaders_model = RowsModel(["负责人", "职务", "联系电话（公开）"])
        self.sites_model = RowsModel(["试点村（社区）", "区划代码"])
        self.budget_model = RowsModel(["业务类别", "预算", "实际支出", "差额", "执行率"], right=[1, 2, 3, 4],
                                      red=self._over_budget)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(heading("试点项目"))
        left_layout.addWidget(self.list_view, 1)
        left_layout.addWidget(self.add_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(heading("项目详情"))
        right_layout.addWidget(self.info)
        people = QHBoxLayout()
        people.addWidget(table(self.leaders_model, stretch=1), 3)
        people.addWidget(table(self.sites_model), 2)
        right_layout.addLayout(people, 1)
        right_layout.addWidget(heading("预算执行（已记账支出）"))
        right_layout.addWidget(table(self.budget_model), 2)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([380, 840])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.list_view.selectionModel().currentRowChanged.connect(lambda current, _prev: self.show_project(current.row()))
        self.add_button.clicked.connect(self.add_project)

    def _over_budget(self, row: int, col: int) -> bool:
        detail = self._current()
        if detail is None or col not in (2, 3) or row >= len(detail.budget):
            return False
        line = detail.budget[row]
        return bool(line.budget_fen) and line.actual_fen > line.budget_fen

    def _current(self) -> ProjectDetail | None:
        row = self.list_view.currentIndex().row()
        return self.details[row] if 0 <= row < len(self.details) else None

    def refresh(self) -> None:
        ws = self.ctx.ws
        self.ctx.runner.query(lambda: load_projects(ws), self.show_projects)

    def show_projects(self, details: list[ProjectDetail]) -> None:
        current = self._current()
        self.details = details
        self.list_model.set_rows([(d.project.name, format_yuan(d.project.budget_fen)) for d in details])
        ids = [d.project.id for d in details]
        row = ids.index(current.project.id) if current and current.project.id in ids else 0
        if details:
            self.list_view.selectRow(row)
        self.show_project(row if details else -1)

    def show_project(self, row: int) -> None:
        if not 0 <= row < len(self.details):
            self.info.setText("还没有试点项目。点“新增项目…”登记项目名称、周期、预算、负责人和试点村（社区）。")
            for model in (self.leaders_model, self.sites_model, self.budget_model):
                model.set_rows([])
            return
        d = self.details[row]
        p = d.project
        goals = p.goals if len(p.goals) <= 160 else p.goals[:160] + "…"
        self.info.setText(f"<b>{p.name}</b><br>项目周期：{p.start_date} 至 {p.end_date}；总预算 {format_yuan(p.budget_fen)}；"
                          f"状态：{p.status}<br>{goals}" + (f"<br>完成情况：{p.completion}" if p.completion else ""))
        self.leaders_model.set_rows(d.leaders)
        self.sites_model.set_rows(d.sites)
        self.budget_model.set_rows([(b.category, format_yuan(b.budget_fen), format_yuan(b.actual_fen),
                                     format_yuan(b.difference_fen),
                                     "—" if b.used_percent is None else f"{b.used_percent:.1f}%") for b in d.budget])

    def add_project(self) -> None:
        dialog = ProjectDialog(self.ctx, self)
        dialog.open()
        return dialog


def parse_people(text: str, columns: int) -> list[list[str]]:
    """Lines of “a，b，c” (comma, 、 or tab separated) into lists of `columns` cells."""
    out = []
    for raw in text.splitlines():
        cells = [c.strip() for c in raw.replace("，", ",").replace("、", ",").replace("\t", ",").split(",")]
        if any(cells):
            out.append((cells + [""] * columns)[:columns])
    return out


class ProjectDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("新增试点项目")
        today = date.today()
        self.name = QLineEdit()
        self.start = QDateEdit(qdate(today))
        self.end = QDateEdit(qdate(today.replace(year=today.year + 1)))
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
        self.budget = QLineEdit()
        self.goals = QPlainTextEdit()
        self.goals.setMaximumHeight(80)
        self.leaders = QPlainTextEdit()
        self.leaders.setPlaceholderText("每行一位：姓名，职务，联系电话\n如：蒲栋，万源市慈善会秘书长，13551281592")
        self.leaders.setMaximumHeight(80)
        self.sites = QPlainTextEdit()
        self.sites.setPlaceholderText("每行一个：名称，12 位区划代码（可不填）\n如：八台镇天池村，511781107201")
        self.sites.setMaximumHeight(80)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        form = QFormLayout(self)
        form.addRow("项目名称", self.name)
        form.addRow("开始日期", self.start)
        form.addRow("结束日期", self.end)
        form.addRow("总预算（元）", self.budget)
        form.addRow("主要内容和绩效目标", self.goals)
        form.addRow("负责人", self.leaders)
        form.addRow("试点村（社区）", self.sites)
        form.addRow(note("预算明细可在以后的版本中按业务类别填写；实际支出按台账中的业务类别自动汇总。"))
        form.addRow(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(620, 0)

    def collect(self) -> projects.ProjectInput:
        budget = parse_amount(self.budget.text(), allow_zero=True) if self.budget.text().strip() else Decimal(0)
        return projects.ProjectInput(
            name=self.name.text().strip(), start_date=pydate(self.start.date()), end_date=pydate(self.end.date()),
            budget=budget, goals=self.goals.toPlainText().strip(),
            leaders=[projects.LeaderInput(*cells) for cells in parse_people(self.leaders.toPlainText(), 3)],
            sites=[projects.SiteInput(*cells) for cells in parse_people(self.sites.toPlainText(), 2)])

    def save(self) -> None:
        try:
            data = self.collect()
        except UserError as exc:
            self.message.setText(str(exc))
            return
        ws = self.ctx.ws
        self.ctx.runner.run(lambda: projects.add_project(ws, data), lambda _p: self.accept(),
                            lambda exc: self.message.setText(str(exc)), changes=Changes(projects=True))

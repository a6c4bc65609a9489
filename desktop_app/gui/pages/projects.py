"""项目: pilot projects with period, budget, leaders and sites; budget against actual spending."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from PySide6.QtWidgets import (
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
from desktop_app.core.errors import UserError
from desktop_app.core.models import PROJECT_STATUSES, Project
from desktop_app.core.money import format_yuan, parse_amount
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.queries import reports
from desktop_app.core.services import projects
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui.pages.base import Page
from desktop_app.gui.screen_fit import fit_window, scrolling_layout
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import (
    ERROR_STYLE,
    AsksBeforeClosing,
    current_of,
    date_edit,
    form_rows,
    heading,
    note,
    pane,
    parse_people,
    people_text,
    pydate,
    qdate,
    read_form,
    reselect,
    row_of,
    save_cancel_buttons,
    splitter,
    table,
    text_box,
    wrapped_label,
)


@dataclass(frozen=True)
class ProjectDetail:
    project: Project
    leaders: list[tuple[str, str, str]]
    sites: list[tuple[str, str]]
    budget: list[reports.BudgetRow]


def load_projects(ws: Workspace) -> list[ProjectDetail]:
    with ws.reading() as s:
        return [ProjectDetail(
            p, [(x.name, x.role, x.phone) for x in project_queries.project_leaders(s, p.id)],
            [(x.name, x.division_code) for x in project_queries.project_sites(s, p.id)],
            reports.budget_vs_actual(s, p.id)) for p in project_queries.list_projects(s)]


class ProjectsPage(Page):
    title = "项目"
    watches = ("projects", "ledger")

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.details: list[ProjectDetail] = []
        self.list_model = RowsModel(["项目", "总预算"], right=[1])
        self.list_view = table(self.list_model)
        self.add_button = QPushButton("新增项目…")
        self.edit_button = QPushButton("修改项目…")
        self.edit_button.setEnabled(False)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.leaders_model = RowsModel(["负责人", "职务", "联系电话（公开）"])
        self.sites_model = RowsModel(["试点村（社区）", "区划代码"])
        self.budget_model = RowsModel(["业务类别", "预算", "实际支出", "差额", "执行率"], right=[1, 2, 3, 4],
                                      red=self._over_budget)
        left = pane(heading("试点项目"), (self.list_view, 1), row_of(self.add_button, self.edit_button), margins=None)
        people = row_of((table(self.leaders_model, stretch=1), 3), (table(self.sites_model), 2))
        right = pane(heading("项目详情"), self.info, (people, 1), heading("预算执行（已记账支出）"),
                     (table(self.budget_model), 2), margins=None)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter(left, right, sizes=[380, 840]))
        self.list_view.selectionModel().currentRowChanged.connect(lambda current, _prev: self.show_project(current.row()))
        self.add_button.clicked.connect(self.add_project)
        self.edit_button.clicked.connect(self.edit_project)
        self.list_view.doubleClicked.connect(lambda _index: self.edit_project())

    def _over_budget(self, row: int, col: int) -> bool:
        detail = self._current()
        if detail is None or col not in (2, 3) or row >= len(detail.budget):
            return False
        line = detail.budget[row]
        return bool(line.budget_fen) and line.actual_fen > line.budget_fen

    def _current(self) -> ProjectDetail | None:
        return current_of(self.list_view, self.details)

    def refresh(self) -> None:
        ws = self.ctx.ws
        self.ctx.runner.query(lambda: load_projects(ws), self.show_projects)

    def show_projects(self, details: list[ProjectDetail]) -> None:
        current = self._current()
        self.details = details
        self.list_model.set_rows([(d.project.name, format_yuan(d.project.budget_fen)) for d in details])
        self.show_project(reselect(self.list_view, [d.project.id for d in details],
                                   current.project.id if current else None))

    def show_project(self, row: int) -> None:
        self.edit_button.setEnabled(0 <= row < len(self.details))
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

    def add_project(self) -> "ProjectDialog":
        dialog = ProjectDialog(self.ctx, self)
        dialog.open()
        return dialog

    def edit_project(self) -> "ProjectDialog | None":
        """The add-project dialog, filled (off the GUI thread) with the selected project."""
        detail = self._current()
        if detail is None:
            return None
        ws, project_id = self.ctx.ws, detail.project.id
        dialog = ProjectDialog(self.ctx, self, project_id=project_id)
        self.ctx.runner.query(lambda: load_project_input(ws, project_id), lambda loaded: dialog.fill(*loaded),
                              dialog.load_failed)
        dialog.open()
        return dialog


def load_project_input(ws: Workspace, project_id: str) -> tuple[projects.ProjectInput, str]:
    with ws.reading() as s:
        project = project_queries.resolve_project(s, project_id)
        return projects.project_input(s, project), project.status


_BUDGET_LINE = re.compile(r"^(.*?)[\s,，、:：]+([^\s,，、:：]\S*)$")


def parse_budget_lines(text: str) -> dict[str, Decimal]:
    """Lines of “业务类别，金额” (the amount may be typed as 40万 or 400,000.00)."""
    out: dict[str, Decimal] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        m = _BUDGET_LINE.match(line)
        if not m or not m.group(1).strip():
            raise UserError(f"预算明细第 {n} 行“{line}”应写成“业务类别，金额”，例如“阵地建设，40万”。")
        category = m.group(1).strip()
        if category in out:
            raise UserError(f"预算明细中“{category}”出现了两次。请合并为一行。")
        try:
            out[category] = parse_amount(m.group(2), allow_zero=True)
        except UserError as exc:
            raise UserError(f"预算明细第 {n} 行（{category}）：{exc}") from None
    return out


def budget_text(lines: dict[str, Decimal]) -> str:
    return "\n".join(f"{category}，{amount:,.2f}" for category, amount in lines.items())


class ProjectDialog(AsksBeforeClosing, QDialog):
    """New project, or — with `project_id` — the same form to edit one (filled by `fill`)."""

    def __init__(self, ctx, parent: QWidget | None = None, *, project_id: str | None = None):
        super().__init__(parent)
        self.ctx, self.project_id = ctx, project_id
        self.setWindowTitle("修改试点项目" if project_id else "新增试点项目")
        today = date.today()
        self.name = QLineEdit()
        self.start = date_edit(today)
        self.end = date_edit(today.replace(year=today.year + 1))
        self.budget = QLineEdit()
        self.status = QComboBox()
        self.status.addItems(PROJECT_STATUSES)
        self.goals = text_box(4)
        self.completion = text_box(2, "已完成的工作和成效（资金数字由台账自动汇总）")
        self.leaders = text_box(3, "每行一位：姓名，职务，联系电话\n如：蒲栋，万源市慈善会秘书长，13551281592")
        self.sites = text_box(3, "每行一个：名称，12 位区划代码（可不填）\n如：八台镇天池村，511781107201")
        self.budget_lines = text_box(6, "每行一项：业务类别，金额（可不填）\n如：阵地建设，40万")
        self.message = wrapped_label("", ERROR_STYLE)
        form = form_rows(QFormLayout(), ("项目名称", self.name), ("开始日期", self.start), ("结束日期", self.end),
                         ("总预算（元）", self.budget), ("项目状态", self.status), ("主要内容和绩效目标", self.goals),
                         ("完成情况", self.completion), ("负责人", self.leaders), ("试点村（社区）", self.sites),
                         ("预算明细", self.budget_lines),
                         note("预算明细按业务类别填写，合计不超过总预算；实际支出按台账中的业务类别自动汇总。"))
        form.setRowVisible(self.status, bool(project_id))  # a new record starts in its default status
        buttons, self.save_button = save_cancel_buttons(self, self.save, enabled=not project_id)
        scrolling_layout(self, form, self.message, buttons)  # a small screen scrolls the form, not the buttons
        fit_window(self, 640)
        self.mark_clean()

    def fill(self, data: projects.ProjectInput, status: str) -> None:
        self.name.setText(data.name)
        self.start.setDate(qdate(data.start_date))
        self.end.setDate(qdate(data.end_date))
        self.budget.setText(f"{data.budget:,.2f}")
        self.status.setCurrentText(status)
        self.goals.setPlainText(data.goals)
        self.completion.setPlainText(data.completion)
        self.leaders.setPlainText(people_text([(x.name, x.role, x.phone) for x in data.leaders]))
        self.sites.setPlainText(people_text([(x.name, x.division_code) for x in data.sites]))
        self.budget_lines.setPlainText(budget_text(data.budget_lines))
        self.save_button.setEnabled(True)
        self.mark_clean()

    def load_failed(self, exc: BaseException) -> None:
        self.message.setText(f"{exc}\n请关闭此窗口，刷新后重试。")

    def collect(self) -> projects.ProjectInput:
        budget = parse_amount(self.budget.text(), allow_zero=True) if self.budget.text().strip() else Decimal(0)
        return projects.ProjectInput(
            name=self.name.text().strip(), start_date=pydate(self.start.date()), end_date=pydate(self.end.date()),
            budget=budget, goals=self.goals.toPlainText().strip(), completion=self.completion.toPlainText().strip(),
            leaders=[projects.LeaderInput(*cells) for cells in parse_people(self.leaders.toPlainText(), 3)],
            sites=[projects.SiteInput(*cells) for cells in parse_people(self.sites.toPlainText(), 2)],
            budget_lines=parse_budget_lines(self.budget_lines.toPlainText()))

    def save(self) -> None:
        data = read_form(self.collect, self.message)
        if data is None:
            return
        ws = self.ctx.ws
        op = (partial(projects.update_project, ws, self.project_id, data, status=self.status.currentText())
              if self.project_id else partial(projects.add_project, ws, data))
        self.ctx.runner.run(op, lambda _p: self.accept(), lambda exc: self.message.setText(str(exc)),
                            changes=Changes(projects=True))

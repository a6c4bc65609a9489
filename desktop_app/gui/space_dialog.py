"""新增/修改慈善阵地: name, project, site, kind, address, opening date; the construction milestones
(date, percent, note); the six "haves" (六有), each checked with a note and its evidence — activities,
posted expenses and photos of the space's project.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import select

from desktop_app.core.changes import ACTIVITIES
from desktop_app.core.errors import UserError
from desktop_app.core.models import SIX_HAVES, CharitySpace
from desktop_app.core.queries import spaces as space_queries
from desktop_app.core.queries.projects import project_choices, project_sites
from desktop_app.core.services import spaces
from desktop_app.core.storage.workspace import Workspace
from desktop_app.core.validation import parse_count, parse_date
from desktop_app.gui import prompts
from desktop_app.gui.screen_fit import fit_window, scrolling_layout
from desktop_app.gui.widgets import (
    ERROR_STYLE,
    AsksBeforeClosing,
    GrowingMessage,
    date_edit,
    heading,
    note,
    pydate,
    qdate,
    read_form,
    refill,
    save_cancel_buttons,
    select_data,
    submit,
    text_box,
)

SPACE_KINDS = ("集装箱服务站", "村(社区)活动室", "党群服务中心", "社工站", "慈善超市", "其他")
HAVE_HINTS = {  # what the have means, and an example note
    "有人员": ("专职或兼职管理人员、志愿者", "如“专职管理员 2 名，志愿者 15 名”"),
    "有场所": ("固定的服务场地和设施", "如“村委会一楼活动室 80 平方米”"),
    "有资金": ("社区基金或项目经费保障", "如“尚善社区基金，年度预算 5 万元”"),
    "有项目": ("常态开展的慈善服务项目", "如“一老一小关爱服务项目”"),
    "有活动": ("定期开展的慈善活动", "如“每月开展 2 次慈善活动”"),
    "有场景": ("慈善文化宣传和服务场景", "如“慈善文化墙、爱心超市”"),
}
Evidence = tuple[str, str, str]  # (kind, record id, label)


@dataclass(frozen=True)
class SpaceChoices:
    projects: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    sites: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # project id → (id, name)
    kinds: list[str] = field(default_factory=list)


def load_space_choices(ws: Workspace) -> SpaceChoices:
    with ws.reading() as s:
        projects = project_choices(s)
        used = s.exec(select(CharitySpace.kind).where(CharitySpace.deleted == False).distinct())  # noqa: E712
        kinds = list(dict.fromkeys([*SPACE_KINDS, *(k for k in used if k)]))
        sites = {pid: [(x.id, x.name) for x in project_sites(s, pid)] for pid, _name in projects}
        return SpaceChoices(projects, sites, kinds)


def load_evidence_options(ws: Workspace, project_id: str, space_id: str | None) -> list[Evidence]:
    with ws.reading() as s:
        return space_queries.evidence_options(s, project_id, space_id)


def load_space_for_edit(ws: Workspace, space_id: str) -> tuple[spaces.SpaceInput, dict[tuple[str, str], str]]:
    with ws.reading() as s:
        data = spaces.space_input(s, space_id)
        labels = {(kind, rid): space_queries.describe_evidence(s, kind, rid)
                  for have in data.haves.values() for kind, rid in have.evidence}
        return data, labels


class HaveBox(QGroupBox):
    """One of the six haves: 已具备, a note and the evidence list."""

    def __init__(self, have: str, parent: QWidget | None = None):
        super().__init__(have, parent)
        self.have = have
        meaning, example = HAVE_HINTS.get(have, ("", ""))
        self.met = QCheckBox(f"已具备（{meaning}）" if meaning else "已具备")
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(f"说明，{example}" if example else "说明")
        self.evidence = QListWidget()
        self.evidence.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.evidence.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.evidence.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.evidence.setFixedHeight(self.evidence.fontMetrics().lineSpacing() * 3 + 10)
        self.add_button = QPushButton("添加证明…")
        self.remove_button = QPushButton("移除")
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        files = QHBoxLayout()
        files.addWidget(self.evidence, 1)
        files.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.met)
        layout.addWidget(self.note_edit)
        layout.addLayout(files)
        self.remove_button.clicked.connect(self.remove_selected)

    def evidence_keys(self) -> list[tuple[str, str]]:
        return [self.evidence.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.evidence.count())]

    def add_evidence(self, items: list[Evidence]) -> None:
        known = set(self.evidence_keys())
        for kind, record_id, label in items:
            if (kind, record_id) not in known:
                entry = QListWidgetItem(label)
                entry.setData(Qt.ItemDataRole.UserRole, (kind, record_id))
                entry.setToolTip(label)
                self.evidence.addItem(entry)
                known.add((kind, record_id))

    def remove_selected(self) -> None:
        for item in self.evidence.selectedItems():
            self.evidence.takeItem(self.evidence.row(item))

    def fill(self, value: spaces.HaveInput, labels: dict[tuple[str, str], str]) -> None:
        self.met.setChecked(value.met)
        self.note_edit.setText(value.note)
        self.evidence.clear()
        self.add_evidence([(kind, rid, labels.get((kind, rid), "")) for kind, rid in value.evidence])

    def collect(self) -> spaces.HaveInput:
        return spaces.HaveInput(self.met.isChecked(), self.note_edit.text().strip(), self.evidence_keys())


class SpaceDialog(AsksBeforeClosing, GrowingMessage, QDialog):
    """New charity space, or — with `space_id` — the same form to edit one (filled by `fill`)."""

    def __init__(self, ctx, parent: QWidget | None = None, *, space_id: str | None = None):
        super().__init__(parent)
        self.ctx, self.space_id = ctx, space_id
        self.choices = SpaceChoices()
        self.options: dict[str, list[Evidence]] = {}  # project id → evidence that may be attached
        self.setWindowTitle("修改慈善阵地" if space_id else "新增慈善阵地")
        self.name = QLineEdit()
        self.name.setPlaceholderText("如“Ai青花慈善服务阵地”")
        self.project = QComboBox()
        self.site = QComboBox()
        self.kind = QComboBox()
        self.kind.setEditable(True)
        self.kind.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.kind.addItems(SPACE_KINDS)
        self.kind.setEditText("")
        self.kind.lineEdit().setPlaceholderText("如 集装箱服务站、村(社区)活动室")
        self.address = QLineEdit()
        self.has_opened = QCheckBox("已启用，日期：")
        self.opened = date_edit()
        self.opened.setEnabled(False)
        self.note_edit = text_box(2)
        self.milestones = QStandardItemModel(0, 3, self)
        self.milestones.setHorizontalHeaderLabels(["日期", "进度（%）", "说明"])
        self.milestone_view = QTableView()
        self.milestone_view.setModel(self.milestones)
        self.milestone_view.verticalHeader().hide()
        self.milestone_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.milestone_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        digits = self.milestone_view.fontMetrics().horizontalAdvance("2024-05-01")
        self.milestone_view.setColumnWidth(0, digits + 24)
        self.milestone_view.setColumnWidth(1, max(digits * 7 // 10, header.sectionSizeHint(1)) + 8)
        self.add_milestone_button = QPushButton("添加进度")
        self.remove_milestone_button = QPushButton("删除所选进度")
        self.haves = {name: HaveBox(name) for name in SIX_HAVES}
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)

        opened = QHBoxLayout()
        opened.addWidget(self.has_opened)
        opened.addWidget(self.opened, 1)
        form = QFormLayout()
        form.addRow("阵地名称", self.name)
        form.addRow("所属项目", self.project)
        form.addRow("试点村（社区）", self.site)
        form.addRow("阵地类型", self.kind)
        form.addRow("地址", self.address)
        form.addRow("", opened)
        form.addRow("备注", self.note_edit)
        milestone_buttons = QHBoxLayout()
        milestone_buttons.addWidget(self.add_milestone_button)
        milestone_buttons.addWidget(self.remove_milestone_button)
        milestone_buttons.addStretch()
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(heading("建设进度"))
        left.addWidget(note("每行一个节点：日期写成 2024-05-01，进度填 0 到 100 的整数，只能逐步增加。"))
        left.addWidget(self.milestone_view, 1)
        left.addLayout(milestone_buttons)
        grid = QGridLayout()
        for i, box in enumerate(self.haves.values()):
            grid.addWidget(box, i // 2, i % 2)
        right = QVBoxLayout()
        right.addWidget(heading("六有"))
        right.addWidget(note("勾选已具备的条件，并添加本项目的活动、已记账支出或照片作为证明。"))
        right.addLayout(grid)
        right.addStretch()
        columns = QHBoxLayout()
        columns.addLayout(left, 4)
        columns.addSpacing(12)
        columns.addLayout(right, 6)
        buttons, self.save_button = save_cancel_buttons(self, self.save, enabled=False)
        scrolling_layout(self, columns, self.message, buttons)  # a small screen scrolls the form, not the buttons

        self.project.currentIndexChanged.connect(lambda _i: self._project_changed())
        self.has_opened.toggled.connect(self.opened.setEnabled)
        self.add_milestone_button.clicked.connect(lambda: self.add_milestone_row())
        self.remove_milestone_button.clicked.connect(self.remove_milestone_rows)
        for box in self.haves.values():
            box.add_button.clicked.connect(partial(self.add_evidence, box))
        fit_window(self, 1180, key="space")
        self.mark_clean()  # closing asks only once something was typed

    def typed_state(self) -> tuple:
        model = self.milestones  # the milestones table is typed data too
        rows = tuple(tuple(model.index(r, c).data() for c in range(3)) for r in range(model.rowCount()))
        return super().typed_state() + (rows,)

    # ---------------------------------------------------------------- loading

    def load(self) -> None:
        """Read the projects and sites, then (to edit) the space; 保存 is enabled once all is in."""
        ws, space_id = self.ctx.ws, self.space_id
        self.ctx.runner.query(lambda: load_space_choices(ws), self.set_choices, self.load_failed)
        if space_id:
            self.ctx.runner.query(lambda: load_space_for_edit(ws, space_id), lambda loaded: self.fill(*loaded),
                                  self.load_failed)

    def set_choices(self, choices: SpaceChoices) -> None:
        with self.filling():
            self._set_choices(choices)

    def _set_choices(self, choices: SpaceChoices) -> None:
        self.choices = choices
        refill(self.project, [("（不属于试点项目）", None)] + [(name, pid) for pid, name in choices.projects])
        if len(choices.projects) == 1 and not self.space_id:
            self.project.setCurrentIndex(1)
        typed = self.kind.currentText()
        self.kind.clear()
        self.kind.addItems(choices.kinds)
        self.kind.setEditText(typed)
        self._project_changed()
        if not self.space_id:
            self.save_button.setEnabled(True)

    def fill(self, data: spaces.SpaceInput, labels: dict[tuple[str, str], str]) -> None:
        with self.filling():
            self._fill(data, labels)

    def _fill(self, data: spaces.SpaceInput, labels: dict[tuple[str, str], str]) -> None:
        self.name.setText(data.name)
        select_data(self.project, data.project_id)
        self._project_changed()
        select_data(self.site, data.site_id)
        self.kind.setEditText(data.kind)
        self.address.setText(data.address)
        self.has_opened.setChecked(data.opened_on is not None)
        if data.opened_on:
            self.opened.setDate(qdate(data.opened_on))
        self.note_edit.setPlainText(data.note)
        self.milestones.removeRows(0, self.milestones.rowCount())
        for m in data.milestones:
            self.add_milestone_row(m.milestone_date, m.percent, m.note)
        for name, box in self.haves.items():
            box.fill(data.haves.get(name, spaces.HaveInput()), labels)
        self.save_button.setEnabled(True)

    def load_failed(self, exc: BaseException) -> None:
        self.show_message(f"{exc}\n请关闭此窗口，刷新后重试。")

    def _project_changed(self) -> None:
        sites = self.choices.sites.get(self.project.currentData() or "", [])
        refill(self.site, [("（整个项目 / 未指定）", None)] + [(name, sid) for sid, name in sites])

    # ---------------------------------------------------------------- milestones

    def add_milestone_row(self, day: date | None = None, percent: int | None = None, text: str = "") -> None:
        if percent is None:
            last = self.milestones.item(self.milestones.rowCount() - 1, 1) if self.milestones.rowCount() else None
            percent = min(int(last.text()) + 10, 100) if last and last.text().isdigit() else 10
        self.milestones.appendRow([QStandardItem((day or date.today()).isoformat()), QStandardItem(str(percent)),
                                   QStandardItem(text)])
        self.milestone_view.setCurrentIndex(self.milestones.index(self.milestones.rowCount() - 1, 2))

    def remove_milestone_rows(self) -> None:
        rows = {i.row() for i in self.milestone_view.selectionModel().selectedIndexes()}
        rows.add(self.milestone_view.currentIndex().row())
        for row in sorted(rows - {-1}, reverse=True):
            self.milestones.removeRow(row)

    def collect_milestones(self) -> list[spaces.MilestoneInput]:
        out = []
        for row in range(self.milestones.rowCount()):
            day, percent, text = (self.milestones.item(row, c).text() if self.milestones.item(row, c) else ""
                                  for c in range(3))
            if not (day.strip() or percent.strip() or text.strip()):
                continue
            what = f"建设进度第 {row + 1} 行"
            when = parse_date(day, what=f"{what}的日期")
            raw = percent.strip().removesuffix("%").removesuffix("％").strip()
            if not raw:
                raise UserError(f"{what}（{when}）没有填进度。请填 0 到 100 的整数，例如 70。")
            out.append(spaces.MilestoneInput(when, parse_count(raw, f"{what}的进度"), text.strip()))
        return out

    # ---------------------------------------------------------------- evidence

    def add_evidence(self, box: HaveBox) -> None:
        project_id = self.project.currentData()
        if not project_id:
            prompts.show_info(self, "证明材料从阵地所属项目的活动、支出和照片中选择。请先选择“所属项目”。")
            return
        if project_id in self.options:
            self._pick_evidence(box, self.options[project_id])
            return
        ws, space_id = self.ctx.ws, self.space_id

        def loaded(options: list[Evidence]) -> None:
            self.options[project_id] = options
            self._pick_evidence(box, options)

        self.ctx.runner.query(lambda: load_evidence_options(ws, project_id, space_id), loaded, self.load_failed)

    def _pick_evidence(self, box: HaveBox, options: list[Evidence]) -> None:
        known = set(box.evidence_keys())
        left = [o for o in options if (o[0], o[1]) not in known]
        if not left:
            prompts.show_info(self, "这个项目没有可添加的活动、已记账支出或照片。请先在“活动记录”页登记活动，"
                              "或在“收支台账”中记账，再回来添加证明。")
            return
        chosen = prompts.choose_many(self, f"为“{box.have}”添加证明",
                                     f"选择能证明“{box.have}”的活动、支出或照片（可多选）：", [o[2] for o in left])
        if chosen:
            box.add_evidence([left[i] for i in chosen])
            box.met.setChecked(True)

    # ---------------------------------------------------------------- saving

    def collect(self) -> spaces.SpaceInput:
        return spaces.SpaceInput(
            name=self.name.text().strip(), project_id=self.project.currentData(), site_id=self.site.currentData(),
            kind=self.kind.currentText().strip(), address=self.address.text().strip(),
            opened_on=pydate(self.opened.date()) if self.has_opened.isChecked() else None,
            note=self.note_edit.toPlainText().strip(), milestones=self.collect_milestones(),
            haves={name: box.collect() for name, box in self.haves.items()})

    def save(self) -> None:
        data = read_form(self.collect, self.message, grow=self)
        if data is None:
            return
        ws = self.ctx.ws
        op = (partial(spaces.update_space, ws, self.space_id, data) if self.space_id
              else partial(spaces.add_space, ws, data))
        submit(self, op, ACTIVITIES, lambda space: f"已保存慈善阵地：{space.name}")

"""设置: office identity, business categories, bookkeeping rules, backups, hash-chain verification."""

from dataclasses import dataclass

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import settings as setting_registry
from desktop_app.core.changes import Changes
from desktop_app.core.errors import Cancelled
from desktop_app.core.models import CATEGORY_KINDS, Category, Office
from desktop_app.core.queries.categories import local_categories
from desktop_app.core.queries.settings import local_setting
from desktop_app.core.services import categories, office, settings
from desktop_app.core.services import verify as integrity
from desktop_app.core.storage.backup import BackupInfo
from desktop_app.core.storage.backup_file import FileBackup
from desktop_app.core.storage.files import shown_name, where
from desktop_app.core.storage.findings import VerifyReport
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui import prompts
from desktop_app.gui.pages.base import Page
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import (
    ERROR_STYLE,
    OK_STYLE,
    STRETCH,
    form_rows,
    heading,
    note,
    row_of,
    table,
    wrapped_label,
)

SETTINGS = Changes(settings=True)
NOTICE_KEYS = ("notice.days", "notice.association_phone", "notice.civil_affairs_name", "notice.civil_affairs_phone")
BACKUPS = Changes(backups=True)


@dataclass(frozen=True)
class SettingsData:
    office: Office
    categories: list[Category]
    require_attachment: bool
    old_draft_days: int
    backups: list[BackupInfo]
    notice: dict  # the notice.* settings: key → value


def load_settings(ws: Workspace) -> SettingsData:
    with ws.reading() as s:
        return SettingsData(ws.local_office(), local_categories(s, include_inactive=True),
                            bool(local_setting(s, "require_expense_attachment")),
                            int(local_setting(s, "old_draft_days")), ws.list_backups(),
                            {key: local_setting(s, key) for key in NOTICE_KEYS})


def describe_report(report: VerifyReport, details: bool = False) -> str:
    """The findings in plain words; with `details`, each followed by its file locations and hashes."""
    head = f"共校验 {report.funds} 个社区基金、{report.entries} 条已记账分录。\n比对依据：{report.witnesses_text()}。"
    notes = "".join(f"\n说明：{note}" for note in report.notes)
    if report.ok:
        return head + "\n数据完好：记账后的数据没有被改动、删除或插入。" + notes
    lines = []
    for p in report.problems:
        lines.append(p.describe())
        if details and p.technical:
            lines += [f"    {line}" for line in p.technical.splitlines()]
    return (head + f"\n发现 {len(report.problems)} 处问题（有人绕过本程序改动了数据库文件）：\n" + "\n".join(lines)
            + "\n\n请从改动之前的备份恢复（设置 › 备份），并查明是谁改动了数据库文件。" + notes)


def restored_details(source, safety: BackupInfo) -> str:
    """For 详细信息 after a restore: the backup restored and the one made of the data it replaced, in full."""
    return f"恢复所用的备份：{source}\n恢复前的数据另存在：{safety.path}"


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


class SettingsPage(Page):
    title = "设置"
    watches = ("settings", "backups")

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.data: SettingsData | None = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self._office_tab(), "本单位")
        self.tabs.addTab(self._categories_tab(), "业务类别")
        self.tabs.addTab(self._rules_tab(), "记账规则")
        self.tabs.addTab(self._notice_tab(), "信息公示")
        self.tabs.addTab(self._backups_tab(), "备份")
        self.tabs.addTab(self._verify_tab(), "数据校验")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("设置"))
        layout.addWidget(self.tabs)

    # ---------------------------------------------------------------- tabs


    def show_tab(self, name: str) -> None:
        """Bring the tab titled `name` (e.g. "备份") to the front; by title, so adding a tab moves nothing."""
        for index in range(self.tabs.count()):
            if self.tabs.tabText(index) == name:
                self.tabs.setCurrentIndex(index)
                return
        raise KeyError(name)

    def _office_tab(self) -> QWidget:
        tab = QWidget()
        self.office_name = QLineEdit()
        self.division_code = QLineEdit()
        self.division_code.setMaxLength(12)
        self.division_code.setPlaceholderText("12 位统计用区划代码，乡镇的末 3 位为 000")
        self.association = QLineEdit()
        self.code_year = QSpinBox()
        self.code_year.setRange(2009, 2100)
        self.office_level = QLabel()
        self.save_office_button = QPushButton("保存本单位信息")
        form_rows(QFormLayout(tab), ("本单位名称", self.office_name), ("统计用区划代码", self.division_code),
                  ("区划代码表年份", self.code_year), ("单位层级", self.office_level), ("所属慈善会", self.association),
                  ("", self.save_office_button))
        self.save_office_button.clicked.connect(self.save_office)
        return tab

    def _categories_tab(self) -> QWidget:
        tab = QWidget()
        self.categories_model = RowsModel(["名称", "种类", "状态"])
        self.categories_view = table(self.categories_model)
        self.new_category = QLineEdit()
        self.new_category.setPlaceholderText("新类别名称，如“助学”")
        self.new_category_kind = QComboBox()
        for kind, label in CATEGORY_KINDS.items():
            self.new_category_kind.addItem(label, kind)
        add = QPushButton("添加类别")
        self.toggle_category_button = QPushButton("停用/启用所选类别")
        row = row_of((self.new_category, 1), self.new_category_kind, add, self.toggle_category_button)
        layout = QVBoxLayout(tab)
        layout.addWidget(note("收支类别用于统计和预算执行，活动类型和受益群体用于活动记录。已用过的类别不能删除，只能停用：停用后不再出现在录入选项中，"
                              "历史分录保持不变。"))
        layout.addWidget(self.categories_view, 1)
        layout.addLayout(row)
        add.clicked.connect(self.add_category)
        self.new_category.returnPressed.connect(self.add_category)
        self.toggle_category_button.clicked.connect(self.toggle_category)
        return tab

    def _rules_tab(self) -> QWidget:
        tab = QWidget()
        self.require_attachment = QCheckBox(setting_registry.LABELS["require_expense_attachment"])
        self.old_draft_days = QSpinBox()
        self.old_draft_days.setRange(1, 365)
        self.old_draft_days.setSuffix(" 天")
        save = QPushButton("保存记账规则")
        form_rows(QFormLayout(tab), self.require_attachment,
                  note("勾选时，支出必须附上发票、收据或签收单的扫描件或照片才能记账（建议保持勾选）。"),
                  (setting_registry.LABELS["old_draft_days"], self.old_draft_days), ("", save))
        save.clicked.connect(self.save_rules)
        return tab

    def _notice_tab(self) -> QWidget:
        """What every notice prints unless the builder is told otherwise: the 公示期 length and the
        supervision phones (a blank phone prints as a line to write in by hand)."""
        tab = QWidget()
        self.notice_days = QSpinBox()
        self.notice_days.setRange(1, 365)
        self.notice_days.setSuffix(" 天")
        self.association_phone = QLineEdit()
        self.association_phone.setPlaceholderText("例如 0818-8622345；不填则公示上留横线")
        self.civil_affairs_name = QLineEdit()
        self.civil_affairs_name.setPlaceholderText("例如 青花镇民政办")
        self.civil_affairs_phone = QLineEdit()
        self.civil_affairs_phone.setPlaceholderText("例如 0818-8627890；不填则公示上留横线")
        self.save_notice_button = QPushButton("保存公示设置")
        self.notice_message = wrapped_label()
        labels = setting_registry.LABELS
        form_rows(QFormLayout(tab), note("新建公示时默认使用这些内容，生成时仍可逐份修改。监督电话印在公示的“公示期与监督”部分，"
                                         "另附政务服务便民热线 12345。"),
                  (labels["notice.days"], self.notice_days), (labels["notice.association_phone"], self.association_phone),
                  (labels["notice.civil_affairs_name"], self.civil_affairs_name),
                  (labels["notice.civil_affairs_phone"], self.civil_affairs_phone), ("", self.save_notice_button),
                  self.notice_message)
        self.save_notice_button.clicked.connect(self.save_notice_settings)
        return tab

    def _backups_tab(self) -> QWidget:
        tab = QWidget()
        self.backups_model = RowsModel(["备份时间", "类型", "大小"], right=[2])
        self.backups_view = table(self.backups_model, stretch=1)
        self.backup_button = QPushButton("立即备份")
        self.backup_to_button = QPushButton("备份到…")
        self.backup_to_button.setToolTip("把台账数据、全部凭证照片和公示存档备份成一个文件，保存到 U 盘或其他文件夹")
        self.restore_button = QPushButton("恢复所选备份…")
        self.restore_file_button = QPushButton("从备份文件恢复…")
        folder = QPushButton("打开备份文件夹")
        row = row_of(self.backup_button, self.backup_to_button, self.restore_button, self.restore_file_button, folder,
                     STRETCH)
        layout = QVBoxLayout(tab)
        layout.addWidget(note("每次打开（每天一次）和关闭程序时自动备份台账数据（新增的凭证和照片也另存一份），保留最近 10 份和每个月的最后一份。"
                              "这些备份和台账在同一台电脑上：请每月用“备份到…”把数据连同全部凭证、照片和公示存档"
                              "备份成一个文件，存到 U 盘另外保管；换电脑时用“从备份文件恢复…”恢复。"))
        layout.addWidget(self.backups_view, 1)
        layout.addLayout(row)
        self.backup_button.clicked.connect(self.backup_now)
        self.backup_to_button.clicked.connect(self.backup_to)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.ctx.ws.backups_dir))))
        return tab

    def _verify_tab(self) -> QWidget:
        tab = QWidget()
        self.verify_button = QPushButton("核验数据")
        self.verify_result = QPlainTextEdit()
        self.verify_result.setReadOnly(True)
        self.verify_result.setPlaceholderText("尚未校验。")
        # file locations and hashes are for whoever investigates, not for the daily reading: shown on request
        self.verify_details = QCheckBox("显示详细信息（文件位置和哈希值）")
        self.verify_details.setEnabled(False)
        self.verify_details.toggled.connect(self._show_report)
        self.verify_report: VerifyReport | None = None
        layout = QVBoxLayout(tab)
        layout.addWidget(note("每笔记账后的分录都串在一条哈希链上。核验会重新计算整条链，并与变更记录、每份备份、"
                              "已发布的公示和附件文件逐一比对，找出在本程序之外被改动、删除或插入的数据"
                              "（例如有人直接改了数据库文件），并说明是从哪里发现的。"))
        layout.addLayout(row_of(self.verify_button, STRETCH, self.verify_details))
        layout.addWidget(self.verify_result, 1)
        self.verify_button.clicked.connect(self.verify_chains)
        return tab

    # ---------------------------------------------------------------- data

    def refresh(self) -> None:
        ws = self.ctx.ws
        self.ctx.runner.query(lambda: load_settings(ws), self.show_data)

    def show_data(self, data: SettingsData) -> None:
        self.data = data
        o = data.office
        self.office_name.setText(o.name)
        self.division_code.setText(o.division_code)
        self.association.setText(o.association_name)
        self.code_year.setValue(o.code_year)
        self.office_level.setText(o.level)
        self.categories_model.set_rows(
            [(c.name, CATEGORY_KINDS.get(c.kind, c.kind), "启用" if c.active else "已停用") for c in data.categories],
            data.categories)
        self.require_attachment.setChecked(data.require_attachment)
        self.old_draft_days.setValue(data.old_draft_days)
        self.notice_days.setValue(int(data.notice["notice.days"]))
        self.association_phone.setText(str(data.notice["notice.association_phone"]))
        self.civil_affairs_name.setText(str(data.notice["notice.civil_affairs_name"]))
        self.civil_affairs_phone.setText(str(data.notice["notice.civil_affairs_phone"]))
        self.backups_model.set_rows([(f"{b.taken_at.astimezone():%Y-%m-%d %H:%M:%S}{b.future_mark}", b.reason_label,
                                      size_text(b.size)) for b in data.backups], data.backups)

    # ---------------------------------------------------------------- commands

    def save_office(self) -> None:
        ws = self.ctx.ws
        name, code, association, year = (self.office_name.text(), self.division_code.text(), self.association.text(),
                                          self.code_year.value())
        self.ctx.runner.run(lambda: office.update_office(ws, name=name, division_code=code, association=association,
                                                         code_year=year),
                            lambda _o: prompts.show_info(self, "本单位信息已保存。"), changes=SETTINGS)

    def add_category(self) -> None:
        ws, name, kind = self.ctx.ws, self.new_category.text(), self.new_category_kind.currentData()
        self.ctx.runner.run(lambda: categories.add_category(ws, name, kind), lambda _c: self.new_category.clear(),
                            changes=SETTINGS)

    def toggle_category(self) -> None:
        rows = self.categories_view.selectionModel().selectedRows()
        category = self.categories_model.key(rows[0].row()) if rows else None
        if category is None:
            prompts.show_info(self, "请先在列表中选择一个类别。")
            return
        ws, active = self.ctx.ws, not category.active
        self.ctx.runner.run(lambda: categories.set_category_active(ws, category.id, active), changes=SETTINGS)

    def save_rules(self) -> None:
        ws, required, days = self.ctx.ws, self.require_attachment.isChecked(), self.old_draft_days.value()

        def work() -> None:
            settings.set_setting(ws, "require_expense_attachment", required)
            settings.set_setting(ws, "old_draft_days", days)

        self.ctx.runner.run(work, lambda _r: prompts.show_info(self, "记账规则已保存。"), changes=SETTINGS)

    def save_notice_settings(self) -> None:
        ws = self.ctx.ws
        values = {"notice.days": self.notice_days.value(), "notice.association_phone": self.association_phone.text(),
                  "notice.civil_affairs_name": self.civil_affairs_name.text(),
                  "notice.civil_affairs_phone": self.civil_affairs_phone.text()}
        self.notice_message.setText("")
        self.ctx.runner.run(lambda: settings.set_settings(ws, values),
                            lambda _r: self._notice_said("公示设置已保存，新建公示时使用。", OK_STYLE),
                            self._notice_refused, changes=SETTINGS)

    def _notice_refused(self, exc: BaseException) -> None:
        """A refused value: said beside the form, which keeps what was typed (nothing was saved)."""
        self._notice_said(str(exc), ERROR_STYLE)

    def _notice_said(self, text: str, style: str) -> None:
        self.notice_message.setStyleSheet(style)
        self.notice_message.setText(text)

    def backup_now(self) -> None:
        ws = self.ctx.ws
        self.ctx.runner.run(lambda progress: ws.create_backup("manual", progress),
                            lambda info: prompts.show_info(self, f"已备份并校验：{info.path.name}", details=where(info.path)),
                            changes=BACKUPS, progress_title="正在备份并校验…", cancellable=True)

    def backup_to(self) -> None:
        """备份到…: the one-file backup (data, vouchers, photos, notices) to a folder the user picks."""
        folder = prompts.choose_backup_folder(self)
        if folder is None:
            return
        ws = self.ctx.ws
        self.ctx.runner.run(lambda progress: ws.create_file_backup(folder, progress), self._backed_up_to,
                            changes=BACKUPS, progress_title="正在备份并校验…", cancellable=True)

    def _backed_up_to(self, made: FileBackup) -> None:
        # the folder and file by name (what the user looks for on the stick); the full path under 详细信息
        prompts.show_info(self, f"已备份到文件夹“{shown_name(made.path.parent)}”，文件名“{made.path.name}”。\n"
                                f"大小：{made.size_text}，共 {made.members} 个文件（台账数据、{made.attachments} 个凭证和照片、"
                                f"{made.notices} 份公示存档）。写完后已逐个校验，完好。\n\n"
                                "如果存到了 U 盘，请先在系统里“安全弹出”再拔下，然后把 U 盘另外保管好。",
                          details=where(made.path))

    def restore_from_file(self) -> None:
        """从备份文件恢复…: a one-file backup (.zip) or a database backup (.db), after backing up the current state."""
        path = prompts.open_backup_file(self)
        if path is None:
            return
        if not prompts.confirm(self, "从备份文件恢复", f"用备份文件“{path.name}”替换现在的全部数据吗？\n\n"
                               "恢复前会先核对备份文件是否完整，再把现在的数据另存为一份备份（类型为“恢复前的当前状态”），"
                               "必要时还能恢复回来。"):
            return
        ws = self.ctx.ws
        self.ctx.runner.run(lambda progress: ws.restore_backup(path, progress),
                            lambda safety: prompts.show_info(
                                self, f"已从备份文件“{path.name}”恢复。恢复前的数据已另存为一份备份"
                                      f"（{safety.taken_at.astimezone():%Y-%m-%d %H:%M}，恢复前的当前状态），"
                                      "在下面的备份列表里可以找到。", details=restored_details(path, safety)),
                            changes=Changes(everything=True), progress_title="正在校验并恢复备份…")

    def selected_backup(self) -> BackupInfo | None:
        rows = self.backups_view.selectionModel().selectedRows()
        return self.backups_model.key(rows[0].row()) if rows else None

    def restore_selected(self) -> None:
        backup = self.selected_backup()
        if backup is None:
            prompts.show_info(self, "请先在列表中选择要恢复的备份。")
            return
        when = f"{backup.taken_at.astimezone():%Y-%m-%d %H:%M}{backup.future_mark}"
        if not prompts.confirm(self, "恢复备份", f"用 {when} 的备份（{backup.reason_label}）替换现在的全部数据吗？\n\n"
                               "恢复前会先把现在的数据另存为一份备份，必要时还能恢复回来。"):
            return
        ws = self.ctx.ws
        self.ctx.runner.run(lambda _progress: ws.restore_backup(backup.path),
                            lambda safety: prompts.show_info(
                                self, f"已恢复 {when} 的备份。恢复前的数据已另存为一份备份"
                                      f"（{safety.taken_at.astimezone():%Y-%m-%d %H:%M}，恢复前的当前状态），在备份列表里可以找到。",
                                details=restored_details(backup.path, safety)),
                            changes=Changes(everything=True), progress_title="正在恢复备份…")

    def _verified(self, report: VerifyReport) -> None:
        self.verify_report = report
        self.verify_details.setEnabled(any(p.technical for p in report.problems))
        self._show_report()

    def _show_report(self) -> None:
        if self.verify_report is not None:
            self.verify_result.setPlainText(describe_report(self.verify_report, self.verify_details.isChecked()))

    def verify_chains(self) -> None:
        ws = self.ctx.ws
        self.verify_result.setPlainText("正在校验…")
        self.verify_report = None
        self.verify_details.setEnabled(False)
        self.ctx.runner.run(lambda progress: integrity.verify_workspace(ws, progress), self._verified,
                            lambda exc: self.verify_result.setPlainText(
                                "已取消校验。" if isinstance(exc, Cancelled) else "校验没有完成。"),
                            progress_title="正在核验数据…", cancellable=True)

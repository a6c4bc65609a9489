"""The main window: navigation on the left, one page at a time on the right, menus and shortcuts."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from desktop_app import __version__
from desktop_app.core.changes import Changes
from desktop_app.core.errors import UserError, WorkspaceDamaged
from desktop_app.core.storage.paths import is_demo_workspace
from desktop_app.gui import exports, help_window, prompts, workspace_menu
from desktop_app.gui.context import AppContext
from desktop_app.gui.navigation import NAV_WIDTH
from desktop_app.gui.pages.activities import ActivitiesPage
from desktop_app.gui.pages.funds import FundsPage
from desktop_app.gui.pages.goods import GoodsPage
from desktop_app.gui.pages.ledger import LedgerPage
from desktop_app.gui.pages.notices import NoticesPage
from desktop_app.gui.pages.overview import OverviewPage
from desktop_app.gui.pages.projects import ProjectsPage
from desktop_app.gui.pages.settings import SettingsPage
from desktop_app.gui.pages.spaces import SpacesPage
from desktop_app.gui.pages.surveys import SurveysPage
from desktop_app.gui.pages.sync import SyncPage
from desktop_app.gui.screen_fit import fit_main_window

CHECKING = "正在后台检查台账数据（大的台账约需几秒），可以照常查看；这期间保存的内容会在检查通过后写入。"


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.damaged: WorkspaceDamaged | None = None  # set when the open check finds the file damaged
        ctx.runner.dialog_parent = self
        self.overview = OverviewPage(ctx)
        self.projects = ProjectsPage(ctx)
        self.funds = FundsPage(ctx)
        self.ledger = LedgerPage(ctx)
        self.activities = ActivitiesPage(ctx)
        self.goods = GoodsPage(ctx)
        self.spaces = SpacesPage(ctx)
        self.notices = NoticesPage(ctx)
        self.surveys = SurveysPage(ctx)
        self.sync = SyncPage(ctx)
        self.settings = SettingsPage(ctx)
        self.pages: list[QWidget] = [
            self.overview, self.projects, self.funds, self.ledger, self.activities, self.goods, self.spaces,
            self.surveys, self.notices, self.sync,
            self.settings,
        ]
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(NAV_WIDTH)
        self.stack = QStackedWidget()
        for page in self.pages:
            self.nav.addItem(page.title)
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.path_label = QLabel(str(ctx.ws.root))
        self.path_label.setObjectName("note")
        self.statusBar().addPermanentWidget(self.path_label)
        for page in (self.ledger, self.activities, self.notices):
            page.status.connect(self.show_status)
        self.overview.notice_due.connect(self.new_due_notice)
        ctx.runner.message.connect(self.show_status)
        ctx.runner.changed.connect(self._on_changed)
        self._build_menus()
        self._update_title(ctx.ws.local_office().name)
        self.nav.setCurrentRow(0)
        self.open_maximised = fit_main_window(self)  # the caller shows it maximised on a small screen

    def _build_menus(self) -> None:
        undo = self.ctx.undo.createUndoAction(self, "撤销")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.setToolTip("撤销草稿、活动和照片的新增、修改、删除。记账不能撤销，已记账的错误请用红字冲销。")
        redo = self.ctx.undo.createRedoAction(self, "重做")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])

        file_menu = self.menuBar().addMenu("文件(&F)")
        workspace_menu.add_workspace_actions(self, file_menu)  # 打开工作区…, 最近打开
        file_menu.addSeparator()
        file_menu.addAction(self._action("导出收支台账（当前筛选）…", self.export_ledger))
        self.report_menu = file_menu.addMenu("导出报表")
        for kind, label in exports.REPORTS.items():
            self.report_menu.addAction(self._action(f"{label}…", lambda k=kind: exports.export_report(self.ctx, self, k)))
        file_menu.addSeparator()
        file_menu.addAction(self._action("立即备份", self._backup_now))
        file_menu.addAction(self._action("备份到…", lambda: self._on_backups_tab().backup_to()))
        file_menu.addAction(self._action("从备份文件恢复…", lambda: self._on_backups_tab().restore_from_file()))
        file_menu.addSeparator()
        file_menu.addAction(self._action("退出", self.close, QKeySequence("Ctrl+Q")))
        edit_menu = self.menuBar().addMenu("编辑(&E)")
        edit_menu.addAction(self._action("新增分录…", self.new_entry, QKeySequence("Ctrl+N")))
        edit_menu.addAction(self._action("批量录入纸质清单…", self.batch_entry, QKeySequence("Ctrl+B")))
        edit_menu.addSeparator()
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        note = QAction("（记账和红字冲销不能撤销）", self)
        note.setEnabled(False)
        edit_menu.addAction(note)
        edit_menu.addSeparator()
        edit_menu.addAction(self._action("查找分录", self.focus_search, QKeySequence("Ctrl+F")))
        go_menu = self.menuBar().addMenu("转到(&G)")
        for index, page in enumerate(self.pages):
            key = QKeySequence(f"Ctrl+{index + 1}") if index < 9 else None  # Ctrl+1 … Ctrl+9
            go_menu.addAction(self._action(page.title, lambda i=index: self.go_to(i), key))
        help_menu = self.menuBar().addMenu("帮助(&H)")
        help_menu.addAction(self._action("使用说明", lambda: help_window.open_help(self), QKeySequence("F1")))
        help_menu.addAction(self._action("关于社区慈善台账", self._about))

    def _action(self, text: str, slot, shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # ---------------------------------------------------------------- navigation and commands

    def go_to(self, page: int | QWidget) -> None:
        self.nav.setCurrentRow(page if isinstance(page, int) else self.pages.index(page))

    def new_entry(self):
        self.go_to(self.ledger)
        return self.ledger.new_entry()

    def batch_entry(self):
        self.go_to(self.ledger)
        return self.ledger.batch_entry()

    def new_due_notice(self, due) -> None:
        """概览 › 待公示: the builder for that project, type and period."""
        self.go_to(self.notices)
        self.notices.new_notice(due.project_id, due.template, (due.period_from, due.period_to))

    def focus_search(self) -> None:
        self.go_to(self.ledger)
        self.ledger.focus_search()

    def export_ledger(self) -> None:
        self.go_to(self.ledger)
        self.ledger.export_excel()

    def _backup_now(self) -> None:
        self._on_backups_tab().backup_now()

    def _on_backups_tab(self):
        """The settings page, showing its 备份 tab (where the backup commands and their list live)."""
        self.go_to(self.settings)
        self.settings.show_tab("备份")
        return self.settings

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 15000)

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches("settings"):
            ws = self.ctx.ws
            self.ctx.runner.query(lambda: ws.local_office().name, self._update_title)
        if changes.everything:
            self.ctx.undo.clear()  # the drafts those steps referred to may no longer exist

    def _update_title(self, office_name: str) -> None:
        demo = "【演示数据，非真实台账】" if is_demo_workspace(self.ctx.ws.root) else ""
        self.setWindowTitle(f"社区慈善台账 — {demo}{office_name} — {self.ctx.ws.root}")

    def _about(self) -> None:
        prompts.show_info(self, f"社区慈善台账 {__version__}\n\n社区基金收支台账、活动记录、需求调查与信息公示的离线工具。\n"
                          f"工作区：{self.ctx.ws.root}", "关于")

    def start_checks(self) -> None:
        """The open checks deferred by `Workspace.open(defer_checks=True)`. quick_check runs beside the worker
        (`OpRunner.run_beside`), so the overview and the other pages fill while it reads the whole file; the
        core makes every write wait for its verdict, and refuses them once it has failed. The daily backup
        follows once it has passed (it copies the whole file: seconds on a large workspace)."""
        ws, runner = self.ctx.ws, self.ctx.runner

        def check() -> None:
            try:
                ws.run_deferred_checks()
            except WorkspaceDamaged:
                runner.halt()  # from the check's thread: the worker takes no queued op after this
                raise

        if ws.open_check.pending:
            self.show_status(CHECKING)
        runner.run_beside(check, lambda _none: self._checks_passed(), self._checks_failed)

    def _checks_passed(self) -> None:
        if self.statusBar().currentMessage() == CHECKING:
            self.statusBar().clearMessage()
        ws = self.ctx.ws
        self.ctx.runner.run(ws.backup_if_due, on_error=self._checks_failed, changes=Changes(backups=True),
                            progress_title="正在自动备份…")

    def _checks_failed(self, exc: BaseException) -> None:
        if isinstance(exc, WorkspaceDamaged):
            self.damaged = exc
            self.ctx.runner.halt()
            # the restore is offered once the window has closed and released the workspace
            QTimer.singleShot(0, self.close)
        elif isinstance(exc, UserError):
            prompts.show_refusal(self, exc, "打开时的检查没有完成")

    def show_page(self, title: str) -> None:
        self.go_to(next(p for p in self.pages if p.title == title))

    def shutdown(self) -> None:
        for page in (self.ledger, self.activities, self.spaces, self.notices):
            page.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.runner.shutdown()
        self.shutdown()
        super().closeEvent(event)

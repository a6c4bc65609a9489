"""Start the desktop app: `run(workspace_dir)` opens the workspace, shows the main window, and closes
the workspace (with its automatic backup) when the window closes."""

import sqlite3
import weakref
from pathlib import Path

import sqlalchemy.exc
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from desktop_app.core.errors import UserError, WorkspaceDamaged, WorkspaceError
from desktop_app.core.storage.files import shown_name, where
from desktop_app.core.storage.paths import is_workspace, network_share_warning
from desktop_app.core.storage.workspace import DB_NAME, Workspace
from desktop_app.gui import prompts, recent
from desktop_app.gui.context import AppContext
from desktop_app.gui.ops import OpRunner


def make_context(ws: Workspace) -> AppContext:
    runner = OpRunner()
    collector = getattr(QApplication.instance(), "_charity_gc", None)
    if collector is not None:  # no collection pass over what the worker holds while it works
        alive = weakref.ref(runner)  # a closed window's runner is not kept for the collector's sake
        collector.defer_while(lambda: (r := alive()) is not None and not r.idle)
    return AppContext(ws, runner, QUndoStack(runner))


def open_workspace(workspace_dir: Path) -> Workspace | None:
    """Open the workspace or explain in Chinese why not (None). A folder without a workspace gets the first-run
    choices (新建单位 there, 打开已有工作区, 从备份文件恢复, 打开演示数据), which say themselves what failed.
    The slow integrity check runs beside the window, which fills its pages meanwhile; writes wait for its
    verdict; the backup-on-open follows it (`MainWindow.start_checks`)."""
    if not (workspace_dir / DB_NAME).exists():
        from desktop_app.gui.first_run import choose_start

        return choose_start(workspace_dir)
    try:
        return open_folder(workspace_dir)
    except WorkspaceError as exc:
        prompts.show_refusal(None, exc, "无法打开工作区")
    return None


def open_folder(workspace_dir: Path) -> Workspace | None:
    """Open (or make) the workspace in `workspace_dir`; one on a network share opens after a warning. A damaged
    one with a good backup gets the offer to restore it (None when declined); any other refusal is raised
    (WorkspaceError, in Chinese)."""
    warning = network_share_warning(workspace_dir)
    if warning:
        prompts.show_error(None, warning, "工作区在网络共享文件夹上")
    try:
        return Workspace.open(workspace_dir, create=True, defer_checks=True)
    except WorkspaceDamaged as exc:
        if exc.good_backup is None:
            raise
        return open_folder(workspace_dir) if offer_restore(None, exc, workspace_dir) else None


def offer_restore(parent, exc: WorkspaceDamaged, workspace_dir: Path) -> bool:
    """Explain the damage and, when a good backup exists, offer to put it in place (the damaged files
    are moved aside, not deleted). True when the backup was restored."""
    if exc.good_backup is None:
        prompts.show_error(parent, damaged_text(exc, workspace_dir), "工作区已损坏")
        return False
    when = exc.good_backup.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
    if not prompts.confirm(parent, "工作区已损坏", f"{exc}\n\n要现在用 {when} 的备份恢复吗？损坏的文件会移到工作区里的"
                           "“damaged-…”文件夹保存，不会删除。备份之后录入的内容需要重新录入。"):
        return False
    try:
        aside = Workspace.restore_damaged(workspace_dir, exc.good_backup.path)
    except UserError as err:
        prompts.show_refusal(parent, err, "恢复没有完成")
        return False
    prompts.show_info(parent, f"已用 {when} 的备份恢复。损坏的文件已移到工作区里的“{shown_name(aside)}”文件夹保存，"
                              "查明原因后可以删掉。", "已恢复", details=where(aside))
    return True


def damaged_text(exc: WorkspaceDamaged, workspace_dir: Path) -> str:
    text = str(exc)
    if exc.good_backup is not None:
        text += (f"\n\n完好的备份：{exc.good_backup.path}\n恢复命令（恢复前会先另存现在的文件）：\n"
                 f"charity-ledger --workspace \"{workspace_dir}\" backup restore \"{exc.good_backup.path.name}\""
                 "\n如需帮助，请联系县慈善会或技术支持。")
    return text


def ensure_office(ws: Workspace) -> bool:
    """A new workspace needs the office identity first (init)."""
    if ws.has_office():
        return True
    from desktop_app.gui.setup_dialog import SetupDialog

    return SetupDialog(ws).exec() == SetupDialog.DialogCode.Accepted


def open_main_window(workspace_dir: Path):
    """The main window over the workspace, its open check started beside it; None when it cannot open."""
    from desktop_app.gui.main_window import MainWindow

    ws = open_workspace(Path(workspace_dir))
    if ws is None:
        return None
    try:
        if not ensure_office(ws):
            ws.close(backup=False)
            return None
        window = MainWindow(make_context(ws))
    except (sqlite3.DatabaseError, sqlalchemy.exc.DatabaseError):
        # the first reads ran into damage before the deferred quick_check could: same offer, nothing written
        damaged = ws.damaged_error()
        ws.close(backup=False)
        return open_main_window(ws.root) if offer_restore(None, damaged, ws.root) else None
    except BaseException:
        ws.close(backup=False)
        raise
    recent.remember(ws.root)
    window.start_checks()
    return window


_current: list = []  # the main window on screen: 打开工作区 replaces it (see `switch_workspace`)


def set_current_window(window) -> None:
    _current[:] = [window]


def current_window(default=None):
    return _current[0] if _current else default


def switch_workspace(window, folder: Path):
    """文件 › 打开工作区 / 最近打开: close this workspace (with its closing backup), then open `folder` in a new
    main window at the same place; when it cannot open, the previous workspace opens again. Returns the window
    now on screen (None when neither could open: the app then quits)."""
    from PySide6.QtWidgets import QApplication

    folder = Path(folder)
    if not is_workspace(folder):
        from desktop_app.gui.first_run import not_a_workspace_text

        prompts.show_error(window, not_a_workspace_text(folder), "不是工作区")
        return window
    if folder.resolve() == window.ctx.ws.root:
        prompts.show_info(window, f"现在打开的就是这个工作区“{shown_name(folder)}”，不用再打开。", "已经打开",
                          details=where(folder))
        return window
    app = QApplication.instance()
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)  # between the two windows, none is on screen
    try:
        geometry, maximised, previous = window.normalGeometry(), window.isMaximized(), window.ctx.ws.root
        window.hide()
        close_workspace(window)  # the worker finishes, then the closing backup
        window.close()
        new = open_main_window(folder)
        if new is None:
            prompts.show_info(None, f"没有打开“{shown_name(folder)}”，回到原来的工作区“{shown_name(previous)}”。",
                              "回到原来的工作区", details=f"没有打开：{folder}\n回到：{previous}")
            new = open_main_window(previous)
        window.deleteLater()
        if new is None:
            _current.clear()
            app.quit()
            return None
        new.setGeometry(geometry)
        if maximised:
            new.showMaximized()
        else:
            new.show()
        set_current_window(new)
        return new
    finally:
        app.setQuitOnLastWindowClosed(quit_on_close)


def close_workspace(window) -> None:
    """Wait for the worker, then close the workspace with its closing backup (not of a damaged file)."""
    window.ctx.runner.shutdown()  # also waits for the open check, when the window closed while it ran
    window.shutdown()
    damaged = window.damaged or window.ctx.ws.open_check.damage  # its verdict may not have reached the window yet
    try:
        window.ctx.ws.close(backup=damaged is None)
    except UserError as exc:
        prompts.show_error(None, f"关闭时的自动备份没有成功：{exc}", "备份失败")
    if damaged is not None:
        offer_restore(None, damaged, window.ctx.ws.root)

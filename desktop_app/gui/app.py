"""Start the desktop app: `run(workspace_dir)` opens the workspace, shows the main window, and closes
the workspace (with its automatic backup) when the window closes."""

import sqlite3
from pathlib import Path

import sqlalchemy.exc
from PySide6.QtGui import QUndoStack

from desktop_app.core.errors import UserError, WorkspaceDamaged, WorkspaceError
from desktop_app.core.storage.workspace import DB_NAME, Workspace
from desktop_app.gui import prompts
from desktop_app.gui.context import AppContext
from desktop_app.gui.ops import OpRunner


def make_context(ws: Workspace) -> AppContext:
    runner = OpRunner()
    return AppContext(ws, runner, QUndoStack(runner))


def open_workspace(workspace_dir: Path) -> Workspace | None:
    """Open the workspace (creating it after asking) or explain in Chinese why not (None). The slow
    integrity check and the backup-on-open run later, as the worker's first job (`MainWindow.start_checks`)."""
    if not (workspace_dir / DB_NAME).exists() and not prompts.confirm(
            None, "新建工作区", f"“{workspace_dir}”里还没有台账数据。\n\n要在这里新建一个工作区吗？"
            "（如果台账在 U 盘或别的文件夹里，请选“否”，再用 --workspace 指定那个文件夹。）"):
        return None
    try:
        return Workspace.open(workspace_dir, create=True, defer_checks=True)
    except WorkspaceDamaged as exc:
        if offer_restore(None, exc, workspace_dir):
            return open_workspace(workspace_dir)
    except WorkspaceError as exc:
        prompts.show_error(None, str(exc), "无法打开工作区")
    return None


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
        prompts.show_error(parent, str(err), "恢复没有完成")
        return False
    prompts.show_info(parent, f"已用 {when} 的备份恢复。损坏的文件保存在：\n{aside}", "已恢复")
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
    """The main window over the workspace, its open checks queued first; None when it cannot open."""
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
        return open_main_window(workspace_dir) if offer_restore(None, damaged, ws.root) else None
    except BaseException:
        ws.close(backup=False)
        raise
    window.start_checks()
    return window


def close_workspace(window) -> None:
    """Wait for the worker, then close the workspace with its closing backup (not of a damaged file)."""
    window.ctx.runner.shutdown()
    window.shutdown()
    try:
        window.ctx.ws.close(backup=window.damaged is None)
    except UserError as exc:
        prompts.show_error(None, f"关闭时的自动备份没有成功：{exc}", "备份失败")
    if window.damaged is not None:
        offer_restore(None, window.damaged, window.ctx.ws.root)

"""The first start (no workspace yet in the default folder): 新建单位 (the default), 打开已有工作区（如U盘）,
从备份文件恢复 (换电脑) or 打开演示数据. `choose_start` returns the workspace opened, or None to quit.

Cancelling a step (the 新建单位 form, a folder picker) comes back to the choices; so does a step that fails
(a folder that cannot be written, a folder that is not a workspace, a damaged database), and the choices
window then says, in full, what went wrong and what to do."""

import contextlib
import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.errors import UserError, WorkspaceError
from desktop_app.core.storage import paths
from desktop_app.core.storage.files import shown_name, where
from desktop_app.core.storage.workspace import DB_NAME, Workspace
from desktop_app.gui import prompts
from desktop_app.gui.file_dialogs import WORKSPACES
from desktop_app.gui.screen_fit import fit_window
from desktop_app.gui.widgets import ERROR_STYLE, STRETCH, note, row_of, wrapped_label

NEW, OPEN, RESTORE, DEMO = "new", "open", "restore", "demo"

CHOICES = [
    (NEW, "新建单位", "第一次使用：填写本单位名称和区划代码，在本机新建台账。"),
    (OPEN, "打开已有工作区（如U盘）", "台账已经在U盘或别的文件夹里：选那个含有 ledger.db 的文件夹。"),
    (RESTORE, "从备份文件恢复（换电脑）", "有一个“社区慈善台账备份-….zip”文件：选它和一个新的空文件夹，"
     "台账、凭证和公示存档都会恢复出来。"),
    (DEMO, "打开演示数据", "先看看怎么用：打开一份虚构的演示台账（四川万源试点），随便试，不影响真实数据。"),
]
FAILED = {NEW: "没有新建工作区", OPEN: "没有打开工作区", RESTORE: "恢复没有完成", DEMO: "没有打开演示数据"}


def breakable(text: str) -> str:
    """`text` for a wrapped label: a long path (C:\\Users\\…) may break after its separators, which a label
    otherwise never does, so it is cut off instead (a zero-width space is drawn as nothing)."""
    return re.sub(r"([\\/_.])(?=\S)", "\\1\u200b", text)


class FirstRunDialog(QDialog):
    """The choices, under what went wrong with the last one (`error`, shown whole)."""

    def __init__(self, folder: Path, error: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("欢迎使用社区慈善台账")
        self.choice: str | None = None
        layout = QVBoxLayout(self)
        self.error = wrapped_label("", ERROR_STYLE)
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # a path is never read as markup
        self.error.setText(breakable(error))
        self.error.setVisible(bool(error))
        layout.addWidget(self.error)
        if error:
            layout.addSpacing(8)  # the error apart from the choices under it
        intro = note("请选择下一步：" if error else "欢迎！本机还没有台账数据。请选择怎样开始：")
        intro.setToolTip(f"新建单位时，台账放在：{folder}")
        layout.addWidget(intro)
        self.buttons: dict[str, QPushButton] = {}
        for key, title, text in CHOICES:
            button = QPushButton(title)
            button.setMinimumHeight(36)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, k=key: self.choose(k))
            self.buttons[key] = button
            layout.addWidget(button)
            layout.addWidget(note(text))
        quit_button = QPushButton("退出")
        quit_button.setAutoDefault(False)
        quit_button.clicked.connect(self.reject)
        layout.addLayout(row_of(STRETCH, quit_button))
        self.buttons[NEW].setDefault(True)  # Enter makes a new workspace, as before; never quits
        self.buttons[NEW].setFocus()
        fit_window(self, 600 if error else 520)

    def choose(self, key: str) -> None:
        self.choice = key
        self.accept()


def ask_start_choice(folder: Path, error: str = "") -> str | None:
    """The user's choice (NEW, OPEN, RESTORE, DEMO), or None for 退出 or the window's × (tests patch this)."""
    dialog = FirstRunDialog(folder, error)
    dialog.exec()
    return dialog.choice


def not_a_workspace_text(folder: Path) -> str:
    return (f"“{shown_name(folder)}”不是台账工作区：里面没有台账数据文件 ledger.db。\n\n请选择含有 ledger.db 的那个文件夹"
            "（例如U盘上的“慈善台账”文件夹），不要选它的上一级或里面的 attachments、backups 文件夹。"
            "如果手里只有一个“社区慈善台账备份-….zip”文件，请用“从备份文件恢复”。")


def workspace_folder(parent: QWidget | None) -> Path | None:
    """A folder that is a workspace, or None when cancelled; WorkspaceError when it is not one."""
    folder = prompts.choose_folder(parent, "选择工作区文件夹（里面有 ledger.db）", kind=WORKSPACES)
    if folder is not None and not paths.is_workspace(folder):
        raise WorkspaceError(not_a_workspace_text(folder), technical=where(folder))
    return folder


def pick_workspace(parent: QWidget | None) -> Path | None:
    """A folder that is a workspace, or None (cancelled, or not a workspace: said in Chinese)."""
    try:
        return workspace_folder(parent)
    except WorkspaceError as exc:
        prompts.show_refusal(parent, exc, "不是工作区")
        return None


def busy(fn):
    """Run `fn` with the wait cursor (before the main window and its worker exist)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return fn()
    finally:
        QApplication.restoreOverrideCursor()


def open_demo(_parent: QWidget | None = None) -> Path:
    """The demo workspace's folder, built the first time; UserError when it cannot be built."""
    folder = paths.demo_workspace_dir()
    if paths.is_workspace(folder):
        return folder
    from desktop_app.core.demo.build import build_demo

    try:
        busy(lambda: build_demo(folder))
    except UserError as exc:
        raise UserError(str(exc), technical=f"演示数据的位置：{folder}\n{exc.technical}".strip()) from exc
    return folder


def restore_target(chosen: Path) -> Path:
    """The folder to restore into: `chosen` when it is empty, else a new “慈善台账” folder inside it."""
    from desktop_app.core.storage.new_from_backup import is_empty_folder

    if is_empty_folder(chosen):
        return chosen
    target, n = chosen / "慈善台账", 2
    while target.exists():
        target, n = chosen / f"慈善台账{n}", n + 1
    return target


def restore_from_backup(parent: QWidget | None = None) -> Path | None:
    """换电脑: a one-file backup restored into a new empty folder; the folder, or None when cancelled
    (UserError when the restore failed)."""
    from desktop_app.core.storage.new_from_backup import create_from_backup

    backup = prompts.open_backup_file(parent)
    if backup is None:
        return None
    chosen = prompts.choose_folder(parent, "选择放恢复出的台账的文件夹（新的空文件夹，或在其中新建“慈善台账”）",
                                   kind=WORKSPACES)
    if chosen is None:
        return None
    target = restore_target(chosen)
    place = f"“{shown_name(target)}”" if target == chosen else f"“{shown_name(chosen)}”里的新文件夹“{target.name}”"
    if not prompts.confirm(parent, "从备份文件恢复", f"将在{place}新建工作区，并从备份文件“{backup.name}”恢复"
                           "台账数据、凭证附件和公示存档（先逐个核对备份是否完整）。\n\n继续吗？"):
        return None
    try:
        busy(lambda: create_from_backup(target, backup))
    except UserError as exc:
        raise UserError(f"{exc}\n\n可以换一个备份文件或文件夹再试。", technical=exc.technical) from exc
    prompts.show_info(parent, f"已从“{backup.name}”恢复，工作区在文件夹“{shown_name(target)}”。\n\n"
                              "以后可从“文件 › 最近打开”打开它。", "已恢复", details=where(target))
    return target


def choose_start(folder: Path) -> Workspace | None:
    """Ask until a workspace is open with its office filled in (新建单位: in `folder`), or None when the user
    quits. A step cancelled comes back to the choices; a step that failed too, saying why."""
    error = ""
    while True:
        choice = ask_start_choice(folder, error)
        if choice is None:
            return None
        try:
            ws = start(choice, folder)
        except UserError as exc:
            details = f"\n\n{exc.technical}" if exc.technical else ""  # no 详细信息 button here: the full path too
            error = f"{FAILED[choice]}：\n{exc}{details}"
            continue
        if ws is not None:
            return ws
        error = ""


def start(choice: str, folder: Path) -> Workspace | None:
    """Open the workspace of `choice` (新建单位: made in `folder`, its office filled in); None when a step
    was cancelled."""
    from desktop_app.gui import app

    steps = {NEW: lambda _parent: folder, OPEN: workspace_folder, DEMO: open_demo, RESTORE: restore_from_backup}
    picked = steps[choice](None)
    if picked is None:
        return None
    made, existed = not (picked / DB_NAME).exists(), picked.exists()
    ws = app.open_folder(picked)
    if ws is None or choice != NEW or app.ensure_office(ws):
        return ws
    ws.close(backup=False)
    if made:
        unmake(picked, existed)  # the next start offers the choices again, not the form alone
    return None


def unmake(folder: Path, existed: bool) -> None:
    """Take away the empty workspace 新建单位 made before its form was cancelled (no office: no data)."""
    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", "workspace.lock", "workspace.lock.info"):
        (folder / name).unlink(missing_ok=True)
    if not existed:
        with contextlib.suppress(OSError):  # not empty after all: left as it is
            folder.rmdir()

"""The first start (no workspace yet in the default folder): 新建单位 (the default), 打开已有工作区（如U盘）,
从备份文件恢复 (换电脑) or 打开演示数据. `choose_start` returns the folder to open, or None to quit."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.errors import UserError
from desktop_app.core.storage import paths
from desktop_app.gui import prompts
from desktop_app.gui.screen_fit import fit_window
from desktop_app.gui.widgets import note

NEW, OPEN, RESTORE, DEMO = "new", "open", "restore", "demo"

CHOICES = [
    (NEW, "新建单位", "第一次使用：填写本单位名称和区划代码，在本机新建台账。"),
    (OPEN, "打开已有工作区（如U盘）", "台账已经在U盘或别的文件夹里：选那个含有 ledger.db 的文件夹。"),
    (RESTORE, "从备份文件恢复（换电脑）", "有一个“社区慈善台账备份-….zip”文件：选它和一个新的空文件夹，"
     "台账、凭证和公示存档都会恢复出来。"),
    (DEMO, "打开演示数据", "先看看怎么用：打开一份虚构的演示台账（四川万源试点），随便试，不影响真实数据。"),
]


class FirstRunDialog(QDialog):
    def __init__(self, folder: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("欢迎使用社区慈善台账")
        self.choice: str | None = None
        layout = QVBoxLayout(self)
        intro = note("欢迎！本机还没有台账数据。请选择怎样开始：")
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
        layout.addWidget(quit_button, 0, Qt.AlignmentFlag.AlignRight)
        self.buttons[NEW].setDefault(True)  # Enter makes a new workspace, as before; never quits
        self.buttons[NEW].setFocus()
        fit_window(self, 520)

    def choose(self, key: str) -> None:
        self.choice = key
        self.accept()


def ask_start_choice(folder: Path) -> str | None:
    """The user's choice (NEW, OPEN, RESTORE, DEMO), or None for 退出 (tests patch this)."""
    dialog = FirstRunDialog(folder)
    dialog.exec()
    return dialog.choice


def not_a_workspace_text(folder: Path) -> str:
    return (f"“{folder}”不是台账工作区：里面没有台账数据文件 ledger.db。\n\n请选择含有 ledger.db 的那个文件夹"
            "（例如U盘上的“慈善台账”文件夹），不要选它的上一级或里面的 attachments、backups 文件夹。"
            "如果手里只有一个“社区慈善台账备份-….zip”文件，请用“从备份文件恢复”。")


def pick_workspace(parent: QWidget | None) -> Path | None:
    """A folder that is a workspace, or None (cancelled, or not a workspace: said in Chinese)."""
    folder = prompts.choose_folder(parent, "选择工作区文件夹（里面有 ledger.db）")
    if folder is None:
        return None
    if not paths.is_workspace(folder):
        prompts.show_error(parent, not_a_workspace_text(folder), "不是工作区")
        return None
    return folder


def busy(fn):
    """Run `fn` with the wait cursor (before the main window and its worker exist)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return fn()
    finally:
        QApplication.restoreOverrideCursor()


def open_demo() -> Path | None:
    folder = paths.demo_workspace_dir()
    if paths.is_workspace(folder):
        return folder
    from desktop_app.core.demo.build import build_demo

    try:
        busy(lambda: build_demo(folder))
    except UserError as exc:
        prompts.show_error(None, f"{exc}\n\n演示数据的位置：{folder}", "无法生成演示数据")
        return None
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
    """换电脑: a one-file backup restored into a new empty folder; the folder, or None (cancelled or failed)."""
    from desktop_app.core.storage.new_from_backup import create_from_backup

    backup = prompts.open_backup_file(parent)
    if backup is None:
        return None
    chosen = prompts.choose_folder(parent, "选择放恢复出的台账的文件夹（新的空文件夹，或在其中新建“慈善台账”）")
    if chosen is None:
        return None
    target = restore_target(chosen)
    if not prompts.confirm(parent, "从备份文件恢复", f"将在“{target}”新建工作区，并从备份文件“{backup.name}”恢复"
                           "台账数据、凭证附件和公示存档（先逐个核对备份是否完整）。\n\n继续吗？"):
        return None
    try:
        busy(lambda: create_from_backup(target, backup))
    except UserError as exc:
        prompts.show_error(parent, f"{exc}\n\n可以换一个备份文件或文件夹再试。", "恢复没有完成")
        return None
    prompts.show_info(parent, f"已从“{backup.name}”恢复，工作区在：\n{target}\n\n以后可从“文件 › 最近打开”打开它。",
                      "已恢复")
    return target


def choose_start(folder: Path) -> Path | None:
    """Ask until there is a folder to open (`folder` itself for 新建单位), or None when the user quits."""
    while True:
        choice = ask_start_choice(folder)
        if choice is None:
            return None
        if choice == NEW:
            return folder
        if choice == OPEN:
            picked = pick_workspace(None)
        elif choice == DEMO:
            picked = open_demo()
        else:
            picked = restore_from_backup(None)
        if picked is not None:
            return picked

"""文件 › 打开工作区… and 文件 › 最近打开 (newest first; a workspace that cannot be found is shown disabled)."""

from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from desktop_app.core.storage.paths import is_demo_workspace, is_workspace
from desktop_app.gui import recent


def add_workspace_actions(window, file_menu: QMenu) -> None:
    """The two entries, added to `file_menu` of the main window `window`."""
    open_action = QAction("打开工作区…", window)
    open_action.setToolTip("打开另一个工作区（例如U盘上的台账）；现在的工作区会先自动备份再关闭。")
    open_action.triggered.connect(lambda _c=False: open_other(window))
    file_menu.addAction(open_action)
    window.recent_menu = file_menu.addMenu("最近打开")
    window.recent_menu.aboutToShow.connect(lambda: fill_recent_menu(window, window.recent_menu))
    fill_recent_menu(window, window.recent_menu)


def label(folder: Path) -> str:
    return f"{folder}（演示数据）" if is_demo_workspace(folder) else str(folder)


def fill_recent_menu(window, menu: QMenu) -> None:
    menu.clear()
    current = window.ctx.ws.root
    folders = recent.recent_workspaces()
    for i, folder in enumerate(folders, start=1):
        there = is_workspace(folder)
        text = f"&{i} {label(folder)}" + ("" if there else "（找不到：U盘没插或已移走）")
        action = menu.addAction(text)
        action.setData(str(folder))
        action.setEnabled(there and Path(folder) != current)
        if Path(folder) == current:
            action.setText(f"&{i} {label(folder)}（当前）")
        action.triggered.connect(lambda _c=False, f=folder: switch(window, f))
    if not folders:
        menu.addAction("（还没有）").setEnabled(False)
        return
    menu.addSeparator()
    clear = menu.addAction("清除找不到的")
    clear.triggered.connect(lambda _c=False: [recent.forget(f) for f in folders if not is_workspace(f)])


def open_other(window) -> None:
    from desktop_app.gui.first_run import pick_workspace

    folder = pick_workspace(window)
    if folder is not None:
        switch(window, folder)


def switch(window, folder: Path) -> None:
    from desktop_app.gui.app import switch_workspace

    switch_workspace(window, folder)

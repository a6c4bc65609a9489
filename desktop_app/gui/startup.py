"""Start-up: a window on screen at once, then the workspace.

Importing the core (SQLAlchemy, SQLModel, pydantic) and opening the workspace takes about half a
second; staring at nothing for that long makes people click the icon again. So the first thing shown
is the main window's frame — the same navigation, a "正在打开…" page — built from Qt alone, and it
is replaced by the real main window, at the same place and size, as soon as that is ready.
"""

import sys
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QMainWindow, QVBoxLayout, QWidget

from desktop_app.gui.application import make_application
from desktop_app.gui.navigation import NAV_TITLES, NAV_WIDTH
from desktop_app.gui.screen_fit import fit_main_window


def show_startup_window(app, workspace_dir: Path) -> QMainWindow:
    """A plain QMainWindow put together from few Qt classes: binding set-up is most of a start-up this
    short (a QMainWindow subclass costs ~1 ms, the `Qt` enum namespace alone ~12 ms, so it is avoided)."""
    window = QMainWindow()
    window.setWindowTitle(f"社区慈善台账 — {workspace_dir}")
    nav = QListWidget()
    nav.setObjectName("nav")
    nav.setFixedWidth(NAV_WIDTH)
    nav.addItems(NAV_TITLES)
    nav.setEnabled(False)
    label = QLabel(f"<p align='center'>正在打开工作区……<br>{workspace_dir}</p>")
    label.setObjectName("note")
    middle = QVBoxLayout()
    middle.addStretch(1)
    middle.addWidget(label)
    middle.addStretch(1)
    central = QWidget()
    layout = QHBoxLayout(central)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(nav)
    layout.addLayout(middle, 1)
    window.setCentralWidget(central)
    for title in ("文件(&F)", "编辑(&E)", "转到(&G)", "帮助(&H)"):  # the same frame as the main window
        window.menuBar().addMenu(title).setEnabled(False)
    if fit_main_window(window, keep=False):  # a small screen: maximised, so nothing is under the taskbar
        window.showMaximized()
    else:
        window.show()
    app.processEvents()
    return window


SNAPSHOT_DELAY_MS = 2500  # the first page's rows are read after the window shows


def save_snapshot_and_quit(app, window, path: Path) -> None:
    """`--screenshot FILE`: a picture of the window as it came up, then the program ends (exit code 1 when
    the picture could not be saved). It proves an installed copy opens — on a machine with no screen too."""
    saved = window.grab().save(str(path), "PNG")
    if not saved:
        print(f"错误：截图无法保存到“{path}”。请换一个可以写入的文件夹后重试。", file=sys.stderr)
    app.exit(0 if saved else 1)


def stop_at_dialogs(app, path: Path, started) -> list[str]:
    """`--screenshot FILE` with no one to answer: a dialog standing in the main window's way (first-run choices,
    新建单位, a damaged workspace) has its picture saved instead and is closed unanswered, with a message saying
    so — never a wait for a click that will not come. Returns the titles of the dialogs closed so (filled later)."""
    from PySide6.QtCore import QTimer

    closed: list[str] = []

    def check() -> None:
        if started():  # the main window's own snapshot takes over
            return
        dialog = app.activeModalWidget()
        if dialog is not None:
            if not closed:
                dialog.grab().save(str(path), "PNG")
                print(f"错误：程序停在“{dialog.windowTitle()}”对话框上，没有打开主窗口；截图是这个对话框（{path}）。"
                      "请先正常打开程序，按对话框的提示处理好这个工作区，再截图。", file=sys.stderr)
            closed.append(dialog.windowTitle())
            # closed, not app.exit(): that would leave Qt's quit flag set, and every later dialog would return at once
            dialog.close()  # a QDialog's close() is reject()
        QTimer.singleShot(SNAPSHOT_DELAY_MS, check)

    QTimer.singleShot(SNAPSHOT_DELAY_MS, check)
    return closed


def run(workspace_dir: Path, snapshot: Path | None = None) -> int:
    app = make_application()
    startup = show_startup_window(app, Path(workspace_dir))
    from desktop_app.gui.app import close_workspace, current_window, open_main_window, set_current_window

    opened: list = []  # start-up is over once open_main_window returns
    dialogs_closed = [] if snapshot is None else stop_at_dialogs(app, snapshot, lambda: bool(opened))
    window = open_main_window(Path(workspace_dir))  # the core loads now
    opened.append(window)
    if window is None or dialogs_closed:
        startup.close()
        if window is not None:
            close_workspace(window)
        return 1
    set_current_window(window)  # 文件 › 打开工作区 replaces it
    try:
        window.setGeometry(startup.normalGeometry())
        if startup.isMaximized():
            window.showMaximized()
        else:
            window.show()
        startup.close()
        if snapshot is not None:
            from PySide6.QtCore import QTimer

            QTimer.singleShot(SNAPSHOT_DELAY_MS, lambda: save_snapshot_and_quit(app, current_window(window), snapshot))
        return app.exec()
    finally:
        close_workspace(current_window(window))

"""Start-up: a window on screen at once, then the workspace.

Importing the core (SQLAlchemy, SQLModel, pydantic) and opening the workspace takes about half a
second; staring at nothing for that long makes people click the icon again. So the first thing shown
is the main window's frame — the same navigation, a "正在打开…" page — built from Qt alone, and it
is replaced by the real main window, at the same place and size, as soon as that is ready.
"""

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


def run(workspace_dir: Path) -> int:
    app = make_application()
    startup = show_startup_window(app, Path(workspace_dir))
    from desktop_app.gui.app import close_workspace, current_window, open_main_window, set_current_window

    window = open_main_window(Path(workspace_dir))  # the core loads now
    if window is None:
        startup.close()
        return 1
    set_current_window(window)  # 文件 › 打开工作区 replaces it
    try:
        window.setGeometry(startup.normalGeometry())
        if startup.isMaximized():
            window.showMaximized()
        else:
            window.show()
        startup.close()
        return app.exec()
    finally:
        close_workspace(current_window(window))

"""GUI fixtures: the main window over a fresh workspace, with every modal dialog patched out.

`messages` collects what would have been shown in a message box. Questions (confirm, ask_text …)
fail the test unless the test patches them with the answer it wants.
"""

import gc

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from desktop_app.gui import file_dialogs, prompts, screen_fit
from desktop_app.gui.app import make_context
from desktop_app.gui.application import make_application
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.ops import OpRunner


def wait_idle(qtbot, runner: OpRunner, timeout: int = 10000) -> None:
    """Wait until every queued op (and the ops its callbacks queued) has finished."""
    qtbot.waitUntil(lambda: runner.idle, timeout=timeout)


def _unexpected(*args, **kwargs):
    raise AssertionError(f"a modal dialog was opened without being patched: {args!r}")


@pytest.fixture(autouse=True)
def window_places(monkeypatch, tmp_path):
    """Window places are kept in a scratch file, never in the user's settings."""
    path = str(tmp_path / "window-places.ini")
    monkeypatch.setattr(screen_fit, "settings", lambda: QSettings(path, QSettings.Format.IniFormat))


class Shown(list):
    """The messages shown; `details` what each put under 详细信息 (full paths, hashes), "" when nothing."""

    def __init__(self):
        super().__init__()
        self.details: list[str] = []

    def show(self, message: str, details: str = "") -> None:
        self.append(message)
        self.details.append(details)


@pytest.fixture(autouse=True)
def messages(monkeypatch) -> Shown:
    shown = Shown()

    def show_error(_parent, message, title="", details=""):
        if title == "意外错误":  # an exception that is not a UserError: a bug
            raise AssertionError(message)
        shown.show(message, details)

    monkeypatch.setattr(prompts, "show_error", show_error)
    monkeypatch.setattr(prompts, "show_info", lambda _parent, message, _title="", details="": shown.show(message, details))
    for name in ("confirm", "ask_text", "ask_month", "open_files", "save_excel", "choose", "choose_many", "open_photos",
                 "choose_folder", "offer", "offer_open_folder", "open_folder", "save_pdf", "open_pdf", "ask_multiline",
                 "print_dialog", "ask_verification", "ask_discard", "open_survey_file"):
        monkeypatch.setattr(prompts, name, _unexpected)
    for name in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, _unexpected)
    for name in ("getText", "getItem", "getMultiLineText"):
        monkeypatch.setattr(QInputDialog, name, _unexpected)
    for name in ("getOpenFileNames", "getOpenFileName", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, _unexpected)
    monkeypatch.setattr(file_dialogs, "run_dialog", _unexpected)  # where every file dialog is shown
    return shown


@pytest.fixture
def ctx(qapp, workspace):
    make_application()  # also moves Python's garbage collection to the GUI thread
    yield make_context(workspace)
    gc.collect()  # the widgets of this test go now, on the GUI thread


@pytest.fixture
def window(qtbot, ctx):
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.start_checks()
    win.show()
    wait_idle(qtbot, ctx.runner)
    yield win
    win.close()


@pytest.fixture
def ledger_page(qtbot, window):
    window.go_to(window.ledger)
    wait_idle(qtbot, window.ctx.runner)
    return window.ledger


@pytest.fixture(autouse=True)
def posting_questions(monkeypatch) -> list[str]:
    """Posting asks first (记账 is irreversible): answered 记账 here, the question kept for the tests to read."""
    asked: list[str] = []
    monkeypatch.setattr(prompts, "ask_posting", lambda _parent, what="": asked.append(what) or (True, False))
    return asked


def close_discarding(dialog) -> None:
    """Close a form with typed data, answering 放弃 to “有尚未保存的内容，确定关闭吗？”."""
    asked = []
    original = prompts.ask_discard
    prompts.ask_discard = lambda _parent: asked.append(True) or True
    try:
        dialog.reject()
    finally:
        prompts.ask_discard = original
    assert asked and not dialog.isVisible()

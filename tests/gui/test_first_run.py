"""The first-run choices as the user meets them: cancelling a step (the 新建单位 form, the folder picker) comes back
to the choices, closing the choices window quits, and what failed (a folder that cannot be made, a folder that is
not a workspace, a damaged database) is said whole in the choices window on a 1366×728 laptop."""

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QDialogButtonBox

from desktop_app.gui import prompts, screen_fit
from desktop_app.gui.app import open_workspace
from desktop_app.gui.application import make_application
from desktop_app.gui.first_run import DEMO, NEW, OPEN, FirstRunDialog
from desktop_app.gui.setup_dialog import SetupDialog
from tests.gui.test_screen_fit import SCREENS, assert_fits

LAPTOP = SCREENS["1366x728"]


@pytest.fixture
def laptop(monkeypatch) -> QRect:
    monkeypatch.setattr(screen_fit, "available_area", lambda _widget=None: QRect(LAPTOP))
    return LAPTOP


def user(qtbot, monkeypatch, actions: list[str | None], look: Callable[[FirstRunDialog], None] = lambda _d: None
         ) -> list[str]:
    """Each time the choices window opens, `look` at it, then click the next action's button (None: the
    window's ×). Returns what each window said had failed ("" for nothing)."""
    said: list[str] = []

    def exec_(dialog: FirstRunDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.show()
        said.append(dialog.error.text().replace("\u200b", "") if dialog.error.isVisibleTo(dialog) else "")
        look(dialog)
        action = actions.pop(0)
        if action is None:
            dialog.close()
        else:
            dialog.buttons[action].click()
        return dialog.result()

    monkeypatch.setattr(FirstRunDialog, "exec", exec_)
    return said


def setup_form(qtbot, monkeypatch, steps: list[Callable[[SetupDialog], None]]) -> None:
    """The 新建单位 form, shown each time with the next of `steps` done to it (type, then 确定 or 取消)."""
    def exec_(dialog: SetupDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.show()
        steps.pop(0)(dialog)
        return dialog.result()

    monkeypatch.setattr(SetupDialog, "exec", exec_)


def click(dialog: SetupDialog, which: QDialogButtonBox.StandardButton) -> None:
    dialog.findChild(QDialogButtonBox).button(which).click()


def test_cancelling_a_step_returns_to_the_choices_and_closing_them_quits(qtbot, qapp, tmp_path, monkeypatch,
                                                                          messages):
    make_application()
    folder = tmp_path / "本机" / "workspace"
    said = user(qtbot, monkeypatch, [NEW, OPEN, NEW, None])

    def typed_then_cancelled(dialog: SetupDialog) -> None:
        dialog.name.setText("八台镇社工站")
        monkeypatch.setattr(prompts, "ask_discard", lambda _p: True)  # 放弃已填写的内容
        click(dialog, QDialogButtonBox.StandardButton.Cancel)

    setup_form(qtbot, monkeypatch, [typed_then_cancelled, lambda d: click(d, QDialogButtonBox.StandardButton.Cancel)])
    monkeypatch.setattr(prompts, "choose_folder", lambda *_a, **_k: None)  # the folder picker cancelled
    assert open_workspace(folder) is None  # the choices window closed: quit
    assert said == ["", "", "", ""] and messages == []
    assert not folder.exists()  # the cancelled form left nothing behind: the next start offers the choices again


def test_after_a_cancelled_form_the_new_unit_is_made(qtbot, qapp, tmp_path, monkeypatch):
    make_application()
    folder = tmp_path / "workspace"
    user(qtbot, monkeypatch, [NEW, NEW])

    def filled_in(dialog: SetupDialog) -> None:
        dialog.name.setText("八台镇社工站")
        dialog.division_code.setText("511781107000")
        dialog.association.setText("万源市慈善会")
        click(dialog, QDialogButtonBox.StandardButton.Ok)

    setup_form(qtbot, monkeypatch, [lambda d: click(d, QDialogButtonBox.StandardButton.Cancel), filled_in])
    ws = open_workspace(folder)
    try:
        assert ws.root == folder.resolve() and ws.local_office().name == "八台镇社工站"
    finally:
        ws.close(backup=False)


def widest_line(text: str, font, width: int) -> float:
    """The widest line of `text` wrapped at word boundaries in `width`, as a wrapped label lays it out: a word
    longer than the line (a path) sticks out and is cut off."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    widest = 0.0
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        widest = max(widest, line.naturalTextWidth())
    layout.endLayout()
    return widest


def assert_said_whole(qtbot, dialog: FirstRunDialog, area: QRect) -> None:
    """The error is all on screen: wrapped, as tall as its lines need, no line wider than the label, and the
    window (its choices, 退出) inside the screen's free area; Enter still means 新建单位."""
    qtbot.wait(10)
    label = dialog.error
    assert label.isVisible() and label.wordWrap() and label.textFormat() == Qt.TextFormat.PlainText
    assert label.height() >= label.heightForWidth(label.width()), "the message's last lines are cut off"
    assert widest_line(label.text(), label.font(), label.contentsRect().width()) <= label.contentsRect().width()
    assert_fits(qtbot, dialog, area)
    assert dialog.buttons[NEW].isDefault()


def test_what_failed_is_said_whole_in_the_choices(qtbot, qapp, tmp_path, monkeypatch, laptop, messages):
    make_application()
    blocker = tmp_path / "不是文件夹"
    blocker.write_text("")  # 新建单位 where a file is in the way: the folder cannot be made
    long_stick = tmp_path / "U盘" / ("八台镇社工站2024年度社区慈善试点项目资料备份_" * 3) / "慈善台账"
    long_stick.mkdir(parents=True)  # 打开已有工作区 with a folder that is not one
    damaged = tmp_path / "坏的U盘" / "慈善台账"
    damaged.mkdir(parents=True)
    (damaged / "ledger.db").write_bytes(b"this is not a database at all" * 100)  # and one whose database is damaged
    picked = [long_stick, damaged]
    monkeypatch.setattr(prompts, "choose_folder", lambda *_a, **_k: picked.pop(0))
    said = user(qtbot, monkeypatch, [NEW, OPEN, OPEN, None],
                look=lambda dialog: dialog.error.text() and assert_said_whole(qtbot, dialog, laptop))
    assert open_workspace(blocker / "workspace") is None
    assert said[0] == "" and messages == []
    assert said[1].startswith("没有新建工作区：\n无法创建工作区文件夹") and "请换一个有写权限的位置" in said[1]
    assert said[2].startswith("没有打开工作区：\n") and "不是台账工作区" in said[2] and str(long_stick) in said[2]
    assert said[3].startswith("没有打开工作区：\n") and "不是台账数据库文件" in said[3]


@pytest.mark.parametrize("screen", ["1366x728", "1280x690"])
def test_a_long_windows_path_wraps_instead_of_being_cut_off(qtbot, qapp, monkeypatch, screen):
    make_application()
    monkeypatch.setattr(screen_fit, "available_area", lambda _widget=None: QRect(SCREENS[screen]))
    path = (r"\\BATAI-SERVER\shared_documents\Township_Social_Work_Station\Community_Charity_Pilot_2024"
            r"\Backups_from_the_old_computer\CharityLedger_workspace_copy_made_before_reinstalling")  # one word
    error = (f"没有新建工作区：\n工作区“workspace”不可写（只读的 U 盘或没有权限）。请把它复制到可写的位置，"
             f"或检查 U 盘的写保护开关。\n\n完整位置：{path}")
    dialog = FirstRunDialog(Path("workspace"), error)
    qtbot.addWidget(dialog)
    dialog.show()
    assert_said_whole(qtbot, dialog, SCREENS[screen])
    assert dialog.width() <= 640  # the path wraps: it does not stretch the window across the screen
    assert dialog.error.text().replace("\u200b", "") == error  # only break chances were added
    other = FirstRunDialog(Path("workspace"))  # without an error: the welcome, as before
    qtbot.addWidget(other)
    assert other.error.isHidden() and other.buttons[DEMO].text() == "打开演示数据"

"""Workspaces from the GUI: the first-run choices (新建单位 by default, 打开已有工作区, 从备份文件恢复, 打开演示数据),
文件 › 打开工作区… and 最近打开 (switching closes the current workspace with its backup), and the warning for a
workspace on a network share."""

from pathlib import Path

from PySide6.QtCore import Qt

from desktop_app.core.services import ledger, office
from desktop_app.core.storage import files, paths
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui import first_run, recent, workspace_menu
from desktop_app.gui.app import close_workspace, open_main_window, open_workspace, switch_workspace
from desktop_app.gui.application import make_application
from tests.gui.conftest import wait_idle
from tests.helpers import make_entry


def new_workspace(folder: Path, name: str = "八台镇社工站") -> Path:
    with Workspace.open(folder, create=True, auto_backup=False) as ws:
        office.init_office(ws, name=name, division_code="511781107000", association="万源市慈善会")
    return folder


def answers(monkeypatch, name: str, values: list):
    """Patch prompts.`name` to give `values` one by one."""
    queue = list(values)
    monkeypatch.setattr(f"desktop_app.gui.prompts.{name}", lambda *_a, **_k: queue.pop(0))
    return queue


def choices(monkeypatch, values: list) -> list[str]:
    """The first-run choices answered with `values` in turn; returns what the choices window said each time
    (the error of the step before, or "")."""
    queue, said = list(values), []
    monkeypatch.setattr(first_run, "ask_start_choice", lambda _folder, error="": said.append(error) or queue.pop(0))
    return said


def office_filled_in(monkeypatch) -> None:
    """The 新建单位 form answered: the office is filled in and saved."""
    def filled(ws: Workspace) -> bool:
        if not ws.has_office():
            office.init_office(ws, name="八台镇社工站", division_code="511781107000", association="万源市慈善会")
        return True

    monkeypatch.setattr("desktop_app.gui.app.ensure_office", filled)


def test_the_default_button_of_the_first_run_is_new_not_quit(qtbot, tmp_path):
    make_application()
    dialog = first_run.FirstRunDialog(tmp_path / "ws")
    qtbot.addWidget(dialog)
    assert dialog.buttons[first_run.NEW].isDefault()
    assert [b.text() for b in dialog.buttons.values()] == ["新建单位", "打开已有工作区（如U盘）", "从备份文件恢复（换电脑）",
                                                           "打开演示数据"]
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter: a new workspace
    assert dialog.choice == first_run.NEW and not dialog.isVisible()
    other = first_run.FirstRunDialog(tmp_path / "ws")
    qtbot.addWidget(other)
    other.buttons[first_run.DEMO].click()
    assert other.choice == first_run.DEMO


def test_new_creates_the_workspace_in_the_given_folder(qapp, tmp_path, monkeypatch):
    choices(monkeypatch, [first_run.NEW])
    office_filled_in(monkeypatch)
    ws = open_workspace(tmp_path / "本机" / "workspace")
    try:
        assert ws.root == (tmp_path / "本机" / "workspace").resolve() and ws.db_path.is_file()
    finally:
        ws.close(backup=False)


def test_open_existing_refuses_a_folder_that_is_not_a_workspace(qapp, tmp_path, monkeypatch, messages):
    stick = new_workspace(tmp_path / "U盘" / "慈善台账")
    said = choices(monkeypatch, [first_run.OPEN, first_run.OPEN])
    answers(monkeypatch, "choose_folder", [stick.parent, stick])  # first the stick's root: refused
    ws = open_workspace(tmp_path / "默认")
    try:
        assert ws.root == stick.resolve()
    finally:
        ws.close(backup=False)
    assert said[0] == "" and said[1].startswith("没有打开工作区：") and not messages  # said in the choices window
    assert "不是台账工作区" in said[1] and "请选择含有 ledger.db 的那个文件夹" in said[1]
    assert not (tmp_path / "默认").exists()


def test_demo_opens_marked_as_demo(qtbot, tmp_path, monkeypatch, messages):
    make_application()
    demo = tmp_path / "per-user" / "demo"
    monkeypatch.setattr(paths, "demo_workspace_dir", lambda: demo)
    built: list[Path] = []
    monkeypatch.setattr("desktop_app.core.demo.build.build_demo",
                        lambda folder: built.append(new_workspace(folder, "万源市慈善会")))
    choices(monkeypatch, [first_run.DEMO])
    window = open_main_window(tmp_path / "默认")
    qtbot.addWidget(window)
    wait_idle(qtbot, window.ctx.runner)
    try:
        assert built == [demo] and window.ctx.ws.root == demo.resolve()
        assert "演示数据" in window.windowTitle()
    finally:
        window.close()
        close_workspace(window)


def test_restore_from_a_backup_file_on_the_first_run(qapp, tmp_path, monkeypatch, messages, voucher_file):
    old_pc = tmp_path / "旧电脑"
    with Workspace.open(old_pc, create=True, auto_backup=False) as ws:
        office.init_office(ws, name="八台镇社工站", division_code="511781107000", association="万源市慈善会")
        from desktop_app.core.services import projects

        ws.fund, _ = projects.add_fund(ws, projects.FundInput(name="测试基金"))
        ledger.add_entry(ws, make_entry(ws), post=True)
        ledger.add_entry(ws, make_entry(ws, "expense", "50", attachments=[voucher_file]), post=True)
        (tmp_path / "U盘").mkdir()
        made = ws.create_file_backup(tmp_path / "U盘")
    new_pc = tmp_path / "新电脑"
    new_pc.mkdir()
    (new_pc / "别的东西.txt").write_text("")  # not empty: the workspace goes into 新电脑/慈善台账
    choices(monkeypatch, [first_run.RESTORE])
    answers(monkeypatch, "open_backup_file", [made.path])
    answers(monkeypatch, "choose_folder", [new_pc])
    asked = []
    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda _p, _t, text: asked.append(text) or True)
    ws = open_workspace(tmp_path / "默认")
    try:
        assert ws.root == (new_pc / "慈善台账").resolve()
        assert ws.local_office().name == "八台镇社工站"
        sha = files.sha256_of(voucher_file)
        assert files.sha256_of(ws.attachment_path(sha)) == sha
    finally:
        ws.close(backup=False)
    assert "慈善台账" in asked[0] and made.path.name in asked[0]
    assert any("已从" in m and "恢复" in m for m in messages)


def test_a_failed_restore_goes_back_to_the_choices(qapp, tmp_path, monkeypatch, messages):
    bad = tmp_path / "社区慈善台账备份-坏的.zip"
    bad.write_bytes(b"PK not really")
    said = choices(monkeypatch, [first_run.RESTORE, None])
    answers(monkeypatch, "open_backup_file", [bad])
    answers(monkeypatch, "choose_folder", [tmp_path / "新"])
    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda *_a: True)
    assert open_workspace(tmp_path / "默认") is None
    assert said[1].startswith("恢复没有完成：") and "换一个备份文件" in said[1] and not messages
    assert not (tmp_path / "新").exists()


def test_the_recent_list_is_newest_first_and_at_most_eight(qapp, tmp_path):
    for i in range(10):
        recent.remember(tmp_path / f"ws{i}")
    recent.remember(tmp_path / "ws5")
    assert recent.recent_workspaces() == [tmp_path / n for n in ("ws5", "ws9", "ws8", "ws7", "ws6", "ws4", "ws3",
                                                                 "ws2")]
    recent.forget(tmp_path / "ws9")
    assert tmp_path / "ws9" not in recent.recent_workspaces()


def test_open_and_recent_switch_workspace_with_the_closing_backup(qtbot, tmp_path, monkeypatch, messages):
    make_application()
    first, second = new_workspace(tmp_path / "甲"), new_workspace(tmp_path / "乙", "青花镇社工站")
    recent.remember(tmp_path / "拔掉的U盘")
    window = open_main_window(first)  # not given to qtbot: switching deletes it
    wait_idle(qtbot, window.ctx.runner)
    assert recent.recent_workspaces()[:2] == [first.resolve(), tmp_path / "拔掉的U盘"]

    workspace_menu.fill_recent_menu(window, window.recent_menu)
    actions = {a.data(): a for a in window.recent_menu.actions() if a.data()}
    missing = actions[str(tmp_path / "拔掉的U盘")]
    assert not missing.isEnabled() and "找不到" in missing.text()
    assert not actions[str(first.resolve())].isEnabled() and "当前" in actions[str(first.resolve())].text()

    answers(monkeypatch, "choose_folder", [tmp_path])  # not a workspace: refused, the window stays
    workspace_menu.open_other(window)
    assert messages and "不是台账工作区" in messages[-1] and window.ctx.ws.engine is not None

    backups_before = len(window.ctx.ws.list_backups())
    answers(monkeypatch, "choose_folder", [second])
    open_action = next(a for a in window.menuBar().actions()[0].menu().actions() if a.text() == "打开工作区…")
    open_action.trigger()
    new = workspace_menu_window()
    wait_idle(qtbot, new.ctx.runner)
    try:
        assert new is not window and new.ctx.ws.root == second.resolve() and new.isVisible()
        assert window.ctx.ws.engine is None  # the first workspace is closed …
        after = Workspace(first.resolve()).list_backups()
        assert len(after) == backups_before + 1 and after[0].reason == "close"  # … with its closing backup
        assert recent.recent_workspaces()[0] == second.resolve()
        back = switch_workspace(new, first)  # 最近打开 › 甲
        qtbot.addWidget(back)
        wait_idle(qtbot, back.ctx.runner)
        assert back.ctx.ws.root == first.resolve() and new.ctx.ws.engine is None
        new = back
    finally:
        new.close()
        close_workspace(new)


def workspace_menu_window():
    from desktop_app.gui.app import current_window

    return current_window()


def test_a_workspace_on_a_network_share_is_warned_about(qapp, tmp_path, monkeypatch, messages):
    folder = new_workspace(tmp_path / "共享")
    fake = tmp_path / "mounts"
    fake.write_text(f"/dev/sda1 / ext4 rw 0 0\n//nas/office {folder.resolve()} cifs rw 0 0\n")
    monkeypatch.setattr(paths, "MOUNTS", str(fake))
    ws = open_workspace(folder)
    try:
        assert ws is not None  # opened after the warning
    finally:
        ws.close(backup=False)
    assert len(messages) == 1
    assert "网络共享文件夹" in messages[0] and "WAL" in messages[0] and "请把工作区放在本机或U盘上" in messages[0]
    fake.write_text("/dev/sda1 / ext4 rw 0 0\n")
    messages.clear()
    open_workspace(folder).close(backup=False)
    assert messages == []

"""设置 › 备份 and the 文件 menu: 备份到… writes the one-file backup to a picked folder and says where, how big
and that it was verified; 从备份文件恢复… asks first, backs up the current state and restores a .zip or .db."""

from PySide6.QtCore import Qt

from desktop_app.core.services import ledger
from desktop_app.core.storage import files
from desktop_app.gui import prompts
from tests.gui.conftest import wait_idle
from tests.helpers import make_entry


def open_backups(qtbot, window):
    window.go_to(window.settings)
    window.settings.show_tab("备份")
    wait_idle(qtbot, window.ctx.runner)
    return window.settings


def menu_action(window, text):
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if action.text() == text:
                return action
    raise AssertionError(f"no menu action {text}")


def test_backup_to_a_picked_folder_says_where_how_big_and_verified(qtbot, window, messages, monkeypatch, tmp_path,
                                                                  voucher_file):
    ws = window.ctx.ws
    ledger.add_entry(ws, make_entry(ws, attachments=[voucher_file]), post=True)
    stick = tmp_path / "U盘"
    stick.mkdir()
    monkeypatch.setattr(prompts, "choose_backup_folder", lambda _parent: stick)
    page = open_backups(qtbot, window)
    page.backup_to_button.click()
    wait_idle(qtbot, window.ctx.runner)
    [made] = stick.glob("社区慈善台账备份-*.zip")
    said = messages[-1]
    assert "“U盘”" in said and made.name in said and "已逐个校验" in said and "安全弹出" in said
    assert str(tmp_path) not in said and str(made) in messages.details[-1]  # the full path only under 详细信息
    assert files.size_text(made.stat().st_size) in said and "1 个凭证和照片" in said


def test_a_cancelled_folder_picker_writes_nothing(qtbot, window, messages, monkeypatch, tmp_path):
    monkeypatch.setattr(prompts, "choose_backup_folder", lambda _parent: None)
    page = open_backups(qtbot, window)
    page.backup_to_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert messages == [] and not list(tmp_path.rglob("*.zip"))


def test_restore_from_a_file_asks_then_brings_back_data_and_vouchers(qtbot, window, messages, monkeypatch, tmp_path,
                                                                    voucher_file):
    ws = window.ctx.ws
    ledger.add_entry(ws, make_entry(ws, attachments=[voucher_file]), post=True)
    stick = tmp_path / "U盘"
    stick.mkdir()
    made = ws.create_file_backup(stick)
    ledger.add_entry(ws, make_entry(ws, summary="备份之后的分录"), post=True)
    sha = files.sha256_of(voucher_file)
    ws.attachment_path(sha).unlink()  # lost since the backup

    monkeypatch.setattr(prompts, "open_backup_file", lambda _parent, folder=None: made.path)
    asked = []
    monkeypatch.setattr(prompts, "confirm", lambda _parent, title, text: asked.append(text) or False)
    page = open_backups(qtbot, window)
    page.restore_file_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert made.path.name in asked[0] and "另存为一份备份" in asked[0]
    assert not ws.attachment_path(sha).exists() and not ws.list_backups()

    monkeypatch.setattr(prompts, "confirm", lambda *_a: True)
    page.restore_file_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert any(f"已从备份文件“{made.path.name}”恢复" in m for m in messages)
    assert files.sha256_of(ws.attachment_path(sha)) == sha
    assert [b.reason for b in ws.list_backups()] == ["restore"]
    window.go_to(window.ledger)
    wait_idle(qtbot, window.ctx.runner)
    assert window.ledger.model.rowCount() == 1


def test_a_damaged_file_is_refused_in_chinese_and_nothing_changes(qtbot, window, messages, monkeypatch, tmp_path):
    broken = tmp_path / "备份.zip"
    broken.write_bytes(b"PK\x03\x04 cut short")
    monkeypatch.setattr(prompts, "open_backup_file", lambda _parent, folder=None: broken)
    monkeypatch.setattr(prompts, "confirm", lambda *_a: True)
    page = open_backups(qtbot, window)
    page.restore_file_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert any("不完整或已损坏" in m and "请" in m for m in messages)
    assert window.ctx.ws.list_backups() == []


def test_the_file_menu_offers_both_and_backups_list_by_date_and_kind(qtbot, window, messages, monkeypatch, tmp_path):
    picked = []
    monkeypatch.setattr(prompts, "choose_backup_folder", lambda _parent: picked.append("folder"))
    monkeypatch.setattr(prompts, "open_backup_file", lambda _parent, folder=None: picked.append("file"))
    menu_action(window, "备份到…").trigger()
    menu_action(window, "从备份文件恢复…").trigger()
    assert picked == ["folder", "file"]
    tabs = window.settings.tabs
    assert tabs.tabText(tabs.currentIndex()) == "备份"

    page = window.settings
    page.backup_button.click()
    wait_idle(qtbot, window.ctx.runner)
    page.reload()
    wait_idle(qtbot, window.ctx.runner)
    model = page.backups_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
               for c in range(model.columnCount())]
    assert headers == ["备份时间", "类型", "大小"]
    assert model.index(0, 1).data() == "手动备份"
    assert not any("ledger-" in str(model.index(0, c).data()) for c in range(model.columnCount()))


def test_backup_now_in_the_file_menu_shows_the_backups_tab(qtbot, window, messages):
    window.go_to(window.ledger)
    menu_action(window, "立即备份").trigger()
    wait_idle(qtbot, window.ctx.runner)
    settings = window.settings
    assert settings.tabs.tabText(settings.tabs.currentIndex()) == "备份"
    assert window.stack.currentWidget() is settings

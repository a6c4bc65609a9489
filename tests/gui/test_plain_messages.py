"""Ordinary messages say things in plain words — a file's or folder's name, “这张凭证的文件和记账时不一样” —
and keep full paths and SHA-256 hashes under 详细信息 (a message box's details, the verify tab's checkbox)."""

import re
import zipfile

from desktop_app.core.services import ledger
from desktop_app.core.storage import files
from desktop_app.gui import prompts
from desktop_app.gui.entry_detail import EntryDetailDialog
from tests.gui.conftest import wait_idle
from tests.helpers import make_entry

HASH = re.compile(r"[0-9a-f]{64}")


def plain(text: str, tmp_path) -> bool:
    """No 64-hex hash and no absolute path under the test's folder."""
    return not HASH.search(text) and str(tmp_path) not in text


def posted_with_voucher(ws, voucher_file) -> tuple[str, str]:
    entry = ledger.add_entry(ws, make_entry(ws, attachments=[voucher_file]), post=True)
    return entry.id, files.sha256_of(voucher_file)


def backups_tab(qtbot, window):
    window.go_to(window.settings)
    window.settings.show_tab("备份")
    wait_idle(qtbot, window.ctx.runner)
    return window.settings


def test_backup_to_a_folder_names_the_folder_and_file(qtbot, window, messages, monkeypatch, tmp_path, voucher_file):
    posted_with_voucher(window.ctx.ws, voucher_file)
    stick = tmp_path / "U盘"
    stick.mkdir()
    monkeypatch.setattr(prompts, "choose_backup_folder", lambda _parent: stick)
    backups_tab(qtbot, window).backup_to_button.click()
    wait_idle(qtbot, window.ctx.runner)
    [made] = stick.glob("*.zip")
    assert plain(messages[-1], tmp_path) and "“U盘”" in messages[-1] and made.name in messages[-1]
    assert str(made) in messages.details[-1]


def test_restore_from_a_file_says_the_file_name_and_keeps_paths_for_details(qtbot, window, messages, monkeypatch,
                                                                           tmp_path, voucher_file):
    ws = window.ctx.ws
    posted_with_voucher(ws, voucher_file)
    made = ws.create_file_backup(tmp_path)
    monkeypatch.setattr(prompts, "open_backup_file", lambda _parent, folder=None: made.path)
    monkeypatch.setattr(prompts, "confirm", lambda *_a: True)
    backups_tab(qtbot, window).restore_file_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert plain(messages[-1], tmp_path) and f"“{made.path.name}”" in messages[-1]
    assert str(made.path) in messages.details[-1] and str(ws.backups_dir) in messages.details[-1]


def test_a_forged_backup_is_refused_without_its_hashes(qtbot, window, messages, monkeypatch, tmp_path, voucher_file):
    ws = window.ctx.ws
    _entry, sha = posted_with_voucher(ws, voucher_file)
    made = ws.create_file_backup(tmp_path)
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(made.path) as old, zipfile.ZipFile(forged, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info.filename, b"\xff\xd8\xff forged" if info.filename.startswith("attachments/") else data)
    monkeypatch.setattr(prompts, "open_backup_file", lambda _parent, folder=None: forged)
    monkeypatch.setattr(prompts, "confirm", lambda *_a: True)
    backups_tab(qtbot, window).restore_file_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert "一个凭证或照片文件与备份清单不符" in messages[-1] and plain(messages[-1], tmp_path)
    assert sha in messages.details[-1] and str(forged) in messages.details[-1]


def test_a_missing_voucher_file_is_named_by_its_name(qtbot, window, messages, tmp_path, voucher_file):
    ws = window.ctx.ws
    entry_id, sha = posted_with_voucher(ws, voucher_file)
    ws.attachment_path(sha).unlink()
    dialog = EntryDetailDialog(window.ctx, entry_id, parent=window)
    qtbot.addWidget(dialog)
    wait_idle(qtbot, window.ctx.runner)
    assert plain(dialog.preview.text(), tmp_path) and "发票.jpg" in dialog.preview.text()
    dialog.open_current()
    assert "附件文件“发票.jpg”" in messages[-1] and "请从最近的备份恢复" in messages[-1]
    assert plain(messages[-1], tmp_path) and str(ws.attachment_path(sha)) in messages.details[-1]


def test_a_changed_voucher_file_in_verify_is_plain_with_details_on_request(qtbot, window, tmp_path, voucher_file):
    ws = window.ctx.ws
    _entry, sha = posted_with_voucher(ws, voucher_file)
    ws.attachment_path(sha).write_bytes(b"\xff\xd8\xff another picture")
    page = window.settings
    window.go_to(page)
    page.show_tab("数据校验")
    assert not page.verify_details.isEnabled()
    page.verify_button.click()
    wait_idle(qtbot, window.ctx.runner)
    shown = page.verify_result.toPlainText()
    assert "附件“发票.jpg”的文件和记账时不一样" in shown and plain(shown, tmp_path)
    assert page.verify_details.isEnabled()
    page.verify_details.setChecked(True)
    detailed = page.verify_result.toPlainText()
    assert sha in detailed and files.sha256_of(ws.attachment_path(sha)) in detailed
    assert str(ws.attachment_path(sha)) in detailed
    page.verify_details.setChecked(False)
    assert page.verify_result.toPlainText() == shown


def test_a_workspace_error_names_the_folder_and_keeps_the_path_for_details(tmp_path):
    from desktop_app.core.errors import WorkspaceError
    from desktop_app.core.storage.workspace import Workspace

    missing = tmp_path / "慈善台账"
    try:
        Workspace.open(missing)
    except WorkspaceError as exc:
        assert "找不到工作区“慈善台账”" in str(exc) and plain(str(exc), tmp_path) and str(missing) in exc.technical
    else:
        raise AssertionError("opened a folder that does not exist")

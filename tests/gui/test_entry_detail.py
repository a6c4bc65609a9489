"""查看详情: every field of a demo entry, its reversal link (clickable), its activities, its attachments
listed, previewed and opened as a read-only temporary copy under the original name."""

import os
import shutil

import pytest
from PySide6.QtCore import QRect, QUrl
from PySide6.QtWidgets import QLabel
from sqlmodel import select

from desktop_app.core.demo.build import build_demo
from desktop_app.core.models import LedgerEntry
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui import attachment_files, prompts, screen_fit
from desktop_app.gui.app import make_context
from desktop_app.gui.application import make_application
from desktop_app.gui.entry_detail import EntryDetailDialog
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.photo_viewer import PhotoViewer, ViewedPhoto
from tests.gui.conftest import wait_idle
from tests.gui.test_screen_fit import SCREENS, assert_fits


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("entry-detail") / "demo")


@pytest.fixture
def demo_window(qtbot, qapp, demo_dir, tmp_path):
    folder = tmp_path / "ws"
    shutil.copytree(demo_dir, folder)
    make_application()
    ws = Workspace.open(folder, auto_backup=False)
    win = MainWindow(make_context(ws))
    qtbot.addWidget(win)
    win.show()
    win.go_to(win.ledger)
    wait_idle(qtbot, win.ctx.runner)
    yield win
    win.close()
    ws.close(backup=False)


def entry_where(ws, **columns) -> LedgerEntry:
    with ws.reading() as s:
        query = select(LedgerEntry).where(LedgerEntry.deleted == False)  # noqa: E712
        for name, value in columns.items():
            query = query.where(getattr(LedgerEntry, name) == value)
        return s.exec(query.order_by(LedgerEntry.entry_date)).first()


def fields(dialog: EntryDetailDialog) -> dict[str, str]:
    shown = {}
    for form in (dialog.fields, dialog.more_fields):
        for row in range(form.rowCount()):
            label = form.itemAt(row, form.ItemRole.LabelRole).widget()
            value = form.itemAt(row, form.ItemRole.FieldRole).widget()
            shown[label.text().removesuffix("：")] = value.text()
    return shown


def open_detail(qtbot, page, entry_id, *, double_click=False) -> EntryDetailDialog:
    assert page.select_entry(entry_id)
    if double_click:
        page.view.doubleClicked.emit(page.view.selectionModel().selectedRows()[0])
    else:
        assert page.detail_button.isEnabled()
        page.detail_button.click()
    wait_idle(qtbot, page.ctx.runner)
    dialog = page.dialog
    assert isinstance(dialog, EntryDetailDialog) and dialog.isVisible()
    return dialog


def test_double_click_on_a_posted_entry_shows_its_fields_activities_attachments_and_reversal(qtbot, demo_window):
    page, ws = demo_window.ledger, demo_window.ctx.ws
    reversed_entry = entry_where(ws, voucher_year=2024, voucher_seq=21)
    dialog = open_detail(qtbot, page, reversed_entry.id, double_click=True)

    shown = fields(dialog)
    assert shown["凭证号"] == "2024-0021" and shown["类型"] == "支出" and shown["状态"] == "已记账"
    assert shown["金额"].startswith("¥") and "元" in shown["金额"]
    for label in ("基金", "日期", "摘要", "业务类别", "支出性质", "限定用途", "对方名称", "对方类型", "匿名", "公开同意",
                  "联系方式（不公开）", "支付方式", "票据", "记账时间"):
        assert label in shown, label
    assert shown["记账时间"] != "（未记账）"
    assert "记账链的第" in dialog.chain.text()
    assert "被冲销于" in dialog.reversal.text() and "2024-0022" in dialog.reversal.text()
    assert [dialog.attachments.item(0, c).text() for c in (0,)] == ["20241122-培训资料印制.png"]
    assert dialog.attachments.item(0, 1).text().endswith("KB") and dialog.attachments.item(0, 2).text()
    assert not dialog.preview.pixmap().isNull()  # the scan is previewed
    assert not dialog.edit_button.isVisible()

    reversal = entry_where(ws, reverses_id=reversed_entry.id)
    dialog.reversal.linkActivated.emit(reversal.id)  # the link to the reversal shows it in the same window
    wait_idle(qtbot, page.ctx.runner)
    assert fields(dialog)["凭证号"] == "2024-0022" and fields(dialog)["类型"] == "红字冲销"
    assert "冲销了" in dialog.reversal.text() and "2024-0021" in dialog.reversal.text()
    assert "冲销原因" in fields(dialog) and dialog.attachments.rowCount() == 0

    paid = entry_where(ws, voucher_year=2024, voucher_seq=3)
    dialog.show_entry(paid.id)
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.activities.text() and "没有关联活动" not in dialog.activities.text()


def test_open_hands_the_viewer_a_read_only_copy_under_the_original_name(qtbot, demo_window, monkeypatch):
    page, ws = demo_window.ledger, demo_window.ctx.ws
    opened: list[QUrl] = []
    monkeypatch.setattr(attachment_files.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog = open_detail(qtbot, page, entry_where(ws, voucher_year=2024, voucher_seq=3).id)
    [file] = dialog.attachments.files
    dialog.open_button.click()

    [url] = opened
    copy = url.toLocalFile()
    assert os.path.basename(copy) == file.name and file.name.endswith(".png")
    assert not copy.startswith(str(ws.root))
    with open(copy, "rb") as handle, open(ws.attachment_path(file.sha256), "rb") as stored:
        assert handle.read() == stored.read()
    assert not os.access(copy, os.W_OK) or os.name != "posix" or os.geteuid() == 0


def test_a_drafts_detail_offers_to_edit_it(qtbot, demo_window):
    page, ws = demo_window.ledger, demo_window.ctx.ws
    draft = entry_where(ws, status="draft")
    dialog = open_detail(qtbot, page, draft.id)
    shown = fields(dialog)
    assert shown["状态"] == "草稿（未记账）" and shown["凭证号"].startswith("（草稿")
    assert "不在记账链上" in dialog.chain.text() and not dialog.reversal.isVisible()
    assert dialog.attachments.rowCount() == 1
    assert dialog.edit_button.isVisible()
    dialog.edit_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert page.dialog.windowTitle() == "修改草稿" and page.dialog.isVisible()
    page.dialog.reject()


def test_a_missing_file_is_said_in_words(qtbot, demo_window, monkeypatch):
    page, ws = demo_window.ledger, demo_window.ctx.ws
    dialog = open_detail(qtbot, page, entry_where(ws, voucher_year=2024, voucher_seq=4).id)
    [file] = dialog.attachments.files
    path = ws.attachment_path(file.sha256)
    path.chmod(0o644)
    path.unlink()
    attachment_files.show_preview(dialog.preview, ws, file)
    assert isinstance(dialog.preview, QLabel) and "找不到" in dialog.preview.text()


def test_editing_a_draft_lists_its_saved_attachments_to_open_and_remove(qtbot, demo_window, monkeypatch):
    page, ws = demo_window.ledger, demo_window.ctx.ws
    draft = entry_where(ws, status="draft")
    opened: list[QUrl] = []
    monkeypatch.setattr(attachment_files.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    monkeypatch.setattr(prompts, "confirm", lambda *_args: True)
    assert page.select_entry(draft.id)
    page.edit_selected()
    wait_idle(qtbot, page.ctx.runner)
    editor = page.dialog
    saved = editor.existing_attachments
    assert editor.windowTitle() == "修改草稿" and saved.isVisible()
    [file] = saved.table.files
    assert saved.table.item(0, 0).text() == file.name and "1 个" in saved.title.text()

    saved.open_button.click()
    assert [os.path.basename(u.toLocalFile()) for u in opened] == [file.name]

    saved.remove_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert saved.table.files == [] and not saved.isVisible()
    assert f"已移除附件“{file.name}”" in editor.message.text()
    assert page.selected_row().attachments == 0  # the ledger shows it at once


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_detail_and_the_photo_viewer_fit_small_screens(qtbot, demo_window, monkeypatch, screen):
    rect = SCREENS[screen]
    monkeypatch.setattr(screen_fit, "available_area", lambda _widget=None: QRect(rect))
    page, ws = demo_window.ledger, demo_window.ctx.ws
    dialog = open_detail(qtbot, page, entry_where(ws, voucher_year=2024, voucher_seq=21).id)
    assert_fits(qtbot, dialog, rect)
    dialog.reject()
    viewer = PhotoViewer(ws, [ViewedPhoto("0" * 64, "说明")], parent=page)
    qtbot.addWidget(viewer)
    viewer.show()
    assert_fits(qtbot, viewer, rect)
    assert "读不出来" in viewer.picture.text()
    viewer.reject()


@pytest.mark.parametrize(("name", "shown"), [
    ("长" * 250 + ".jpg", "长" * 65 + ".jpg"),  # a long download name, kept by Windows: the copy must still open
    ("发票", "发票.jpg"),  # no extension: the viewer is told what it is
    ("𠮷野家\u200b收据😀.jpeg", "𠮷野家\u200b收据😀.jpeg"),  # rare CJK, zero-width, emoji: kept as they are
])
def test_the_copy_opened_has_a_name_the_system_can_open(qtbot, qapp, workspace, tmp_path, monkeypatch, name, shown):
    from desktop_app.core.queries.entry_detail import AttachedFile

    scan = tmp_path / "扫描.jpg"
    scan.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00 scanned invoice")
    with workspace.transaction("test") as s:
        sha = workspace.store_attachment(s, scan).sha256
    opened: list[QUrl] = []
    monkeypatch.setattr(attachment_files.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    copy = attachment_files.open_attachment(workspace, AttachedFile("l", "a", sha, name, 10, ""))
    assert copy.name == shown and [u.toLocalFile() for u in opened] == [str(copy)]
    assert copy.read_bytes() == scan.read_bytes()

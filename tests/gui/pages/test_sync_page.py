"""数据同步 page: a township exports a package to a folder it picks and sees it listed; the county enrols it with
the fingerprint compared, imports after a dry run and sees each township's status; a receipt written at the
county and imported at the township shows what was acknowledged and the county's notes; a refused package is
shown in Chinese with nothing changed."""

import gc

import pytest
from sqlmodel import select

from desktop_app.core.models import SyncReceived
from desktop_app.core.services import ledger, sync
from desktop_app.gui import prompts
from desktop_app.gui.app import make_context
from desktop_app.gui.application import make_application
from desktop_app.gui.pages.sync import SyncPage
from desktop_app.gui.sync_dialogs import EnrolDialog, SyncImportDialog
from tests.county_helpers import county, township
from tests.gui.conftest import wait_idle
from tests.helpers import make_entry, table_rows


def cells(model, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


@pytest.fixture
def stick(tmp_path):
    folder = tmp_path / "U盘"
    folder.mkdir()
    return folder


@pytest.fixture
def offered(monkeypatch) -> list[str]:
    """What 打开文件夹 / a next step was offered with (never taken)."""
    said: list[str] = []
    monkeypatch.setattr(prompts, "offer_open_folder", lambda _p, message, title="", details="": said.append(message)
                        and False)
    monkeypatch.setattr(prompts, "offer", lambda _p, _title, message, _action, *a, **k: said.append(message) and False)
    return said


@pytest.fixture
def county_page(qtbot, qapp, tmp_path):
    make_application()
    ws = county(tmp_path / "县")
    ctx = make_context(ws)
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx.runner)
    yield page
    page.close()
    wait_idle(qtbot, ctx.runner)
    gc.collect()
    ws.close(backup=False)


@pytest.fixture
def townships(tmp_path):
    made = [township(tmp_path / "a", "八台镇社工站", "511781107000", "八台镇尚善社区基金", ("5000", "1200.50")),
            township(tmp_path / "b", "青花镇社工站", "511781108000", "立信社区爱青花基金", ("3000", "99.99"))]
    yield made
    for ws in made:
        ws.close(backup=False)


def open_sync(qtbot, window) -> SyncPage:
    window.go_to(window.sync)
    wait_idle(qtbot, window.ctx.runner)
    return window.sync


def enrol(qtbot, page: SyncPage, monkeypatch, path, typed: str | None) -> EnrolDialog:
    """登记单位 with `path`: the fingerprint typed as read out by phone (None: 核对一致 ticked instead)."""
    monkeypatch.setattr(prompts, "open_sync_file", lambda _p, _title: path)
    dialog = page.enrol()
    assert dialog is not None
    wait_idle(qtbot, page.ctx.runner)
    if typed is None:
        dialog.confirmed.setChecked(True)
    else:
        dialog.typed.setText(typed)
    assert dialog.enrol_button.isEnabled()
    dialog.enrol_button.click()
    wait_idle(qtbot, page.ctx.runner)
    return dialog


def test_a_township_exports_a_package_to_a_picked_folder_and_sees_it_listed(qtbot, window, monkeypatch, stick,
                                                                           offered, messages):
    ws = window.ctx.ws
    ledger.add_entry(ws, make_entry(ws, amount="1000"), post=True)
    page = open_sync(qtbot, window)
    panel = page.township
    assert page.stack.currentWidget() is panel
    assert panel.fingerprint.text() == sync.office_key(ws).fingerprint  # to read out by phone
    assert "还没有导出过同步包" in panel.receipt_label.text()
    monkeypatch.setattr(prompts, "choose_sync_folder", lambda _p, _title="": stick)
    panel.export_button.click()
    wait_idle(qtbot, window.ctx.runner)
    [made] = stick.glob("*.zip")
    assert "已导出第 1 号同步包" in offered[-1] and made.name in offered[-1] and "导入回执" in offered[-1]
    assert str(stick) not in offered[-1]  # the folder by name; the full path only under 详细信息
    assert cells(panel.sent_model, 0) == ["第 1 号"] and cells(panel.sent_model, 5) == ["还没有回执"]
    assert cells(panel.sent_model, 6) == [made.name]
    # nothing changed since: refused, in Chinese, with what to do
    panel.export_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert "没有新的改动" in messages[-1] and len(list(stick.glob("*.zip"))) == 1
    # a full package asks first
    monkeypatch.setattr(prompts, "confirm", lambda _p, title, message: "全部数据" in message)
    panel.full_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert cells(panel.sent_model, 1) == ["全量包", "同步包"] and len(list(stick.glob("*-全量.zip"))) == 1


def test_renewing_the_key_asks_first_and_says_the_county_must_enrol_again(qtbot, window, monkeypatch, offered):
    page = open_sync(qtbot, window)
    before = page.township.fingerprint.text()
    asked: list[str] = []
    monkeypatch.setattr(prompts, "confirm", lambda _p, _title, message: asked.append(message) and False)
    page.township.renew_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert "重新登记" in asked[-1] and page.township.fingerprint.text() == before
    monkeypatch.setattr(prompts, "confirm", lambda *_a: True)
    page.township.renew_button.click()
    wait_idle(qtbot, window.ctx.runner)
    after = page.township.fingerprint.text()
    assert after != before and after in offered[-1] and "重新登记" in offered[-1]


def test_the_county_enrols_with_the_fingerprint_then_imports_after_a_dry_run(qtbot, county_page, townships, stick,
                                                                           monkeypatch, offered):
    a, b = townships
    pa, pb = sync.export_package(a, stick), sync.export_package(b, stick)
    page = county_page
    assert page.stack.currentWidget() is page.county and "还没有登记任何单位" in page.county.empty.text()
    monkeypatch.setattr(prompts, "open_sync_file", lambda _p, _title: pa.path)
    dialog = page.enrol()
    wait_idle(qtbot, page.ctx.runner)
    right = sync.office_key(a).fingerprint
    assert dialog.office_label.text() == "八台镇社工站" and dialog.fingerprint_label.text() == right
    assert "打电话" in dialog.how.text() and not dialog.enrol_button.isEnabled()
    dialog.typed.setText(right[:-1] + ("1" if right[-1] != "1" else "2"))  # misheard: not enrolled
    assert "不一致" in dialog.check.text() and not dialog.enrol_button.isEnabled()
    dialog.typed.setText(right.replace(" ", "-"))
    assert "一致" in dialog.check.text() and dialog.enrol_button.isEnabled()
    dialog.enrol_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.enrolled is not None and dialog.enrolled.status == "enrolled"
    assert "已登记“八台镇社工站”" in offered[-1]
    enrol(qtbot, page, monkeypatch, pb.path, None)  # compared group by group and ticked
    assert cells(page.county.model, 0) == ["八台镇社工站", "青花镇社工站"]
    assert cells(page.county.model, 3) == ["还没有导入", "还没有导入"]
    # the dry run: what would happen, nothing changed
    ws = page.ctx.ws
    before = table_rows(ws.db_path)
    monkeypatch.setattr(prompts, "choose_sync_folder", lambda _p, _title="": stick)
    importer = page.import_packages(folder=True)
    assert isinstance(importer, SyncImportDialog)
    wait_idle(qtbot, page.ctx.runner)
    assert sorted(cells(importer.model, 0)) == ["八台镇社工站", "青花镇社工站"]  # each office's in number order
    assert cells(importer.model, 2) == ["将导入", "将导入"] and int(cells(importer.model, 3)[0]) > 0
    assert "还没有改动任何数据" in importer.summary.text() and importer.import_button.isEnabled()
    assert table_rows(ws.db_path) == before
    importer.import_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert cells(importer.model, 2) == ["已导入", "已导入"] and "导入完成" in importer.summary.text()
    assert not importer.import_button.isVisible()
    assert cells(page.county.model, 3) == ["第 1 号", "第 1 号"] and cells(page.county.model, 6) == ["—", "—"]
    assert cells(page.county.model, 2)[0] == right
    page.county.view.selectRow(0)  # the packages received from the office selected
    wait_idle(qtbot, page.ctx.runner)
    assert cells(page.county.received_model, 0) == ["第 1 号"] and cells(page.county.received_model, 1) == ["已导入"]


def test_a_receipt_written_at_the_county_shows_acknowledged_and_notes_at_the_township(
        qtbot, window, county_page, stick, monkeypatch, offered, messages):
    town = window.ctx.ws
    ledger.add_entry(town, make_entry(town, amount="1000"), post=True)
    made = sync.export_package(town, stick)
    page = county_page
    enrol(qtbot, page, monkeypatch, made.path, sync.office_key(town).fingerprint)
    monkeypatch.setattr(prompts, "open_sync_files", lambda _p, _title="": [made.path])
    importer = page.import_packages()
    wait_idle(qtbot, page.ctx.runner)
    importer.import_button.click()
    wait_idle(qtbot, page.ctx.runner)
    importer.reject()
    page.county.view.selectRow(0)
    monkeypatch.setattr(prompts, "ask_multiline", lambda _p, _title, label: "3 月的凭证不清晰，请补扫")
    page.county.note_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert "已记下" in messages[-1]
    assert cells(page.county.notes_model, 0) == ["3 月的凭证不清晰，请补扫"]  # the notes written to it
    receipts = stick / "回执"
    receipts.mkdir()
    monkeypatch.setattr(prompts, "choose_sync_folder", lambda _p, _title="": receipts)
    page.county.receipt_button.click()
    wait_idle(qtbot, page.ctx.runner)
    [receipt] = receipts.glob("*.zip")
    assert "已写好给“八台镇社工站”的回执" in offered[-1]
    # at the township
    township_page = open_sync(qtbot, window)
    panel = township_page.township
    monkeypatch.setattr(prompts, "open_sync_file", lambda _p, _title: receipt)
    panel.receipt_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert "县里已导入第 1 号包" in messages[-1] and "1 条新的审核意见" in messages[-1]
    assert cells(panel.sent_model, 5) == ["已收到"] and "万源市慈善会" in panel.receipt_label.text()
    assert cells(panel.notes_model, 0) == ["待处理"] and cells(panel.notes_model, 1) == ["3 月的凭证不清晰，请补扫"]
    panel.notes_view.selectRow(0)
    assert panel.done_button.isEnabled() and not panel.undo_button.isEnabled()
    panel.done_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert cells(panel.notes_model, 0) == ["已处理"]
    panel.notes_view.selectRow(0)
    assert panel.undo_button.isEnabled()


def test_a_refused_package_is_shown_in_chinese_and_changes_nothing(qtbot, county_page, townships, stick, monkeypatch,
                                                                 offered):
    a, b = townships
    pa, pb = sync.export_package(a, stick), sync.export_package(b, stick)
    page = county_page
    enrol(qtbot, page, monkeypatch, pa.path, None)
    broken = stick / "复制了一半.zip"
    broken.write_bytes(pa.path.read_bytes()[:500])
    pa.path.unlink()
    ws = page.ctx.ws
    before = table_rows(ws.db_path)
    monkeypatch.setattr(prompts, "open_sync_files", lambda _p, _title="": [pb.path, broken])
    importer = page.import_packages()
    wait_idle(qtbot, page.ctx.runner)
    assert cells(importer.model, 2) == ["拒收", "拒收"]
    reasons = cells(importer.model, 7)
    assert "还没有登记的单位“青花镇社工站”" in reasons[0] and "没有导入" in reasons[0]
    assert "不完整或已损坏" in reasons[1]
    assert not importer.import_button.isEnabled() and "没有可以导入的包" in importer.summary.text()
    assert table_rows(ws.db_path) == before
    with ws.reading() as s:
        assert s.exec(select(SyncReceived)).all() == []


def test_a_dry_run_of_consecutive_packages_explains_why_the_later_one_shows_held(qtbot, county_page, townships, stick,
                                                                                monkeypatch, offered):
    a, _b = townships
    first = sync.export_package(a, stick)
    ledger.post_entry(a, ledger.add_draft(a, make_entry(a, amount="10")).id)
    second = sync.export_package(a, stick)
    page = county_page
    enrol(qtbot, page, monkeypatch, first.path, None)
    monkeypatch.setattr(prompts, "open_sync_files", lambda _p, _title="": [second.path, first.path])
    importer = page.import_packages()
    wait_idle(qtbot, page.ctx.runner)
    assert cells(importer.model, 1) == ["1", "2"] and cells(importer.model, 2) == ["将导入", "暂存"]
    assert "试导入没有真的导入前面的包" in cells(importer.model, 7)[1]
    importer.import_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert cells(importer.model, 2) == ["已导入", "已导入"]
    assert cells(page.county.model, 3) == ["第 2 号"]


def test_a_township_that_renewed_its_key_is_enrolled_again_from_its_next_package(qtbot, county_page, townships, stick,
                                                                                monkeypatch, offered):
    a, b = townships
    first, other = sync.export_package(a, stick), sync.export_package(b, stick)
    page = county_page
    enrol(qtbot, page, monkeypatch, first.path, None)
    sync.office_key(a, renew=True)
    ledger.post_entry(a, ledger.add_draft(a, make_entry(a, amount="10")).id)
    second = sync.export_package(a, stick)
    page.county.view.selectRow(0)
    monkeypatch.setattr(prompts, "open_sync_file", lambda _p, _title: other.path)  # the wrong township's file
    wrong = page.enrol(rekey=True)
    wait_idle(qtbot, page.ctx.runner)
    assert "不是所选的“八台镇社工站”" in wrong.message.text()
    wrong.reject()
    monkeypatch.setattr(prompts, "open_sync_file", lambda _p, _title: second.path)
    dialog = page.enrol(rekey=True)
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.windowTitle() == "更换“八台镇社工站”的公钥" and not dialog.message.text()
    dialog.typed.setText(sync.office_key(a).fingerprint)
    dialog.enrol_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.enrolled.status == "rekeyed" and "已更换“八台镇社工站”的公钥" in offered[-1]
    assert "换过 1 次" in cells(page.county.model, 2)[0]


def test_the_county_accepts_a_township_restored_from_an_old_backup_after_a_dry_run(qtbot, county_page, townships,
                                                                                  stick, monkeypatch, offered):
    a, _b = townships
    first = sync.export_package(a, stick)
    page = county_page
    enrol(qtbot, page, monkeypatch, first.path, None)
    backup = a.create_backup("manual")
    ledger.post_entry(a, ledger.add_draft(a, make_entry(a, amount="10", summary="恢复前记的")).id)
    second = sync.export_package(a, stick)
    monkeypatch.setattr(prompts, "open_sync_files", lambda _p, _title="": [first.path, second.path])
    importer = page.import_packages()
    wait_idle(qtbot, page.ctx.runner)
    importer.import_button.click()
    wait_idle(qtbot, page.ctx.runner)
    importer.reject()
    a.restore_backup(backup.path)
    ledger.post_entry(a, ledger.add_draft(a, make_entry(a, amount="20", summary="恢复后重记的")).id)
    full = sync.export_package(a, stick, full=True)
    monkeypatch.setattr(prompts, "open_sync_files", lambda _p, _title="": [full.path])
    importer = page.import_packages()
    wait_idle(qtbot, page.ctx.runner)
    assert cells(importer.model, 2) == ["暂存"] and "恢复过" in cells(importer.model, 7)[0]
    assert "从备份恢复过" in importer.summary.text() and importer.accept_rewind.isVisible()
    importer.accept_rewind.setChecked(True)  # talked with the township: its restored books are the baseline
    wait_idle(qtbot, page.ctx.runner)
    assert cells(importer.model, 2) == ["将导入"]
    importer.import_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert cells(importer.model, 2) == ["已导入"], cells(importer.model, 7)

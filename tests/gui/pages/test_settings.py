"""设置: backups, verification, office identity."""

from desktop_app.core import settings as setting_registry
from desktop_app.core.queries.settings import local_setting
from desktop_app.core.services import ledger
from tests.gui.conftest import wait_idle
from tests.helpers import make_entry


def open_settings(qtbot, window):
    window.go_to(window.settings)
    wait_idle(qtbot, window.ctx.runner)
    return window.settings


def test_backup_button_creates_a_verified_backup(qtbot, window, messages):
    page = open_settings(qtbot, window)
    assert window.ctx.ws.list_backups() == [] and page.backups_model.rowCount() == 0
    page.backup_button.click()
    wait_idle(qtbot, window.ctx.runner)
    [backup] = window.ctx.ws.list_backups()
    assert backup.reason == "manual"
    assert any("已备份并校验" in m for m in messages)
    assert page.backups_model.rowCount() == 1 and page.backups_model.index(0, 1).data() == "手动备份"


def test_restore_asks_first_and_brings_back_the_old_data(qtbot, window, monkeypatch):
    ws = window.ctx.ws
    page = open_settings(qtbot, window)
    page.backup_button.click()
    wait_idle(qtbot, window.ctx.runner)
    ledger.add_entry(ws, make_entry(ws), post=True)
    window.go_to(window.ledger)
    assert window.ledger.model.rowCount() == 1

    window.go_to(page)
    page.reload()
    wait_idle(qtbot, window.ctx.runner)
    oldest = page.backups_model.rowCount() - 1
    page.backups_view.selectRow(oldest)
    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda *_a: False)
    page.restore_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert len(ws.list_backups()) == 1

    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda *_a: True)
    page.restore_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert len(ws.list_backups()) == 2  # the state before the restore was saved first
    window.go_to(window.ledger)
    wait_idle(qtbot, window.ctx.runner)
    assert window.ledger.model.rowCount() == 0


def test_verify_reports_an_intact_chain(qtbot, window):
    ws = window.ctx.ws
    ledger.add_entry(ws, make_entry(ws), post=True)
    page = open_settings(qtbot, window)
    page.verify_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert "1 条已记账分录" in page.verify_result.toPlainText()
    assert "数据完好" in page.verify_result.toPlainText()


def test_office_identity_is_saved_and_shown_in_the_title(qtbot, window, messages):
    page = open_settings(qtbot, window)
    assert page.office_name.text() == "八台镇社工站"
    page.office_name.setText("八台镇社会工作服务站")
    page.save_office_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert "八台镇社会工作服务站" in window.windowTitle()
    page.division_code.setText("123")
    page.save_office_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert "12 位数字" in messages[-1]


def test_categories_can_be_added_and_retired(qtbot, window):
    page = open_settings(qtbot, window)
    page.new_category.setText("助学")
    page.new_category_kind.setCurrentIndex(page.new_category_kind.findData("expense"))
    page.new_category.returnPressed.emit()
    wait_idle(qtbot, window.ctx.runner)
    names = [page.categories_model.index(r, 0).data() for r in range(page.categories_model.rowCount())]
    row = names.index("助学")
    page.categories_view.selectRow(row)
    page.toggle_category_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert page.categories_model.index(row, 2).data() == "已停用"
    assert "助学" not in window.ledger.current_lookups().expense_categories


def _notice_values(ws) -> dict:

    with ws.reading() as s:
        return {key: local_setting(s, key) for key in setting_registry.DEFAULTS if key.startswith("notice.")}


def test_notice_settings_are_saved_and_used_by_new_notices(qtbot, window):
    ws = window.ctx.ws
    page = open_settings(qtbot, window)
    assert page.civil_affairs_name.text() == "属地乡镇（街道）民政办" and page.notice_days.value() == 7
    page.notice_days.setValue(10)
    page.association_phone.setText("0818-8622345")
    page.civil_affairs_name.setText("青花镇民政办")
    page.civil_affairs_phone.setText("０８１８-８６２７８９０")  # full-width digits, as some IMEs type them
    page.save_notice_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert "已保存" in page.notice_message.text()
    assert _notice_values(ws) == {"notice.days": 10, "notice.association_phone": "0818-8622345",
                                  "notice.civil_affairs_name": "青花镇民政办",
                                  "notice.civil_affairs_phone": "0818-8627890"}
    assert page.civil_affairs_phone.text() == "0818-8627890"  # shown as stored


def test_a_refused_notice_setting_saves_nothing_and_keeps_the_form(qtbot, window):
    ws = window.ctx.ws
    page = open_settings(qtbot, window)
    before = _notice_values(ws)
    page.notice_days.setValue(14)
    page.association_phone.setText("0818-8622345")
    page.civil_affairs_phone.setText("找民政办王主任")
    page.save_notice_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert "不是电话号码" in page.notice_message.text() and "0818-8621234" in page.notice_message.text()
    assert _notice_values(ws) == before  # the days and the other phone were not saved either
    assert page.civil_affairs_phone.text() == "找民政办王主任" and page.notice_days.value() == 14

"""A form with typed data asks before it closes (放弃/继续编辑); an untouched form closes silently."""

from PySide6.QtCore import Qt

from desktop_app.gui import prompts
from tests.gui.conftest import wait_idle
from tests.gui.test_entry_dialog import fill


def test_an_untouched_entry_form_closes_without_asking(qtbot, ledger_page):
    dialog = ledger_page.new_entry()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)  # ask_discard would fail the test
    assert not dialog.isVisible()


def test_typed_data_asks_and_continue_editing_keeps_it(qtbot, ledger_page, monkeypatch):
    asked = []
    monkeypatch.setattr(prompts, "ask_discard", lambda _p: asked.append(1) or False)
    dialog = ledger_page.new_entry()
    dialog.summary.setText("购置慈善阵地桌椅")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [1] and dialog.isVisible() and dialog.summary.text() == "购置慈善阵地桌椅"
    dialog.close()  # the window's ×
    assert asked == [1, 1] and dialog.isVisible()

    monkeypatch.setattr(prompts, "ask_discard", lambda _p: asked.append(2) or True)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert asked[-1] == 2 and not dialog.isVisible()
    assert prompts.DISCARD_QUESTION == "有尚未保存的内容，确定关闭吗？"


def test_after_save_and_continue_the_cleared_form_closes_silently(qtbot, ledger_page):
    dialog = ledger_page.new_entry()
    fill(dialog)
    dialog.save(post=False)
    wait_idle(qtbot, ledger_page.ctx.runner)
    dialog.keep_going.setChecked(False)  # a view option, not form data
    dialog.reject()
    assert not dialog.isVisible()


def test_editing_a_draft_asks_only_after_a_change(qtbot, ledger_page, monkeypatch):
    from desktop_app.core.services import ledger
    from tests.helpers import make_entry

    ws = ledger_page.ctx.ws
    draft = ledger.add_draft(ws, make_entry(ws, amount="100", summary="原摘要"))
    ledger_page.reload()
    assert ledger_page.select_entry(draft.id)
    ledger_page.edit_selected()
    wait_idle(qtbot, ledger_page.ctx.runner)
    editor = ledger_page.dialog
    editor.reject()
    assert not editor.isVisible()

    ledger_page.edit_selected()
    wait_idle(qtbot, ledger_page.ctx.runner)
    editor = ledger_page.dialog
    editor.amount.setText("150")
    monkeypatch.setattr(prompts, "ask_discard", lambda _p: False)
    editor.reject()
    assert editor.isVisible()


def test_fund_and_project_forms_ask_the_same_way(qtbot, window, monkeypatch):
    window.go_to(window.funds)
    wait_idle(qtbot, window.ctx.runner)
    fund = window.funds.add_fund()
    wait_idle(qtbot, window.ctx.runner)
    fund.reject()  # untouched: no question
    assert not fund.isVisible()

    window.funds.view.selectRow(0)
    edit = window.funds.edit_fund()
    wait_idle(qtbot, window.ctx.runner)
    assert edit.name.text()  # filled from the workspace, and still untouched
    edit.reject()
    assert not edit.isVisible()

    window.go_to(window.projects)
    wait_idle(qtbot, window.ctx.runner)
    project = window.projects.add_project()
    project.goals.setPlainText("阵地建设")
    asked = []
    monkeypatch.setattr(prompts, "ask_discard", lambda _p: asked.append(1) or False)
    project.reject()
    assert asked and project.isVisible()
    monkeypatch.setattr(prompts, "ask_discard", lambda _p: True)
    project.reject()
    assert not project.isVisible()

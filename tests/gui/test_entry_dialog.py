"""The entry dialog, driven as a user would: type, press Enter or click, read what the ledger shows."""

from datetime import date

from PySide6.QtCore import QDate, Qt

from desktop_app.gui.ledger_model import ROW_ROLE
from tests.gui.conftest import wait_idle


def fill(dialog, *, entry_type="allocation", amount="1234.5", summary="试点项目资金拨入", day=date(2024, 3, 1)):
    dialog.entry_type.setCurrentIndex(dialog.entry_type.findData(entry_type))
    dialog.day.setDate(QDate(day.year, day.month, day.day))
    dialog.amount.setText(amount)
    dialog.summary.setText(summary)


def rows(page):
    return [page.model.index(r, 0).data(ROW_ROLE) for r in range(page.model.rowCount())]


def test_enter_saves_a_draft_and_clears_the_form_for_the_next(qtbot, ledger_page):
    dialog = ledger_page.new_entry()
    fill(dialog)
    assert dialog.capital.text() == "大写：壹仟贰佰叁拾肆元伍角整"
    qtbot.keyClick(dialog.summary, Qt.Key.Key_Return)
    wait_idle(qtbot, ledger_page.ctx.runner)

    [row] = rows(ledger_page)
    assert (row.status, row.amount_fen, row.summary, row.voucher) == ("draft", 123450, "试点项目资金拨入", "")
    assert dialog.isVisible() and dialog.amount.text() == "" and dialog.summary.text() == ""
    assert dialog.entry_type.currentData() == "allocation" and dialog.day.date() == QDate(2024, 3, 1)
    assert "已保存草稿" in dialog.message.text()


def test_amount_errors_show_while_typing_and_block_saving(qtbot, ledger_page):
    dialog = ledger_page.new_entry()
    fill(dialog, amount="12.345")
    assert "精度" in dialog.capital.text()
    dialog.amount.setText("3.5万")
    assert dialog.capital.text() == "大写：叁万伍仟元整"
    dialog.amount.setText("abc")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert "不是金额" in dialog.message.text()
    assert ledger_page.model.rowCount() == 0
    assert dialog.summary.text() == "试点项目资金拨入"


def test_save_and_post_assigns_the_voucher_number(qtbot, ledger_page):
    dialog = ledger_page.new_entry()
    fill(dialog, amount="1000")
    qtbot.mouseClick(dialog.post_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ledger_page.ctx.runner)

    [row] = rows(ledger_page)
    assert (row.status, row.voucher) == ("posted", "2024-0001")
    assert ledger_page.model.index(0, 0).data() == "2024-0001"
    assert "凭证 2024-0001" in dialog.message.text()


def test_expense_without_voucher_scan_is_refused_and_nothing_is_lost(qtbot, ledger_page):
    dialog = ledger_page.new_entry()
    fill(dialog, entry_type="expense", amount="300", summary="购置慈善阵地桌椅")
    qtbot.mouseClick(dialog.post_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ledger_page.ctx.runner)

    assert "支出记账前需要附上凭证" in dialog.message.text()
    assert ledger_page.model.rowCount() == 0
    assert (dialog.amount.text(), dialog.summary.text()) == ("300", "购置慈善阵地桌椅")


def test_expense_with_attachment_asks_for_an_override_when_the_balance_is_short(qtbot, ledger_page, monkeypatch,
                                                                                voucher_file):
    asked = []
    monkeypatch.setattr("desktop_app.gui.prompts.ask_text", lambda _p, _t, label, text="": asked.append(label) or "先垫付")
    dialog = ledger_page.new_entry()
    fill(dialog, entry_type="expense", amount="300", summary="购置慈善阵地桌椅")
    dialog.add_files([voucher_file])
    qtbot.mouseClick(dialog.post_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ledger_page.ctx.runner)

    assert "非限定性资金余额只有" in asked[0]
    [row] = rows(ledger_page)
    assert (row.status, row.attachments, row.voucher) == ("posted", 1, "2024-0001")


def test_double_click_edits_a_draft(qtbot, ledger_page):
    dialog = ledger_page.new_entry()
    fill(dialog, amount="100")
    dialog.keep_going.setChecked(False)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert not dialog.isVisible()

    ledger_page.view.selectRow(0)
    ledger_page.view.doubleClicked.emit(ledger_page.model.index(0, 4))
    wait_idle(qtbot, ledger_page.ctx.runner)
    editor = ledger_page.dialog
    assert editor is not dialog and editor.windowTitle() == "修改草稿"
    assert editor.amount.text() == "100.00"
    editor.amount.setText("120")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ledger_page.ctx.runner)
    [row] = rows(ledger_page)
    assert (row.amount_fen, row.status) == (12000, "draft")

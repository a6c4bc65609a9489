"""Mistakes made hard on the ledger: posting asks first, the undo history stays truthful after it, and the
totals under the table follow the filter."""

from datetime import date
from decimal import Decimal

from desktop_app.core.queries import ledger as ledger_query
from desktop_app.core.services import ledger
from desktop_app.gui import prompts
from tests.gui.conftest import wait_idle
from tests.gui.test_entry_dialog import fill, rows
from tests.helpers import FUND_NAME, make_entry


def select(page, entry_id):
    assert page.select_entry(entry_id)
    return page.selected_row()


def test_posting_from_the_ledger_asks_and_a_no_posts_nothing(qtbot, ledger_page, monkeypatch):
    ws = ledger_page.ctx.ws
    draft = ledger.add_draft(ws, make_entry(ws, amount="80", summary="小额拨入"))
    ledger_page.reload()
    asked = []
    monkeypatch.setattr(prompts, "ask_posting", lambda _p, what="": asked.append(what) or (False, False))
    select(ledger_page, draft.id)
    ledger_page.post_button.click()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert asked and "小额拨入" in asked[0]
    assert [r.status for r in rows(ledger_page)] == ["draft"]


def test_dont_ask_again_is_remembered(qtbot, ledger_page, monkeypatch):
    ws = ledger_page.ctx.ws
    first = ledger.add_draft(ws, make_entry(ws, amount="80", summary="第一笔"))
    second = ledger.add_draft(ws, make_entry(ws, amount="90", summary="第二笔"))
    ledger_page.reload()
    asked = []
    monkeypatch.setattr(prompts, "ask_posting", lambda _p, what="": asked.append(what) or (True, True))
    for draft in (first, second):
        select(ledger_page, draft.id)
        ledger_page.post_button.click()
        wait_idle(qtbot, ledger_page.ctx.runner)
    assert len(asked) == 1
    assert {r.status for r in rows(ledger_page)} == {"posted"}


def test_the_entry_dialog_asks_before_save_and_post(qtbot, ledger_page, monkeypatch, posting_questions):
    monkeypatch.setattr(prompts, "ask_posting", lambda _p, what="": posting_questions.append(what) or (False, False))
    dialog = ledger_page.new_entry()
    fill(dialog, amount="1000")
    dialog.post_button.click()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert posting_questions and "试点项目资金拨入" in posting_questions[0]
    assert ledger_page.model.rowCount() == 0 and dialog.amount.text() == "1000"
    assert "没有记账" in dialog.message.text()


def test_after_posting_undo_offers_no_step_it_cannot_take(qtbot, ledger_page):
    stack = ledger_page.ctx.undo
    dialog = ledger_page.new_entry()
    fill(dialog, summary="第一笔草稿")
    dialog.save(post=False)
    wait_idle(qtbot, ledger_page.ctx.runner)
    fill(dialog, summary="第二笔草稿", amount="200")
    dialog.save(post=False)
    wait_idle(qtbot, ledger_page.ctx.runner)
    dialog.reject()
    assert stack.count() == 2 and "第二笔草稿" in ledger_page.undo_button.text()
    first = next(r for r in rows(ledger_page) if r.summary == "第一笔草稿")

    select(ledger_page, first.id)
    ledger_page.post_button.click()
    wait_idle(qtbot, ledger_page.ctx.runner)
    # the first draft's step is gone (it cannot be undone now); the second's stays and still works
    assert stack.count() == 1 and stack.undoText() == "新增草稿“第二笔草稿”"
    assert ledger_page.undo_button.text().startswith("撤销新增草稿")
    stack.undo()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert [(r.summary, r.status) for r in rows(ledger_page)] == [("第一笔草稿", "posted")]

    select(ledger_page, first.id)
    stack.redo()  # the second draft back
    wait_idle(qtbot, ledger_page.ctx.runner)
    second = next(r for r in rows(ledger_page) if r.summary == "第二笔草稿")
    select(ledger_page, second.id)
    ledger_page.post_button.click()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert not stack.canUndo() and not stack.canRedo() and ledger_page.undo_button.text() == "撤销"


def test_totals_follow_the_filter_and_count_reversals_as_booked(qtbot, ledger_page, monkeypatch):
    ws = ledger_page.ctx.ws
    ledger.add_entry(ws, make_entry(ws, amount="1000.10", day=date(2024, 3, 1)), post=True)
    wrong = ledger.add_entry(ws, make_entry(ws, amount="300", day=date(2024, 3, 2)), post=True)
    ledger.reverse_entry(ws, wrong.id, "重复录入")
    ledger.add_entry(ws, make_entry(ws, "expense", amount="200.05", day=date(2024, 3, 3)),
                     override_reason="测试")
    ledger_page.reload()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert ledger_page.totals_label.text() == "收入合计 ¥1,000.10　　支出合计 ¥200.05　　净额 ¥800.05"

    ledger_page.type_filter.setCurrentIndex(ledger_page.type_filter.findData("reversal"))
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert ledger_page.totals_label.text() == "收入合计 -¥300.00　　支出合计 ¥0.00　　净额 -¥300.00"

    conn = ws.raw_reader()
    totals = ledger_query.totals(conn, ledger_query.LedgerFilter(entry_type="expense"))
    conn.close()
    assert totals == ledger_query.LedgerTotals(Decimal("0.00"), Decimal("200.05"))
    assert isinstance(totals.net, Decimal)


def test_reverse_and_copy_opens_a_prefilled_draft(qtbot, window, monkeypatch):
    ws = window.ctx.ws
    original = ledger.add_entry(ws, make_entry(ws, "donation", amount="500", day=date(2024, 3, 1), summary="张明华捐款",
                                               category="个人捐赠", counterparty_name="张明华",
                                               counterparty_kind="个人", receipt_no="0007"), post=True)
    window.go_to(window.ledger)
    page = window.ledger
    wait_idle(qtbot, window.ctx.runner)
    reasons = []
    monkeypatch.setattr(prompts, "ask_text", lambda _p, _t, label, text="": reasons.append(label) or "金额录错")
    select(page, original.id)
    assert page.redo_copy_action.isEnabled()
    page.redo_copy_action.trigger()
    wait_idle(qtbot, window.ctx.runner)

    assert reasons and f"冲销【{FUND_NAME}】凭证 2024-0001" in reasons[0]
    assert {r.entry_type for r in rows(page)} == {"donation", "reversal"}
    dialog = page.dialog
    assert dialog.isVisible() and dialog._entry_id is None
    assert (dialog.amount.text(), dialog.summary.text(), dialog.category.currentText()) == ("500.00", "张明华捐款",
                                                                                           "个人捐赠")
    assert (dialog.counterparty.text(), dialog.counterparty_kind.currentData()) == ("张明华", "个人")
    assert dialog.entry_type.currentData() == "donation" and dialog.day.date().toPython() == date.today()
    assert dialog.receipt_no.text() == "0007"

    dialog.amount.setText("300")
    dialog.save(post=False)
    wait_idle(qtbot, window.ctx.runner)
    assert not dialog.isVisible()
    copy = next(r for r in rows(page) if r.status == "draft")
    assert (copy.amount_fen, copy.voucher, copy.summary) == (30000, "", "张明华捐款")
    select(page, original.id)
    assert not page.redo_copy_action.isEnabled()  # reversed already


def test_reverse_and_copy_does_nothing_without_a_reason(qtbot, window, monkeypatch):
    ws = window.ctx.ws
    original = ledger.add_entry(ws, make_entry(ws, amount="500"), post=True)
    window.go_to(window.ledger)
    page = window.ledger
    wait_idle(qtbot, window.ctx.runner)
    monkeypatch.setattr(prompts, "ask_text", lambda *_a, **_k: None)
    select(page, original.id)
    page.redo_copy_action.trigger()
    wait_idle(qtbot, window.ctx.runner)
    assert [r.entry_type for r in rows(page)] == ["allocation"]
    assert page.dialog is None or not page.dialog.isVisible()

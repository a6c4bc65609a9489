"""Ledger page commands: reversal, undo/redo of drafts, deleting drafts."""

from datetime import date

from PySide6.QtCore import Qt

from desktop_app.core.services import ledger, settings
from desktop_app.gui import prompts
from desktop_app.gui.ledger_model import RED, ROW_ROLE
from tests.gui.conftest import wait_idle
from tests.gui.test_entry_dialog import fill, rows
from tests.helpers import FUND_NAME, make_entry


def select(page, entry_id):
    assert page.select_entry(entry_id)
    return page.selected_row()


def test_reversal_adds_a_red_row_and_cannot_be_repeated(qtbot, window, monkeypatch, messages):
    original = ledger.add_entry(window.ctx.ws, make_entry(window.ctx.ws, amount="500", day=date(2024, 3, 1)), post=True)
    window.go_to(window.ledger)
    page = window.ledger
    monkeypatch.setattr("desktop_app.gui.prompts.ask_text", lambda *_a, **_k: "金额录错，应为 300.00 元")

    assert select(page, original.id).voucher == "2024-0001"
    assert page.reverse_button.isEnabled()
    page.reverse_button.click()
    wait_idle(qtbot, window.ctx.runner)

    by_type = {r.entry_type: r for r in rows(page)}
    assert set(by_type) == {"allocation", "reversal"}
    reversal = by_type["reversal"]
    assert (reversal.amount_fen, reversal.status) == (-50000, "posted")
    red_row = next(i for i in range(page.model.rowCount()) if page.model.index(i, 0).data(ROW_ROLE).id == reversal.id)
    assert page.model.index(red_row, 6).data() == "-¥500.00" and page.model.index(red_row, 7).data() == ""
    assert page.model.index(red_row, 6).data(Qt.ItemDataRole.ForegroundRole) == RED

    again = select(page, original.id)
    assert again.reversed_by and not page.reverse_button.isEnabled()
    page.reverse_selected()  # e.g. from a stale selection: the core refuses, the page says why
    wait_idle(qtbot, window.ctx.runner)
    assert any("不能重复冲销" in m for m in messages)
    assert page.model.rowCount() == 2


def test_reversing_a_spent_donation_asks_for_the_override_reason(qtbot, window, monkeypatch, messages):
    ws = window.ctx.ws
    gift = ledger.add_entry(ws, make_entry(ws, "donation", "500", category="企业捐赠", day=date(2024, 3, 1)), post=True)
    settings.set_setting(ws, "require_expense_attachment", False)
    ledger.add_entry(ws, make_entry(ws, "expense", "400", day=date(2024, 3, 2)), post=True)
    window.go_to(window.ledger)
    page = window.ledger
    answers = iter(["捐赠人撤回捐赠", "已与捐赠人协商，差额由慈善会补足"])
    asked: list[str] = []

    def ask_text(_parent, _title, label, *_a, **_k):
        asked.append(label)
        return next(answers)

    monkeypatch.setattr("desktop_app.gui.prompts.ask_text", ask_text)
    select(page, gift.id)
    page.reverse_selected()
    wait_idle(qtbot, window.ctx.runner)
    assert len(asked) == 2 and "变成负数" in asked[1]
    reversal = next(r for r in rows(page) if r.entry_type == "reversal")
    assert reversal.amount_fen == -50000


def test_undo_and_redo_of_a_new_draft(qtbot, ledger_page):
    dialog = ledger_page.new_entry()
    fill(dialog)
    dialog.save(post=False)
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert ledger_page.model.rowCount() == 1
    stack = ledger_page.ctx.undo
    assert stack.canUndo() and ledger_page.undo_button.isEnabled()

    ledger_page.undo_button.click()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert ledger_page.model.rowCount() == 0
    assert stack.canRedo()

    stack.redo()
    wait_idle(qtbot, ledger_page.ctx.runner)
    [row] = rows(ledger_page)
    assert (row.status, row.amount_fen) == ("draft", 123450)


def test_delete_draft_is_undoable_posting_is_not(qtbot, ledger_page):
    ws = ledger_page.ctx.ws
    draft = ledger.add_draft(ws, make_entry(ws, amount="80"))
    ledger_page.reload()
    select(ledger_page, draft.id)
    ledger_page.delete_button.click()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert ledger_page.model.rowCount() == 0
    ledger_page.ctx.undo.undo()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert ledger_page.model.rowCount() == 1

    select(ledger_page, draft.id)
    ledger_page.post_button.click()
    wait_idle(qtbot, ledger_page.ctx.runner)
    [row] = rows(ledger_page)
    assert row.status == "posted"
    assert "记账" not in ledger_page.ctx.undo.undoText()  # posting added no undo step


def test_undo_of_a_draft_edit_restores_the_old_fields(qtbot, ledger_page):
    ws = ledger_page.ctx.ws
    draft = ledger.add_draft(ws, make_entry(ws, amount="100", summary="原摘要"))
    ledger_page.reload()
    select(ledger_page, draft.id)
    ledger_page.edit_button.click()
    wait_idle(qtbot, ledger_page.ctx.runner)
    editor = ledger_page.dialog
    editor.amount.setText("150")
    editor.summary.setText("新摘要")
    editor.save(post=False)
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert [(r.amount_fen, r.summary) for r in rows(ledger_page)] == [(15000, "新摘要")]
    ledger_page.ctx.undo.undo()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert [(r.amount_fen, r.summary) for r in rows(ledger_page)] == [(10000, "原摘要")]
    ledger_page.ctx.undo.redo()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert [(r.amount_fen, r.summary) for r in rows(ledger_page)] == [(15000, "新摘要")]


def test_filters_by_type_and_status(qtbot, ledger_page):
    ws = ledger_page.ctx.ws
    ledger.add_entry(ws, make_entry(ws, amount="100"), post=True)
    ledger.add_draft(ws, make_entry(ws, amount="200", entry_type="donation", category="个人捐赠"))
    ledger_page.reload()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert ledger_page.model.rowCount() == 2
    ledger_page.status_filter.setCurrentIndex(ledger_page.status_filter.findData("draft"))
    assert [r.amount_fen for r in rows(ledger_page)] == [20000]
    ledger_page.status_filter.setCurrentIndex(0)
    ledger_page.type_filter.setCurrentIndex(ledger_page.type_filter.findData("allocation"))
    assert [r.amount_fen for r in rows(ledger_page)] == [10000]
    ledger_page.type_filter.setCurrentIndex(0)
    ledger_page.date_from.check.setChecked(True)
    ledger_page.date_from.edit.setDate(ledger_page.date_from.edit.date().addYears(50))
    assert ledger_page.model.rowCount() == 0 and ledger_page.count_label.text() == "共 0 条"


def test_posting_a_draft_dated_after_this_year_asks_first(qtbot, ledger_page, monkeypatch, messages):
    ws = ledger_page.ctx.ws
    draft = ledger.add_draft(ws, make_entry(ws, amount="80", day=date(2052, 3, 1)))  # 2052 for 2025, most likely
    ledger_page.reload()
    asked = []
    answers = iter([False, True])
    monkeypatch.setattr(prompts, "confirm", lambda _p, title, text: asked.append((title, text)) or next(answers))
    said = []
    ledger_page.status.connect(said.append)

    select(ledger_page, draft.id)
    ledger_page.post_button.click()  # “no, the date is wrong”: nothing posted, and the page says what to do
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert len(asked) == 1 and asked[0][0] == "日期在今年之后"
    assert "2052-03-01" in asked[0][1] and "年底之后" in asked[0][1] and "确定按它记账吗" in asked[0][1]
    [row] = rows(ledger_page)
    assert row.status == "draft" and messages == []
    assert "没有记账" in said[-1] and "2052-03-01" in said[-1] and "修改草稿" in said[-1]

    select(ledger_page, draft.id)
    ledger_page.post_button.click()  # “yes, it is meant”: posted with that date
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert len(asked) == 2 and messages == []
    [row] = rows(ledger_page)
    assert (row.status, row.voucher) == ("posted", "2052-0001") and f"已记账：【{FUND_NAME}】凭证 2052-0001" in said[-1]


def test_a_draft_of_this_year_posts_without_asking(qtbot, ledger_page, monkeypatch):
    ws = ledger_page.ctx.ws
    draft = ledger.add_draft(ws, make_entry(ws, amount="80", day=date.today()))
    ledger_page.reload()
    select(ledger_page, draft.id)
    ledger_page.post_button.click()  # prompts.confirm is patched to fail the test if asked
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert rows(ledger_page)[0].status == "posted"

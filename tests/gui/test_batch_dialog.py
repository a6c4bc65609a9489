"""批量录入 of a paper list: agreeing lists post; disagreeing ones only after confirmation."""

from PySide6.QtCore import QDate

from desktop_app.gui.ledger_model import ROW_ROLE
from tests.gui.conftest import close_discarding, wait_idle

LIST = [("李大友", "200"), ("王秀兰", "100"), ("", "50")]


def open_batch(page, declared_count, declared_total):
    dialog = page.batch_entry()
    dialog.day.setDate(QDate(2024, 9, 5))
    for name, amount in LIST:
        dialog.model.add_line(name, amount)
    dialog.declared_count.setValue(declared_count)
    dialog.declared_total.setText(declared_total)
    return dialog


def test_agreeing_list_posts_every_line(qtbot, ledger_page):
    dialog = open_batch(ledger_page, 3, "350")
    assert "已录入 3 笔，合计 ¥350.00" in dialog.totals.text() and "一致" in dialog.totals.text()
    dialog.post_button.click()
    wait_idle(qtbot, ledger_page.ctx.runner)

    assert not dialog.isVisible()
    rows = [ledger_page.model.index(r, 0).data(ROW_ROLE) for r in range(ledger_page.model.rowCount())]
    assert len(rows) == 3 and all(r.status == "posted" and r.entry_type == "donation" for r in rows)
    assert sorted(r.voucher for r in rows) == ["2024-0001", "2024-0002", "2024-0003"]
    assert sorted(r.counterparty_name for r in rows) == ["", "李大友", "王秀兰"]


def test_disagreeing_list_posts_only_when_confirmed(qtbot, ledger_page, monkeypatch):
    dialog = open_batch(ledger_page, 4, "400")
    assert "不一致" in dialog.totals.text()
    asked = []
    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda _p, _t, message: asked.append(message) or False)
    dialog.post_button.click()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert "纸质清单写的是 4 笔" in asked[0]
    assert ledger_page.model.rowCount() == 0
    assert dialog.isVisible() and "没有记账" in dialog.message.text()

    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda *_a: True)
    dialog.post_button.click()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert ledger_page.model.rowCount() == 3
    assert not dialog.isVisible()


def test_bad_amount_names_the_line(qtbot, ledger_page):
    dialog = open_batch(ledger_page, 4, "350")
    dialog.model.add_line("赵德全", "两百")
    dialog.post_button.click()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert dialog.message.text().startswith("第 4 行（赵德全）")
    assert ledger_page.model.rowCount() == 0


def test_paste_from_excel(ledger_page):
    dialog = ledger_page.batch_entry()
    dialog.paste_text("张国富\t1,000.00\n杨小琴\t100\n\n50\n王秀兰，200\n")
    assert [(line.name, line.amount) for line in dialog.model.lines] == [
        ("张国富", "1,000.00"), ("杨小琴", "100"), ("", "50"), ("王秀兰", "200"), ("", "")]
    assert "已录入 4 笔，合计 ¥1,350.00" in dialog.totals.text()
    close_discarding(dialog)  # a list typed in: closing asks

"""Voucher numbers run per fund, so two funds each have a 2024-0014. Wherever one is shown — the ledger, the
entry detail, a reversal's link, a verify finding — the fund is shown with it and the two can be told apart."""

from datetime import date

from PySide6.QtCore import Qt

from desktop_app.core.services import ledger, projects
from desktop_app.core.vouchers import fund_voucher
from desktop_app.gui.entry_detail import EntryDetailDialog
from desktop_app.gui.ledger_model import ROW_ROLE
from tests.core.storage import chain_forgery as forge
from tests.gui.conftest import wait_idle
from tests.helpers import FUND_NAME, make_entry

OTHER = "万源市慈善会青花镇立信社区基金"


def two_funds_at_0014(ws) -> dict[str, str]:
    """Fourteen posted entries in each of two funds; fund name → the id of its 2024-0014."""
    other, _ = projects.add_fund(ws, projects.FundInput(name=OTHER))
    last = {}
    for fund_id, name in ((ws.fund.id, FUND_NAME), (other.id, OTHER)):
        for n in range(1, 15):
            data = make_entry(ws, summary=f"{name[-6:]}的第 {n} 笔")
            data.fund_id = fund_id
            last[name] = ledger.add_entry(ws, data, post=True).id
    return last


def open_detail(qtbot, window, entry_id: str) -> EntryDetailDialog:
    dialog = EntryDetailDialog(window.ctx, entry_id, parent=window)
    qtbot.addWidget(dialog)
    wait_idle(qtbot, window.ctx.runner)
    return dialog


def test_the_ledger_tells_the_two_0014s_apart(qtbot, ledger_page):
    two_funds_at_0014(ledger_page.ctx.ws)
    ledger_page.search.setText("2024-0014")
    ledger_page.apply_filter()
    model = ledger_page.model
    assert model.rowCount() == 2 and not ledger_page.view.isColumnHidden(2)
    rows = [model.index(r, 0).data(ROW_ROLE) for r in range(2)]
    assert {r.voucher for r in rows} == {"2024-0014"}
    assert {model.index(r, 2).data() for r in range(2)} == {"八台镇尚善社区基金", "青花镇立信社区基金"}
    tips = {model.index(r, 0).data(Qt.ItemDataRole.ToolTipRole) for r in range(2)}
    assert tips == {fund_voucher(FUND_NAME, "2024-0014"), fund_voucher(OTHER, "2024-0014")}


def test_the_detail_and_the_reversal_links_name_the_fund(qtbot, window):
    ws = window.ctx.ws
    ids = two_funds_at_0014(ws)
    mine = open_detail(qtbot, window, ids[FUND_NAME])
    theirs = open_detail(qtbot, window, ids[OTHER])
    assert f"【{FUND_NAME}】凭证 2024-0014" in mine.windowTitle() and OTHER not in mine.windowTitle()
    assert f"【{OTHER}】凭证 2024-0014" in theirs.heading.text()

    reversal = ledger.reverse_entry(ws, ids[OTHER], "金额录错", on_date=date(2024, 3, 2))
    theirs.show_entry(ids[OTHER])
    wait_idle(qtbot, window.ctx.runner)
    assert f"被冲销于 <a href=\"{reversal.id}\">【{OTHER}】凭证 2024-0015</a>" in theirs.reversal.text()
    theirs.reversal.linkActivated.emit(reversal.id)
    wait_idle(qtbot, window.ctx.runner)
    assert f"冲销了 <a href=\"{ids[OTHER]}\">【{OTHER}】凭证 2024-0014</a>" in theirs.reversal.text()


def test_a_verify_finding_names_the_fund_of_the_tampered_0014(qtbot, window):
    ws = window.ctx.ws
    two_funds_at_0014(ws)
    forge.multiply_amount(ws.root, FUND_NAME, "2024-0014", 10)
    page = window.settings
    window.go_to(page)
    page.show_tab("数据校验")
    page.verify_button.click()
    wait_idle(qtbot, window.ctx.runner)
    shown = page.verify_result.toPlainText()
    assert f"【{FUND_NAME}】凭证 2024-0014 被改动：金额 由 ¥1,000.00 变为 ¥10,000.00" in shown
    assert f"【{OTHER}】凭证 2024-0014" not in shown

"""社区基金 and 项目 pages: month-end closing and the add-project dialog."""

from datetime import date

from PySide6.QtCore import QDate

from desktop_app.core.services import ledger
from tests.gui.conftest import close_discarding, wait_idle
from tests.helpers import make_entry


def test_close_month_asks_for_the_month_and_blocks_posting_into_it(qtbot, window, monkeypatch, messages):
    ws = window.ctx.ws
    window.go_to(window.funds)
    wait_idle(qtbot, window.ctx.runner)
    monkeypatch.setattr("desktop_app.gui.prompts.ask_month", lambda *_a: "2024-03")
    window.funds.close_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert "2024-03 已结账。" in messages
    assert "已结账至 2024-03" in window.funds.info.text()
    draft = ledger.add_draft(ws, make_entry(ws, day=date(2024, 3, 5)))
    window.go_to(window.ledger)
    wait_idle(qtbot, window.ctx.runner)
    assert window.ledger.select_entry(draft.id)
    window.ledger.post_button.click()
    wait_idle(qtbot, window.ctx.runner)
    assert "已结账" in messages[-1]


def test_add_project_dialog(qtbot, window):
    window.go_to(window.projects)
    wait_idle(qtbot, window.ctx.runner)
    dialog = window.projects.add_project()
    dialog.name.setText("八台镇慈善助力文旅融合试点")
    dialog.start.setDate(QDate(2024, 2, 1))
    dialog.end.setDate(QDate(2025, 2, 28))
    dialog.budget.setText("30万")
    dialog.leaders.setPlainText("黄国春，八台社区社会组织联合会，15583376966")
    dialog.sites.setPlainText("八台镇天池村，511781107201")
    dialog.save()
    wait_idle(qtbot, window.ctx.runner)
    assert not dialog.isVisible()
    page = window.projects
    assert page.list_model.index(0, 0).data() == "八台镇慈善助力文旅融合试点"
    assert page.list_model.index(0, 1).data() == "¥300,000.00"
    assert page.leaders_model.index(0, 2).data() == "15583376966"
    assert page.budget_model.index(0, 0).data() == "合计"

    again = page.add_project()
    again.name.setText("八台镇慈善助力文旅融合试点")
    again.save()
    wait_idle(qtbot, window.ctx.runner)
    assert "已经存在" in again.message.text() and again.isVisible()
    close_discarding(again)

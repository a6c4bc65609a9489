"""The main window: navigation, overview figures, shortcuts."""

from PySide6.QtCore import Qt

from desktop_app.core.services import ledger
from desktop_app.gui.navigation import NAV_TITLES
from tests.gui.conftest import wait_idle
from tests.helpers import FUND_NAME, make_entry


def test_navigation_has_every_page(window):
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["概览", "项目", "社区基金", "收支台账", "活动记录", "物资台账", "慈善阵地", "需求调查", "信息公示",
                      "数据同步", "设置"]
    assert tuple(titles) == NAV_TITLES  # the start-up frame shows the same navigation
    window.nav.setCurrentRow(7)
    assert window.stack.currentWidget() is window.surveys
    window.nav.setCurrentRow(9)
    assert window.stack.currentWidget() is window.sync
    assert "八台镇社工站" in window.windowTitle() and str(window.ctx.ws.root) in window.windowTitle()


def test_overview_shows_balances_and_alerts(qtbot, window):
    ws = window.ctx.ws
    ledger.add_entry(ws, make_entry(ws, amount="1000"), post=True)
    window.overview.reload()
    wait_idle(qtbot, window.ctx.runner)
    assert window.overview.balance_card.value.text() == "¥1,000.00"
    assert window.overview.funds_model.index(0, 0).data() == FUND_NAME
    assert any("备份" in a.text for a in window.overview.data.alerts)


def test_ctrl_n_opens_the_entry_dialog_and_ctrl_f_focuses_search(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window.ctx.runner)
    assert window.stack.currentWidget() is window.ledger
    dialog = window.ledger.dialog
    assert dialog is not None and dialog.isVisible() and dialog.windowTitle() == "新增分录"
    dialog.reject()
    window.activateWindow()
    window.focus_search()
    assert window.ledger.search.hasFocus() or window.focusWidget() is window.ledger.search


def test_fund_dialog_explains_the_naming_convention(qtbot, window, messages):
    window.go_to(window.funds)
    wait_idle(qtbot, window.ctx.runner)
    dialog = window.funds.add_fund()
    wait_idle(qtbot, window.ctx.runner)
    dialog.name.setText("爱心基金")
    assert "命名规范不完全一致" in dialog.name_check.text()
    dialog.save()
    wait_idle(qtbot, window.ctx.runner)
    assert any("命名" in m for m in messages)
    assert window.funds.model.rowCount() == 2

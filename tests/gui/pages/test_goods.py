"""物资台账 page: receiving and handing out goods through the forms, refusals, deleting a record."""

from datetime import date

import pytest
from PySide6.QtCore import QDate
from sqlmodel import select

from desktop_app.core.models import GoodsMovement
from desktop_app.core.services import activities, goods
from desktop_app.gui.pages.goods import GoodsPage
from tests.core.activity_helpers import attach_project, concert
from tests.core.services.test_goods import receive
from tests.gui.conftest import close_discarding, wait_idle


@pytest.fixture
def page(qtbot, ctx):
    widget = GoodsPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    wait_idle(qtbot, ctx.runner)
    return widget


def movements(ws) -> list[GoodsMovement]:
    with ws.reading() as s:
        return list(s.exec(select(GoodsMovement).where(GoodsMovement.deleted == False)))  # noqa: E712


def cells(model, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_receive_goods_through_the_dialog_shows_the_stock(qtbot, page):
    dialog = page.receive()
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.save_button.isEnabled()
    dialog.day.setDate(QDate(2025, 1, 20))
    dialog.item.setEditText("新春礼品")
    dialog.unit.setText("份")
    dialog.quantity.setText("２００")
    dialog.donor.setText("万源市鑫达建材有限公司")
    dialog.donor_kind.setCurrentText("企业")
    assert not dialog.value.isEnabled()  # 未估值 until a valuation basis is chosen
    dialog.valuation.setCurrentText("捐赠方凭据")
    assert dialog.value.isEnabled()
    dialog.value.setText("6,000")
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert not dialog.isVisible(), dialog.message.text()
    assert cells(page.stock_model, 0)[1:] == ["新春礼品", "份", "200", "0", "200", "¥6,000.00"]
    row = cells(page.movements_model, 0)
    assert row[0] == "2025-01-20" and row[2] == "收入" and row[4] == "200 份"
    assert row[5] == "捐赠：万源市鑫达建材有限公司" and row[6] == "捐赠方凭据" and row[7] == "¥6,000.00"


def test_unvalued_anonymous_receipt(qtbot, page):
    dialog = page.receive()
    wait_idle(qtbot, page.ctx.runner)
    dialog.item.setEditText("棉被")
    dialog.unit.setText("床")
    dialog.quantity.setText("30")
    dialog.anonymous.setChecked(True)
    assert not dialog.donor.isEnabled() and not dialog.consent.isEnabled()
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert not dialog.isVisible(), dialog.message.text()
    assert page.stock_model.index(0, 6).data() == "未估值"
    assert page.movements_model.index(0, 5).data() == "捐赠：匿名"
    assert page.movements_model.index(0, 7).data() == "—"


def test_bad_receipt_keeps_the_dialog_open_with_what_was_typed(qtbot, page):
    dialog = page.receive()
    wait_idle(qtbot, page.ctx.runner)
    dialog.item.setEditText("新春礼品")
    dialog.unit.setText("份")
    dialog.quantity.setText("abc")
    dialog.donor.setText("万源市鑫达建材有限公司")
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.isVisible() and "不是数字" in dialog.message.text()
    assert dialog.item.currentText() == "新春礼品" and dialog.donor.text() == "万源市鑫达建材有限公司"
    assert movements(page.ctx.ws) == []
    close_discarding(dialog)  # typed: closing asks


def test_issue_through_the_dialog_at_an_activity(qtbot, page):
    ws = page.ctx.ws
    project, sites = attach_project(ws)
    activity = activities.add_activity(ws, concert(project, sites[1], start_date=date(2025, 1, 25)))
    receive(ws)
    page.reload()
    wait_idle(qtbot, page.ctx.runner)
    page.stock_view.selectRow(0)
    dialog = page.issue()
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.item.currentText() == "新春礼品（结存 200 份）" and dialog.unit.text() == "份"
    assert dialog.activity.findData(activity.id) > 0
    dialog.day.setDate(QDate(2025, 1, 25))
    dialog.quantity.setText("150")
    dialog.activity.setCurrentIndex(dialog.activity.findData(activity.id))
    dialog.group.setEditText("老年人")
    dialog.recipients.setText("150")
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert not dialog.isVisible(), dialog.message.text()
    assert cells(page.stock_model, 0)[1:] == ["新春礼品", "份", "200", "150", "50", "¥1,500.00"]
    row = cells(page.movements_model, 0)
    assert row[2] == "发放" and row[4] == "150 份" and row[6] == "按收入平均价" and row[7] == "¥4,500.00"
    assert row[8] == "八台慈善音乐会" and row[9] == "老年人 150 人"


def test_issue_beyond_stock_shows_the_message_and_writes_nothing(qtbot, page):
    ws = page.ctx.ws
    receive(ws)
    page.reload()
    wait_idle(qtbot, page.ctx.runner)
    dialog = page.issue()
    wait_idle(qtbot, page.ctx.runner)
    dialog.day.setDate(QDate(2025, 1, 26))
    dialog.quantity.setText("201")
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.isVisible()
    assert dialog.message.text() == ("“新春礼品”库存不足：2025-01-26 时只有 200份，要发放 201份。"
                                     "请先登记收到的物资，或减少发放数量。")
    assert dialog.quantity.text() == "201" and dialog.save_button.isEnabled()
    assert len(movements(ws)) == 1
    close_discarding(dialog)  # typed: closing asks


def test_receipt_in_a_closed_month_shows_the_message_and_writes_nothing(qtbot, page):
    from desktop_app.core.services import ledger

    ws = page.ctx.ws
    ledger.close_month(ws, ws.fund.id, "2025-01", today=date(2025, 3, 1))  # as publishing a notice does
    dialog = page.receive()
    wait_idle(qtbot, page.ctx.runner)
    dialog.day.setDate(QDate(2025, 1, 20))
    dialog.item.setEditText("棉被")
    dialog.unit.setText("床")
    dialog.quantity.setText("10")
    dialog.anonymous.setChecked(True)
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    assert dialog.message.text().startswith("2025年01月已结账（社区基金“")
    assert "不能再在 2025-01-20 登记物资收入。请把日期改到未结账的月份（2025年02月或以后）" in dialog.message.text()
    assert movements(ws) == []
    dialog.day.setDate(QDate(2025, 2, 3))  # moved to an open month, it saves
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert not dialog.isVisible(), dialog.message.text()
    assert [m.movement_date for m in movements(ws)] == [date(2025, 2, 3)]


def test_issue_without_stock_says_to_receive_first(qtbot, page):
    dialog = page.issue()
    wait_idle(qtbot, page.ctx.runner)
    assert "请先点“登记收入物资…”" in dialog.message.text()
    dialog.quantity.setText("1")
    dialog.save()
    assert "请选择要发放的物资" in dialog.message.text()
    close_discarding(dialog)  # typed: closing asks


def test_delete_asks_first_and_refuses_when_stock_would_go_negative(qtbot, page, monkeypatch, messages):
    ws = page.ctx.ws
    first = receive(ws)
    goods.issue_goods(ws, goods.GoodsIssueInput(fund_id=ws.fund.id, movement_date=date(2025, 1, 25),
                                                item="新春礼品", unit="份", quantity="150"))
    page.reload()
    wait_idle(qtbot, page.ctx.runner)
    assert page.movements_model.rowCount() == 2
    asked = []
    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda _p, _t, text: asked.append(text) or True)
    page.movements_view.selectRow(1)  # the receipt (newest first)
    page.delete_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert "2025-01-20 收入 新春礼品 200 份" in asked[0]
    assert "库存会不足" in messages[-1]
    assert len(movements(ws)) == 2

    page.movements_view.selectRow(0)  # the issue
    page.delete_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert [m.id for m in movements(ws)] == [first.id]
    assert page.movements_model.rowCount() == 1 and page.stock_model.index(0, 5).data() == "200"


def test_declining_the_confirmation_deletes_nothing(qtbot, page, monkeypatch):
    receive(page.ctx.ws)
    page.reload()
    wait_idle(qtbot, page.ctx.runner)
    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda *_a: False)
    page.movements_view.selectRow(0)
    page.delete_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert len(movements(page.ctx.ws)) == 1


def test_fund_filter_hides_the_fund_column(qtbot, page):
    receive(page.ctx.ws)
    page.reload()
    wait_idle(qtbot, page.ctx.runner)
    assert not page.stock_view.isColumnHidden(0)
    page.fund_filter.setCurrentIndex(page.fund_filter.findData(page.ctx.ws.fund.id))
    wait_idle(qtbot, page.ctx.runner)
    assert page.stock_view.isColumnHidden(0) and page.movements_view.isColumnHidden(1)
    assert page.stock_model.rowCount() == 1


def test_export_writes_the_register_of_the_chosen_fund(qtbot, page, monkeypatch, tmp_path, messages):
    receive(page.ctx.ws)
    page.fund_filter.setCurrentIndex(page.fund_filter.findData(page.ctx.ws.fund.id))
    wait_idle(qtbot, page.ctx.runner)
    asked = []
    monkeypatch.setattr("desktop_app.gui.prompts.save_excel",
                        lambda _p, _t, name, _folder=None: asked.append(name) or tmp_path / name)
    monkeypatch.setattr("desktop_app.gui.prompts.offer_open_folder", lambda _p, text, _t="", _d="": messages.append(text))
    page.export_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert asked[0].startswith("物资台账-万源市慈善会八台镇尚善社区基金-")
    assert (tmp_path / asked[0]).is_file() and "已导出" in messages[-1]

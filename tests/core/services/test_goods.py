from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from desktop_app.core import quantities
from desktop_app.core.errors import UserError
from desktop_app.core.models import GoodsMovement
from desktop_app.core.queries import goods as goods_queries
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.services import activities, goods
from desktop_app.core.services.goods import GoodsIssueInput, GoodsReceiptInput
from tests.core.activity_helpers import attach_project, concert


def receive(ws, quantity="200", day=date(2025, 1, 20), **extra):
    values = dict(fund_id=ws.fund.id, movement_date=day, item="新春礼品", unit="份", quantity=quantity,
                  donor_name="万源市鑫达建材有限公司", donor_kind="企业", valuation="捐赠方凭据", value="6000")
    values.update(extra)
    return goods.receive_goods(ws, GoodsReceiptInput(**values))


def issue(ws, quantity, day=date(2025, 1, 25), **extra):
    values = dict(fund_id=ws.fund.id, movement_date=day, item="新春礼品", unit="份", quantity=quantity,
                  beneficiary_group="老年人", recipients=quantity)
    values.update(extra)
    return goods.issue_goods(ws, GoodsIssueInput(**values))


def movements(ws):
    with ws.reading() as s:
        return len(list(s.exec(select(GoodsMovement).where(GoodsMovement.deleted == False))))  # noqa: E712


def stock_of(ws, item="新春礼品"):
    with ws.reading() as s:
        return next(r for r in goods_queries.stock(s) if r.item == item)


def test_stock_is_received_minus_issued_and_issues_carry_value(workspace):
    receive(workspace)
    handed = issue(workspace, 150)
    row = stock_of(workspace)
    assert quantities.quantity_of(row.stock_milli) == 50
    assert handed.value_fen == 450000 and row.value_fen == 150000 and row.valued


def test_issue_beyond_stock_is_refused_and_nothing_written(workspace):
    receive(workspace)
    issue(workspace, 150)
    with pytest.raises(UserError, match="库存不足：2025-01-26 时只有 50份，要发放 51份"):
        issue(workspace, 51, day=date(2025, 1, 26))
    assert movements(workspace) == 2 and quantities.quantity_of(stock_of(workspace).stock_milli) == 50


def test_issue_dated_before_the_goods_arrived_is_refused(workspace):
    receive(workspace, day=date(2025, 1, 20))
    with pytest.raises(UserError, match="库存不足：2025-01-10 时只有 0份"):
        issue(workspace, 10, day=date(2025, 1, 10))
    assert movements(workspace) == 1


def test_goods_handed_out_on_the_day_they_arrive_are_fine(workspace):
    receive(workspace, day=date(2025, 1, 20))
    issue(workspace, 200, day=date(2025, 1, 20))
    assert stock_of(workspace).stock_milli == 0


def test_removing_a_receipt_that_was_handed_out_is_refused(workspace):
    first = receive(workspace)
    issue(workspace, 150)
    with pytest.raises(UserError, match="库存会不足"):
        goods.remove_movement(workspace, first.id)
    assert movements(workspace) == 2


@pytest.mark.parametrize(("quantity", "message"), [("-5", "数量必须大于 0"), ("0", "数量必须大于 0"),
                                                   ("abc", "不是数字"), ("1.0005", "最多保留三位小数")])
def test_bad_quantities_are_refused(workspace, quantity, message):
    with pytest.raises(UserError, match=message):
        receive(workspace, quantity=quantity)
    assert movements(workspace) == 0


def test_unvalued_goods_stay_in_the_register_only(workspace):
    receive(workspace, item="儿童小玩具", unit="个", quantity="100", valuation="未估值", value="0")
    handed = issue(workspace, 100, item="儿童小玩具", unit="个")
    assert handed.valuation == "未估值" and handed.value_fen == 0
    assert not stock_of(workspace, "儿童小玩具").valued


def test_valued_receipt_needs_a_value(workspace):
    with pytest.raises(UserError, match="请填写物资的总价值"):
        receive(workspace, value="0")
    assert movements(workspace) == 0


def test_issue_to_an_activity_of_another_project_is_refused(workspace):
    project, sites = attach_project(workspace)
    other, other_sites = attach_project(workspace, name="另一个试点项目")  # the fund now belongs to `other`
    fair = activities.add_activity(workspace, concert(project, sites[1], title="新春趣味游园会"))
    receive(workspace)
    with pytest.raises(UserError, match="不属于社区基金"):
        issue(workspace, 10, activity_id=fair.id)
    assert movements(workspace) == 1 and other.id


def test_quantities_may_be_fractional(workspace):
    receive(workspace, item="大米", unit="千克", quantity="12.5", valuation="公允价值", value="75")
    issue(workspace, Decimal("2.25"), item="大米", unit="千克", recipients=2)
    assert quantities.quantity_of(stock_of(workspace, "大米").stock_milli) == Decimal("10.25")


def test_valued_goods_donations_count_in_the_fund_reports(workspace):
    from desktop_app.core.queries import reports

    receive(workspace)  # ¥6,000 by the donor's documents, no consent to publish the name
    receive(workspace, item="儿童小玩具", unit="个", quantity="100", valuation="未估值", value="0")
    with workspace.reading() as s:
        summary = reports.fund_summaries(s)[0]
        donors = reports.donor_list(s, workspace.fund.id)
    assert summary.goods_donated_fen == 600000 and summary.balance_fen == 0
    assert [(d.name, d.total_fen, d.goods_fen, d.count) for d in donors] == [("爱心人士", 600000, 600000, 1)]


# ---------------------------------------------------------------------------- closed months (published notices)


def close_january(ws):
    from desktop_app.core.services import ledger

    ledger.close_month(ws, ws.fund.id, "2025-01", today=date(2025, 3, 1))


CLOSED = "2025年01月已结账（社区基金“{fund}”已结账至 2025-01，发布公示时会结账公示期间），"


def test_receipt_dated_in_a_closed_month_is_refused_like_a_ledger_entry(workspace):
    close_january(workspace)
    with pytest.raises(UserError) as caught:
        receive(workspace, day=date(2025, 1, 20))
    assert str(caught.value) == (CLOSED.format(fund=workspace.fund.name) + "不能再在 2025-01-20 登记物资收入。"
                                 "请把日期改到未结账的月份（2025年02月或以后）；如已发布的公示漏列或错列了这批物资，"
                                 "请在“信息公示”中为那份公示发布更正说明。")
    with pytest.raises(UserError, match="2024年12月已结账"):  # every month before the closed one too
        receive(workspace, day=date(2024, 12, 1))
    assert movements(workspace) == 0
    receive(workspace, day=date(2025, 2, 1))  # an open month is fine
    assert movements(workspace) == 1


def test_issue_dated_in_a_closed_month_is_refused(workspace):
    receive(workspace, day=date(2025, 1, 10))
    close_january(workspace)
    with pytest.raises(UserError, match="不能再在 2025-01-25 登记物资发放。请把日期改到未结账的月份（2025年02月或以后）"):
        issue(workspace, 10, day=date(2025, 1, 25))
    assert movements(workspace) == 1 and quantities.quantity_of(stock_of(workspace).stock_milli) == 200
    issue(workspace, 10, day=date(2025, 2, 3))
    assert quantities.quantity_of(stock_of(workspace).stock_milli) == 190


def test_removing_a_movement_of_a_closed_month_is_refused(workspace):
    received = receive(workspace, day=date(2025, 1, 10))
    close_january(workspace)
    with pytest.raises(UserError) as caught:
        goods.remove_movement(workspace, received.id)
    assert str(caught.value).startswith(CLOSED.format(fund=workspace.fund.name) + "不能再删除这条物资记录。")
    assert "补登一笔收入或发放" in str(caught.value) and "更正说明" in str(caught.value)
    assert movements(workspace) == 1


def test_goods_received_after_publishing_are_refused_and_the_notice_still_verifies(tmp_path, monkeypatch):
    """The review's case: publish the 2024 notice, then try to book valued goods on 2024-12-01."""
    from desktop_app.core.demo.build import BATAI_FUND, PROJECT_NAME, build_demo
    from desktop_app.core.notices import verify as notice_verify
    from desktop_app.core.notices.request import NoticeRequest
    from desktop_app.core.services import notices
    from desktop_app.core.storage.workspace import Workspace
    from tests.core.notices.test_notice_service import install_fast_pdf

    install_fast_pdf(monkeypatch)
    ws = Workspace.open(build_demo(tmp_path / "demo"), auto_backup=False)
    try:
        with ws.reading() as s:
            project = project_queries.resolve_project(s, PROJECT_NAME)
            fund = project_queries.resolve_fund(s, BATAI_FUND)
        draft = notices.export_notice(ws, NoticeRequest(project.id, date_to=date(2024, 12, 31),
                                                        written_on=date(2025, 1, 5)), tmp_path / "公示.pdf").notice
        notice = notices.publish_notice(ws, draft.id, published_on=date(2025, 1, 6))
        before = movements(ws)
        with pytest.raises(UserError, match="2024年12月已结账.*不能再在 2024-12-01 登记物资收入"):
            goods.receive_goods(ws, GoodsReceiptInput(fund_id=fund.id, movement_date=date(2024, 12, 1), item="棉被",
                                                      unit="床", quantity="10", anonymous=True, valuation="公允价值",
                                                      value="1000"))
        assert movements(ws) == before
        assert notice_verify.verify_notice(ws, notice.verification_code).ok
    finally:
        ws.close(backup=False)

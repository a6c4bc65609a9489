"""Excel exports of activities, goods and activity statistics: the office layout, exact totals, and the
privacy rules (named beneficiaries always masked, goods donors named only with consent)."""

from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from desktop_app.core.errors import Cancelled, UserError
from desktop_app.core.exports.activities import export_activities, export_activity_stats
from desktop_app.core.exports.goods import export_goods
from desktop_app.core.exports.reports import export_report
from desktop_app.core.queries.activities import ActivityFilter
from desktop_app.core.services import activities, goods
from desktop_app.core.services.activities import NamedInput
from desktop_app.core.services.goods import GoodsIssueInput, GoodsReceiptInput
from tests.core.activity_helpers import attach_project, concert, posted_expense
from tests.helpers import FUND_NAME

ACTIVITY_HEADERS = ["序号", "日期", "类型", "活动名称", "试点村(社区)", "地点", "组织单位", "合作单位", "参与人数",
                    "受益群体(人次)", "志愿者人数", "志愿服务时长(小时)", "照片数", "活动费用(元)", "列入公示", "活动简介"]
SECRETS = ["张小明", "李秀英", "王五", "13900000000", "13800000000", "低保户", "残疾二级", "张三", "李四"]


@pytest.fixture
def pilot(workspace, voucher_file):
    """Three activities (one two-day, one project-wide, one with named people and cost) and some goods."""
    ws = workspace
    project, sites = attach_project(ws)
    expense = posted_expense(ws, voucher_file, "1200.50")
    named = [NamedInput("张小明", "儿童", "低保户", "13900000000", True),
             NamedInput("李秀英", "老年人", "残疾二级", "13800000000", False),
             NamedInput("王五", "老年人", "", "", False)]
    ws.concert = activities.add_activity(ws, concert(
        project, sites[1], beneficiaries={"儿童": 60, "老年人": "40"}, volunteers=12, volunteer_hours="7.5",
        named=named, expense_ids=[expense.id], public=True, organisers="八台镇社工站", partners="天池村委会"))
    ws.training = activities.add_activity(ws, concert(
        project, None, activity_type="培训", title="社工培训", start_date=date(2024, 5, 2), end_date=date(2024, 5, 3),
        participants=30, volunteers=2, volunteer_hours="1.25", beneficiaries={"社区居民": 30}, summary=""))
    ws.visit = activities.add_activity(ws, concert(
        project, sites[0], activity_type="慈善服务", title="入户走访", start_date=date(2024, 12, 3), participants=8,
        beneficiaries={"老年人": 8}, volunteer_hours="0.5", summary="=1+2 不是公式"))
    receive = dict(fund_id=ws.fund.id, item="新春礼品", unit="份", valuation="捐赠方凭据")
    goods.receive_goods(ws, GoodsReceiptInput(movement_date=date(2024, 12, 20), quantity="200", value="6000",
                                              donor_name="万源市鑫达建材有限公司", donor_kind="企业",
                                              publish_consent=True, **receive))
    goods.receive_goods(ws, GoodsReceiptInput(movement_date=date(2024, 12, 21), quantity="100", value="3000",
                                              donor_name="张三", donor_kind="个人", **receive))
    goods.receive_goods(ws, GoodsReceiptInput(fund_id=ws.fund.id, movement_date=date(2024, 12, 22), item="大米",
                                              unit="千克", quantity="50.5", donor_name="李四", anonymous=True,
                                              publish_consent=True))
    goods.issue_goods(ws, GoodsIssueInput(fund_id=ws.fund.id, movement_date=date(2024, 12, 27), item="新春礼品",
                                          unit="份", quantity="150", activity_id=ws.concert.id,
                                          beneficiary_group="老年人", recipients=150))
    ws.project, ws.sites = project, sites
    return ws


def _cells(path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    found = [str(c.value) for sheet in wb.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    wb.close()
    return found


def _find(sheet, first_cell):
    return next(row for row in sheet.iter_rows() if row[0].value == first_cell)


def _dec(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_activity_register_layout_rows_and_totals(pilot, tmp_path):
    out = tmp_path / "活动.xlsx"
    assert export_activities(pilot, out) == 3
    wb = openpyxl.load_workbook(out)
    sheet = wb["活动登记表"]
    assert [c.value for c in sheet[3]] == ACTIVITY_HEADERS
    assert sheet["A1"].value == "八台镇社工站 活动登记表"
    assert "A1:P1" in {str(r) for r in sheet.merged_cells.ranges}
    assert "导出时间" in sheet["A2"].value and "共 3 项活动" in sheet["A2"].value
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:P6"
    assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$3:$3"

    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4, max_row=6)]
    assert [r[3] for r in rows] == ["社工培训", "入户走访", "八台慈善音乐会"]  # oldest first
    training, visit, music = rows
    assert training[1] == "2024-05-02 至 2024-05-03" and training[4] == "项目整体"
    assert isinstance(music[1], datetime) and music[1].date() == date(2024, 12, 27)
    assert music[4] == "八台镇天池村" and music[9] == "老年人40、儿童60"  # groups in the order of the group list, not as typed
    assert music[6:8] == ["八台镇社工站", "天池村委会"]
    assert _dec(music[13]) == Decimal("1200.50") and music[14] == "是" and visit[14] is None
    assert Decimal(str(music[11])) == Decimal("7.5") and Decimal(str(training[11])) == Decimal("1.25")
    assert sheet.cell(6, 14).number_format == "#,##0.00"
    assert sheet.cell(4, 2).number_format == "yyyy-mm-dd"
    assert sheet.cell(5, 16).data_type == "s"  # "=1+2 …" stays text

    total = [c.value for c in _find(sheet, "合计")]
    assert total[1] == "3 项活动" and total[8] == 150 + 30 + 8 and total[10] == 14
    assert Decimal(str(total[11])) == Decimal("9.25")
    assert total[9] == "老年人48、儿童60、社区居民30"
    assert _dec(total[13]) == Decimal("1200.50") and total[14] == "1 项"
    assert _find(sheet, "大写：活动费用合计 人民币壹仟贰佰元零伍角整")
    wb.close()


def test_named_beneficiaries_are_never_exported_unmasked(pilot, tmp_path):
    out = tmp_path / "活动.xlsx"
    export_activities(pilot, out)
    cells = _cells(out)
    for secret in SECRETS:
        assert not any(secret in cell for cell in cells), secret
    wb = openpyxl.load_workbook(out)
    sheet = wb["受益人（已遮蔽）"]
    assert [c.value for c in sheet[3]] == ["序号", "日期", "活动名称", "受益群体", "人数", "同意公开者（姓名已遮蔽）"]
    rows = {row[3]: row for row in sheet.iter_rows(min_row=4, max_row=5, values_only=True)}
    assert rows["儿童"][4] == 1 and rows["儿童"][5] == "张*明"  # consented: masked name
    assert rows["老年人"][4] == 2 and rows["老年人"][5] is None  # no consent: counted only
    assert _find(sheet, "合计")[4].value == 3
    assert any("姓名一律遮蔽" in c or "遮蔽姓名" in c for c in cells)
    wb.close()


def test_activity_filter_narrows_rows_and_names_the_selection(pilot, tmp_path):
    out = tmp_path / "十二月.xlsx"
    f = ActivityFilter(project_id=pilot.project.id, date_from=date(2024, 12, 1), date_to=date(2024, 12, 31))
    assert export_activities(pilot, out, f) == 2
    wb = openpyxl.load_workbook(out)
    sheet = wb["活动登记表"]
    assert sheet["A1"].value == "八台镇社工站 活动登记表（四川省慈善事业高质量发展试点工作，2024-12-01 至 2024-12-31）"
    assert _find(sheet, "合计")[8].value == 158
    wb.close()
    out = tmp_path / "整体.xlsx"
    assert export_activities(pilot, out, ActivityFilter(site_id="")) == 1
    assert "项目整体" in openpyxl.load_workbook(out)["活动登记表"]["A1"].value
    with pytest.raises(UserError, match="找不到所选的项目"):
        export_activities(pilot, tmp_path / "x.xlsx", ActivityFilter(project_id="no-such-project"))
    assert not (tmp_path / "x.xlsx").exists()


def test_cancelled_activity_export_leaves_no_file(pilot, tmp_path):
    def cancel(done, total):
        raise Cancelled()

    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(Cancelled):
        export_activities(pilot, folder / "取消.xlsx", progress=cancel)
    assert list(folder.iterdir()) == []
    calls = []
    export_activities(pilot, folder / "好.xlsx", progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 3) and calls[-1] == (3, 3)


def test_goods_register_names_donors_only_with_consent(pilot, tmp_path):
    out = tmp_path / "物资.xlsx"
    assert export_goods(pilot, out) == 4
    cells = _cells(out)
    assert "张三" not in cells and "李四" not in cells  # no consent / anonymous → 爱心人士
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["库存", "收发明细"]
    stock = wb["库存"]
    assert [c.value for c in stock[3]] == ["基金", "物资", "单位", "收入数量", "发出数量", "结存", "估值"]
    assert stock["A1"].value == "八台镇社工站 物资台账" and stock.freeze_panes == "A4"
    rows = {row[1]: row for row in stock.iter_rows(min_row=4, max_row=5, values_only=True)}
    assert rows["新春礼品"][3:6] == (300, 150, 150) and _dec(rows["新春礼品"][6]) == Decimal("4500.00")
    assert rows["大米"][3] == 50.5 and rows["大米"][6] == "未估值"
    assert _dec(_find(stock, "合计")[6].value) == Decimal("4500.00")

    moves = wb["收发明细"]
    assert [c.value for c in moves[3]] == ["日期", "基金", "收/发", "物资", "数量", "单位", "来源", "捐赠方", "估值依据",
                                           "价值(元)", "发放活动", "受益群体", "受益人数", "备注"]
    data = [row for row in moves.iter_rows(min_row=4, max_row=7, values_only=True)]
    assert [r[7] for r in data] == ["万源市鑫达建材有限公司", "爱心人士", "爱心人士", None]
    issued = data[3]
    assert issued[2] == "发" and issued[10] == "八台慈善音乐会" and issued[12] == 150
    assert _dec(issued[9]) == Decimal("4500.00") and issued[8] == "按收入平均价"
    assert data[2][8] == "未估值" and data[2][9] is None
    assert _dec(_find(moves, "收入价值合计")[9].value) == Decimal("9000.00")
    assert _dec(_find(moves, "发出价值合计")[9].value) == Decimal("4500.00")
    wb.close()

    one = tmp_path / "一个基金.xlsx"
    assert export_goods(pilot, one, pilot.fund.id) == 4
    wb = openpyxl.load_workbook(one)
    assert wb["库存"]["A1"].value == f"八台镇社工站 物资台账（{FUND_NAME}）"
    assert [c.value for c in wb["收发明细"][3]][:3] == ["日期", "收/发", "物资"]  # no fund column for one fund
    wb.close()


def test_activity_statistics_by_type_month_site_and_group(pilot, tmp_path):
    out = tmp_path / "统计.xlsx"
    assert export_activity_stats(pilot, out) == 3
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["按类型", "按月份", "按试点", "按受益群体"]
    by_type = wb["按类型"]
    assert [c.value for c in by_type[3]] == ["活动类型", "活动次数", "占比", "志愿服务时长(小时)", "活动费用(元)", "费用占比"]
    assert "活动统计（按活动类型）" in by_type["A1"].value and by_type.freeze_panes == "A4"
    rows = {row[0]: row for row in by_type.iter_rows(min_row=4, values_only=True) if row[0]}
    assert rows["培训"][1] == 1 and Decimal(str(rows["培训"][3])) == Decimal("1.25")
    assert _dec(rows["慈善活动/募捐活动"][4]) == Decimal("1200.50") and rows["慈善活动/募捐活动"][5] == 1
    assert rows["工作会议"][1] == 0  # every type of the list, so a county sees what was not done
    total = rows["合计"]
    assert total[1] == 3 and Decimal(str(total[3])) == Decimal("9.25") and _dec(total[4]) == Decimal("1200.50")

    months = [row for row in wb["按月份"].iter_rows(min_row=4, max_row=6, values_only=True)]
    assert months == [("2024-05", 1, 30), ("2024-12", 2, 158), ("合计", 3, 188)]
    sites = {row[0]: row[1] for row in wb["按试点"].iter_rows(min_row=4, max_row=7, values_only=True) if row[0]}
    assert sites == {"八台镇天池村": 1, "青花镇立信社区": 1, "项目整体": 1, "合计": 3}
    groups = {row[0]: row[1] for row in wb["按受益群体"].iter_rows(min_row=4, max_row=7, values_only=True) if row[0]}
    assert groups == {"老年人": 48, "儿童": 60, "社区居民": 30, "合计": 138}
    wb.close()


def test_balances_and_donors_show_valued_goods(pilot, tmp_path):
    out = tmp_path / "余额.xlsx"
    export_report(pilot, "balances", out)
    sheet = openpyxl.load_workbook(out).active
    assert sheet.cell(3, 8).value == "物资捐赠(估值)"
    assert _dec(sheet.cell(4, 8).value) == Decimal("9000.00")
    assert any("不计入收入和余额" in c for c in _cells(out))

    out = tmp_path / "捐赠人.xlsx"
    export_report(pilot, "donors", out)
    sheet = openpyxl.load_workbook(out).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, max_row=6, values_only=True)}
    assert _dec(rows["万源市鑫达建材有限公司"][4]) == Decimal("6000.00")
    assert _dec(rows["爱心人士"][4]) == Decimal("3000.00")  # 张三's goods, without consent
    assert "张三" not in _cells(out)

"""Excel exports: the office layout, exact totals, privacy of the donor list, clean failure and cancel."""

import sqlite3
import tempfile
import uuid
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from desktop_app.core.errors import Cancelled, UserError
from desktop_app.core.exports import sheet as sheet_writer
from desktop_app.core.exports.ledger import export_ledger
from desktop_app.core.exports.reports import export_report
from desktop_app.core.money import capital_yuan, from_fen, to_fen
from desktop_app.core.queries.ledger import LedgerFilter
from desktop_app.core.services import ledger, office, projects, settings
from desktop_app.core.storage.workspace import Workspace

FUND = "万源市慈善会八台镇尚善社区基金"
HEADERS = ["凭证号", "日期", "基金", "类型", "摘要", "业务类别", "支出性质", "限定用途", "对方", "收入", "支出",
           "状态", "附件数"]


def _entry(fund_id, entry_type, amount, day, summary, category, **extra):
    return ledger.EntryInput(fund_id=fund_id, entry_date=day, entry_type=entry_type, amount=Decimal(amount),
                             summary=summary, category=category, **extra)


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    """A small ledger: allocation, two donations (with and without consent), expenses, a reversal, a draft."""
    root = tmp_path_factory.mktemp("export")
    workspace = Workspace.open(root / "ws", create=True, auto_backup=False)
    office.init_office(workspace, name="八台镇社工站", division_code="511781110000", association="万源市慈善会")
    project = projects.add_project(workspace, projects.ProjectInput(
        name="尚善社区慈善试点", start_date=date(2024, 1, 1), end_date=date(2024, 12, 31), budget=Decimal("8000"),
        budget_lines={"活动开展": Decimal("400"), "办公": Decimal("1000")}))
    fund, _ = projects.add_fund(workspace, projects.FundInput(name=FUND, project_id=project.id))
    invoice = root / "发票.jpg"
    invoice.write_bytes(b"\xff\xd8\xff\xe0 invoice")
    f = fund.id
    posted = [
        _entry(f, "allocation", "10000", date(2024, 3, 1), "万源市慈善会拨付试点资金", "慈善会拨付"),
        _entry(f, "donation", "1234.56", date(2024, 3, 5), "个人捐赠", "个人捐赠", counterparty_name="张三",
               counterparty_kind="个人", publish_consent=False),
        _entry(f, "donation", "888.88", date(2024, 4, 2), "=1+2 企业捐赠", "企业捐赠",
               counterparty_name="万源市某某商贸有限公司", counterparty_kind="企业", publish_consent=True),
        _entry(f, "expense", "500.10", date(2024, 4, 10), "购置慈善阵地桌椅", "活动开展", attachments=[invoice]),
    ]
    for data in posted:
        ledger.add_entry(workspace, data, post=True)
    settings.set_setting(workspace, "require_expense_attachment", False)
    office_cost = ledger.add_entry(workspace, _entry(f, "expense", "120", date(2024, 5, 1), "办公用品", "办公",
                                                     expense_class="管理费用"), post=True)
    ledger.reverse_entry(workspace, office_cost.id, "重复录入", on_date=date(2024, 5, 2))
    ledger.add_entry(workspace, _entry(f, "donation", "50", date(2024, 5, 3), "慈善一日捐（未核对）", "慈善一日捐"))
    workspace.fund, workspace.project = fund, project
    yield workspace
    workspace.close(backup=False)


def _rows(path):
    wb = openpyxl.load_workbook(path)
    return wb, wb.active


def _dec(value) -> Decimal:
    """Back from the file (openpyxl reads numbers as float) to an exact Decimal of yuan."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _find(sheet, first_cell):
    return next(row for row in sheet.iter_rows() if row[0].value == first_cell)


def test_ledger_layout_totals_and_print_setup(ws, tmp_path):
    out = tmp_path / "台账.xlsx"
    assert export_ledger(ws, out) == 7
    wb, sheet = _rows(out)
    assert sheet.title == "收支台账"
    assert [c.value for c in sheet[3]] == HEADERS
    assert sheet["A1"].value.startswith("八台镇社工站 收支台账")
    assert "A1:M1" in {str(r) for r in sheet.merged_cells.ranges}
    assert "导出时间" in sheet["A2"].value and "金额单位：元" in sheet["A2"].value
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:M10"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert int(sheet.page_setup.fitToWidth) == 1 and int(sheet.page_setup.fitToHeight) == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage

    data = list(sheet.iter_rows(min_row=4, max_row=10))
    first = data[0]
    assert first[0].value == "2024-0001"
    assert isinstance(first[1].value, datetime) and first[1].value.date() == date(2024, 3, 1)
    assert first[1].number_format == "yyyy-mm-dd"
    assert first[3].value == "拨入" and first[11].value == "已记账"
    assert _dec(first[9].value) == Decimal("10000.00") and first[10].value is None
    for row in data:
        for cell in row[9:11]:
            assert cell.number_format == "#,##0.00"
    by_type = {row[3].value: row for row in data}
    assert set(by_type) == {"拨入", "捐赠收入", "支出", "红字冲销"}
    reversal = by_type["红字冲销"]
    assert _dec(reversal[10].value) == Decimal("-120.00")
    assert reversal[10].font.color.rgb == "FFC00000"
    assert data[-1][11].value == "草稿" and data[-1][0].value is None
    # user text beginning with "=" stays text, never a formula
    formula_like = next(row for row in data if str(row[4].value).startswith("="))
    assert formula_like[4].data_type == "s"

    # totals: posted entries only, exact to the fen
    posted_in = [Decimal(a) for a in ("10000", "1234.56", "888.88")]
    posted_out = [Decimal(a) for a in ("500.10", "120", "-120")]
    total = _find(sheet, "合计（已记账）")
    assert _dec(total[9].value) == sum(posted_in) == Decimal("12123.44")
    assert _dec(total[10].value) == sum(posted_out) == Decimal("500.10")
    assert total[9].number_format == "#,##0.00"
    balance = _find(sheet, "结余")
    assert _dec(balance[9].value) == sum(posted_in) - sum(posted_out)
    drafts = _find(sheet, "草稿 1 笔")
    assert _dec(drafts[9].value) == Decimal("50.00")
    capital = next(row for row in sheet.iter_rows() if str(row[0].value).startswith("大写："))[0].value
    assert f"收入合计 {capital_yuan(to_fen(sum(posted_in)), prefix='人民币')}" in capital
    assert "支出合计 人民币伍佰元零壹角整" in capital

    # widths fit Chinese text (two units per character), capped
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEIJ"}
    assert widths["C"] == 24  # the fund name (30 units) is capped and wraps
    assert widths["D"] == 10  # 红字冲销: 8 units + padding
    assert 10 <= widths["B"] <= 13 and widths["J"] >= 15  # room for the bold totals
    assert widths["I"] == 20  # 万源市某某商贸有限公司 (22 units) capped
    wb.close()


def test_ledger_filter_is_described_in_the_title(ws, tmp_path):
    out = tmp_path / "四月.xlsx"
    filt = LedgerFilter(fund_id=ws.fund.id, date_from=date(2024, 4, 1), date_to=date(2024, 4, 30))
    assert export_ledger(ws, out, filt) == 2
    wb, sheet = _rows(out)
    assert sheet["A1"].value == f"八台镇社工站 收支台账（{FUND}，2024-04-01 至 2024-04-30）"
    total = _find(sheet, "合计")
    assert _dec(total[9].value) == Decimal("888.88") and _dec(total[10].value) == Decimal("500.10")
    wb.close()


def test_empty_selection_still_gives_a_complete_sheet(ws, tmp_path):
    out = tmp_path / "空.xlsx"
    assert export_ledger(ws, out, LedgerFilter(date_from=date(2030, 1, 1))) == 0
    wb, sheet = _rows(out)
    assert [c.value for c in sheet[3]] == HEADERS and sheet.auto_filter.ref == "A3:M3"
    assert _dec(_find(sheet, "合计")[9].value) == 0
    assert "零元整" in _find(sheet, "大写：收入合计 人民币零元整；支出合计 人民币零元整；结余 人民币零元整")[0].value
    wb.close()


def test_text_width_counts_chinese_double():
    assert sheet_writer.text_width("八台镇abc") == 9
    assert sheet_writer.text_width("１２") == 4  # full-width digits
    assert sheet_writer.text_width("第一行\nab") == 6


def test_donor_list_masks_names_without_consent(ws, tmp_path):
    out = tmp_path / "捐赠人.xlsx"
    assert export_report(ws, "donors", out) == 2
    wb, sheet = _rows(out)
    assert [c.value for c in sheet[3]] == ["捐赠人", "类型", "笔数", "金额", "其中物资捐赠(估值)"]
    names = {row[0].value: row for row in sheet.iter_rows(min_row=4, max_row=5)}
    assert set(names) == {"爱心人士", "万源市某某商贸有限公司"}
    assert "张三" not in {str(c.value) for row in sheet.iter_rows() for c in row}
    assert _dec(names["爱心人士"][3].value) == Decimal("1234.56")
    assert names["爱心人士"][3].number_format == "#,##0.00"
    assert _dec(_find(sheet, "合计")[3].value) == Decimal("2123.44")
    wb.close()

    internal = tmp_path / "捐赠人-内部.xlsx"
    export_report(ws, "donors", internal, public=False)
    wb, sheet = _rows(internal)
    assert {row[0].value for row in sheet.iter_rows(min_row=4, max_row=5)} == {"张三", "万源市某某商贸有限公司"}
    assert "内部" in sheet["A1"].value
    wb.close()


def test_balances_categories_and_months(ws, tmp_path):
    out = tmp_path / "余额.xlsx"
    assert export_report(ws, "balances", out) == 1
    wb, sheet = _rows(out)
    assert [c.value for c in sheet[3]] == ["基金", "所属项目", "收入", "支出", "余额", "其中限定性", "非限定性",
                                          "物资捐赠(估值)"]
    assert sheet.freeze_panes == "A4" and int(sheet.page_setup.paperSize) == 9
    row = list(sheet[4])
    assert row[0].value == FUND and row[1].value == "尚善社区慈善试点"
    assert _dec(row[4].value) == Decimal("11623.34") and row[4].number_format == "#,##0.00"
    assert "草稿" in _find(sheet, "注：另有 1 条草稿尚未记账，未计入本表。")[0].value
    wb.close()

    out = tmp_path / "分类.xlsx"
    assert export_report(ws, "categories", out, fund_id=ws.fund.id) == 5
    wb, sheet = _rows(out)
    classes = {row[2].value: row for row in sheet.iter_rows() if row[0].value == "按支出性质"}
    assert list(classes) == ["慈善活动支出", "管理费用", "筹资费用", "其他"]
    assert _dec(classes["慈善活动支出"][4].value) == Decimal("500.10")
    assert classes["慈善活动支出"][5].value == 1 and classes["慈善活动支出"][5].number_format == "0.0%"
    assert _dec(classes["管理费用"][4].value) == 0 and classes["管理费用"][3].value == 1
    assert _dec(_find(sheet, "收入小计")[4].value) == Decimal("12123.44")
    assert _dec(_find(sheet, "收支结余")[4].value) == Decimal("11623.34")
    wb.close()

    out = tmp_path / "月度.xlsx"
    assert export_report(ws, "months", out, project_id=ws.project.id) == 3
    wb, sheet = _rows(out)
    months = [[c.value for c in row] for row in sheet.iter_rows(min_row=4, max_row=6)]
    assert [m[0] for m in months] == ["2024-03", "2024-04", "2024-05"]
    assert [_dec(m[4]) for m in months] == [Decimal("11234.56"), Decimal("11623.34"), Decimal("11623.34")]
    wb.close()


def test_budget_needs_a_project(ws, tmp_path):
    out = tmp_path / "预算.xlsx"
    with pytest.raises(UserError, match="请先选择一个项目"):
        export_report(ws, "budget", out)
    assert not out.exists()
    assert export_report(ws, "budget", out, project_id=ws.project.id) == 2
    wb, sheet = _rows(out)
    assert [c.value for c in sheet[3]] == ["预算类别", "预算", "实际", "差额", "使用率"]
    lines = {row[0].value: row for row in sheet.iter_rows(min_row=4, max_row=5)}
    over = lines["活动开展"]  # 500.10 spent of 400 budgeted
    assert _dec(over[3].value) == Decimal("-100.10") and over[3].font.color.rgb == "FFC00000"
    assert over[4].number_format == "0.0%" and Decimal(str(over[4].value)) == Decimal("1.2503")
    total = _find(sheet, "合计（项目总预算）")
    assert _dec(total[1].value) == Decimal("8000.00") and _dec(total[2].value) == Decimal("500.10")
    wb.close()


def test_unknown_report_and_bad_targets(ws, tmp_path, monkeypatch):
    with pytest.raises(UserError, match="balances（基金余额表）"):
        export_report(ws, "profit", tmp_path / "x.xlsx")
    with pytest.raises(UserError, match="不存在"):
        export_report(ws, "months", tmp_path / "没有这个文件夹" / "x.xlsx")
    with pytest.raises(UserError, match=r"\.xlsx 结尾"):
        export_report(ws, "months", tmp_path / "x.xls")

    # the file is open in Excel/WPS: Windows refuses the replace; the old file stays, nothing is left over
    out = tmp_path / "占用.xlsx"
    out.write_bytes(b"old")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(sheet_writer.os, "replace", refuse)
    with pytest.raises(UserError, match="被占用.*请关闭后重试"):
        export_report(ws, "months", out)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["占用.xlsx"]


def test_cancel_at_start_leaves_no_file(ws, tmp_path):
    out = tmp_path / "取消.xlsx"

    def cancel(done, total):
        raise Cancelled()

    with pytest.raises(Cancelled):
        export_ledger(ws, out, progress=cancel)
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------------------- scale

BIG = 20_000


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """20,000 posted entries inserted with one executemany (the FTS triggers keep the search index)."""
    root = tmp_path_factory.mktemp("big")
    workspace = Workspace.open(root / "ws", create=True, auto_backup=False)
    office.init_office(workspace, name="八台镇社工站", division_code="511781110000", association="万源市慈善会")
    fund, _ = projects.add_fund(workspace, projects.FundInput(name=FUND))
    office_id = workspace.local_office().id
    now = "2024-01-01T00:00:00.000000Z"
    rows = []
    for i in range(BIG):
        expense = i % 3 == 2
        rows.append((str(uuid.uuid4()), office_id, now, now, 1, 0, fund.id, f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                     "expense" if expense else "donation", "out" if expense else "in", 1000 + i * 37,
                     f"第 {i} 笔 慈善一日捐", "活动开展" if expense else "个人捐赠",
                     "慈善活动支出" if expense else "", "", f"捐赠人{i}", "个人", 0, 0, "", "", "", "", "posted",
                     2023, i + 1, now, None, "", "", None, None, None))
    conn = sqlite3.connect(workspace.db_path)
    with conn:
        conn.executemany(f"INSERT INTO ledger_entry VALUES ({','.join('?' * 33)})", rows)
    conn.close()
    income = sum(r[10] for r in rows if r[9] == "in")
    expense = sum(r[10] for r in rows if r[9] == "out")
    yield workspace, income, expense
    workspace.close(backup=False)


def test_twenty_thousand_entries_stream_through_write_only(big, tmp_path, monkeypatch):
    workspace, income, expense = big
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # openpyxl's own stream files land here too
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    calls = []
    created = []
    original = sheet_writer.Workbook

    def spy(*args, **kwargs):
        created.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(sheet_writer, "Workbook", spy)
    out = out_dir / "全部.xlsx"
    assert export_ledger(workspace, out, progress=lambda d, t: calls.append((d, t))) == BIG
    assert created == [{"write_only": True}]
    assert calls[0] == (0, BIG) and calls[-1] == (BIG, BIG) and (1000, BIG) in calls
    wb = openpyxl.load_workbook(out, read_only=True)
    sheet = wb.active
    data = 0
    totals = None
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if row[0] == "合计":
            totals = row
            break
        data += 1
    assert data == BIG
    assert _dec(totals[9]) == from_fen(income) and _dec(totals[10]) == from_fen(expense)
    wb.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no stream files left in the temp folder


def test_cancel_midway_leaves_no_partial_file(big, tmp_path, monkeypatch):
    workspace, _, _ = big
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "取消.xlsx"

    def cancel(done, total):
        if done >= 3000:
            raise Cancelled()

    with pytest.raises(Cancelled):
        export_ledger(workspace, out, progress=cancel)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert list(out_dir.iterdir()) == []

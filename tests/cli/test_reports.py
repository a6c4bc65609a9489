"""`report` and `export` (`cli/reports.py`): JSON with English keys and amounts as strings, valued goods in the
reports, and the activity and goods workbooks."""

import json

import openpyxl

from tests.cli.helpers import CONCERT, FUND, PROJECT, add, run
from tests.cli.helpers import image as _image
from tests.cli.helpers import ok as _ok


def test_report_json_uses_english_keys_and_string_amounts(ws, capsys):
    add(ws, capsys, "--post", amount="1,234.50")
    code, out = run(ws, "report", "categories", "--json", capsys=capsys)
    assert code == 0
    assert json.loads(out.out) == [{"flow": "in", "category": "项目拨款", "expense_class": "", "amount": "1234.50",
                                    "count": 1}]
    code, out = run(ws, "report", "balances", "--json", capsys=capsys)
    [row] = json.loads(out.out)
    assert row["balance"] == "1234.50" and row["restricted"] == "0.00"


def test_exports_write_readable_workbooks(pilot, capsys, tmp_path):
    folder, expense, _ = pilot
    _ok(folder, capsys, *CONCERT, "--participants", "150", "--beneficiaries", "老年人=40", "儿童=60",
        "--expense", expense, "--photo", _image(tmp_path / "a.jpg", "green"))
    _ok(folder, capsys, "goods", "receive", "--fund", FUND, "--date", "2024-12-21", "--item", "大米", "--unit",
        "千克", "--quantity", "50", "--donor", "张三")
    for kind, sheet, header in (("activities", "活动登记表", "活动名称"), ("goods", "收发明细", "捐赠方"),
                                ("activity-stats", "按类型", "活动类型")):
        target = tmp_path / f"{kind}.xlsx"
        out = _ok(folder, capsys, "export", kind, "--out", target)
        assert "已导出" in out and target.exists()
        wb = openpyxl.load_workbook(target)
        assert header in [c.value for c in wb[sheet][3]]
        wb.close()
    wb = openpyxl.load_workbook(tmp_path / "activities.xlsx")
    row = [c.value for c in wb["活动登记表"][4]]
    assert row[3] == "八台慈善音乐会" and row[9] == "老年人40、儿童60" and row[12] == 1 and row[13] == 1200.5
    wb = openpyxl.load_workbook(tmp_path / "goods.xlsx")
    assert wb["收发明细"]["H4"].value == "爱心人士"
    _ok(folder, capsys, "export", "activities", "--project", PROJECT, "--from", "2025-01-01",
        "--out", tmp_path / "空.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "空.xlsx")
    assert wb["活动登记表"]["A4"].value == "合计"


def test_report_shows_valued_goods(pilot, capsys):
    folder, _, _ = pilot
    _ok(folder, capsys, "goods", "receive", "--fund", FUND, "--date", "2024-12-20", "--item", "新春礼品", "--unit",
        "份", "--quantity", "200", "--donor", "张三", "--valuation", "公允价值", "--value", "6000")
    donors = json.loads(_ok(folder, capsys, "report", "donors", "--json"))
    assert {"donor": "爱心人士", "kind": "", "count": 1, "amount": "6000.00", "goods": "6000.00"} in donors
    balances = json.loads(_ok(folder, capsys, "report", "balances", "--json"))
    assert {b["fund"]: b["goods_donated"] for b in balances}[FUND] == "6000.00"

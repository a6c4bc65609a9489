"""`goods` (`cli/goods.py`): receive, issue, stock and list. (Refused goods commands are among the bad inputs
of test_activities.py, which share its pilot workspace.)"""

import json

from tests.cli.helpers import CONCERT, FUND
from tests.cli.helpers import ok as _ok


def test_goods_receive_issue_stock_and_list(pilot, capsys):
    folder, _, _ = pilot
    _ok(folder, capsys, *CONCERT)
    out = _ok(folder, capsys, "goods", "receive", "--fund", FUND, "--date", "2024-12-20", "--item", "新春礼品",
              "--unit", "份", "--quantity", "200", "--donor", "万源市鑫达建材有限公司", "--donor-kind", "企业",
              "--consent", "--valuation", "捐赠方凭据", "--value", "6,000")
    assert "已登记收到“新春礼品” 200份，价值 ¥6,000.00（捐赠方凭据）；现有库存 200份" in out
    _ok(folder, capsys, "goods", "receive", "--fund", FUND, "--date", "2024-12-21", "--item", "大米", "--unit", "千克",
        "--quantity", "50.5", "--donor", "张三", "--note", "未开发票")
    issued = json.loads(_ok(folder, capsys, "goods", "issue", "--fund", FUND, "--date", "2024-12-27", "--item",
                            "新春礼品", "--unit", "份", "--quantity", "150", "--activity", "八台慈善音乐会",
                            "--group", "老年人", "--recipients", "150", "--json"))
    assert issued["value"] == "4500.00" and issued["stock"] == "50" and issued["direction"] == "out"

    stock = json.loads(_ok(folder, capsys, "goods", "stock", "--fund", FUND, "--json"))
    assert [(r["item"], r["received"], r["issued"], r["stock"], r["value"]) for r in stock] == [
        ("大米", "50.5", "0", "50.5", None), ("新春礼品", "200", "150", "50", "1500.00")]
    text = _ok(folder, capsys, "goods", "stock")
    assert "未估值" in text and "¥1,500.00" in text and text.splitlines()[0].split()[0] == "基金"

    moves = json.loads(_ok(folder, capsys, "goods", "list", "--json"))
    assert [(m["direction"], m["item"], m["quantity"]) for m in moves] == [
        ("in", "新春礼品", "200"), ("in", "大米", "50.5"), ("out", "新春礼品", "150")]
    assert moves[2]["activity"] == "八台慈善音乐会" and moves[2]["recipients"] == 150 and moves[1]["value"] is None
    text = _ok(folder, capsys, "goods", "list", "--fund", FUND)
    assert "八台慈善音乐会" in text and "共 3 条" in text

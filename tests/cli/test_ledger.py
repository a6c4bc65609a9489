"""`entry` (`cli/ledger.py`): add, post, list and reverse; each bad input gets a Chinese message on stderr,
exit 1, and changes nothing."""

import json

import pytest

from tests.cli.helpers import FUND, add, data_state, run


def test_entry_add_post_list_reverse(ws, capsys, tmp_path):
    scan = tmp_path / "发票.jpg"
    scan.write_bytes(b"\xff\xd8\xff\xe0 invoice")
    assert add(ws, capsys, "--post", amount="1,234.50")["voucher"] == "2024-0001"
    draft = add(ws, capsys, "--attach", scan, kind="expense", category="培训", amount="３.５万")
    assert draft["status"] == "draft" and draft["voucher"] is None and draft["amount"] == "35000.00"
    code, out = run(ws, "entry", "post", draft["id"], capsys=capsys)
    assert code == 1 and "变成负数" in out.err and "--override" in out.err
    code, out = run(ws, "entry", "post", draft["id"], "--override", "拨款在途", capsys=capsys)
    assert code == 0 and "2024-0002" in out.out
    code, out = run(ws, "entry", "reverse", draft["id"], "--reason", "金额录错", "--date", "2024-03-05", capsys=capsys)
    assert code == 0 and "2024-0003" in out.out
    code, out = run(ws, "entry", "list", "--fund", FUND, "--json", capsys=capsys)
    rows = json.loads(out.out)
    assert [r["amount"] for r in rows] == ["1234.50", "35000.00", "-35000.00"]
    assert rows[1]["reversed_by"] == rows[2]["id"] and rows[1]["attachments"] == 1
    code, out = run(ws, "entry", "list", capsys=capsys)
    assert "共 3 条" in out.out


@pytest.mark.parametrize("amount, message", [
    ("", "请填写金额"), ("abc", "不是金额"), ("-5", "负数"), ("0", "不能为 0"), ("0.001", "精度"),
    ("10000000001", "超过 100 亿元"),
])
def test_bad_amounts_change_nothing(ws, capsys, amount, message):
    before = data_state(ws)
    code, out = run(ws, "entry", "add", "--fund", FUND, "--date", "2024-03-01", "--type", "donation", "--amount",
                    amount, "--category", "个人捐赠", "--summary", "x", capsys=capsys)
    assert code == 1 and message in out.err and out.out == ""
    assert data_state(ws) == before


def test_other_bad_inputs_change_nothing(ws, capsys, tmp_path):
    posted = add(ws, capsys, "--post")
    run(ws, "fund", "close-month", "--fund", FUND, "--month", "2024-04", capsys=capsys)
    unreadable = tmp_path / "folder.jpg"
    unreadable.mkdir()
    cases = [
        (["entry", "add", "--fund", FUND, "--date", "2024-02-30", "--type", "donation", "--amount", "5",
          "--category", "个人捐赠", "--summary", "x"], "不存在"),
        (["entry", "add", "--fund", FUND, "--date", "2024-04-02", "--type", "donation", "--amount", "5",
          "--category", "个人捐赠", "--summary", "x", "--post"], "已结账"),
        (["entry", "add", "--fund", FUND, "--date", "2024-05-02", "--type", "expense", "--amount", "5",
          "--category", "培训", "--summary", "x", "--attach", tmp_path / "missing.jpg"], "找不到附件"),
        (["entry", "add", "--fund", FUND, "--date", "2024-05-02", "--type", "expense", "--amount", "5",
          "--category", "培训", "--summary", "x", "--attach", unreadable], "是文件夹，不是文件"),
        (["entry", "add", "--fund", "没有这个基金", "--date", "2024-05-02", "--type", "donation", "--amount", "5",
          "--category", "个人捐赠", "--summary", "x"], "找不到社区基金"),
        (["entry", "add", "--fund", FUND, "--date", "2024-05-02", "--type", "donation", "--amount", "5",
          "--category", "不存在的类别", "--summary", "x"], "不在收入类别表里"),
        (["entry", "reverse", posted["id"], "--reason", "错", "--date", "2024-04-03"], "已结账"),
        (["entry", "delete", posted["id"]], "不能修改或删除"),
        (["entry", "post", posted["id"]], "已经记账"),
        (["project", "add", "--name", "p", "--start", "2024-03-01", "--end", "2024-02-01", "--budget", "1"], "早于"),
        (["backup", "restore", "no-such-backup.db"], "找不到备份"),
        (["export", "ledger", "--out", tmp_path / "nofolder" / "x.xlsx"], "不存在"),
    ]
    before = data_state(ws)
    for argv, message in cases:
        code, out = run(ws, *argv, capsys=capsys)
        assert code == 1, argv
        assert message in out.err, (argv, out.err)
    assert data_state(ws) == before
    code, out = run(ws, "entry", "reverse", posted["id"], "--reason", "错", "--date", "2024-05-03", capsys=capsys)
    assert code == 0
    before = data_state(ws)
    code, out = run(ws, "entry", "reverse", posted["id"], "--reason", "再冲", capsys=capsys)
    assert code == 1 and "不能重复冲销" in out.err
    assert data_state(ws) == before

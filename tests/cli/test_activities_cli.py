"""The activity, goods and activity-export commands; each bad input gets a Chinese message on stderr,
exit 1, and leaves the workspace (rows, journal and stored files) exactly as it was."""

import json
from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from desktop_app.core.queries import projects as project_queries
from desktop_app.core.services import projects
from desktop_app.core.storage.workspace import Workspace
from tests.cli.test_cli import data_state, run

FUND = "万源市慈善会八台镇尚善社区基金"
OTHER_FUND = "万源市慈善会青花镇立信社区基金"
PROJECT = "四川省慈善事业高质量发展试点工作"


def _ok(folder, capsys, *argv):
    code, out = run(folder, *argv, capsys=capsys)
    assert code == 0, out.err
    return out.out


def _expense(folder, capsys, fund, voucher, amount="1200.50", summary="音乐会音响租赁") -> str:
    _ok(folder, capsys, "entry", "add", "--fund", fund, "--date", "2024-03-01", "--type", "allocation", "--amount",
        "10000", "--category", "项目拨款", "--summary", "拨款", "--post")
    out = _ok(folder, capsys, "entry", "add", "--fund", fund, "--date", "2024-12-20", "--type", "expense", "--amount",
              amount, "--category", "活动开展", "--expense-class", "慈善活动支出", "--summary", summary,
              "--attach", voucher, "--post", "--json")
    return json.loads(out)["id"]


@pytest.fixture
def pilot(tmp_path, capsys):
    """A project with two sites and its fund, a posted expense of it, and another project's expense."""
    folder = tmp_path / "ws"
    _ok(folder, capsys, "init", "--office", "八台镇社工站", "--division-code", "511781107000", "--association", "万源市慈善会")
    _ok(folder, capsys, "project", "add", "--name", PROJECT, "--start", "2024-02-01", "--end", "2025-02-28",
        "--budget", "90万")
    _ok(folder, capsys, "project", "add", "--name", "另一个项目", "--start", "2024-02-01", "--end", "2025-02-28",
        "--budget", "1万")
    with Workspace.open(folder, auto_backup=False) as ws, ws.reading() as s:
        project = project_queries.resolve_project(s, PROJECT)
        data = projects.project_input(s, project)
    data.sites = [projects.SiteInput("青花镇立信社区"), projects.SiteInput("八台镇天池村")]
    with Workspace.open(folder, auto_backup=False) as ws:
        projects.update_project(ws, project.id, data)
    _ok(folder, capsys, "fund", "add", "--name", FUND, "--project", PROJECT)
    _ok(folder, capsys, "fund", "add", "--name", OTHER_FUND, "--project", "另一个项目")
    voucher = tmp_path / "发票.jpg"
    voucher.write_bytes(b"\xff\xd8\xff\xe0 scanned invoice")
    expense = _expense(folder, capsys, FUND, voucher)
    other = _expense(folder, capsys, OTHER_FUND, voucher, "300", "另一个项目的支出")
    return folder, expense, other


def _image(path: Path, color, size=(64, 48)) -> Path:
    Image.new("RGB", size, color).save(path)
    return path


def _files(folder: Path) -> list[str]:
    """Every stored file (attachments and derived photos), to check that a refused command left none."""
    return sorted(str(p.relative_to(folder)) for sub in ("attachments", "derived") if (folder / sub).exists()
                  for p in (folder / sub).rglob("*") if p.is_file())


CONCERT = ["activity", "add", "--project", PROJECT, "--site", "八台镇天池村", "--type", "慈善活动/募捐活动",
           "--title", "八台慈善音乐会", "--date", "2024-12-27"]


def test_add_activity_with_photos_captions_expense_and_groups(pilot, capsys, tmp_path):
    folder, expense, _ = pilot
    one = _image(tmp_path / "合影.jpg", "red")
    two = _image(tmp_path / "现场.png", "blue")
    out = _ok(folder, capsys, *CONCERT, "--place", "大巴山国家地质公园广场", "--organisers", "八台镇社工站",
              "--partners", "天池村委会", "--participants", "150", "--volunteers", "12", "--volunteer-hours", "7.5",
              "--beneficiaries", "老年人=40", "儿童=60", "--expense", expense, "--summary", "迎新慈善音乐会",
              "--photo", one, "--caption", "志愿者合影", "--photo", two, "--public", "--json")
    added = json.loads(out)
    assert added["title"] == "八台慈善音乐会" and added["site"] == "八台镇天池村"
    assert added["cost"] == "1200.50" and added["volunteer_hours"] == "7.5" and added["public_order"] == 1
    assert added["beneficiaries"] == {"老年人": 40, "儿童": 60}
    assert [p["caption"] for p in added["photos"]] == ["志愿者合影", ""]

    shown = json.loads(_ok(folder, capsys, "activity", "show", added["id"], "--json"))
    assert shown["cost"] == "1200.50" and [e["id"] for e in shown["expenses"]] == [expense]
    assert [(p["file"], p["caption"]) for p in shown["photos"]] == [("合影.jpg", "志愿者合影"), ("现场.png", "")]
    text = _ok(folder, capsys, "activity", "show", "八台慈善音乐会")
    assert "照片：2 张" in text and "志愿者合影" in text and "¥1,200.50" in text and "老年人40、儿童60" in text


def test_project_wide_activity_and_human_output(pilot, capsys):
    folder, _, _ = pilot
    out = _ok(folder, capsys, "activity", "add", "--project", PROJECT, "--type", "培训", "--title", "社工培训",
              "--date", "2024-05-02", "--end-date", "2024-05-03", "--participants", "３０", "--volunteer-hours", "1.25")
    assert "已登记活动“社工培训”（2024-05-02 至 2024-05-03，项目整体，培训）" in out
    out = _ok(folder, capsys, *CONCERT, "--participants", "150", "--public", "--order", "3")
    assert "列入公示，第 3 项" in out


def test_list_text_and_json_with_filters(pilot, capsys):
    folder, _, _ = pilot
    _ok(folder, capsys, *CONCERT, "--participants", "150", "--beneficiaries", "老年人=40", "--public")
    _ok(folder, capsys, "activity", "add", "--project", PROJECT, "--type", "培训", "--title", "社工培训",
        "--date", "2024-05-02", "--participants", "30", "--volunteer-hours", "1.25")
    _ok(folder, capsys, "activity", "add", "--project", PROJECT, "--site", "青花镇立信社区", "--type", "慈善服务",
        "--title", "入户走访", "--date", "2024-12-03", "--participants", "8", "--place", "立信社区")

    text = _ok(folder, capsys, "activity", "list")
    lines = text.splitlines()
    assert lines[0].split()[:4] == ["日期", "类型", "活动名称", "试点村(社区)"]
    assert [line.split()[2] for line in lines[1:4]] == ["八台慈善音乐会", "入户走访", "社工培训"]  # newest first
    assert lines[-1] == "共 3 项活动，参与 188 人次，志愿服务 1.25 小时，活动费用 ¥0.00"
    # aligned: the 编号 column starts at the same display column on every row
    starts = [_display_col(line, line.split()[-1]) for line in lines[1:4]]
    assert len(set(starts)) == 1

    rows = json.loads(_ok(folder, capsys, "activity", "list", "--json"))
    assert [r["title"] for r in rows] == ["八台慈善音乐会", "入户走访", "社工培训"]
    assert rows[0]["site"] == "八台镇天池村" and rows[2]["site"] is None and rows[2]["volunteer_hours"] == "1.25"
    assert rows[0]["cost"] == "0.00" and rows[0]["beneficiaries_total"] == 40 and rows[0]["public"] is True

    def titles(*filters):
        return [r["title"] for r in json.loads(_ok(folder, capsys, "activity", "list", *filters, "--json"))]

    assert titles("--site", "青花镇立信社区") == ["入户走访"]
    assert titles("--project", PROJECT, "--site", "项目整体") == ["社工培训"]
    assert titles("--type", "培训") == ["社工培训"]
    assert titles("--from", "2024-12-01", "--to", "2024-12-31") == ["八台慈善音乐会", "入户走访"]
    assert titles("--text", "立信") == ["入户走访"]
    assert titles("--public") == ["八台慈善音乐会"]
    assert "没有符合条件的活动" in _ok(folder, capsys, "activity", "list", "--text", "没有这样的活动")


def _display_col(line: str, word: str) -> int:
    import unicodedata

    head = line[:line.index(word)]
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in head)


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


def _bad_inputs(folder: Path, other: str, tmp_path: Path) -> list[tuple[list, str]]:
    not_image = tmp_path / "照片.jpg"
    not_image.write_bytes(b"this is a text file, not a photo")
    good = _image(tmp_path / "好.jpg", "red")
    goods_out = ["goods", "issue", "--fund", FUND, "--date", "2024-12-28", "--item", "新春礼品", "--unit", "份"]
    return [
        ([*CONCERT, "--participants", "-5"], "参与人数不能是负数"),
        ([*CONCERT, "--participants", "1.5"], "参与人数“1.5”不是整数"),
        ([*CONCERT, "--participants", "很多"], "不是整数"),
        ([*CONCERT, "--end-date", "2024-12-26"], "早于开始日期"),
        ([*CONCERT[:7], "不存在的类型", *CONCERT[8:]], "不在类型表里"),
        ([*CONCERT, "--photo", good, "--photo", not_image], "照片.jpg"),
        ([*CONCERT, "--photo", tmp_path / "没有.jpg"], "找不到照片"),
        ([*CONCERT, "--expense", other], "属于其他项目的基金"),
        ([*CONCERT, "--expense", "no-such-entry"], "不存在"),
        ([*CONCERT, "--beneficiaries", "老年人40"], "群体=人数"),
        ([*CONCERT, "--beneficiaries", "外星人=3"], "不在群体表里"),
        ([*CONCERT, "--beneficiaries", "老年人=-3"], "不能是负数"),
        ([*CONCERT, "--volunteer-hours", "半天"], "不是数字"),
        ([*CONCERT, "--order", "2"], "只能和 --public 一起使用"),
        ([*CONCERT, "--date", "2024-02-30"], "不存在"),
        ([*CONCERT[:5], "不存在的村", *CONCERT[6:]], "没有试点村（社区）“不存在的村”"),
        ([*goods_out, "--quantity", "51"], "库存不足：2024-12-28 时只有 50份，要发放 51份"),
        ([*goods_out, "--quantity", "5", "--activity", "没有这个活动"], "找不到活动"),
        ([*goods_out, "--quantity", "-5"], "数量必须大于 0"),
        (["goods", "receive", "--fund", FUND, "--date", "2024-12-28", "--item", "米", "--unit", "袋", "--quantity",
          "5", "--donor", "李四", "--value", "100"], "没有估值依据"),
        (["goods", "receive", "--fund", FUND, "--date", "2024-12-28", "--item", "米", "--unit", "袋", "--quantity",
          "5"], "请填写捐赠方名称"),
        (["export", "goods", "--project", PROJECT, "--out", tmp_path / "x.xlsx"], "按基金导出"),
        (["export", "activities", "--fund", FUND, "--out", tmp_path / "x.xlsx"], "按项目导出"),
        (["activity", "list", "--site", "不存在的村"], "找不到试点村"),
        (["activity", "show", "没有这个活动"], "找不到活动"),
    ]


def test_bad_inputs_get_a_chinese_message_and_change_nothing(pilot, capsys, tmp_path):
    folder, _, other = pilot
    _ok(folder, capsys, "goods", "receive", "--fund", FUND, "--date", "2024-12-20", "--item", "新春礼品", "--unit",
        "份", "--quantity", "50", "--donor", "万源市鑫达建材有限公司")
    before, files = data_state(folder), _files(folder)
    for argv, message in _bad_inputs(folder, other, tmp_path):
        code, out = run(folder, *argv, capsys=capsys)
        assert code == 1, (argv, out.err)
        assert out.err.startswith("错误：") and message in out.err, (argv, out.err)
        assert out.out == ""
    assert data_state(folder) == before
    assert _files(folder) == files
    assert not (tmp_path / "x.xlsx").exists()
    assert json.loads(_ok(folder, capsys, "activity", "list", "--json")) == []


def test_a_caption_needs_a_photo_before_it(pilot, capsys, tmp_path):
    folder, _, _ = pilot
    before = data_state(folder)
    with pytest.raises(SystemExit) as exit_info:
        run(folder, *CONCERT, "--caption", "没有照片的说明")
    assert exit_info.value.code == 2
    assert "--caption 要紧跟在它所说明的 --photo 之后" in capsys.readouterr().err
    photo = _image(tmp_path / "a.jpg", "red")
    with pytest.raises(SystemExit):
        run(folder, *CONCERT, "--photo", photo, "--caption", "一", "--caption", "二")
    assert data_state(folder) == before


def test_a_photo_failing_after_the_check_takes_the_activity_back(pilot, capsys, tmp_path, monkeypatch):
    """Should a checked photo still fail while it is stored (changed or removed meanwhile), the new activity
    is withdrawn, so no activity is left without the photos the command named."""
    from desktop_app.core.errors import UserError
    from desktop_app.core.services import photos

    def changed(*args, **kwargs):
        raise UserError("照片“a.jpg”在添加过程中被改动了。")

    monkeypatch.setattr(photos, "add_photos", changed)
    folder, _, _ = pilot
    code, out = run(folder, *CONCERT, "--photo", _image(tmp_path / "a.jpg", "red"), capsys=capsys)
    assert code == 1 and "被改动了" in out.err and "没有登记（已撤回）" in out.err
    assert json.loads(_ok(folder, capsys, "activity", "list", "--json")) == []

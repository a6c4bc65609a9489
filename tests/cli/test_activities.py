"""The activity commands (`cli/activities.py`); each bad input — of the activity, goods and activity-export
commands alike — gets a Chinese message on stderr, exit 1, and leaves the workspace (rows, journal and stored
files) exactly as it was."""

import json
from pathlib import Path

import pytest

from tests.cli.helpers import CONCERT, FUND, PROJECT, data_state, run
from tests.cli.helpers import image as _image
from tests.cli.helpers import ok as _ok


def _files(folder: Path) -> list[str]:
    """Every stored file (attachments and derived photos), to check that a refused command left none."""
    return sorted(str(p.relative_to(folder)) for sub in ("attachments", "derived") if (folder / sub).exists()
                  for p in (folder / sub).rglob("*") if p.is_file())


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

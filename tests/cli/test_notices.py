"""The notice commands (`cli/notices.py`) on the demo workspace (seed 004): export, publish, correct, list,
verify, due. Each bad input gets a Chinese message on stderr, a non-zero exit and leaves the workspace and its
archive as they were; `notice verify` exits 0 when the data is unchanged, 3 when it changed, 4 when the file
given prints something other than the notice with its code, 1 for an unknown or mistyped code or a file that
is not ours."""

import json
import sqlite3

import pytest

from desktop_app.core.demo.build import BATAI_FUND, PROJECT_NAME
from desktop_app.core.notices import codes
from tests.cli.helpers import YEAR_2024, data_state, ok, run


def everything(folder) -> tuple[str, list[str]]:
    archive = folder / "notices"
    return data_state(folder), sorted(p.name for p in archive.iterdir()) if archive.exists() else []


def export_2024(folder, capsys, tmp_path, name="公示.pdf") -> dict:
    out = ok(folder, capsys, "notice", "export", "--project", PROJECT_NAME, *YEAR_2024, "--out", tmp_path / name,
             "--json")
    return json.loads(out)


def test_default_export_on_the_demo_is_the_seed_004_notice(fast, capsys, tmp_path):
    out = ok(fast, capsys, "notice", "export", "--project", PROJECT_NAME, "--out", tmp_path / "公示.pdf")
    assert "已导出经费使用情况公示" in out and "核验码：" in out
    [listed] = json.loads(ok(fast, capsys, "notice", "list", "--json"))
    assert listed["title"] == "四川省慈善事业高质量发展试点工作2024年经费使用情况公示"
    assert (listed["from"], listed["to"], listed["status"]) == ("2024-02-01", "2025-02-28", "draft")


def test_drafts_in_the_period_are_listed_and_nothing_changes(demo, capsys, tmp_path):
    before = everything(demo)
    code, out = run(demo, "notice", "export", "--project", PROJECT_NAME, "--to", "2025-03-31", "--out",
                    tmp_path / "公示.pdf", capsys=capsys)
    assert code == 1 and out.out == ""
    assert "还有 2 笔草稿没有记账" in out.err and "--exclude-drafts" in out.err and "entry post" in out.err
    entries = json.loads(ok(demo, capsys, "entry", "list", "--fund", BATAI_FUND, "--json"))
    drafts = [e for e in entries if e["status"] == "draft"]
    assert len(drafts) == 2 and all(e["id"] in out.err and e["summary"] in out.err for e in drafts)
    assert everything(demo) == before and not (tmp_path / "公示.pdf").exists()


def test_export_publish_list_and_verify_with_the_real_pdf(demo, capsys, tmp_path):
    exported = export_2024(demo, capsys, tmp_path)
    pdf = tmp_path / "公示.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and exported["pages"] >= 2 and exported["status"] == "draft"
    assert exported["title"] == "四川省慈善事业高质量发展试点工作2024年经费使用情况公示"
    assert (exported["from"], exported["to"], exported["entries"]) == ("2024-02-01", "2024-12-31", 40)
    assert exported["masked"] and {"original", "shown", "reason"} <= set(exported["masked"][0])
    out = ok(demo, capsys, "notice", "publish", pdf, "--date", "2025-01-06")
    assert "已发布公示 2025-001" in out and "结账至 2024-12" in out
    [listed] = json.loads(ok(demo, capsys, "notice", "list", "--json"))
    assert listed["number"] == "2025-001" and listed["status"] == "published" and listed["pdf"] == "notices/2025-001.pdf"
    assert listed["code"] == exported["code"] and listed["published_on"] == "2025-01-06" and listed["corrected_by"] == []
    out = ok(demo, capsys, "notice", "verify", demo / "notices" / "2025-001.pdf")
    assert "数据未变" in out
    out = ok(demo, capsys, "notice", "verify", exported["code"].lower().replace("-", ""))
    assert "数据未变" in out
    code, out = run(demo, "entry", "add", "--fund", BATAI_FUND, "--date", "2024-12-30", "--type", "donation",
                    "--amount", "5", "--category", "个人捐赠", "--summary", "补记", "--post", capsys=capsys)
    assert code == 1 and "已结账" in out.err  # the published months are closed


def test_export_with_exclude_drafts_notes_the_drafts(fast, capsys, tmp_path):
    out = ok(fast, capsys, "notice", "export", "--project", PROJECT_NAME, "--to", "2025-03-31", "--exclude-drafts",
             "--out", tmp_path / "全期.pdf")
    assert "核验码：" in out and "草稿编号：" in out and "notice publish" in out
    [listed] = json.loads(ok(fast, capsys, "notice", "list", "--json"))
    assert (listed["from"], listed["to"], listed["status"]) == ("2024-02-01", "2025-03-31", "draft")
    assert "尚未记账的草稿" in (tmp_path / "全期.pdf").read_text(encoding="utf-8", errors="ignore")


def test_verify_exit_codes_and_messages(fast, capsys, tmp_path):
    exported = export_2024(fast, capsys, tmp_path)
    ok(fast, capsys, "notice", "publish", exported["id"], "--date", "2025-01-06")
    conn = sqlite3.connect(fast / "ledger.db")
    conn.execute("UPDATE ledger_entry SET amount_fen = 68000 WHERE summary = '社区赋能培训（社区骨干、志愿者）'")
    conn.commit()
    conn.close()
    code, out = run(fast, "notice", "verify", exported["code"], capsys=capsys)
    assert code == 3 and "数据已变" in out.err and "金额 由 ¥6,800.00 变为 ¥680.00" in out.err
    assert "notice correct 2025-001" in out.err
    code, out = run(fast, "notice", "verify", exported["code"], "--json", capsys=capsys)
    result = json.loads(out.out)
    assert code == 3 and result["ok"] is False and any("社区赋能培训" in c for c in result["changes"])
    code, out = run(fast, "notice", "verify", "ABCDE-FGHJK", capsys=capsys)
    assert code == 1 and "校验位不符" in out.err
    code, out = run(fast, "notice", "verify", codes.format_code("ABCDEFGHJ" + codes.check_character("ABCDEFGHJ")),
                    capsys=capsys)
    assert code == 1 and "没有找到核验码" in out.err
    stray = tmp_path / "别人的.pdf"
    stray.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
    code, out = run(fast, "notice", "verify", stray, capsys=capsys)
    assert code == 1 and "不是本程序生成的公示文件（没有核验码）" in out.err


def test_verify_an_altered_file_exits_4(fast, capsys, tmp_path):
    from tests.core.notices.test_notice_service import forged_pdf

    exported = export_2024(fast, capsys, tmp_path)
    ok(fast, capsys, "notice", "publish", exported["id"], "--date", "2025-01-06")
    assert "数据未变" in ok(fast, capsys, "notice", "verify", tmp_path / "公示.pdf")  # the genuine export
    forged = forged_pdf(tmp_path / "改过的公示.pdf", exported["code"])
    code, out = run(fast, "notice", "verify", forged, capsys=capsys)
    assert code == 4 and out.out == ""
    assert out.err.startswith("文件不符：“改过的公示.pdf”上印的文字与核验码") and "可能被改动过" in out.err
    assert "核验码对应的数据本身未变" in out.err and f"核验码 {exported['code']} 核验" in out.err
    code, out = run(fast, "notice", "verify", forged, "--json", capsys=capsys)
    result = json.loads(out.out)
    assert code == 4 and result["ok"] is False and result["changes"] == [] and "不一致" in result["file_problem"]


def test_refused_publications_change_nothing(fast, capsys, tmp_path):
    first = export_2024(fast, capsys, tmp_path)
    second = json.loads(ok(fast, capsys, "notice", "export", "--project", PROJECT_NAME, "--from", "2024-07-01",
                           *YEAR_2024, "--out", tmp_path / "下半年.pdf", "--json"))
    code, out = run(fast, "notice", "publish", first["id"], "--date", "2099-01-01", capsys=capsys)
    assert code == 1 and "晚于今天" in out.err
    ok(fast, capsys, "notice", "publish", first["id"], "--date", "2025-01-06")
    foreign = tmp_path / "别处的.pdf"
    foreign.write_bytes(b"%PDF-1.4\n%%EOF\n")
    before = everything(fast)
    cases = [
        ([first["id"]], "已发布的公示不能再改动"),
        ([tmp_path / "公示.pdf"], "已发布的公示不能再改动"),
        ([second["id"], "--date", "2025-01-07"], "已经发布过（编号 2025-001"),
        (["没有这个草稿"], "找不到公示"),
        ([tmp_path / "没有.pdf"], "找不到文件"),
        ([second["id"], "--date", "2025-13-01"], "日期"),
        ([foreign], "不是本程序生成的公示文件（没有核验码），无法发布。请选择从“信息公示”导出的 PDF，或给出草稿编号"),
    ]
    for argv, message in cases:
        code, out = run(fast, "notice", "publish", *argv, capsys=capsys)
        assert code == 1 and message in out.err and out.out == "", (argv, out.err)
        assert everything(fast) == before


def test_correct_and_list(fast, capsys, tmp_path):
    exported = export_2024(fast, capsys, tmp_path)
    code, out = run(fast, "notice", "correct", exported["id"], "--text", "更正", capsys=capsys)
    assert code == 1 and "还没有发布" in out.err
    ok(fast, capsys, "notice", "publish", exported["id"], "--date", "2025-01-06")
    out = ok(fast, capsys, "notice", "correct", "2025-001", "--text", "第二部分第（三）项的活动日期应为2024年9月14日。",
             "--date", "2025-01-20")
    assert "已发布更正说明 2025-002" in out
    rows = json.loads(ok(fast, capsys, "notice", "list", "--json"))
    by_number = {r["number"]: r for r in rows}
    assert by_number["2025-001"]["corrected_by"] == ["2025-002"]
    assert by_number["2025-002"]["corrects"] == "2025-001" and by_number["2025-002"]["template"] == "correction"
    out = ok(fast, capsys, "notice", "list")
    assert "已更正（2025-002）" in out and "更正说明" in out
    before = everything(fast)
    code, out = run(fast, "notice", "correct", "2025-001", "--text", "", capsys=capsys)
    assert code == 1 and "请写明更正的内容" in out.err and everything(fast) == before


def test_due(fast, capsys):
    rows = json.loads(ok(fast, capsys, "notice", "due", "--date", "2024-04-15", "--json"))
    assert [(r["rule"], r["template"], r["due"], r["overdue"]) for r in rows] == [
        ("quarterly", "progress", "2024-05-01", False)]
    assert rows[0]["project"] == PROJECT_NAME and rows[0]["from"] == "2024-02-01" and rows[0]["to"] == "2024-04-30"
    out = ok(fast, capsys, "notice", "due", "--date", "2025-06-01")
    assert "已逾期" in out and "项目结束后的经费使用情况公示" in out and "慈善法第79条" in out
    assert "没有到期" in ok(fast, capsys, "notice", "due", "--date", "2024-03-01")
    hint = ok(fast, capsys, "notice", "due", "--date", "2024-04-15")
    assert (f'notice export --project "{PROJECT_NAME}" --template progress --from 2024-02-01 --to 2024-04-30'
            in hint)  # the command that makes exactly the notice listed


@pytest.mark.parametrize("argv, code, message", [
    (["--template", "annual"], 2, "无效的选项"),
    (["--out", "公示.docx"], 1, ".pdf 结尾"),
    (["--from", "2024-02-30"], 1, "不存在"),
    (["--project", "没有这个项目"], 1, "找不到项目"),
])
def test_bad_export_arguments_change_nothing(fast, capsys, tmp_path, argv, code, message):
    args = {"--project": PROJECT_NAME, "--out": str(tmp_path / "公示.pdf")}
    extra = []
    for i in range(0, len(argv), 2):
        if argv[i] in args:
            args[argv[i]] = argv[i + 1]
        else:
            extra += argv[i:i + 2]
    before = everything(fast)
    try:
        got, out = run(fast, "notice", "export", *[x for kv in args.items() for x in kv], *extra, *YEAR_2024,
                       capsys=capsys)
    except SystemExit as exc:  # argparse
        got, out = exc.code, capsys.readouterr()
    assert got == code and message in out.err
    assert everything(fast) == before and not list(tmp_path.glob("*.pdf"))


def test_export_with_edits_from_a_json_file(fast, capsys, tmp_path):
    edits = tmp_path / "修改.json"
    completion = "现拨付资金共31.6万元，两个试点的阵地均已投入使用。"
    edits.write_text(json.dumps({"field:项目完成情况": completion, "item:no-such-activity": {"body": "x"}},
                                ensure_ascii=False), encoding="utf-8")
    out = ok(fast, capsys, "notice", "export", "--project", PROJECT_NAME, *YEAR_2024, "--edits", edits,
             "--out", tmp_path / "公示.pdf")
    assert "注意：有 1 处修改已不适用" in out
    assert completion in (tmp_path / "公示.pdf").read_text(encoding="utf-8", errors="ignore")
    exported = json.loads(ok(fast, capsys, "notice", "export", "--project", PROJECT_NAME, *YEAR_2024, "--edits",
                             edits, "--out", tmp_path / "公示.pdf", "--json"))
    assert len(exported["notes"]) == 1
    assert "数据未变" in ok(fast, capsys, "notice", "verify", exported["code"])
    before = everything(fast)
    for text, message in (("{不是 JSON", "不是有效的 JSON"), ('{"table:收支明细": "x"}', "这个可修改的位置")):
        edits.write_text(text, encoding="utf-8")
        code, got = run(fast, "notice", "export", "--project", PROJECT_NAME, *YEAR_2024, "--edits", edits,
                        "--out", tmp_path / "另一份.pdf", capsys=capsys)
        assert code == 1 and message in got.err
    code, got = run(fast, "notice", "export", "--project", PROJECT_NAME, *YEAR_2024, "--edits", tmp_path / "没有.json",
                    "--out", tmp_path / "另一份.pdf", capsys=capsys)
    assert code == 1 and "读不到文字修改文件" in got.err
    assert everything(fast) == before and not (tmp_path / "另一份.pdf").exists()

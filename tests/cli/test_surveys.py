"""`survey import / list / show / report`: imports that are dry-runnable, idempotent and all-or-nothing, refusals
that say what to do and change nothing, and the report's JSON as scripts read it."""

import json

from openpyxl import Workbook

from desktop_app.core.surveys.read_table import read_table
from tests.cli.helpers import PROJECT, data_state, ok, run
from tests.core.surveys.samples import TXWJ_CSV, WJX_206, WJX_209, WJX_2016_CODES, WJX_2016_TEXT


def _import(folder, capsys, path, *extra) -> dict:
    return json.loads(ok(folder, capsys, "survey", "import", path, "--project", PROJECT, *extra, "--json"))


def _refused(folder, capsys, *argv) -> str:
    before = data_state(folder)
    code, out = run(folder, *argv, capsys=capsys)
    assert code != 0
    assert data_state(folder) == before
    return out.err


def _subset(tmp_path, rows: int, name: str):
    """The 209-row sample's header and first `rows` answers, as an earlier export of the same survey."""
    table = read_table(WJX_209)
    book = Workbook()
    for row in table[:rows + 1]:
        book.active.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_every_sample_imports_and_reports(pilot, capsys):
    folder, _e, _o = pilot
    counts = {}
    for path in (WJX_209, WJX_206, WJX_2016_TEXT, WJX_2016_CODES, TXWJ_CSV):
        summary = _import(folder, capsys, path)
        assert summary["created"] and not summary["refused"]
        report = json.loads(ok(folder, capsys, "survey", "report", summary["survey"], "--json"))
        counts[path.name] = (summary["new"], report["responses"], report["valid"])
    assert counts[WJX_209.name] == (208, 208, 208) and counts[TXWJ_CSV.name] == (3, 3, 3)
    listed = json.loads(ok(folder, capsys, "survey", "list", "--json"))
    assert sorted(r["responses"] for r in listed) == [3, 4, 4, 205, 208]


def test_importing_again_or_an_overlapping_later_export_adds_only_what_is_new(pilot, capsys, tmp_path):
    folder, _e, _o = pilot
    first = _import(folder, capsys, _subset(tmp_path, 100, "早先导出.xlsx"), "--name", "消费券调查")
    assert (first["new"], first["existing"]) == (100, 0)
    later = _import(folder, capsys, WJX_209, "--survey", "消费券调查")
    assert (later["new"], later["existing"], later["refused"]) == (108, 100, [])
    again = _import(folder, capsys, WJX_209, "--survey", "消费券调查")
    assert (again["new"], again["existing"]) == (0, 208)


def test_dry_run_reports_the_same_and_writes_nothing(pilot, capsys):
    folder, _e, _o = pilot
    before = data_state(folder)
    summary = _import(folder, capsys, WJX_209, "--dry-run")
    assert summary["dry_run"] and summary["new"] == 208
    assert data_state(folder) == before
    out = ok(folder, capsys, "survey", "import", WJX_209, "--project", PROJECT, "--dry-run")
    assert "试导入（没有写入）" in out and "新答卷 208 份" in out and "Q22  矩阵" in out


def test_a_file_of_another_questionnaire_is_refused_and_nothing_changes(pilot, capsys):
    folder, _e, _o = pilot
    _import(folder, capsys, WJX_209, "--name", "消费券调查")
    err = _refused(folder, capsys, "survey", "import", WJX_206, "--survey", "消费券调查")
    assert "对不上" in err and "没有导入任何答卷" in err
    err = _refused(folder, capsys, "survey", "import", WJX_2016_CODES, "--survey", "消费券调查")
    assert "对不上" in err


def test_a_file_that_is_not_an_export_or_is_empty_is_refused(pilot, capsys, tmp_path):
    folder, _e, _o = pilot
    empty = tmp_path / "空.xlsx"
    Workbook().save(empty)
    assert "空表格" in _refused(folder, capsys, "survey", "import", empty, "--project", PROJECT)
    notes = tmp_path / "说明.docx"
    notes.write_bytes(b"PK\x03\x04")
    assert "不是问卷数据文件" in _refused(folder, capsys, "survey", "import", notes, "--project", PROJECT)


def test_a_new_survey_needs_its_project_when_there_are_several(pilot, capsys):
    folder, _e, _o = pilot
    err = _refused(folder, capsys, "survey", "import", WJX_209)
    assert "有多个项目" in err and "--project" in err


def test_a_later_export_adds_unseen_options_as_a_new_version_and_refuses_bad_rows(pilot, capsys, tmp_path):
    folder, _e, _o = pilot
    _import(folder, capsys, _subset(tmp_path, 10, "前十份.xlsx"), "--name", "消费券调查")
    table = read_table(WJX_209)
    table[12][4] = "不愿透露"  # 1、您的性别: an option the first ten answers did not show
    table[15][25] = "9"  # 22、…—AI智能推荐券: off the 1–5 scale
    book = Workbook()
    for row in table[:21]:
        book.active.append(row)
    changed = tmp_path / "后来导出.xlsx"
    book.save(changed)
    summary = _import(folder, capsys, changed, "--survey", "消费券调查")
    assert (summary["new"], summary["existing"]) == (9, 10)
    assert summary["refused"] == [{"row": 16, "reason": "第 22 题“AI智能推荐券（根据您的消费习惯自动匹配优惠）”一行没有分值“9”"}]
    assert summary["version"] == 2 and "不愿透露" in summary["added_options"]["1"]
    shown = json.loads(ok(folder, capsys, "survey", "show", "消费券调查", "--json"))
    assert shown["version"] == 2
    report = json.loads(ok(folder, capsys, "survey", "report", "消费券调查", "--json"))
    assert report["valid"] == 19 and report["questions"][0]["base"] == 19  # both versions counted together


def test_report_json_has_the_shape_scripts_rely_on(pilot, capsys):
    folder, _e, _o = pilot
    survey = _import(folder, capsys, WJX_209)["survey"]
    report = json.loads(ok(folder, capsys, "survey", "report", survey, "--json", "--by", "Q1"))
    assert {"survey", "responses", "valid", "excluded", "questions", "needs_ranking", "sentence"} <= set(report)
    q1 = report["questions"][0]
    assert q1["code"] == "Q1" and q1["type"] == "single" and q1["base"] == 208
    assert q1["options"][0] == {"label": "女", "count": 140, "percent": "67.3"}
    assert set(q1["by"]) == {"女", "男", "其他"} and q1["by"]["男"]["base"] == 67
    assert report["sentence"].startswith("共收集208份有效调查问卷，需求排在前四位的是：")
    err = _refused(folder, capsys, "survey", "report", survey, "--by", "Q5")
    assert "不能用来分组" in err


def test_show_lists_the_codes_to_key_in(pilot, capsys):
    folder, _e, _o = pilot
    survey = _import(folder, capsys, WJX_2016_TEXT)["survey"]
    out = ok(folder, capsys, "survey", "show", survey)
    assert "Q7  矩阵" in out and "行 2. 界面美观度" in out and "1. 是" in out
    assert "找不到需求调查" in _refused(folder, capsys, "survey", "show", "没有这个调查")

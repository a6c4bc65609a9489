"""Hostile imports, entries and reports of 需求调查: refused ones say what to do and change nothing; answers
that are accepted never crash a report or leak a phone number into it."""

import json

import pytest
from openpyxl import Workbook

from desktop_app.core.services import survey_entry, surveys
from desktop_app.core.services.survey_entry import PaperForm
from desktop_app.core.storage.workspace import Workspace
from desktop_app.core.survey_report.report import report_document
from desktop_app.core.surveys import read_table as reader
from tests.cli.helpers import PROJECT, data_state, ok, run

HEADER = ["序号", "提交答卷时间", "所用时间", "1、您所在的村", "2、家庭人口数", "3、您的建议"]


def _rows(*answers):
    return [[str(n), f"2025/7/13 18:{n:02d}:00", "185秒", *a] for n, a in enumerate(answers, start=1)]


def _book(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _import(folder, capsys, path, *extra) -> dict:
    return json.loads(ok(folder, capsys, "survey", "import", path, *extra, "--json"))


def _refused(folder, capsys, *argv) -> str:
    before = data_state(folder)
    code, out = run(folder, *argv, capsys=capsys)
    assert code != 0 and "Traceback" not in out.err
    assert data_state(folder) == before
    return out.err


def test_broken_or_hostile_files_are_refused_and_change_nothing(pilot, capsys, tmp_path, monkeypatch):
    folder, _e, _o = pilot
    monkeypatch.setattr(reader, "MAX_UNPACKED", 4096)
    big = _book(tmp_path / "大.xlsx", [HEADER, *_rows(["天池村", "3", "x" * 5000])])
    assert "解压后超过" in _refused(folder, capsys, "survey", "import", big, "--project", PROJECT)
    monkeypatch.undo()
    shifted = tmp_path / "错位.csv"
    shifted.write_text("\n".join([",".join(HEADER), "1,2025/7/13 18:41:00,9秒,天池村,3,多办活动,少收费"]),
                       encoding="utf-8")
    assert "各列会错位" in _refused(folder, capsys, "survey", "import", shifted, "--project", PROJECT)
    no_number = _book(tmp_path / "无序号.xlsx", [HEADER[1:], *(r[1:] for r in _rows(["天池村", "3", "无"]))])
    assert "没有“序号”列" in _refused(folder, capsys, "survey", "import", no_number, "--project", PROJECT)


def test_importing_into_a_survey_of_another_project_is_refused(pilot, capsys, tmp_path):
    folder, _e, _o = pilot
    path = _book(tmp_path / "答卷.xlsx", [HEADER, *_rows(["天池村", "3", "无"], ["立信社区", "4", "好"])])
    _import(folder, capsys, path, "--project", "另一个项目", "--name", "另一个项目的调查")
    err = _refused(folder, capsys, "survey", "import", path, "--survey", "另一个项目的调查", "--project", PROJECT)
    assert "属于项目“另一个项目”，不属于" in err and "没有导入任何答卷" in err


def test_numbers_that_cannot_be_added_up_are_refused_per_row_and_at_entry(pilot, capsys, tmp_path):
    folder, _e, _o = pilot
    first = _book(tmp_path / "先.xlsx", [HEADER, *_rows(["天池村", "3", "无"], ["立信社区", "4", "好"],
                                                         ["天池村", "5", "多办活动"])])
    survey = _import(folder, capsys, first, "--project", PROJECT)["survey"]
    later = _book(tmp_path / "后.xlsx", [HEADER, *_rows(["天池村", "3", "无"], ["立信社区", "4", "好"],
                                                         ["天池村", "5", "多办活动"], ["天池村", "Infinity", "无"],
                                                         ["天池村", "1e999999", "无"])])
    summary = _import(folder, capsys, later, "--survey", survey)
    assert (summary["new"], [r["row"] for r in summary["refused"]]) == (0, [5, 6])
    assert "普通的数字" in summary["refused"][0]["reason"]
    report = json.loads(ok(folder, capsys, "survey", "report", survey, "--json"))
    assert report["questions"][1]["mean"] == "4.00"
    with Workspace.open(folder, auto_backup=False) as ws:
        before = data_state(folder)
        with pytest.raises(Exception, match="不是可以统计的数字"):
            survey_entry.save_paper_form(ws, survey, PaperForm("P1", {"Q2": {"n": "NaN"}}))
    assert data_state(folder) == before


def test_private_numbers_emoji_and_long_answers_reach_no_report(pilot, capsys, tmp_path):
    folder, _e, _o = pilot
    path = _book(tmp_path / "答卷.xlsx", [HEADER, *_rows(
        ["天池村-八台镇 13812345678", "3", "希望多办活动😀"], ["立信社区-青花镇", "4", "电话 13912345678 赵大山"],
        ["天池村-八台镇 13812345678", "2", "长" * 100_000])])
    survey = _import(folder, capsys, path, "--project", PROJECT)["survey"]
    shown = json.loads(ok(folder, capsys, "survey", "show", survey, "--json"))
    assert all(not q["options"] for q in shown["questionnaire"]["questions"] if q["code"] != "Q2")
    report = ok(folder, capsys, "survey", "report", survey, "--json")
    assert "13812345678" not in report and "13912345678" not in report
    out = tmp_path / "报告.pdf"
    assert "已生成调查报告" in ok(folder, capsys, "survey", "report", survey, "--out", out)  # no LayoutError
    export = tmp_path / "数据.xlsx"
    ok(folder, capsys, "survey", "export", survey, "--out", export)
    from desktop_app.core.queries.survey_results import survey_results
    from desktop_app.core.survey_report.report import ReportFacts

    with Workspace.open(folder, auto_backup=False) as ws, ws.reading() as s:
        results = survey_results(s, survey)
    texts = "\n".join(report_document(results, ReportFacts(PROJECT, "", []), today=_today()).texts())
    assert "13812345678" not in texts and "希望多办活动□" in texts and "共32767字，全文见导出的答卷数据" in texts


def test_a_questionnaire_word_the_fonts_lack_is_refused_naming_where_to_fix_it(pilot, capsys, tmp_path):
    folder, _e, _o = pilot
    path = _book(tmp_path / "答卷.xlsx", [["序号", "提交答卷时间", "所用时间", "1、需要的服务(多选)"],
                                          *([str(n), "2025/7/13 18:41:00", "9秒", "养老😀┋就业"] for n in (1, 2))])
    survey = _import(folder, capsys, path, "--project", PROJECT)["survey"]
    out = tmp_path / "报告.pdf"
    err = _refused(folder, capsys, "survey", "report", survey, "--out", out)
    assert "“需求调查”页的问卷设计里" in err and "草稿" not in err and not out.exists()


def test_an_option_too_long_for_a_printed_cell_is_refused_by_the_designer(pilot, capsys):
    folder, _e, _o = pilot
    with Workspace.open(folder, auto_backup=False) as ws:
        made = surveys.create_from_template(ws, PROJECT)
        from desktop_app.core.queries.surveys import current_version
        from desktop_app.core.surveys.questionnaire import Questionnaire

        with ws.reading() as s:
            form = Questionnaire.from_json(current_version(s, made.id).definition)
        form.questions[3].options[0].label = "很长" * 150
        before = data_state(folder)
        with pytest.raises(Exception, match="选项和矩阵行最多 200 字"):
            surveys.save_questionnaire(ws, made.id, form)
    assert data_state(folder) == before


def _today():
    from datetime import date

    return date(2025, 8, 1)


def test_a_later_export_whose_earlier_response_changed_is_refused_per_row(pilot, capsys, tmp_path):
    folder, _e, _o = pilot
    first = _book(tmp_path / "先.xlsx", [HEADER, *_rows(["天池村", "3", "无"], ["立信社区", "4", "好"])])
    survey = _import(folder, capsys, first, "--project", PROJECT)["survey"]
    later = _book(tmp_path / "后.xlsx", [HEADER, *_rows(["天池村", "3", "无"], ["立信社区", "9", "好"],
                                                         ["天池村", "5", "多办活动"])])
    summary = _import(folder, capsys, later, "--survey", survey)
    assert (summary["new"], summary["existing"]) == (1, 1)
    assert summary["refused"] == [{"row": 3, "reason": "编号 2 的答卷已导入过，但内容和这次的不同；保留了已导入的那份，没有覆盖"}]
    report = json.loads(ok(folder, capsys, "survey", "report", survey, "--json"))
    assert report["questions"][1]["mean"] == "4.00"  # (3 + 4 + 5) / 3: the first 4 kept

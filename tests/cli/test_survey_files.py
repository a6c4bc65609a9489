"""`survey new --from`, `survey form --out x.xlsx` and `survey export`: an XLSForm makes the survey it describes,
a bad one is refused and changes nothing, and the data export holds the valid responses as the report counts them,
in labels or codes, one column per option when wide, typed text never turned into formulas."""

import json

import openpyxl
import pytest

from desktop_app.core.services import survey_entry, surveys
from desktop_app.core.services.survey_entry import PaperForm
from desktop_app.core.storage.workspace import Workspace
from desktop_app.core.surveys.template import community_needs_template
from desktop_app.core.surveys.xlsform import write_xlsform
from tests.cli.helpers import PROJECT, data_state, ok, run

QINGHUA = "青花镇立信社区居民需求调查"
HEADER_ROW = 3  # title, subtitle, then the header


def _show(folder, capsys, survey) -> dict:
    return json.loads(ok(folder, capsys, "survey", "show", survey, "--json"))


def _sheet(path, name="有效答卷"):
    """The header and the data rows of a sheet (the note row under the data left out)."""
    rows = list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))
    header, body = list(rows[HEADER_ROW - 1]), rows[HEADER_ROW:]
    return header, [r for r in body if r[1] is not None]


def _refused(folder, capsys, *argv) -> str:
    before = data_state(folder)
    code, out = run(folder, *argv, capsys=capsys)
    assert code != 0
    assert data_state(folder) == before
    return out.err


def test_new_from_an_xlsform_makes_the_survey_it_describes(pilot, capsys, tmp_path):
    folder, _e, _o = pilot
    form = write_xlsform(community_needs_template(), tmp_path / "问卷.xlsx", form_id="kobo-1", version=2)
    made = json.loads(ok(folder, capsys, "survey", "new", "--from", form, "--project", PROJECT, "--json"))
    assert made["name"] == "社区居民需求调查"
    shown = _show(folder, capsys, made["survey"])
    assert shown["origin"] == "XLSForm" and shown["version"] == 1
    assert shown["questionnaire"] == json.loads(community_needs_template().to_json())
    out = ok(folder, capsys, "survey", "new", "--from", form, "--project", PROJECT, "--name", "第二份")
    assert "已新建需求调查“第二份”" in out


def test_form_out_xlsx_and_back_gives_the_same_questionnaire(demo, capsys, tmp_path):
    out = tmp_path / "立信.xlsx"
    assert "XLSForm" in ok(demo, capsys, "survey", "form", QINGHUA, "--out", out)
    settings = list(openpyxl.load_workbook(out)["settings"].iter_rows(values_only=True))
    original = _show(demo, capsys, QINGHUA)
    assert settings[1] == ("社区居民需求调查", original["survey"], "1")  # the questionnaire's title
    project = next(r["project"] for r in json.loads(ok(demo, capsys, "survey", "list", "--json"))
                   if r["name"] == QINGHUA)
    made = json.loads(ok(demo, capsys, "survey", "new", "--from", out, "--project", project, "--name", "立信复本",
                         "--json"))
    assert _show(demo, capsys, made["survey"])["questionnaire"] == original["questionnaire"]


def test_a_bad_xlsform_is_refused_and_nothing_changes(pilot, capsys, tmp_path):
    folder, _e, _o = pilot
    book = openpyxl.Workbook()
    book.active.title = "survey"
    for row in (["type", "name", "label"], ["select_one colors", "q1", "颜色"], ["geolocation", "q2", "位置"]):
        book.active.append(row)
    book.save(tmp_path / "坏.xlsx")
    err = _refused(folder, capsys, "survey", "new", "--from", tmp_path / "坏.xlsx", "--project", PROJECT)
    assert "没有新建调查" in err and "survey 表第 2 行" in err and "survey 表第 3 行" in err
    (tmp_path / "空.xlsx").write_bytes(b"")
    assert "是空的" in _refused(folder, capsys, "survey", "new", "--from", tmp_path / "空.xlsx", "--project", PROJECT)
    (tmp_path / "假.xlsx").write_text("not a workbook", encoding="utf-8")
    assert "不是 Excel 工作簿" in _refused(folder, capsys, "survey", "new", "--from", tmp_path / "假.xlsx",
                                           "--project", PROJECT)
    assert "打不开文件" in _refused(folder, capsys, "survey", "new", "--from", tmp_path / "无.xlsx", "--project", PROJECT)


def test_form_out_with_another_suffix_is_refused(demo, capsys, tmp_path):
    err = _refused(demo, capsys, "survey", "form", QINGHUA, "--out", tmp_path / "问卷.docx")
    assert ".xlsx" in err and not (tmp_path / "问卷.docx").exists()


def test_export_holds_the_250_valid_responses_and_the_excluded_with_reasons(demo, capsys, tmp_path):
    out = tmp_path / "立信答卷.xlsx"
    assert "已导出答卷数据" in ok(demo, capsys, "survey", "export", QINGHUA, "--out", out)
    report = json.loads(ok(demo, capsys, "survey", "report", QINGHUA, "--json"))
    header, rows = _sheet(out)
    assert len(rows) == report["valid"] == 250
    assert header[:5] == ["编号", "来源", "试点村(社区)", "填写/提交时间", "用时(秒)"]
    assert header[5] == "Q1 户编号（由调查员填写）" and "Q12 活动场地" in header and "Q6 其他（请注明）（填写内容）" in header
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)  # by form number
    column = {h: i for i, h in enumerate(header)}
    first = rows[0]
    assert first[1] == "纸质" and first[2] == "青花镇立信社区"
    assert "┋" in "".join(r[column["Q6 您家最需要社区提供哪些服务？（可多选，最多选4项）"]] for r in rows)
    assert all("→" in r[column["Q8 请给下列服务按需要程度排序（最需要的排第一）"]] for r in rows)
    assert {r[column["Q7 如需要养老服务，您最需要的是？（可多选）"]] for r in rows} >= {"(跳过)"}
    texts = [r[column["Q13 您对社区慈善服务还有什么意见和建议？"]] for r in rows]
    assert any(t and "有事请联系我" in t for t in texts) and not any(t and "5678" in t for t in texts)
    why, excluded = _sheet(out, "无效答卷")
    assert why[0] == "无效原因" and len(excluded) == report["responses"] - 250
    assert {r[0] for r in excluded} == {e["reason"] for e in report["excluded"]}
    assert openpyxl.load_workbook(out).sheetnames == ["有效答卷", "无效答卷", "选项代码"]


def test_export_codes_and_wide_columns(demo, capsys, tmp_path):
    out = tmp_path / "代码.xlsx"
    ok(demo, capsys, "survey", "export", QINGHUA, "--out", out, "--codes", "--wide")
    header, rows = _sheet(out)
    assert len(rows) == 250
    assert header[5:9] == ["Q1", "Q2", "Q3", "Q4"]
    assert [h for h in header if h.startswith("Q6/")] == [f"Q6/{n}" for n in range(1, 13)]
    assert [h for h in header if h.startswith("Q12_")] == ["Q12_1", "Q12_2", "Q12_3", "Q12_4"]
    column = {h: i for i, h in enumerate(header)}
    for r in rows:
        assert {r[column[f"Q6/{n}"]] for n in range(1, 13)} <= {0, 1}
        assert sum(r[column[f"Q6/{n}"]] for n in range(1, 13)) <= 4
        assert sorted(r[column[f"Q8/{n}"]] for n in range(1, 5)) == [1, 2, 3, 4]
        assert r[column["Q4"]] in (1, 2, 3, 4) and r[column["Q12_1"]] in range(1, 6)
    narrow = tmp_path / "窄.xlsx"
    ok(demo, capsys, "survey", "export", QINGHUA, "--out", narrow, "--codes")
    header, rows = _sheet(narrow)
    column = {h: i for i, h in enumerate(header)}
    assert all(r[column["Q7"]] == -3 or "2" in [str(c) for c in r[column["Q6"]].split("┋")] for r in rows)
    labels = tmp_path / "宽.xlsx"
    ok(demo, capsys, "survey", "export", QINGHUA, "--out", labels, "--wide")
    header, _rows = _sheet(labels)
    assert "Q6 亲子教育" in header and "Q8 就业" in header


@pytest.fixture
def typed(pilot):
    """A template survey with forms whose typed answers look like formulas."""
    folder, _e, _o = pilot
    base = {"Q2": {"t": "一组"}, "Q4": {"c": [2]}, "Q5": {"c": [1]}}
    with Workspace.open(folder, auto_backup=False) as ws:
        survey = surveys.create_from_template(ws, PROJECT, "公式测试")
        survey_entry.save_paper_batch(ws, survey.id, [
            PaperForm("001", base | {"Q1": {"t": "=1+1"}, "Q6": {"c": [1, 11], "t": "-5"}, "Q13": {"t": "@SUM(A1)"}}),
            PaperForm("002", base | {"Q1": {"t": "+86"}, "Q3": {"n": "-5"}, "Q6": {"c": [12]},
                                     "Q13": {"t": "=HYPERLINK(\"http://x\")"}}),
        ])
    return folder


def test_formula_like_answers_stay_text(typed, capsys, tmp_path):
    out = tmp_path / "公式.xlsx"
    ok(typed, capsys, "survey", "export", "公式测试", "--out", out)
    sheet = openpyxl.load_workbook(out)["有效答卷"]
    header = [c.value for c in sheet[HEADER_ROW]]
    at = {h: i + 1 for i, h in enumerate(header)}
    one, two = HEADER_ROW + 1, HEADER_ROW + 2
    cells = {(row, name): sheet.cell(row, at[name]) for row in (one, two) for name in header}
    for key, value in (((one, "Q1 户编号（由调查员填写）"), "=1+1"), ((two, "Q1 户编号（由调查员填写）"), "+86"),
                       ((one, "Q6 其他（请注明）（填写内容）"), "-5"),
                       ((one, "Q13 您对社区慈善服务还有什么意见和建议？"), "@SUM(A1)"),
                       ((two, "Q13 您对社区慈善服务还有什么意见和建议？"), "=HYPERLINK(\"http://x\")")):
        assert cells[key].value == value and cells[key].data_type == "s", key
    assert cells[(two, "Q3 家庭常住人口（人）")].value == -5  # a number answer is a number
    assert cells[(one, "Q6 您家最需要社区提供哪些服务？（可多选，最多选4项）")].value == "亲子教育┋其他（请注明）"


def test_export_refuses_a_wrong_name_or_an_unknown_survey(demo, capsys, tmp_path):
    assert ".xlsx" in _refused(demo, capsys, "survey", "export", QINGHUA, "--out", tmp_path / "a.csv")
    assert "survey list" in _refused(demo, capsys, "survey", "export", "没有这个调查", "--out", tmp_path / "a.xlsx")
    assert [p.name for p in tmp_path.iterdir()] == ["ws"]  # nothing written beside the workspace

"""XLSForm: the built-in template written and read back unchanged, a hand-made KoBo-style form read the way a
person means it, and hostile workbooks refused with a message that names the sheet and row to fix."""

import copy

import openpyxl
import pytest

from desktop_app.core.errors import UserError
from desktop_app.core.surveys.questionnaire import Option, Question, Questionnaire, ShowIf
from desktop_app.core.surveys.template import community_needs_template
from desktop_app.core.surveys.xlsform import read_xlsform, write_xlsform


def _book(path, survey, choices=None, settings=None):
    """A workbook from lists of rows, one list per sheet (None leaves the sheet out)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        if rows is not None:
            sheet = book.create_sheet(name)
            for row in rows:
                sheet.append(row)
    book.save(path)
    return path


def _refused(path, *fragments):
    with pytest.raises(UserError) as caught:
        read_xlsform(path)
    text = str(caught.value)
    for fragment in fragments:
        assert fragment in text, text
    return text


def test_the_template_round_trips_unchanged(tmp_path):
    form = community_needs_template()
    out = write_xlsform(form, tmp_path / "模板.xlsx", form_id="s-1", version=3)
    assert read_xlsform(out) == form
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["survey", "choices", "settings"]
    assert [c.value for c in book["settings"][2]] == ["社区居民需求调查", "s-1", "3"]
    rows = {r[1]: r for r in book["survey"].iter_rows(min_row=2, values_only=True)}
    assert rows["Q4"][0] == "select_one Q4_opts" and rows["Q4"][4] == "yes"
    assert rows["Q6"][0] == "select_multiple Q6_opts"
    assert "count-selected(.) <= 4" in rows["Q6"][6] and "not(selected(., '12') and count-selected(.) > 1)" in rows["Q6"][6]
    assert rows["Q6_other"][0] == "text" and rows["Q6_other"][5] == "selected(${Q6}, '11')"
    assert rows["Q7"][5] == "selected(${Q6}, '2')"
    assert rows["Q8"][0] == "rank Q8_opts"
    assert rows["Q11"][8] == "likert" and rows["Q12"][0] == "begin_group" and rows["Q12"][8] == "table-list"
    assert rows["Q12_3"][0] == "select_one Q12_opts"
    assert rows["Q2"][0] == "text" and rows["Q2"][9] == "region" and rows["Q3"][0] == "decimal"
    choices = [r for r in book["choices"].iter_rows(min_row=2, values_only=True) if r[0] == "Q6_opts"]
    assert [c[1] for c in choices] == [str(n) for n in range(1, 13)]


def test_flags_limits_and_a_several_code_condition_round_trip(tmp_path):
    form = community_needs_template()
    q5, q6 = form.question("Q5"), form.question("Q6")
    q5.min_choices, q5.max_choices, q5.private = 1, 3, True
    q6.need = False
    form.questions.append(Question("Q14", "联系电话（只用于回访）", "text", private=True, number="14",
                                   show_if=ShowIf("Q9", [1, 2])))
    expected = copy.deepcopy(form)
    assert read_xlsform(write_xlsform(form, tmp_path / "f.xlsx", form_id="x", version=1)) == expected


def test_writing_replaces_an_older_file_and_refuses_a_wrong_name(tmp_path):
    out = tmp_path / "问卷.xlsx"
    out.write_bytes(b"old")
    write_xlsform(community_needs_template(), out, form_id="x", version=1)
    assert read_xlsform(out).title == "社区居民需求调查"
    assert not [p for p in tmp_path.iterdir() if p.name != out.name]  # no temporary file left
    with pytest.raises(UserError, match=r"\.xlsx"):
        write_xlsform(community_needs_template(), tmp_path / "问卷.pdf", form_id="x", version=1)
    with pytest.raises(UserError, match="不存在"):
        write_xlsform(community_needs_template(), tmp_path / "没有" / "问卷.xlsx", form_id="x", version=1)


def test_a_hand_made_kobo_form_is_read_as_meant(tmp_path):
    survey = [
        ["type", "name", "label::English (en)", "label::Chinese (zh)", "required", "relevant", "appearance",
         "constraint"],
        ["start", "start", "", "", "", "", "", ""],
        ["note", "welcome", "Welcome", "欢迎参加调查", "", "", "", ""],
        ["select one yn", "has_elder", "Elderly at home?", "家里有老人吗？", "TRUE", "", "", ""],
        ["begin group", "elder", "Elderly", "老人", "", "${has_elder} = 'yes'", "", ""],
        ["integer", "elder_n", "How many?", "几位老人？", "", "", "", ""],
        ["select_multiple help or_other", "elder_help", "Help", "需要哪些帮助？", "", "", "", "count-selected(.)<3"],
        ["end group", "", "", "", "", "", "", ""],
        ["begin_group", "sat", "Satisfaction", "满意度", "", "", "table-list", ""],
        ["select_one pts", "sat_road", "Roads", "道路", "yes", "", "", ""],
        ["select_one pts", "sat_light", "Lights", "照明", "yes", "", "", ""],
        ["end_group", "", "", "", "", "", "", ""],
        ["date", "visit_day", "Day", "走访日期", "", "", "", ""],
        ["calculate", "score", "", "", "", "", "", ""],
    ]
    choices = [["list_name", "name", "label::English (en)", "label::Chinese (zh)"],
               ["yn", "yes", "Yes", "有"], ["yn", "no", "No", "没有"],
               ["help", "meal", "Meals", "助餐"], ["help", "visit", "Visits", ""],
               ["pts", "1", "Bad", "差"], ["pts", "2", "OK", "一般"], ["pts", "3", "Good", "好"]]
    form = read_xlsform(_book(tmp_path / "kobo.xlsx", survey, choices, [["form_title", "form_id"], ["老人需求", "e1"]]))
    assert form.title == "老人需求" and form.intro == "欢迎参加调查"
    assert [(q.code, q.type, q.number) for q in form.questions] == [
        ("has_elder", "single", "1"), ("elder_n", "number", "2"), ("elder_help", "multiple", "3"),
        ("sat", "matrix", "4"), ("visit_day", "text", "5")]
    has_elder, count, helps, matrix, _day = form.questions
    assert has_elder.required and has_elder.options == [Option(1, "有"), Option(2, "没有")]
    assert count.show_if == ShowIf("has_elder", [1]) and helps.show_if == ShowIf("has_elder", [1])
    assert helps.options == [Option(1, "助餐"), Option(2, "Visits"), Option(3, "其他（请注明）", other=True)]
    assert helps.max_choices == 2
    assert matrix.text == "满意度" and matrix.required
    assert matrix.rows == [Option(1, "道路"), Option(2, "照明")] and [o.code for o in matrix.options] == [1, 2, 3]


def test_a_form_without_settings_takes_its_title_from_the_file_name(tmp_path):
    path = _book(tmp_path / "入户调查.xlsx", [["type", "name", "label"], ["text", "q1", "您的建议"]])
    form = read_xlsform(path)
    assert form.title == "入户调查" and form.questions[0] == Question("q1", "您的建议", "text", number="1")


@pytest.mark.parametrize(("survey", "choices", "fragments"), [
    ([["type", "name", "label"], ["geolocation", "q1", "位置"]], None,
     ("survey 表第 2 行", "题型“geolocation”不认识")),
    ([["type", "name", "label"], ["geopoint", "q1", "位置"]], None, ("survey 表第 2 行", "程序不支持")),
    ([["type", "name", "label"], ["select_one colors", "q1", "颜色"]], [["list_name", "name", "label"]],
     ("survey 表第 2 行", "choices 表里没有选项列表“colors”")),
    ([["type", "name", "label"], ["select_one colors", "q1", "颜色"]], None, ("没有 choices 工作表", "colors")),
    ([["type", "name", "label"], ["text", "q1", "甲"], ["text", "q1", "乙"]], None,
     ("survey 表第 3 行", "name“q1”与第 2 行重复")),
    ([["type", "name", "label"], ["select_one c", "q1", "甲"]], [["list_name", "name", "label"], ["c", "a", "A"],
                                                                 ["c", "a", "B"]],
     ("choices 表第 3 行", "选项 name“a”重复")),
    ([["type", "name", "label"], ["text", "", "甲"]], None, ("survey 表第 2 行", "没有填写 name")),
    ([["type", "name", "label"], ["text", "q1", ""]], None, ("survey 表第 2 行", "没有题干")),
    ([["type", "name", "label"], ["begin_group", "g", "组"], ["text", "q1", "甲"]], None,
     ("survey 表第 2 行", "没有对应的 end_group")),
    ([["type", "name", "label"], ["end_group", "", ""]], None, ("survey 表第 2 行", "前面没有对应的 begin_group")),
    ([["type", "name", "label", "relevant"], ["select_one c", "q1", "甲", ""], ["text", "q2", "乙", "${q1} > 1"]],
     [["list_name", "name", "label"], ["c", "1", "A"]], ("survey 表第 3 行", "太复杂")),
    ([["type", "name", "label", "relevant"], ["text", "q1", "甲", "selected(${q9}, '1')"]], None,
     ("survey 表第 2 行", "不是这道题前面的选择题")),
    ([["type", "name", "label"]], None, ("没有题目",)),
    ([["name", "label"], ["q1", "甲"]], None, ("没有找到 type",)),
])
def test_hostile_forms_are_refused_naming_the_row(tmp_path, survey, choices, fragments):
    text = _refused(_book(tmp_path / "坏.xlsx", survey, choices), *fragments)
    assert "没有新建调查" in text or "改正" in text


def test_files_that_are_not_xlsforms_are_refused(tmp_path):
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    _refused(empty, "是空的", "重新保存")
    text = tmp_path / "假.xlsx"
    text.write_text("type,name,label\ntext,q1,甲\n", encoding="utf-8")
    _refused(text, "不是 Excel 工作簿", ".xlsx")
    truncated = tmp_path / "半截.xlsx"
    write_xlsform(community_needs_template(), truncated, form_id="x", version=1)
    truncated.write_bytes(truncated.read_bytes()[:300])
    _refused(truncated, "不是 Excel 工作簿")
    other = openpyxl.Workbook()
    other.active.append(["序号", "姓名"])
    other.save(tmp_path / "名单.xlsx")
    _refused(tmp_path / "名单.xlsx", "没有名为 survey 的工作表")
    _refused(tmp_path / "不存在.xlsx", "打不开文件")


def test_a_table_list_group_holds_only_single_choice_rows(tmp_path):
    survey = [["type", "name", "label"], ["select_one c", "q1", "甲"]]
    choices = [["list_name", "name", "label"], ["c", "1", "A"]]
    assert read_xlsform(_book(tmp_path / "ok.xlsx", survey, choices)).questions[0].options == [Option(1, "A")]
    matrix = [["type", "name", "label", "appearance"], ["begin_group", "m", "矩阵", "table-list"],
              ["text", "m_1", "行", ""], ["end_group", "", "", ""]]
    _refused(_book(tmp_path / "m.xlsx", matrix), "survey 表第 3 行", "只能放单选题")


def test_formula_like_labels_are_written_as_text(tmp_path):
    form = Questionnaire("=公式", [Question("Q1", "=SUM(A1:A9)", "single", [Option(1, "-5岁"), Option(2, "+1"),
                                                                         Option(3, "@人")], number="1"),
                                  Question("Q2", "您的建议", "text", number="2")])
    out = write_xlsform(form, tmp_path / "a.xlsx", form_id="a", version=1)
    assert read_xlsform(out) == form
    book = openpyxl.load_workbook(out)
    assert book["survey"]["C2"].value == "=SUM(A1:A9)" and book["survey"]["C2"].data_type == "s"
    assert book["settings"]["A2"].data_type == "s"

"""Reading the five real exports: the tool and layout recognised by their metadata columns, questions grouped,
answers read as the tools meant them (┋, →, 〖…〗, (跳过), (空), 4分, -3/-2)."""

import pytest

from desktop_app.core.errors import UserError
from desktop_app.core.surveys.cells import piece_label, split_choices
from desktop_app.core.surveys.importing import plan_rows
from desktop_app.core.surveys.infer import infer_questionnaire
from desktop_app.core.surveys.read_table import read_table
from desktop_app.core.surveys.sources import BY_CODE, BY_TEXT, TXWJ, WJX, parse_export
from tests.core.surveys.samples import TXWJ_CSV, WJX_206, WJX_209, WJX_2016_CODES, WJX_2016_TEXT


def _read(path):
    export = parse_export(read_table(path), path)
    form = infer_questionnaire(export, "t")
    return export, form, plan_rows(export, list(zip(export.groups, form.questions, strict=True)))


@pytest.mark.parametrize(("path", "source", "layout", "rows", "questions"), [
    (WJX_209, WJX, BY_TEXT, 208, 32), (WJX_206, WJX, BY_TEXT, 205, 22), (WJX_2016_TEXT, WJX, BY_TEXT, 4, 11),
    (WJX_2016_CODES, WJX, BY_CODE, 4, 11), (TXWJ_CSV, TXWJ, BY_TEXT, 3, 2)])
def test_every_sample_is_recognised_and_every_row_read(path, source, layout, rows, questions):
    export, form, plan = _read(path)
    assert (export.source, export.layout) == (source, layout)
    assert len(export.meta) == rows and len(form.questions) == questions
    assert not plan.refused and len(plan.responses) == rows


def test_tencent_csv_with_bom_and_a_comma_at_every_line_end_has_no_phantom_column():
    table = read_table(TXWJ_CSV)
    assert table[0][0] == "编号" and len(table[0]) == 10
    export, form, plan = _read(TXWJ_CSV)
    assert [q.type for q in form.questions] == ["text", "text"]
    assert plan.responses[0].meta.seconds == 31 and plan.responses[0].meta.submitted_at == "2021-02-02 20:28:40"


def test_wjx_matrix_columns_regroup_under_one_question():
    _export, form, plan = _read(WJX_209)
    matrix = form.question("Q22")
    assert matrix.type == "matrix" and len(matrix.rows) == 4 and matrix.rows[0].label.startswith("AI智能推荐券")
    assert [o.code for o in matrix.options] == [1, 2, 3, 4, 5]
    assert plan.responses[0].answers["Q22"] == {"m": {"1": 5, "2": 5, "3": 5, "4": 5}}
    _export, old, _plan = _read(WJX_2016_TEXT)  # 2016: bare row labels after "13、…—外观"
    assert old.question("Q7").type == "matrix" and len(old.question("Q7").rows) == 17


def test_skipped_and_empty_are_different_facts_and_neither_is_an_answer():
    _export, form, plan = _read(WJX_209)
    second = plan.responses[1].answers
    assert second["Q7"] == {"x": "skip"}
    _export, form, plan = _read(WJX_206)
    assert form.question("Q22").type == "text"
    assert sum(r.answers["Q22"] == {"x": "empty"} for r in plan.responses) == 177


def test_other_text_is_kept_and_bars_inside_it_do_not_split():
    assert split_choices("甲┋其他〖a┋b〗┋乙") == ["甲", "其他〖a┋b〗", "乙"]
    assert piece_label("其他(请注明)〖柜台〗") == ("其他(请注明)", "柜台")
    _export, form, plan = _read(WJX_209)
    q18 = form.question("Q18")
    first = plan.responses[0].answers["Q18"]
    assert q18.option(first["c"][0]).label == "其他" and first["t"] == "网络上"


def test_ranking_keeps_its_order_in_both_layouts():
    _export, text_form, text_plan = _read(WJX_2016_TEXT)
    _export, code_form, code_plan = _read(WJX_2016_CODES)
    tq, cq = text_form.question("Q6"), code_form.question("Q6")
    assert tq.type == cq.type == "ranking"
    text_order = [tq.option(c).label for c in text_plan.responses[1].answers["Q6"]["c"]]
    code_order = [cq.option(c).label for c in code_plan.responses[1].answers["Q6"]["c"]]
    assert text_order[:5] == code_order[:5] == ["骁龙820处理器", "三星AMOLED屏幕", "触控流畅,反应快", "极限省电", "独特语音功能"]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "是空的"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 100, "设置了打开密码"),
    (b"PK\x03\x04 truncated zip", "读不出来"),
])
def test_unreadable_workbooks_are_refused_in_chinese(tmp_path, content, message):
    path = tmp_path / "答卷.xlsx"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        read_table(path)


def test_a_truncated_sample_is_refused(tmp_path):
    path = tmp_path / "下载一半.xlsx"
    path.write_bytes(WJX_209.read_bytes()[:20000])
    with pytest.raises(UserError, match="文件不完整"):
        read_table(path)


def test_csv_in_gbk_is_read_and_unknown_bytes_are_refused(tmp_path):
    gbk = tmp_path / "问卷网.csv"
    gbk.write_bytes("编号,开始答题时间,答题时长,1.您最需要的服务\r\n1,2024/5/1 8:00:00,60,养老服务\r\n".encode("gbk"))
    export = parse_export(read_table(gbk), gbk)
    assert export.rows[0][3] == "养老服务"
    odd = tmp_path / "乱码.csv"
    odd.write_bytes(bytes(range(128, 256)) * 4)
    with pytest.raises(UserError, match="编码认不出来"):
        read_table(odd)


def test_a_workbook_that_is_not_a_survey_export_is_refused(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["日期", "摘要", "金额"])
    book.active.append(["2024-01-01", "捐款", "100"])
    path = tmp_path / "台账.xlsx"
    book.save(path)
    with pytest.raises(UserError, match="不是问卷星或腾讯问卷导出的答卷数据"):
        parse_export(read_table(path), path)
    book = Workbook()
    book.active.append(["序号", "提交答卷时间", "所用时间", "1、您的性别"])
    book.save(path)
    with pytest.raises(UserError, match="还没有答卷"):
        parse_export(read_table(path), path)


def test_tencent_multiple_choice_in_one_column_per_option_is_regrouped(tmp_path):
    csv = tmp_path / "腾讯问卷.csv"
    csv.write_text("编号,开始答题时间,结束答题时间,答题时长,1.您的年龄段,2.您最需要的服务:亲子教育,"
                   "2.您最需要的服务:养老服务,2.您最需要的服务:其他,3.建议\n"
                   "1,2024/5/1 8:00:00,2024/5/1 8:03:00,180,36-59岁,亲子教育,,社区食堂,无\n"
                   "2,2024/5/1 9:00:00,2024/5/1 9:02:00,120,60-79岁,,养老服务,,多办活动\n",
                   encoding="utf-8-sig")
    export, form, plan = _read(csv)
    assert export.source == TXWJ and [g.per_option for g in export.groups] == [False, True, False]
    needs = form.question("Q2")
    assert needs.type == "multiple" and [o.label for o in needs.options] == ["亲子教育", "养老服务", "其他"]
    assert needs.options[2].other
    first, second = (r.answers["Q2"] for r in plan.responses)
    assert first == {"c": [1, 3], "t": "社区食堂"} and second == {"c": [2]}

"""Hostile export files read safely: a zip bomb refused before it is unpacked, an .xls renamed .xlsx and a blank
sheet in front still read, UTF-16 text read, rows shifted past their header or a missing 序号 refused, invisible
characters never splitting an option, numbers a report cannot add up refused when typed or imported."""

import shutil
import zipfile

import pytest
from openpyxl import Workbook

from desktop_app.core.errors import UserError
from desktop_app.core.surveys import read_table as reader
from desktop_app.core.surveys.cells import label_key, read_cell
from desktop_app.core.surveys.infer import infer_questionnaire
from desktop_app.core.surveys.keying import KeyProblem, read_keys
from desktop_app.core.surveys.questionnaire import Question
from desktop_app.core.surveys.read_table import read_table
from desktop_app.core.surveys.sources import BY_TEXT, parse_export
from tests.core.surveys.samples import WJX_2016_TEXT

HEADER = ["序号", "提交答卷时间", "所用时间", "1、您的性别", "2、您的建议"]
ROWS = [["1", "2025/7/13 18:41:00", "185秒", "男", "多办活动"], ["2", "2025/7/13 18:42:00", "60秒", "女", "无"]]


def _book(path, rows, blank_first=False):
    book = Workbook()
    sheet = book.active
    if blank_first:
        sheet.title = "说明"
        sheet = book.create_sheet("答卷")
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_UNPACKED", 1024 * 1024)  # a real bomb unpacks to gigabytes
    plain = _book(tmp_path / "正常.xlsx", [HEADER, *ROWS])
    bomb = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            out.writestr(item, src.read(item.filename))
        out.writestr("xl/sharedStrings.xml", "<sst><si><t>" + "A" * 2_000_000 + "</t></si></sst>")
    assert bomb.stat().st_size < 20_000
    with pytest.raises(UserError, match="解压后超过 1 MB.*没有导入"):
        read_table(bomb)
    assert read_table(plain)[1][3] == "男"


def test_an_xls_renamed_xlsx_and_a_blank_first_sheet_are_read(tmp_path):
    renamed = tmp_path / "答卷.xlsx"
    shutil.copy(WJX_2016_TEXT, renamed)
    assert read_table(renamed) == read_table(WJX_2016_TEXT)
    behind = _book(tmp_path / "第二张表.xlsx", [HEADER, *ROWS], blank_first=True)
    assert read_table(behind)[2][4] == "无"


def test_utf16_text_from_excel_is_read(tmp_path):
    path = tmp_path / "Unicode文本.txt"
    path.write_bytes("\r\n".join("\t".join(r) for r in [HEADER, *ROWS]).encode("utf-16"))
    assert read_table(path) == [HEADER, *ROWS]


def test_a_csv_row_longer_than_its_header_is_refused(tmp_path):
    path = tmp_path / "错位.csv"
    lines = [",".join(HEADER), ",".join(ROWS[0]), ",".join(ROWS[1]) + ",养老,就业"]  # 养老,就业 without quotes
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(UserError, match="第 3 行比表头多出内容，各列会错位.*没有导入任何答卷"):
        read_table(path)
    # 腾讯问卷 ends every line, the header too, with a comma: not a shift
    path.write_text("\n".join(line + "," for line in lines[:2]), encoding="utf-8")
    assert read_table(path) == [HEADER, ROWS[0]]


def test_an_export_without_its_number_column_is_refused(tmp_path):
    path = _book(tmp_path / "删了序号.xlsx", [HEADER[1:], *(r[1:] for r in ROWS)])
    with pytest.raises(UserError, match="没有“序号”列.*不要删去“序号”列"):
        parse_export(read_table(path), path)


def test_invisible_characters_do_not_make_a_second_option(tmp_path):
    path = _book(tmp_path / "零宽.xlsx", [HEADER, *ROWS, ["3", "2025/7/13 18:43:00", "9秒", "男\u200b", "无"]])
    export = parse_export(read_table(path), path)
    form = infer_questionnaire(export, "t")
    assert [o.label for o in form.questions[0].options] == ["男", "女"]
    assert label_key("男\u200b") == label_key("男") and label_key("\ufeff女") == label_key("女")


@pytest.mark.parametrize("typed", ["Infinity", "NaN", "sNaN", "1e999999", "-1E+20"])
def test_numbers_a_report_cannot_add_up_are_refused(typed):
    question = Question("Q3", "家庭人口数", "number", number="3")
    with pytest.raises(KeyProblem, match="要输入数字"):
        read_keys(question, typed)
    with pytest.raises(ValueError, match="要填数字.*普通的数字"):
        read_cell(question, typed, BY_TEXT)
    assert read_keys(question, "１２．５") == {"n": "12.5"}


def test_phone_numbers_in_answers_never_become_option_labels_or_numbers(tmp_path):
    rows = [HEADER[:3] + ["1、您所在的村", "2、您的手机", "3、需要的服务"],
            ["1", "2025/7/13 18:41:00", "9秒", "天池村 13812345678", "13912345678", "养老"],
            ["2", "2025/7/13 18:42:00", "9秒", "立信社区", "13712345678", "就业"],
            ["3", "2025/7/13 18:43:00", "9秒", "立信社区", "13612345678", "养老"]]
    path = _book(tmp_path / "电话.xlsx", rows)
    form = infer_questionnaire(parse_export(read_table(path), path), "t")
    assert [q.type for q in form.questions] == ["text", "text", "single"]

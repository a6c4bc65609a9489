"""`county report`: the county's progress report (seed 003) as a workbook and a PDF, and its refusals."""

import pytest
from openpyxl import load_workbook

from desktop_app.core.documents.pdf_text import flatten, page_texts
from tests.cli.helpers import data_state, run
from tests.core.queries.test_county import county_with_two_pilots

PERIOD = ["--from", "2024-01-01", "--to", "2024-06-30"]


@pytest.fixture
def folders(tmp_path):
    """A county holding two townships (八台镇: 1,000.00 in, 250.50 out; 青花镇: 3,000.00 in, 200.25 out)."""
    a, b, cws = county_with_two_pilots(tmp_path)
    for ws in (a, b, cws):
        ws.close(backup=False)
    return tmp_path / "county", tmp_path / "a"


def test_workbook_has_the_figures_by_township_and_in_total(folders, tmp_path, capsys):
    folder, _ = folders
    out = tmp_path / "进展报告.xlsx"
    code, printed = run(folder, "county", "report", *PERIOD, "--out", out, capsys=capsys)
    assert code == 0, printed.err
    assert "已生成" in printed.out
    wb = load_workbook(out)
    assert wb.sheetnames == ["指标汇总", "社区基金", "慈善阵地", "活动与受益", "信息公示"]
    sheet = wb["指标汇总"]
    assert sheet["A1"].value == "万源市慈善会社区慈善工作进展情况报告（2024年1月—6月）"
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]}
    assert float(rows["八台镇社工站"][4]) == 749.50 and float(rows["青花镇社工站"][4]) == 2799.75
    assert float(rows["合计"][2]) == 4000 and float(rows["合计"][4]) == 3549.25
    assert rows["合计"][8] == 2 and rows["合计"][12] == 34 and rows["合计"][13] == 2
    assert rows["八台镇社工站"][20].startswith("第 1 号（")  # the package that brought its records
    spaces = [r for r in wb["慈善阵地"].iter_rows(min_row=4, values_only=True)]
    assert ("八台镇社工站", "八台镇试点慈善驿站", 6, "是") in spaces
    assert any(r[0] and "尚差 3 个" in r[0] for r in spaces)
    groups = wb["活动与受益"]
    header = [c.value for c in groups[3]]
    assert "老年人(人次)" in header and "儿童(人次)" in header


def test_pdf_prints_the_township_names_and_figures(folders, tmp_path, capsys):
    folder, _ = folders
    out = tmp_path / "进展报告.pdf"
    code, printed = run(folder, "county", "report", *PERIOD, "--out", out, capsys=capsys)
    assert code == 0, printed.err
    text = flatten(page_texts(out))
    for expected in ("万源市慈善会社区慈善工作进展情况报告", "2024年1月—6月", "八台镇社工站", "青花镇社工站",
                     "749.50", "2,799.75", "3,549.25", "八台镇尚善社区基金", "青花镇立信社区基金", "老年人",
                     "尚差3个", "逾期未公示"):
        assert expected in text, expected


def test_any_period_a_half_year_ending_in_november(folders, tmp_path, capsys):
    folder, _ = folders
    out = tmp_path / "r.pdf"
    code, printed = run(folder, "county", "report", "--from", "2024-07-01", "--to", "2024-11-30", "--out", out,
                        capsys=capsys)
    assert code == 0, printed.err
    assert "2024年7月—11月" in flatten(page_texts(out))


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2024-07-01", "--to", "2024-06-30"], "起始日期 2024-07-01 晚于截止日期"),
    (["--from", "2024-02-30", "--to", "2024-06-30"], "起始日期“2024-02-30”不存在"),
    (["--from", "明天", "--to", "2024-06-30"], "起始日期“明天”的格式不对"),
])
def test_a_bad_period_is_refused_in_chinese_with_nothing_written(folders, tmp_path, capsys, args, message):
    folder, _ = folders
    before = data_state(folder)
    out = tmp_path / "r.xlsx"
    code, printed = run(folder, "county", "report", *args, "--out", out, capsys=capsys)
    assert code == 1 and message in printed.err
    assert not out.exists() and data_state(folder) == before
    assert not list(tmp_path.glob("*.part"))


def test_another_kind_of_file_is_refused(folders, tmp_path, capsys):
    folder, _ = folders
    out = tmp_path / "r.docx"
    code, printed = run(folder, "county", "report", *PERIOD, "--out", out, capsys=capsys)
    assert code == 1 and "应以 .xlsx（Excel 工作簿）或 .pdf（PDF 文件）结尾" in printed.err
    assert not out.exists()


def test_a_township_workspace_is_refused(folders, tmp_path, capsys):
    _, township_folder = folders
    before = data_state(township_folder)
    for name in ("r.xlsx", "r.pdf"):
        out = tmp_path / name
        code, printed = run(township_folder, "county", "report", *PERIOD, "--out", out, capsys=capsys)
        assert code == 1 and "不是县级慈善会的工作区" in printed.err and "请打开县级慈善会的工作区" in printed.err
        assert not out.exists()
    assert data_state(township_folder) == before

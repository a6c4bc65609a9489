"""The paper questionnaire: every option printed with its box and its entry code beside its label, the type
hints and the show-if condition, the matrix grid, and the 13-question template on two or three pages."""

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop_app.cli.main import main
from desktop_app.core.documents.model import Heading, Table
from desktop_app.core.documents.pdf_text import page_texts
from desktop_app.core.survey_report.paper_form import option_text, paper_form_document, write_paper_form
from desktop_app.core.surveys.questionnaire import Option, Question, Questionnaire, ShowIf
from desktop_app.core.surveys.template import community_needs_template


def lines_of(pdf: Path) -> str:
    """The printed text with line breaks taken out (a long option wraps in its cell)."""
    pages = page_texts(pdf)
    assert pages is not None
    return "".join("".join(pages).split("\n"))


def expected(o: Option) -> str:
    label = o.label + ("____" if o.other else "")
    if label.startswith(str(o.code)) and not label[len(str(o.code))].isdigit():
        return f"□ {label}"  # "1分 很不满意": its code is its own first figure
    return f"□ {o.code} {label}"


def test_template_form_prints_every_option_code_beside_its_label(tmp_path):
    form = community_needs_template()
    out = write_paper_form("青花镇立信社区居民需求调查", form, tmp_path / "问卷.pdf")
    assert 2 <= len(PdfReader(out).pages) <= 3
    text = lines_of(out)
    for i, q in enumerate(form.questions, start=1):
        assert f"{i}. {q.text}" in text, q.text
        if q.type == "matrix":
            for o in q.options:
                assert o.label in text and f"□ {o.code}" in text
            for row in q.rows:
                assert row.label in text
            continue
        for o in q.options:
            assert expected(o) in text, (q.code, o.label)
    assert "□ 1 亲子教育" in text and "□ 2 养老服务" in text and "□ 12 都不需要" in text
    assert "（第6题选“养老服务”的请答）" in text
    assert "（可多选，最多选4项）" in text and "请排序" in text and "请打分" in text
    for box in ("问卷编号", "调查员", "调查日期"):
        assert box in text


def test_hints_are_not_repeated_and_a_limit_is_said():
    form = Questionnaire("问卷", [
        Question("Q1", "您的性别", "single", [Option(1, "男"), Option(2, "女")]),
        Question("Q2", "您需要哪些服务？（可多选）", "multiple", [Option(1, "助餐")]),
        Question("Q3", "您最需要哪些服务", "multiple", [Option(1, "助餐"), Option(2, "助浴")], max_choices=2),
        Question("Q4", "需要助餐的原因", "text", show_if=ShowIf("Q3", [1, 2])),
    ])
    doc = paper_form_document("测试问卷", form)
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert headings == ["1. 您的性别（单选）", "2. 您需要哪些服务？（可多选）", "3. 您最需要哪些服务（可多选，最多选2项）",
                        "4. 需要助餐的原因（第3题选“助餐”或“助浴”的请答）"]
    assert doc.compact and doc.title_lines == ["测试问卷", "调查问卷"]
    writing = doc.blocks[-2]
    assert isinstance(writing, Table) and writing.lines == "below" and not writing.header


def test_option_text_puts_the_code_between_box_and_label():
    assert option_text(Option(3, "就业")) == "□ 3 就业"
    assert option_text(Option(11, "其他（请注明）", other=True)) == "□ 11 其他（请注明）____"
    assert option_text(Option(1, "1分 很不满意")) == "□ 1分 很不满意"
    assert option_text(Option(1, "18—35岁")) == "□ 1 18—35岁"


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    from desktop_app.core.demo.build import build_demo

    return build_demo(tmp_path_factory.mktemp("paper-form") / "demo")


@pytest.mark.parametrize("name", ["青花镇立信社区居民需求调查", "八台镇天池村村民需求调查"])
def test_demo_surveys_print_their_paper_forms(demo_dir, tmp_path, name):
    folder = tmp_path / "ws"
    shutil.copytree(demo_dir, folder)
    out = tmp_path / "纸质问卷.pdf"
    assert main(["--workspace", str(folder), "survey", "form", name, "--out", str(out)]) == 0
    text = lines_of(out)
    assert name in text and "□ 1 亲子教育" in text
    assert 2 <= len(PdfReader(out).pages) <= 3

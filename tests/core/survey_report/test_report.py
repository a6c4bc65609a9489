"""The needs survey report PDF of the demo's two surveys: seed 004's sentence, every question, no phone number,
cross-tabs, the refusal of a survey without valid forms, and how fast 30 questions with charts print."""

import copy
import shutil
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop_app.cli.main import main
from desktop_app.core.demo.build import PROJECT_NAME, build_demo
from desktop_app.core.documents.model import BarChart, Document, Paragraph, Table, block_texts
from desktop_app.core.documents.pdf_text import flatten, page_texts, squash
from desktop_app.core.errors import UserError
from desktop_app.core.queries.survey_results import survey_results
from desktop_app.core.services import surveys
from desktop_app.core.storage.workspace import Workspace
from desktop_app.core.survey_report.charts import question_blocks
from desktop_app.core.survey_report.report import (
    facts,
    report_document,
    report_title,
    write_survey_report,
)
from desktop_app.core.surveys.analysis import QuestionResult
from desktop_app.core.surveys.questionnaire import Question
from desktop_app.core.surveys.template import community_needs_template

QINGHUA = "青花镇立信社区居民需求调查"
BATAI = "八台镇天池村村民需求调查"
SENTENCE = "共收集250份有效调查问卷，需求排在前四位的是：亲子教育、养老服务、就业、环境卫生"


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    return build_demo(tmp_path_factory.mktemp("survey-report") / "demo")


@pytest.fixture
def demo(demo_dir, tmp_path) -> Path:
    folder = tmp_path / "ws"
    shutil.copytree(demo_dir, folder)
    return folder


def printed(pdf: Path) -> str:
    pages = page_texts(pdf)
    assert pages is not None, "the report reads back"
    return flatten(pages)


def report_via_cli(folder: Path, name: str, out: Path, *extra: str) -> str:
    assert main(["--workspace", str(folder), "survey", "report", name, "--out", str(out), *extra]) == 0
    assert out.is_file()
    return printed(out)


def test_report_of_qinghua_prints_the_sentence_every_question_and_no_phone(demo, tmp_path):
    text = report_via_cli(demo, QINGHUA, tmp_path / "报告.pdf")
    assert squash(SENTENCE) in text
    assert squash(report_title(QINGHUA)) in text and report_title(QINGHUA) == "青花镇立信社区居民需求调查报告"
    for q in community_needs_template().questions:
        assert squash(q.text) in text, q.text
    # the method: forms, valid and each exclusion with its count, the source, the version
    for words in ("本次调查共收回问卷262份，经审核有效问卷250份", "同一户重复填写7份", "必答题未答完5份",
                  "纸质问卷250份", "第1版问卷", "四川省慈善事业高质量发展试点工作", "万源市慈善会", "平均综合得分",
                  "占答题人数百分比", "入户走访"):
        assert squash(words) in text, words
    # an answer said "有事请联系我，电话 138 1234 5678": printed with the number masked
    assert squash("1234 5678") not in text and "138" not in text
    assert squash("有事请联系我，电话 ***") in text


def test_report_of_batai_and_cross_tabs_by_age_and_site(demo, tmp_path):
    text = report_via_cli(demo, BATAI, tmp_path / "八台.pdf", "--by", "site")
    assert squash("按“试点村(社区)”分组") in text and "八台镇天池村" in text
    assert "共收集180份有效调查问卷" in text
    text = report_via_cli(demo, QINGHUA, tmp_path / "按年龄.pdf", "--by", "Q4")
    assert squash("按“您的年龄段”分组，列百分比") in text
    assert "80岁及以上" in text


def test_report_document_has_a_chart_for_the_needs_and_each_choice_question(demo_dir):
    ws = Workspace.open(demo_dir, auto_backup=False)
    try:
        with ws.reading() as s:
            results = survey_results(s, QINGHUA)
            doc = report_document(results, facts(s, results), today=date(2025, 1, 5))
    finally:
        ws.close(backup=False)
    charts = [b for b in doc.blocks if isinstance(b, BarChart)]
    # the needs ranking, Q2 region, Q4, Q5, Q6, Q7, Q8 ranking, Q9, Q10, Q11 scale, Q12 matrix means
    assert len(charts) == 11
    needs = charts[0]
    assert needs.labels[:4] == ("亲子教育", "养老服务", "就业", "环境卫生") and needs.maximum == 100
    assert all(len(c.labels) == len(c.values) == len(c.value_labels) for c in charts)
    texts = block_texts(doc.title_lines, doc.blocks)
    assert not any("5678" in t for t in texts)


def test_private_text_answers_are_never_listed():
    q = Question("Q9", "您的姓名和电话", "text", private=True)
    blocks = question_blocks(QuestionResult(q, base=2, texts=["张三 13812345678", "李四"]))
    texts = block_texts([], blocks)
    assert texts == ["本题涉及个人信息，不列出回答。"]


def test_short_text_answers_five_to_a_row_and_long_ones_numbered():
    q = Question("Q1", "户编号", "text")
    (grid,) = question_blocks(QuestionResult(q, base=3, texts=["LX-1", "LX-2", "LX-2"]))
    assert isinstance(grid, Table) and not grid.header
    assert grid.rows == (("LX-2（2份）", "LX-1", "", "", ""),)  # the most given first
    long = "希望社区多组织一些面向老年人的健康讲座和义诊活动"
    table, *_ = question_blocks(QuestionResult(q, base=1, texts=[long]))
    assert table.rows == (("1", long, "1"),)


def test_a_survey_without_valid_forms_is_refused_and_writes_nothing(demo, tmp_path):
    ws = Workspace.open(demo, auto_backup=False)
    try:
        surveys.create_from_template(ws, PROJECT_NAME, "立信社区第二次需求调查")
        out = tmp_path / "空报告.pdf"
        with ws.reading() as s:
            results = survey_results(s, "立信社区第二次需求调查")
            with pytest.raises(UserError) as refused:
                write_survey_report(s, results, out)
    finally:
        ws.close(backup=False)
    assert "还没有答卷" in refused.value.message and "请先" in refused.value.message
    assert not out.exists() and list(tmp_path.iterdir()) == [demo]


def test_a_survey_whose_forms_are_all_excluded_is_refused_with_the_reasons(tmp_path):
    from desktop_app.core.models import Survey
    from desktop_app.core.queries.survey_results import SurveyResults

    results = SurveyResults(Survey(name="试填问卷", project_id="p"), community_needs_template(), responses=3,
                            valid=0, excluded=[("必答题未答完", 2), ("同一户重复填写", 1)], sources=[], questions=[],
                            needs=[], sentence="")
    out = tmp_path / "报告.pdf"
    with pytest.raises(UserError) as refused:
        write_survey_report(None, results, out)
    message = refused.value.message
    assert "已有3份答卷，但没有一份有效问卷（必答题未答完2份、同一户重复填写1份）" in message
    assert "请在“需求调查”页查看无效原因" in message and not out.exists()


def test_thirty_questions_with_charts_print_whole(demo_dir, tmp_path):
    ws = Workspace.open(demo_dir, auto_backup=False)
    try:
        with ws.reading() as s:
            results = survey_results(s, QINGHUA)
            about = facts(s, results)
    finally:
        ws.close(backup=False)
    charted = [r for r in results.questions if r.question.type in ("single", "multiple", "scale", "ranking")]
    extra = []
    while len(results.questions) + len(extra) < 30:
        res = copy.copy(charted[len(extra) % len(charted)])
        res.question = copy.copy(res.question)
        res.question.number = str(len(results.questions) + len(extra) + 1)
        extra.append(res)
    results.questions = results.questions + extra
    doc = report_document(results, about, today=date(2025, 1, 5))
    assert sum(isinstance(b, BarChart) for b in doc.blocks) >= 28
    from desktop_app.core.documents.fonts import register_fonts
    from desktop_app.core.documents.pdf import render_pdf

    register_fonts()  # once per process, not per report
    render_pdf(doc, tmp_path / "30题.pdf")  # its speed (< 2 s) is measured by `dev.py bench --surveys`
    assert len(PdfReader(tmp_path / "30题.pdf").pages) > 20


def test_document_is_plain_data_with_the_sentence_as_a_paragraph(demo_dir):
    ws = Workspace.open(demo_dir, auto_backup=False)
    try:
        with ws.reading() as s:
            results = survey_results(s, QINGHUA)
            doc = report_document(results, facts(s, results), today=date(2025, 1, 5))
    finally:
        ws.close(backup=False)
    assert isinstance(doc, Document) and doc.noun == "调查报告"
    assert Paragraph(SENTENCE + "。") in doc.blocks

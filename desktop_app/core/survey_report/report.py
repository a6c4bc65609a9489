"""The needs survey report (需求调查报告) as an A4 PDF: who ran the survey and how, how many forms were valid
and why the others were not, the needs ranking with seed 004's sentence, then every question's tables and
charts (`charts.py`), and each question by group when the results were cross-tabulated.

The report is public: it prints counts, percents, scores and the text answers of questions not marked private
(masked of phone and ID numbers by the analysis), never a respondent's name, phone or address. It is laid
out and written by the document writer (`documents.pdf.render_pdf`): the glyph check first, then the file
written beside its name and moved into place, so a refused or failed report leaves no file."""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from desktop_app.core.documents.model import (
    Block,
    Column,
    Document,
    Field,
    Heading,
    Paragraph,
    SignOff,
    Table,
)
from desktop_app.core.errors import UserError
from desktop_app.core.models import Office, Project, Site, SurveyResponse
from desktop_app.core.queries.survey_results import SurveyResults
from desktop_app.core.survey_report.charts import (
    cross_blocks,
    group_order,
    needs_chart,
    needs_table,
    question_blocks,
    summary,
)

NOUN = "调查报告"
# the questionnaire's words are corrected in its designer (respondents' answers are printed with □ instead)
FIX_PLACE = "“需求调查”页的问卷设计里"


@dataclass(frozen=True)
class ReportFacts:
    """What the report says of the survey beyond its results, looked up once."""

    project: str
    office: str
    sites: list[str]


def report_title(name: str) -> str:
    """青花镇立信社区居民需求调查 → 青花镇立信社区居民需求调查报告; 立信社区2025 → 立信社区2025需求调查报告."""
    return f"{name}报告" if name.endswith("调查") else f"{name}需求调查报告"


def write_survey_report(session: Session, results: SurveyResults, out: Path, *, today: date | None = None) -> Path:
    """Write the report of `results` to `out` (a .pdf) and return its path. Refused (nothing written) when
    the survey has no valid response yet, or a character cannot be printed."""
    if not results.valid:
        raise UserError(_nothing_valid(results))
    doc = report_document(results, facts(session, results), today=today or date.today())
    from desktop_app.core.documents.pdf import render_pdf  # reportlab loads slowly: only when printing

    out = Path(out)
    render_pdf(doc, out)
    return out


def _nothing_valid(results: SurveyResults) -> str:
    name = results.survey.name
    if not results.responses:
        return (f"“{name}”还没有答卷，无法生成调查报告。请先在“需求调查”页录入纸质问卷，"
                "或导入问卷星、腾讯问卷导出的答卷，再生成报告。")
    reasons = "、".join(f"{why}{n}份" for why, n in results.excluded)
    return (f"“{name}”已有{results.responses}份答卷，但没有一份有效问卷（{reasons}），无法生成调查报告。"
            "请在“需求调查”页查看无效原因，补录或改正答卷后再生成报告。")


def facts(session: Session, results: SurveyResults) -> ReportFacts:
    survey = results.survey
    project = session.get(Project, survey.project_id)
    office = session.get(Office, survey.office_id) if survey.office_id else None
    # the sites the answers came from, else those the survey was set to cover (none set: all the project's)
    answered = set(session.exec(select(SurveyResponse.site_id).where(
        SurveyResponse.survey_id == survey.id, SurveyResponse.deleted == False)).all()) - {None, ""}  # noqa: E712
    wanted = answered or (json.loads(survey.site_ids) if survey.site_ids else [])
    sites = session.exec(select(Site).where(Site.project_id == survey.project_id, Site.deleted == False)  # noqa: E712
                         .order_by(Site.position, Site.name)).all()
    names = [s.name for s in sites if not wanted or s.id in wanted]
    return ReportFacts(project.name if project else "", office.name if office else "", names)


def report_document(results: SurveyResults, facts: ReportFacts, *, today: date) -> Document:
    """The report as a document of the A4 model (no database, no reportlab: tests read it as data)."""
    survey = results.survey
    blocks: list[Block] = []
    for label, text in (("项目名称", facts.project), ("调查单位", facts.office),
                        ("调查范围", "、".join(facts.sites))):
        if text:
            blocks.append(Field(label, text))
    blocks += _method(results)
    blocks += _needs(results)
    blocks += _questions(results)
    if facts.office:
        blocks.append(SignOff((facts.office,), today, seal_space=False))
    return Document([report_title(survey.name)], blocks, noun=NOUN, subject="需求调查报告", fix_place=FIX_PLACE)


def _method(results: SurveyResults) -> list[Block]:
    survey = results.survey
    invalid = results.responses - results.valid
    blocks: list[Block] = [Heading("一、调查方法和有效问卷")]
    if survey.method.strip():
        blocks.append(Field("调查方式", survey.method.strip()))
    counts = f"本次调查共收回问卷{results.responses}份，经审核有效问卷{results.valid}份"
    if invalid:
        reasons = "，".join(f"{why}{n}份" for why, n in results.excluded)
        counts += f"，无效问卷{invalid}份（{reasons}），无效问卷不参加统计"
    blocks.append(Paragraph(counts + "。"))
    if results.sources:
        parts = "、".join(f"{source}{'问卷' if source == '纸质' else ''}{n}份" for source, n in results.sources)
        blocks.append(Paragraph(f"有效问卷来源：{parts}。"))
    blocks.append(Paragraph(_versions(results)))
    if results.excluded:
        rows = tuple((why, str(n)) for why, n in results.excluded)
        blocks.append(Table((Column("无效原因", 7), Column("份数", 2, "right")), rows,
                            totals=(("合计", str(invalid)),), caption="无效问卷及原因"))
    blocks.append(Paragraph("说明：百分比保留一位小数，四舍五入；各题以答了该题的人数为基数，"
                            "只问部分人的题目（如“选了某项的请答”）以符合条件并作答的人数为基数。"))
    return blocks


def _versions(results: SurveyResults) -> str:
    if len(results.versions) <= 1:
        number = results.versions[0][0] if results.versions else 1
        return f"有效问卷均使用第{number}版问卷。"
    parts = "、".join(f"第{number}版{n}份" for number, n in results.versions)
    current = max(number for number, _n in results.versions)
    return (f"有效问卷使用的问卷版本：{parts}。统计以第{current}版的题目为准，"
            "旧版问卷只统计与新版相同的题目。")


def _needs(results: SurveyResults) -> list[Block]:
    blocks: list[Block] = [Heading("二、需求排序")]
    if not results.needs:
        return [*blocks, Paragraph(f"{results.sentence}问卷中没有标为“需求”的题目，或无人选择需求选项。")]
    blocks.append(Paragraph(results.sentence + "。"))
    blocks.append(Paragraph("需求排序按需求题中各项被选择的人次从多到少排列（“其他”“都不需要”不计）。"))
    blocks.append(needs_table(results.needs, results.valid))
    blocks.append(needs_chart(results.needs, results.valid))
    return blocks


def _questions(results: SurveyResults) -> list[Block]:
    heading = "三、各题统计结果"
    if results.by_label:
        heading += f"（并按“{results.by_label}”分组）"
    blocks: list[Block] = [Heading(heading)]
    order = group_order(results.by_label, results.questions) if results.by_label else []
    for i, res in enumerate(results.questions, start=1):
        q = res.question
        blocks.append(Heading(f"第{q.number or i}题　{q.text}", level=2))
        blocks.append(Paragraph(summary(res)))
        blocks += question_blocks(res)
        if results.by_label and q.text != results.by_label:  # a question by its own answers says nothing new
            blocks += cross_blocks(res, results.by_label, order)
    return blocks

"""答卷数据: a survey's responses as an Excel workbook for the office's own analysis (Excel, SPSS, WPS).

Sheet 有效答卷 holds the valid responses only, so its row count is the 有效问卷 figure every report prints; the
excluded ones are on sheet 无效答卷, each with its reason, so a worker can check them without filtering a mixed
list (and a count of the first sheet can never include them by mistake). Sheet 选项代码 lists every code.

Columns follow KoBo's export options: option labels (default) or codes; a multiple choice as one cell joined
with ┋ (as 问卷星 writes it), or with `wide` one 1/0 column per option; a ranking as A→B→C, or with `wide` each
option's place; a matrix one column per row; typed "other" text in its own column. A question not asked is
"(跳过)" (-3 with codes, as 问卷星按序号), one left empty "(空)" (blank with codes).

Questions marked private are left out and private numbers in typed text (phones, ID numbers) are hidden: the
file is easily mailed on, and the analysis needs neither. Typed text is always written as text, never as a
formula (`Sheet` does this). Validity is decided exactly as the report decides it (queries/survey_results)."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import Workbook
from sqlmodel import Session, select

from desktop_app.core.collector import collection_paused
from desktop_app.core.exports.sheet import WIDTH_SAMPLE, Column, Sheet, write_workbook
from desktop_app.core.models import Site, SurveyResponse
from desktop_app.core.privacy import redact_private_numbers
from desktop_app.core.queries.survey_results import judged_responses
from desktop_app.core.queries.surveys import current_version, resolve_survey
from desktop_app.core.surveys.answers import EMPTY, SKIP, codes
from desktop_app.core.surveys.questionnaire import TYPE_NAMES, Option, Question, Questionnaire

SKIPPED_CODE = -3  # 问卷星按序号's "not asked"
META = (Column("编号", max_width=12), Column("来源", max_width=10), Column("试点村(社区)", max_width=20),
        Column("填写/提交时间", max_width=20), Column("用时(秒)", "count", 10))


@dataclass(frozen=True)
class _Field:
    """One exported column: its header and how a response's answers give its value."""

    column: Column
    value: Callable[[dict], object]


def export_survey_data(session: Session, survey_key: str, out: Path, *, codes: bool = False,
                       wide: bool = False) -> Path:
    """Write the survey's responses to `out` (.xlsx, whole or not at all) and return the path."""
    survey = resolve_survey(session, survey_key)
    form = Questionnaire.from_json(current_version(session, survey.id).definition)
    with collection_paused():
        judged = judged_responses(session, survey, form)  # the report's responses, answers and reasons
    sites = {site.id: site.name for site in session.exec(select(Site))}
    fields = question_fields(form, codes=codes, wide=wide)
    columns = [*META, *(f.column for f in fields)]

    def values(r: SurveyResponse, answers: dict) -> list:
        meta = [r.source_no, r.source, sites.get(r.site_id or "", ""), r.submitted_at, r.seconds]
        return meta + [f.value(answers) for f in fields]

    # listed by source and number, the order of the stack of paper forms or of the site's own list
    listed = sorted(judged, key=lambda j: (j.response.source, _natural(j.response.source_no)))
    valid = [values(j.response, j.answers) for j in listed if not j.reason]
    excluded = [[j.reason, *values(j.response, j.answers)] for j in listed if j.reason]
    hidden = sum(q.private for q in form.questions)
    privacy = (f"标为隐私的 {hidden} 道题不导出；" if hidden else "") + "文字回答中的电话、身份证号等已隐去"
    subtitle = "　　".join([f"导出时间：{datetime.now():%Y-%m-%d %H:%M}",
                           f"有效答卷 {len(valid)} 份（共 {len(judged)} 份，无效 {len(excluded)} 份见“无效答卷”表）",
                           "选项代码" if codes else "选项文字", privacy])
    legend = ("注：未作答的题（显示条件不满足）记为 -3，作答时留空的为空白；选项代码见“选项代码”表。" if codes else
              "注：“(跳过)”表示按显示条件没有问这道题，“(空)”表示问了但没有回答。")
    if wide:
        legend += "多选题每个选项一列（1 选了，0 没选）；排序题每个选项一列，填它排在第几位。"

    def build(wb: Workbook) -> int:
        sheet = Sheet(wb, "有效答卷", columns, f"{survey.name} 答卷数据", subtitle, valid[:WIDTH_SAMPLE],
                      landscape=True)
        for v in valid:
            sheet.row(v)
        sheet.note_row(legend)
        sheet.finish()
        rejects = Sheet(wb, "无效答卷", [Column("无效原因", max_width=24), *columns], f"{survey.name} 无效答卷",
                        f"共 {len(excluded)} 份，不计入有效问卷；每份的原因见第一列。{privacy}",
                        excluded[:WIDTH_SAMPLE], landscape=True)
        for v in excluded:
            rejects.row(v)
        if not excluded:
            rejects.note_row("没有无效答卷。")
        rejects.finish()
        _codebook(wb, survey.name, form)
        return len(valid)

    write_workbook(out, build)
    return Path(out)


def _natural(number: str) -> list:
    """001 < 2 < 10 < LX-11: digits compared as numbers."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", number) if part]


# ---------------------------------------------------------------------------------------------- columns


def question_fields(form: Questionnaire, *, codes: bool, wide: bool) -> list[_Field]:
    """The columns of every question that is not private, in the questionnaire's order."""
    fields: list[_Field] = []
    for q in form.questions:
        if not q.private:
            fields += _fields(q, codes, wide)
    return fields


def _fields(q: Question, by_code: bool, wide: bool) -> list[_Field]:
    head = q.code if by_code else f"{q.code} {q.text}"

    def sub(code_title: str, label: str) -> str:
        return code_title if by_code else f"{q.code} {label}"

    def answer_or_state(shown: Callable[[dict], object]) -> Callable[[dict], object]:
        def value(answers: dict):
            a = answers.get(q.code)
            if not a:
                return None
            if "x" in a:
                return _state(a["x"], by_code)
            return shown(a)
        return value

    if q.type == "matrix":
        return [_Field(Column(sub(f"{q.code}_{row.code}", row.label), "count" if by_code else "text", 16),
                       answer_or_state(lambda a, r=row: _point(q, a, r, by_code))) for row in q.rows]
    fields: list[_Field] = []
    if q.type in ("multiple", "ranking") and wide:
        for o in q.options:
            title = sub(f"{q.code}/{o.code}", o.label)
            fields.append(_Field(Column(title, "count", 16), _per_option(q, o)))
    elif q.type in ("single", "scale", "multiple", "ranking"):
        single = q.type in ("single", "scale")
        kind = "count" if by_code and single else "text"
        fields.append(_Field(Column(head, kind, 30), answer_or_state(lambda a: _chosen(q, a, by_code))))
    elif q.type == "number":
        fields.append(_Field(Column(head, "number", 16), answer_or_state(lambda a: _number(a.get("n", "")))))
    else:  # text, region
        fields.append(_Field(Column(head, "text", 30), answer_or_state(lambda a: _text(a.get("t", "")))))
    for o in q.options:
        if o.other and q.type in ("single", "multiple", "ranking"):
            title = sub(f"{q.code}_other", f"{o.label}（填写内容）")
            fields.append(_Field(Column(title, "text", 24), lambda answers, o=o: _other(q, o, answers)))
    return fields


def _state(state: str, by_code: bool):
    if state == SKIP:
        return SKIPPED_CODE if by_code else "(跳过)"
    if state == EMPTY:
        return None if by_code else "(空)"
    return None


def _label(options: list[Option], code: int) -> str:
    found = next((o for o in options if o.code == code), None)
    return found.label if found is not None else str(code)


def _chosen(q: Question, a: dict, by_code: bool):
    chosen = codes(a)
    if q.type in ("single", "scale"):
        if not chosen:
            return None
        return chosen[0] if by_code else _label(q.options, chosen[0])
    words = [str(c) if by_code else _label(q.options, c) for c in chosen]
    return ("→" if q.type == "ranking" else "┋").join(words)


def _point(q: Question, a: dict, row: Option, by_code: bool):
    point = a.get("m", {}).get(str(row.code))
    if point is None:
        return None
    return point if by_code else _label(q.options, point)


def _per_option(q: Question, o: Option) -> Callable[[dict], object]:
    """KoBo's wide layout: 1/0 for a multiple choice, the place (1 = first) for a ranking; blank when unanswered."""
    def value(answers: dict):
        a = answers.get(q.code)
        if not a or "x" in a:
            return None
        chosen = codes(a)
        if q.type == "ranking":
            return chosen.index(o.code) + 1 if o.code in chosen else None
        return 1 if o.code in chosen else 0
    return value


def _other(q: Question, o: Option, answers: dict) -> str | None:
    a = answers.get(q.code)
    if not a or o.code not in codes(a) or not a.get("t"):
        return None
    return _text(a["t"])


def _number(text: str):
    try:
        return Decimal(text)
    except InvalidOperation:
        return text or None


def _text(text: str) -> str:
    return redact_private_numbers(text)


# ---------------------------------------------------------------------------------------------- codebook


def _codebook(wb: Workbook, name: str, form: Questionnaire) -> None:
    """Every question's code, type and options with their codes, for reading a codes export."""
    rows: list[list] = []
    for q in form.questions:
        flags = "（隐私，不导出）" if q.private else ""
        rows.append([q.code, f"{q.text}{flags}", TYPE_NAMES.get(q.type, q.type), None, ""])
        for r in q.rows:
            rows.append(["", "", "矩阵行", f"{q.code}_{r.code}", r.label])
        for o in q.options:
            extra = "（可填写）" if o.other else "（单独选择）" if o.exclusive else ""
            rows.append(["", "", "选项", o.code, f"{o.label}{extra}"])
    columns = (Column("题号", max_width=10), Column("题目", max_width=40), Column("题型", max_width=8),
               Column("代码", "count", 10), Column("选项 / 行", max_width=40))
    sheet = Sheet(wb, "选项代码", columns, f"{name} 选项代码", "导出时用“选项代码”方式时，单元格里的数字即下面的代码；"
                  "未作答的题记为 -3。", rows[:WIDTH_SAMPLE])
    for values in rows:
        sheet.row(values)
    sheet.finish()

"""Paper forms keyed in (纸质问卷录入), once or twice.

Single entry saves the form as a response. Double entry (as EpiData and REDCap do it) saves each person's keying
as pass 1 and pass 2 of the same form number; when both agree the form is final at once, otherwise every
field where they disagree is listed (`disagreements`) and a third decision settles each (`settle`). Only final
forms (entry_pass 0) count in analysis and reports."""

import json
from dataclasses import dataclass, field

from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import SurveyResponse
from desktop_app.core.queries.projects import project_sites
from desktop_app.core.queries.surveys import current_version, resolve_survey
from desktop_app.core.storage.identity import operator_name
from desktop_app.core.surveys.answers import SKIP, answer_problems, missing_required, shown
from desktop_app.core.surveys.questionnaire import Questionnaire
from desktop_app.core.validation import check_text

PAPER = "纸质"
FINAL, FIRST, SECOND = 0, 1, 2


@dataclass
class PaperForm:
    form_no: str  # the number written on the paper form
    answers: dict  # question code → answer (surveys/answers.py)
    site_id: str | None = None
    filled_on: str = ""  # YYYY-MM-DD
    complete: bool = True  # False: save with required questions left out (the user said so)
    entry_pass: int = FINAL  # FIRST or SECOND in double entry


@dataclass
class Disagreement:
    form_no: str
    question: str  # code
    first: dict | None
    second: dict | None


@dataclass
class SavedForm:
    response: SurveyResponse
    final: bool  # counts in reports now (single entry, or both passes agreed)
    disagreements: list[Disagreement] = field(default_factory=list)


def save_paper_form(ws, survey_key: str, form: PaperForm) -> SavedForm:
    with ws.transaction("survey.enter") as s:
        survey = resolve_survey(s, survey_key)
        version = current_version(s, survey.id)
        questionnaire = Questionnaire.from_json(version.definition)
        if not questionnaire.questions:  # an empty form would count as a valid response
            raise UserError("这份问卷还没有题目，不能录入。请先在“设计问卷…”里新增题目。")
        number = check_text("问卷编号", form.form_no, 30)
        if not number:
            raise UserError("请填写问卷编号（纸质问卷右上角的编号），录入两遍时靠它对应同一份问卷。")
        answers = _checked(questionnaire, form)
        _refuse_repeat(s, survey.id, number, form.entry_pass)
        if form.site_id and form.site_id not in {site.id for site in project_sites(s, survey.project_id)}:
            raise UserError("所选的试点村(社区)不属于这份调查的项目。请重新选择。")
        response = _response(survey.id, version.id, number, form, answers)
        s.add(response)
        s.flush()
        if form.entry_pass == FINAL:
            return SavedForm(response, final=True)
        other = _pass(s, survey.id, number, SECOND if form.entry_pass == FIRST else FIRST)
        if other is None:
            return SavedForm(response, final=False)
        found = _compare(number, *(sorted([response, other], key=lambda r: r.entry_pass)))
        if found:
            return SavedForm(response, final=False, disagreements=found)
        s.add(_response(survey.id, version.id, number, form, answers, entry_pass=FINAL))
        return SavedForm(response, final=True)


def save_paper_batch(ws, survey_key: str, forms: list[PaperForm]) -> int:
    """Forms keyed once each, saved together (one transaction): a stack entered elsewhere, the demo's surveys."""
    with ws.transaction("survey.enter") as s:
        survey = resolve_survey(s, survey_key)
        version = current_version(s, survey.id)
        questionnaire = Questionnaire.from_json(version.definition)
        rows, numbers = [], set()
        for form in forms:
            number = check_text("问卷编号", form.form_no, 30)
            if number in numbers:
                raise UserError(f"第 {number} 号问卷在这一批里出现了两次。请核对问卷编号。")
            numbers.add(number)
            _refuse_repeat(s, survey.id, number, FINAL)
            rows.append(_response(survey.id, version.id, number, form, _checked(questionnaire, form), FINAL))
        s.add_all(rows)
    return len(rows)


def disagreements(s: Session, survey_id: str) -> list[Disagreement]:
    """Every field where the two passes of a form disagree, for forms not yet settled."""
    passes: dict[str, dict[int, SurveyResponse]] = {}
    for r in s.exec(select(SurveyResponse).where(SurveyResponse.survey_id == survey_id, SurveyResponse.source == PAPER,
                                                 SurveyResponse.deleted == False)):  # noqa: E712
        passes.setdefault(r.source_no, {})[r.entry_pass] = r
    found = []
    for number, by_pass in sorted(passes.items(), key=lambda kv: _number_key(kv[0])):
        if FINAL not in by_pass and FIRST in by_pass and SECOND in by_pass:
            found += _compare(number, by_pass[FIRST], by_pass[SECOND])
    return found


def settle(ws, survey_key: str, form_no: str, decisions: dict[str, dict | None]) -> SurveyResponse:
    """The final form from the first pass with `decisions` (question code → the right answer) applied to every
    field where the passes disagree; refused while a disagreement has no decision."""
    with ws.transaction("survey.settle") as s:
        survey = resolve_survey(s, survey_key)
        first, second = _pass(s, survey.id, form_no, FIRST), _pass(s, survey.id, form_no, SECOND)
        if first is None or second is None:
            raise UserError(f"第 {form_no} 号问卷还没有录入两遍，不需要核对。")
        if _pass(s, survey.id, form_no, FINAL) is not None:
            raise UserError(f"第 {form_no} 号问卷已经核对定稿了。")
        open_fields = [d.question for d in _compare(form_no, first, second) if d.question not in decisions]
        if open_fields:
            raise UserError(f"第 {form_no} 号问卷还有 {len(open_fields)} 处两遍录入不一致，还没有裁定："
                            f"{'、'.join(open_fields)}。请逐一选定正确的答案后再定稿。")
        answers, site_id = json.loads(first.answers), first.site_id
        for code, answer in decisions.items():
            if code == "site":
                site_id = (answer or {}).get("t") or None
            elif answer is None:
                answers.pop(code, None)
            else:
                answers[code] = answer
        final = SurveyResponse(survey_id=survey.id, version_id=first.version_id, source=PAPER, source_no=form_no,
                               entry_pass=FINAL, site_id=site_id, entered_by=operator_name(),
                               submitted_at=first.submitted_at, complete=first.complete and second.complete,
                               answers=json.dumps(answers, ensure_ascii=False, sort_keys=True))
        s.add(final)
    return final


def _checked(form: Questionnaire, paper: PaperForm) -> dict:
    answers = {}
    for q in form.questions:
        if not shown(q, answers):
            answers[q.code] = {"x": SKIP}
            continue
        answer = paper.answers.get(q.code)
        if answer is None:
            continue
        problems = answer_problems(q, answer)
        if problems:
            raise UserError(problems[0] + "。请对照纸质问卷改正。")
        answers[q.code] = answer
    missing = missing_required(form, answers)
    if missing and paper.complete:
        raise UserError("以下必答题还没有填：" + "、".join(f"第 {q.number or q.code} 题" for q in missing)
                        + "。如果纸质问卷上确实没有填，请选“保存为未答完”（这份问卷不计入有效问卷）。")
    return answers


def _refuse_repeat(s: Session, survey_id: str, number: str, entry_pass: int) -> None:
    if _pass(s, survey_id, number, FINAL) is not None:
        raise UserError(f"第 {number} 号问卷已经录入过了。请核对问卷编号；同一份问卷不要录两次。")
    if entry_pass != FINAL and _pass(s, survey_id, number, entry_pass) is not None:
        raise UserError(f"第 {number} 号问卷的第 {entry_pass} 遍已经录入过了。请核对问卷编号，"
                        f"或由另一个人选“第 {3 - entry_pass} 遍”录入。")


def _pass(s: Session, survey_id: str, number: str, entry_pass: int) -> SurveyResponse | None:
    return s.exec(select(SurveyResponse).where(SurveyResponse.survey_id == survey_id, SurveyResponse.source == PAPER,
                                               SurveyResponse.source_no == number,
                                               SurveyResponse.entry_pass == entry_pass,
                                               SurveyResponse.deleted == False)).first()  # noqa: E712


def _response(survey_id: str, version_id: str, number: str, form: PaperForm, answers: dict,
              entry_pass: int | None = None) -> SurveyResponse:
    return SurveyResponse(survey_id=survey_id, version_id=version_id, source=PAPER, source_no=number,
                          entry_pass=form.entry_pass if entry_pass is None else entry_pass, site_id=form.site_id,
                          entered_by=operator_name(), submitted_at=form.filled_on, complete=form.complete,
                          answers=json.dumps(answers, ensure_ascii=False, sort_keys=True))


def _compare(number: str, first: SurveyResponse, second: SurveyResponse) -> list[Disagreement]:
    a, b = json.loads(first.answers), json.loads(second.answers)
    found = [Disagreement(number, code, a.get(code), b.get(code)) for code in sorted(set(a) | set(b), key=_number_key)
             if a.get(code) != b.get(code)]
    if first.site_id != second.site_id:
        found.insert(0, Disagreement(number, "site", {"t": first.site_id or ""}, {"t": second.site_id or ""}))
    return found


def _number_key(text: str) -> tuple:
    digits = "".join(ch for ch in text if ch.isdigit())
    return (int(digits) if digits else 0, text)

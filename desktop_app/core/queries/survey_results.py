"""A survey's results as every report reads them: the valid responses (and why the others were excluded), each
question's tables, the needs ranking and its sentence, optionally cross-tabulated by a question or the site.

Only questions of the current version are analysed; a response of an older version counts for a question
only when that version asked the same question (same code and type), so versions never mix silently."""

import json
from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import Session, select

from desktop_app.core.collector import collection_paused
from desktop_app.core.errors import UserError
from desktop_app.core.models import Site, Survey, SurveyResponse, SurveyVersion
from desktop_app.core.queries.surveys import current_version, resolve_survey
from desktop_app.core.surveys.analysis import (
    QuestionResult,
    analyse,
    group_label,
    needs_ranking,
    needs_sentence,
)
from desktop_app.core.surveys.questionnaire import Questionnaire
from desktop_app.core.surveys.validity import Candidate, Rules, exclusions

SITE_WORDS = ("site", "村", "村(社区)", "试点村", "试点村(社区)")


@dataclass
class SurveyResults:
    survey: Survey
    form: Questionnaire
    responses: int
    valid: int
    excluded: list[tuple[str, int]]  # reason, count
    sources: list[tuple[str, int]]  # 纸质 / 问卷星 / 腾讯问卷, valid count
    questions: list[QuestionResult]
    needs: list[tuple[str, int]]
    sentence: str
    by_label: str = ""  # what the cross-tab groups by
    versions: list[tuple[int, int]] = field(default_factory=list)  # version number, valid responses


@dataclass
class Judged:
    """A final response, its answers as the current questionnaire reads them, and why it is excluded ("")."""

    response: SurveyResponse
    answers: dict
    reason: str


def judged_responses(s: Session, survey: Survey, form: Questionnaire) -> list[Judged]:
    """Every final response of `survey` in the order validity reads them (the earlier of two duplicates is
    kept), each with its reason for exclusion: what the report counts and the data export lists. `form` is
    the current questionnaire; answers to it are taken as they are, older versions' through `_comparable`."""
    current = form.to_json()
    forms = {v.id: form if v.definition == current else Questionnaire.from_json(v.definition) for v in s.exec(
        select(SurveyVersion).where(SurveyVersion.survey_id == survey.id))}
    rows = list(s.exec(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id,
                                                    SurveyResponse.entry_pass == 0,  # double entry: final forms only
                                                    SurveyResponse.deleted == False)  # noqa: E712
                       .order_by(SurveyResponse.submitted_at, SurveyResponse.created_at)))
    answer_sets = [_comparable(json.loads(r.answers), forms[r.version_id], form) for r in rows]
    reasons = exclusions(form, [Candidate(r.source, a, r.complete, r.seconds, r.submitted_at, r.answers)
                                for r, a in zip(rows, answer_sets, strict=True)], Rules.from_json(survey.rules))
    return [Judged(r, a, why) for r, a, why in zip(rows, answer_sets, reasons, strict=True)]


def survey_results(s: Session, key: str, *, by: str | None = None) -> SurveyResults:
    with collection_paused():
        return _results(s, key, by)


def _results(s: Session, key: str, by: str | None) -> SurveyResults:
    survey = resolve_survey(s, key)
    version = current_version(s, survey.id)
    form = Questionnaire.from_json(version.definition)
    numbers = {v.id: v.number for v in s.exec(select(SurveyVersion).where(SurveyVersion.survey_id == survey.id))}
    judged = judged_responses(s, survey, form)
    valid = [j for j in judged if not j.reason]
    answer_sets = [j.answers for j in valid]
    groups, by_label = _grouping(s, form, by, valid)
    questions = analyse(form, answer_sets, groups=groups)
    if groups is not None:  # groups in the order of the grouping question's options (or of the sites)
        order = _group_order(s, form, by, groups)
        for res in questions:
            res.by = dict(sorted(res.by.items(), key=lambda kv: order.get(kv[0], len(order))))
    ranking = needs_ranking(questions)
    excluded = sorted(Counter(j.reason for j in judged if j.reason).items(), key=lambda kv: -kv[1])
    sources = sorted(Counter(j.response.source for j in valid).items(), key=lambda kv: -kv[1])
    versions = sorted(Counter(numbers[j.response.version_id] for j in valid).items())
    return SurveyResults(survey, form, len(judged), len(valid), excluded, sources, questions, ranking,
                         needs_sentence(len(valid), ranking), by_label, versions)


def _comparable(answers: dict, theirs: Questionnaire, ours: Questionnaire) -> dict:
    """The answers of an older version that the current version's questions can read (same code, same type)."""
    if theirs is ours:
        return answers
    keep = {}
    for code, answer in answers.items():
        old, new = theirs.question(code), ours.question(code)
        if old is not None and new is not None and old.type == new.type:
            keep[code] = answer
    return keep


def _group_order(s: Session, form: Questionnaire, by: str, groups: list[str | None]) -> dict[str, int]:
    question = form.question(by) or next((q for q in form.questions if by in (q.number, q.text)), None)
    if question is not None and question.options:
        labels = [o.label for o in question.options]
    elif by in SITE_WORDS:
        labels = [site.name for site in s.exec(select(Site).order_by(Site.position))]
    else:
        labels = sorted({g for g in groups if g is not None})
    return {label: n for n, label in enumerate(labels)}


def _grouping(s: Session, form: Questionnaire, by: str | None,
              valid: list[Judged]) -> tuple[list[str | None] | None, str]:
    """Each valid response's group label for a cross-tab by `by` (a question, or the site), and its title."""
    if not by:
        return None, ""
    if by in SITE_WORDS:
        names = {site.id: site.name for site in s.exec(select(Site))}
        return [names.get(j.response.site_id) if j.response.site_id else "未注明" for j in valid], "试点村(社区)"
    question = form.question(by) or next((q for q in form.questions if by in (q.number, q.text)), None)
    if question is None:
        raise UserError(f"问卷里没有题目“{by}”。请用题目编号（如 Q3）指定按哪道题交叉分析；survey show 可查看题目。")
    if question.type not in ("single", "region", "scale"):
        raise UserError(f"“{question.text}”是{_type_name(question.type)}题，不能用来分组。请选一道单选题（如年龄段、所在村）。")
    return [group_label(question, j.answers) for j in valid], question.text


def _type_name(kind: str) -> str:
    from desktop_app.core.surveys.questionnaire import TYPE_NAMES

    return TYPE_NAMES.get(kind, kind)


def results_json(r: SurveyResults) -> dict:
    """The shape `survey report --json` prints (scripts and tests rely on it)."""
    def options(res: QuestionResult) -> list[dict]:
        out = []
        for oc in res.options:
            item = {"label": oc.label, "count": oc.count, "percent": oc.percent}
            if oc.mentions_percent:
                item["mentions_percent"] = oc.mentions_percent
            if oc.score:
                item["score"] = oc.score
            out.append(item)
        return out

    questions = []
    for res in r.questions:
        q = res.question
        item = {"code": q.code, "number": q.number, "text": q.text, "type": q.type, "base": res.base,
                "options": options(res), "score": [oc.score for oc in res.options] if q.type == "ranking" else None}
        if q.type == "multiple":
            item["percent_of"] = "respondents"
        if q.type == "matrix":
            item["rows"] = [{"label": label, "base": base, "mean": mean,
                             "options": [{"label": o.label, "count": o.count, "percent": o.percent} for o in opts]}
                            for label, base, mean, opts in res.rows]
        if res.mean:
            item["mean"] = res.mean
        if q.type in ("text", "region"):
            item["answers"] = [] if q.private else res.texts
        if res.by:
            item["by"] = {label: {"base": sub.base, "options": options(sub)} for label, sub in res.by.items()}
        questions.append(item)
    return {"survey": r.survey.id, "name": r.survey.name, "responses": r.responses, "valid": r.valid,
            "excluded": [{"reason": why, "count": n} for why, n in r.excluded],
            "sources": [{"source": src, "count": n} for src, n in r.sources],
            "questions": questions, "needs_ranking": [label for label, _n in r.needs], "sentence": r.sentence}

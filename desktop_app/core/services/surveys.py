"""需求调查 commands: create a survey (from the built-in template or an export), import a 问卷星 / 腾讯问卷 file.

An import is one transaction and idempotent: a response is keyed by its source and the source's own number
(序号, 编号), so importing the same file again, or a later export that overlaps it, adds only what is new. A dry
run computes the same summary and writes nothing."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session, select

from desktop_app.core.collector import collection_paused
from desktop_app.core.errors import UserError
from desktop_app.core.models import Project, Survey, SurveyResponse, SurveyVersion
from desktop_app.core.queries.projects import list_projects, resolve_project
from desktop_app.core.queries.surveys import current_version, resolve_survey, versions
from desktop_app.core.storage.identity import operator_name
from desktop_app.core.storage.records import name_taken
from desktop_app.core.surveys.importing import match_questions, plan_rows
from desktop_app.core.surveys.infer import infer_questionnaire, unseen_options, with_options
from desktop_app.core.surveys.questionnaire import TYPE_NAMES, Questionnaire, check_questionnaire
from desktop_app.core.surveys.read_table import read_table
from desktop_app.core.surveys.sources import parse_export
from desktop_app.core.surveys.template import TEMPLATE_NAME, community_needs_template
from desktop_app.core.surveys.validity import Rules
from desktop_app.core.validation import check_text

NAME_MAX = 100
EXPORT_ORIGINS = ("问卷星按文本", "问卷星按序号", "腾讯问卷")  # questionnaires guessed from an export


class DropsAnswers(UserError):
    """A questionnaire edit leaves out questions that have answers: saved only when the person confirms."""


@dataclass
class ImportSummary:
    survey_id: str
    survey_name: str
    source: str  # 问卷星 按文本 …
    created: bool  # a new survey was made from the file's headers
    questionnaire: Questionnaire
    new: int = 0
    existing: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False
    added: dict[str, list[str]] = field(default_factory=dict)  # question number → options this file added
    version: int = 1

    def as_json(self) -> dict:
        return {"survey": self.survey_id, "name": self.survey_name, "source": self.source, "created": self.created,
                "dry_run": self.dry_run, "new": self.new, "existing": self.existing,
                "version": self.version, "added_options": self.added,
                "refused": [{"row": r, "reason": why} for r, why in self.refused]}


def create_survey_for(ws, project: str | None, name: str, form: Questionnaire, *, origin: str) -> Survey:
    """A new survey of `project` (the only one when not given) with the questionnaire `form`."""
    check_questionnaire(form)
    with ws.transaction("survey.create") as s:
        survey = _new_survey(s, name, _project_for_new(s, project), form, origin=origin, method="")
    return survey


def create_from_template(ws, project: str | None, name: str | None = None) -> Survey:
    """A new survey from the built-in 社区居民需求调查."""
    form = community_needs_template()
    with ws.transaction("survey.create") as s:
        survey = _new_survey(s, _free_name(s, name or TEMPLATE_NAME), _project_for_new(s, project), form,
                             origin="模板", method="入户走访")
    return survey


def set_rules(ws, survey_key: str, rules: Rules, method: str | None = None) -> Survey:
    """The survey's validity rules (and how it was collected, for the report)."""
    with ws.transaction("survey.rules") as s:
        survey = resolve_survey(s, survey_key)
        form = Questionnaire.from_json(current_version(s, survey.id).definition)
        if rules.min_seconds < 0 or rules.duplicate_minutes < 0:
            raise UserError("最短答题时间和重复提交的间隔不能是负数。请改为 0（不检查）或正数。")
        if rules.household_question and form.question(rules.household_question) is None:
            raise UserError(f"问卷里没有题目 {rules.household_question}，不能按它判断同一户。请选问卷里的户编号题。")
        survey.rules = rules.to_json()
        if method is not None:
            survey.method = check_text("调查方式", method, 200)
    return survey


def save_questionnaire(ws, survey_key: str, form: Questionnaire, *, drop_answered: bool = False) -> SurveyVersion:
    """The designer's questionnaire as the survey's current one: in place while no answers use the current
    version, else as the next version. Refused when answers already given would no longer fit (a question
    answered changes type, an option or matrix row chosen loses its code), or a question answered is left out
    without `drop_answered` (the person confirmed it)."""
    check_questionnaire(form)
    with ws.transaction("survey.design") as s:
        survey = resolve_survey(s, survey_key)
        version = current_version(s, survey.id)
        problems, dropped = _orphans(s, survey.id, form)
        if problems:
            raise UserError("这样改会让已录入的答卷对不上题目，没有保存：", details=problems[:10] + [
                "已有答卷的题目可以改文字、加选项；要问新的内容，请新增一道题（新的题号）。"])
        if dropped and not drop_answered:
            raise DropsAnswers(f"{'、'.join(dropped)}已有答卷，删掉后这些回答不再统计。确实要删除，请确认后再保存。")
        return _revise(s, version, form)


def _orphans(s: Session, survey_id: str, form: Questionnaire) -> tuple[list[str], list[str]]:
    """What existing answers would lose under `form`: (problems, answered questions left out)."""
    forms = {v.id: Questionnaire.from_json(v.definition) for v in versions(s, survey_id)}
    used: dict[str, dict] = {}  # question code → {"type": …, "codes": set, "rows": set, "count": n}
    for version_id, answers_json in s.exec(select(SurveyResponse.version_id, SurveyResponse.answers).where(
            SurveyResponse.survey_id == survey_id, SurveyResponse.deleted == False)):  # noqa: E712
        old_form = forms.get(version_id)
        for code, answer in json.loads(answers_json).items():
            old = old_form.question(code) if old_form else None
            if old is None or "x" in answer:
                continue
            seen = used.setdefault(code, {"type": old.type, "codes": set(), "rows": set(), "count": 0,
                                          "label": old.number or code})
            seen["codes"].update(answer.get("c", []))
            seen["codes"].update(answer.get("m", {}).values())
            seen["rows"].update(int(r) for r in answer.get("m", {}))
            seen["count"] += 1
    problems, dropped = [], []
    for code, seen in used.items():
        q = form.question(code)
        where = f"第 {seen['label']} 题（{seen['count']} 份答卷回答了它）"
        if q is None:
            dropped.append(f"第 {seen['label']} 题")
            continue
        if q.type != seen["type"]:
            problems.append(f"{where}不能从{TYPE_NAMES[seen['type']]}改成{TYPE_NAMES[q.type]}")
        missing = sorted(c for c in seen["codes"] if q.option(c) is None)
        if missing:
            problems.append(f"{where}的选项代码 {'、'.join(map(str, missing))} 已被选过，不能删除或改代码")
        rows = sorted(r for r in seen["rows"] if q.row(r) is None)
        if rows:
            problems.append(f"{where}的第 {'、'.join(map(str, rows))} 行已有回答，不能删除")
    return problems, dropped


def import_file(ws, path: Path, *, survey: str | None = None, project: str | None = None,
                site: str | None = None, name: str | None = None, dry_run: bool = False,
                types: dict[str, str] | None = None) -> ImportSummary:
    """Import the export at `path` into `survey` (id or name), or into a new survey made from its headers
    (`types`: the user's corrections of the guessed question types, question code → type)."""
    try:
        with collection_paused():  # 10,000 rows of 20 answers: hundreds of thousands of small objects
            return _import(ws, path, survey, project, site, name, dry_run, types)
    except _DryRun as done:
        return done.summary


def _import(ws, path: Path, survey: str | None, project: str | None, site: str | None, name: str | None,
            dry_run: bool, types: dict[str, str] | None) -> ImportSummary:
    export = parse_export(read_table(path), path)
    source_label = f"{export.source} {export.layout}" if export.source == "问卷星" else export.source
    with ws.transaction("survey.import") as s:
        site_id = None
        if survey:
            target = resolve_survey(s, survey)
            if project and resolve_project(s, project).id != target.project_id:  # answers never cross projects
                owner = s.get(Project, target.project_id)
                raise UserError(f"调查“{target.name}”属于项目“{owner.name if owner else '?'}”，不属于“{project}”。"
                                "没有导入任何答卷。请选这个项目里的调查（survey list 可查看），或不指定项目。")
            version = current_version(s, target.id)
            form = Questionnaire.from_json(version.definition)
            created = False
            pairs = match_questions(export, form, version.origin)
            added = unseen_options(export, pairs) if version.origin in EXPORT_ORIGINS else {}
            if added:  # the questionnaire was guessed from an earlier export that had not shown these options yet
                form = with_options(form, added)
                version = _revise(s, version, form)
                pairs = match_questions(export, form, version.origin)
        else:
            project_id = _project_for_new(s, project)
            title = name or export.title or _stem_title(path)
            form = infer_questionnaire(export, title, types)
            check_questionnaire(form)
            target = _new_survey(s, _free_name(s, title), project_id, form, origin=source_label.replace(" ", ""),
                                 method="网络征集" if export.source else "")
            version = current_version(s, target.id)
            created, added = True, {}
            pairs = list(zip(export.groups, form.questions, strict=True))
        if site:
            site_id = _site_of(s, target.project_id, site)
        plan = plan_rows(export, pairs)
        summary = ImportSummary(target.id, target.name, source_label, created, form, refused=list(plan.refused),
                                dry_run=dry_run, added={form.question(c).number or c: labels
                                                        for c, labels in (added if not created else {}).items()},
                                version=version.number)
        known = {no: answers for no, answers in s.exec(
            select(SurveyResponse.source_no, SurveyResponse.answers).where(
                SurveyResponse.survey_id == target.id, SurveyResponse.source == export.source,
                SurveyResponse.deleted == False))}  # noqa: E712
        rows, operator = [], operator_name()
        for planned in plan.responses:
            answers = planned.text
            earlier = known.get(planned.meta.source_no)
            if earlier is not None:
                if earlier == answers:
                    summary.existing += 1
                else:
                    summary.refused.append((planned.meta.row, f"编号 {planned.meta.source_no} 的答卷已导入过，"
                                                              "但内容和这次的不同；保留了已导入的那份，没有覆盖"))
                continue
            rows.append({"survey_id": target.id, "version_id": version.id, "source": export.source,
                         "source_no": planned.meta.source_no, "site_id": site_id, "entered_by": operator,
                         "submitted_at": planned.meta.submitted_at, "seconds": planned.meta.seconds,
                         "answers": answers, "import_file": path.name[:200]})
        summary.refused.sort()
        summary.new = len(rows)
        if dry_run:
            raise _DryRun(summary)  # rolls the transaction back: the new survey too
        if rows:
            s.execute(insert(SurveyResponse.__table__), rows)  # Core executemany: journalled all the same
    return summary


class _DryRun(Exception):
    def __init__(self, summary: ImportSummary):
        super().__init__("dry run")
        self.summary = summary


def _revise(s: Session, version: SurveyVersion, form: Questionnaire) -> SurveyVersion:
    """`form` as the survey's questionnaire: in place while no answers use the version, else as the next
    version (a version with answers is frozen)."""
    check_questionnaire(form)
    used = s.exec(select(SurveyResponse.id).where(SurveyResponse.version_id == version.id)).first()
    if used is None:
        version.definition = form.to_json()
        return version
    revised = SurveyVersion(survey_id=version.survey_id, number=version.number + 1, definition=form.to_json(),
                            origin=version.origin)
    s.add(revised)
    s.flush()
    return revised


def _new_survey(s: Session, name: str, project_id: str, form: Questionnaire, origin: str, method: str) -> Survey:
    name = check_text("调查名称", name, NAME_MAX)
    if name_taken(s, Survey, name):
        raise UserError(f"已经有名为“{name}”的需求调查了。请换一个名称，或在原调查里继续录入和导入。")
    survey = Survey(name=name, project_id=project_id, method=method)
    s.add(survey)
    s.flush()
    s.add(SurveyVersion(survey_id=survey.id, number=1, definition=form.to_json(), origin=origin))
    s.flush()
    return survey


def _project_for_new(s: Session, project: str | None) -> str:
    if project:
        return resolve_project(s, project).id
    projects = list_projects(s)
    if len(projects) == 1:
        return projects[0].id
    if not projects:
        raise UserError("需求调查要属于一个试点项目，但还没有项目。请先在“项目”页（或用 project add）新增项目。")
    raise UserError("有多个项目，请指明这份调查属于哪个项目（命令行加 --project 项目名称；project list 可查看）。")


def _site_of(s: Session, project_id: str, site: str) -> str:
    from desktop_app.core.queries.projects import project_sites

    for row in project_sites(s, project_id):
        if site in (row.id, row.name):
            return row.id
    project = s.get(Project, project_id)
    raise UserError(f"项目“{project.name}”里没有试点村(社区)“{site}”。请在“项目”页查看或添加试点村(社区)。")


def _free_name(s: Session, title: str) -> str:
    title = title.strip()[:NAME_MAX - 4] or "导入的问卷"
    name, n = title, 2
    while name_taken(s, Survey, name):
        name, n = f"{title}（{n}）", n + 1
    return name


def _stem_title(path: Path) -> str:
    return path.stem.replace("_", " ").strip()

"""Surveys as the page, the CLI and the report read them."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import Project, Survey, SurveyResponse, SurveyVersion


@dataclass
class SurveyRow:
    id: str
    name: str
    project: str
    versions: int
    responses: int
    office_id: str = ""  # the owning office (a county's views show it)


def list_surveys(s: Session, office_id: str | None = None) -> list[SurveyRow]:
    """Every survey (of one office when `office_id` is given: a county's office filter), oldest first."""
    counts = dict(s.exec(select(SurveyResponse.survey_id, func.count()).where(SurveyResponse.deleted == False,  # noqa: E712
                                                                             SurveyResponse.entry_pass == 0)
                         .group_by(SurveyResponse.survey_id)).all())
    versions = dict(s.exec(select(SurveyVersion.survey_id, func.count()).where(SurveyVersion.deleted == False)  # noqa: E712
                           .group_by(SurveyVersion.survey_id)).all())
    query = select(Survey, Project.name).join(Project, Project.id == Survey.project_id).where(Survey.deleted == False)  # noqa: E712
    if office_id:
        query = query.where(Survey.office_id == office_id)
    return [SurveyRow(sv.id, sv.name, project, versions.get(sv.id, 0), counts.get(sv.id, 0), sv.office_id)
            for sv, project in s.exec(query.order_by(Survey.created_at))]


def resolve_survey(s: Session, key: str) -> Survey:
    """A survey by id or exact name."""
    survey = s.get(Survey, key)
    if survey is None or survey.deleted:
        survey = s.exec(select(Survey).where(Survey.name == key.strip(), Survey.deleted == False)).first()  # noqa: E712
    if survey is None:
        raise UserError(f"找不到需求调查“{key}”。请用 survey list 查看调查的名称或编号。")
    return survey


def current_version(s: Session, survey_id: str) -> SurveyVersion:
    version = s.exec(select(SurveyVersion).where(SurveyVersion.survey_id == survey_id,
                                                 SurveyVersion.deleted == False)  # noqa: E712
                     .order_by(SurveyVersion.number.desc())).first()
    if version is None:
        raise UserError("这份需求调查还没有问卷。请先在“需求调查”页设计问卷或从模板新建。")
    return version


def versions(s: Session, survey_id: str) -> list[SurveyVersion]:
    return list(s.exec(select(SurveyVersion).where(SurveyVersion.survey_id == survey_id,
                                                   SurveyVersion.deleted == False)  # noqa: E712
                       .order_by(SurveyVersion.number)))


def responses(s: Session, survey_id: str) -> list[SurveyResponse]:
    """The final responses (double entry's two passes left out until settled)."""
    return list(s.exec(select(SurveyResponse).where(SurveyResponse.survey_id == survey_id,
                                                    SurveyResponse.entry_pass == 0,
                                                    SurveyResponse.deleted == False)  # noqa: E712
                       .order_by(SurveyResponse.created_at, SurveyResponse.source_no)))

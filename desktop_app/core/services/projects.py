"""Projects (试点项目) with leaders, sites and budget lines; community funds with their committee."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import BudgetLine, CommitteeMember, Fund, Project, ProjectLeader, Site
from desktop_app.core.money import to_fen
from desktop_app.core.validation import NameCheck, check_division_code, check_fund_name


@dataclass
class LeaderInput:
    name: str
    role: str = ""
    phone: str = ""


@dataclass
class SiteInput:
    name: str
    division_code: str = ""


@dataclass
class ProjectInput:
    name: str
    start_date: date
    end_date: date
    budget: Decimal
    goals: str = ""
    completion: str = ""
    leaders: list[LeaderInput] = field(default_factory=list)
    sites: list[SiteInput] = field(default_factory=list)
    budget_lines: dict[str, Decimal] = field(default_factory=dict)


def add_project(ws, data: ProjectInput) -> Project:
    name = (data.name or "").strip()
    if not name:
        raise UserError("请填写项目名称。")
    if data.end_date < data.start_date:
        raise UserError(f"项目结束日期 {data.end_date} 早于开始日期 {data.start_date}。请检查项目周期。")
    for site in data.sites:
        if site.division_code:
            check_division_code(site.division_code)
    lines_total = sum(data.budget_lines.values(), Decimal(0))
    if data.budget_lines and lines_total > data.budget:
        raise UserError(f"预算明细合计 {lines_total} 元超过了项目总预算 {data.budget} 元。请调整预算明细。")
    with ws.transaction() as s:
        if s.exec(select(Project).where(Project.name == name, Project.deleted == False)).first():  # noqa: E712
            raise UserError(f"项目“{name}”已经存在。请换一个名称，或在“项目”页修改已有项目。")
        project = Project(name=name, goals=data.goals, start_date=data.start_date, end_date=data.end_date,
                          budget_fen=to_fen(data.budget), completion=data.completion)
        s.add(project)
        s.flush()
        for i, leader in enumerate(data.leaders):
            s.add(ProjectLeader(project_id=project.id, name=leader.name, role=leader.role, phone=leader.phone,
                                position=i))
        for i, site in enumerate(data.sites):
            s.add(Site(project_id=project.id, name=site.name, division_code=site.division_code, position=i))
        for category, amount in data.budget_lines.items():
            s.add(BudgetLine(project_id=project.id, category=category, amount_fen=to_fen(amount)))
    return project


def list_projects(session: Session) -> list[Project]:
    return list(session.exec(select(Project).where(Project.deleted == False).order_by(Project.start_date)))  # noqa: E712


def project_leaders(session: Session, project_id: str) -> list[ProjectLeader]:
    return list(session.exec(select(ProjectLeader).where(ProjectLeader.project_id == project_id,
                                                         ProjectLeader.deleted == False)  # noqa: E712
                             .order_by(ProjectLeader.position)))


def project_sites(session: Session, project_id: str) -> list[Site]:
    return list(session.exec(select(Site).where(Site.project_id == project_id, Site.deleted == False)  # noqa: E712
                             .order_by(Site.position)))


def resolve_project(session: Session, key: str) -> Project:
    project = session.get(Project, key)
    if project is None:
        project = session.exec(select(Project).where(Project.name == key, Project.deleted == False)).first()  # noqa: E712
    if project is None or project.deleted:
        raise UserError(f"找不到项目“{key}”。请用 project list 查看项目名称或编号。")
    return project


@dataclass
class FundInput:
    name: str
    project_id: str | None = None
    association_name: str = ""
    agreement_no: str = ""
    agreement_date: date | None = None
    purpose: str = ""
    committee: list[tuple[str, str, bool]] = field(default_factory=list)  # (name, role, is_supervisor)


def add_fund(ws, data: FundInput) -> tuple[Fund, NameCheck]:
    """Create a fund. The naming convention is checked and explained, never enforced."""
    name = (data.name or "").strip()
    if not name:
        raise UserError("请填写社区基金名称，例如“万源市慈善会八台镇尚善社区基金”。")
    office = ws.local_office()
    association = data.association_name or office.association_name
    check = check_fund_name(name, association)
    with ws.transaction() as s:
        if s.exec(select(Fund).where(Fund.name == name, Fund.deleted == False)).first():  # noqa: E712
            raise UserError(f"社区基金“{name}”已经存在。")
        if data.project_id and s.get(Project, data.project_id) is None:
            raise UserError("所选项目不存在。")
        fund = Fund(name=name, project_id=data.project_id, association_name=association,
                    agreement_no=data.agreement_no, agreement_date=data.agreement_date, purpose=data.purpose)
        s.add(fund)
        s.flush()
        for member, role, supervisor in data.committee:
            s.add(CommitteeMember(fund_id=fund.id, name=member, role=role, is_supervisor=supervisor))
    return fund, check


def list_funds(session: Session) -> list[Fund]:
    return list(session.exec(select(Fund).where(Fund.deleted == False).order_by(Fund.created_at)))  # noqa: E712


def committee(session: Session, fund_id: str) -> list[CommitteeMember]:
    return list(session.exec(select(CommitteeMember).where(CommitteeMember.fund_id == fund_id,
                                                           CommitteeMember.deleted == False)))  # noqa: E712


def resolve_fund(session: Session, key: str) -> Fund:
    """A fund by id or exact name."""
    fund = session.get(Fund, key)
    if fund is None:
        fund = session.exec(select(Fund).where(Fund.name == (key or "").strip(), Fund.deleted == False)).first()  # noqa: E712
    if fund is None or fund.deleted:
        raise UserError(f"找不到社区基金“{key}”。请用 fund list 查看基金名称或编号。")
    return fund

"""Projects (试点项目) with leaders, sites and budget lines; community funds with their committee.

Adding and editing share one set of checks per kind (`_check_project`, `_check_fund`) and one way of
writing child rows (`sync_children`): an edit updates matching rows in place and tombstones the rest.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import (
    FUND_STATUSES,
    PROJECT_STATUSES,
    BudgetLine,
    CommitteeMember,
    Fund,
    LedgerEntry,
    Project,
    ProjectLeader,
    Site,
)
from desktop_app.core.money import from_fen, to_fen
from desktop_app.core.queries.projects import budget_lines, committee, project_leaders, project_sites
from desktop_app.core.storage.records import assign, live, name_taken, sync_children
from desktop_app.core.validation import NameCheck, check_division_code, check_fund_name, check_text

NAME_MAX = 100  # a project, site or fund name
TEXT_MAX = 5000  # goals, completion: they print in the notice (its edits allow as much)
PURPOSE_MAX = 2000
PERSON_MAX, ROLE_MAX, PHONE_MAX, AGREEMENT_MAX, ASSOCIATION_MAX = 50, 50, 30, 50, 60


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
    data = clean_project(data)
    with ws.transaction("project.add") as s:
        name = _check_project(s, data)
        project = Project(**_project_values(name, data))
        s.add(project)
        s.flush()
        _write_project_children(s, project.id, data)
    return project


def update_project(ws, project_id: str, data: ProjectInput, *, status: str | None = None) -> Project:
    """Replace everything about a project in one transaction: its own fields, status, leaders, sites and
    budget lines. Child rows that go away are tombstoned; unchanged rows are left as they are."""
    if status is not None:
        _check_choice(status, PROJECT_STATUSES, "项目状态")
    data = clean_project(data)
    with ws.transaction("project.update") as s:
        project = live(s, Project, project_id, "项目", "project list")
        name = _check_project(s, data, project_id=project.id)
        if (data.start_date, data.end_date) != (project.start_date, project.end_date):
            span = _posted_span(s, Fund.project_id == project.id, Fund.deleted == False)  # noqa: E712
            if span and not (data.start_date <= span[0] and span[1] <= data.end_date):
                raise UserError(
                    f"项目周期 {data.start_date} 至 {data.end_date} 没有包含本项目基金已记账的全部分录"
                    f"（最早 {span[0]}，最晚 {span[1]}）。请把开始日期设在 {span[0]} 或之前、结束日期设在 "
                    f"{span[1]} 或之后；已记账的分录不能改日期。")
        assign(project, _project_values(name, data) | ({"status": status} if status is not None else {}))
        _write_project_children(s, project.id, data)
    return project


def _project_values(name: str, data: ProjectInput) -> dict:
    return {"name": name, "goals": data.goals, "start_date": data.start_date,
            "end_date": data.end_date, "budget_fen": to_fen(data.budget), "completion": data.completion}


def clean_project(data: ProjectInput) -> ProjectInput:
    """Every text of a project through the one text check (validation.check_text): cleaned, or refused."""
    return replace(
        data, name=check_text("项目名称", data.name, NAME_MAX),
        goals=check_text("项目主要内容和绩效目标", data.goals, TEXT_MAX, multiline=True),
        completion=check_text("项目完成情况", data.completion, TEXT_MAX, multiline=True),
        leaders=[LeaderInput(check_text(f"第 {i} 位负责人的姓名", x.name, PERSON_MAX),
                             check_text(f"第 {i} 位负责人的职务或单位", x.role, ROLE_MAX),
                             check_text(f"第 {i} 位负责人的电话", x.phone, PHONE_MAX))
                 for i, x in enumerate(data.leaders, 1)],
        sites=[SiteInput(check_text(f"第 {i} 个试点村（社区）的名称", x.name, NAME_MAX),
                         check_text(f"第 {i} 个试点村（社区）的区划代码", x.division_code, 30))
               for i, x in enumerate(data.sites, 1)],
        budget_lines={check_text("预算明细的业务类别", category, NAME_MAX): amount
                      for category, amount in data.budget_lines.items()})


def _check_project(s: Session, data: ProjectInput, *, project_id: str | None = None) -> str:
    """The rules every new or edited project obeys; returns the cleaned name."""
    name = data.name  # cleaned (clean_project)
    if not name:
        raise UserError("请填写项目名称。")
    if data.end_date < data.start_date:
        raise UserError(f"项目结束日期 {data.end_date} 早于开始日期 {data.start_date}。请检查项目周期。")
    if data.budget < 0:
        raise UserError("项目总预算不能是负数。请填写 0 或正数。")
    for i, leader in enumerate(data.leaders, 1):
        if not (leader.name or "").strip():
            raise UserError(f"第 {i} 位负责人缺少姓名。请补上姓名，或删去这一行。")
    for i, site in enumerate(data.sites, 1):
        if not (site.name or "").strip():
            raise UserError(f"第 {i} 个试点村（社区）缺少名称。请补上名称，或删去这一行。")
        if site.division_code:
            check_division_code(site.division_code)
    for category, amount in data.budget_lines.items():
        if not (category or "").strip():
            raise UserError("预算明细中有一项缺少业务类别。请补上类别，或删去这一项。")
        if amount < 0:
            raise UserError(f"预算明细“{category}”的金额不能是负数。请改为 0 或正数。")
    lines_total = sum(data.budget_lines.values(), Decimal(0))
    if data.budget_lines and lines_total > data.budget:
        raise UserError(f"预算明细合计 {lines_total} 元超过了项目总预算 {data.budget} 元。请调整预算明细。")
    if name_taken(s, Project, name, other_than=project_id):
        raise UserError(f"项目“{name}”已经存在。请换一个名称，或在“项目”页修改已有项目。")
    return name


def _write_project_children(s: Session, project_id: str, data: ProjectInput) -> None:
    sync_children(s, ProjectLeader, project_leaders(s, project_id), "name", [
        {"project_id": project_id, "name": x.name.strip(), "role": (x.role or "").strip(),
         "phone": (x.phone or "").strip(), "position": i} for i, x in enumerate(data.leaders)])
    sync_children(s, Site, project_sites(s, project_id), "name", [
        {"project_id": project_id, "name": x.name.strip(),
         "division_code": check_division_code(x.division_code) if x.division_code else "", "position": i}
        for i, x in enumerate(data.sites)])
    sync_children(s, BudgetLine, budget_lines(s, project_id), "category", [
        {"project_id": project_id, "category": category.strip(), "amount_fen": to_fen(amount)}
        for category, amount in data.budget_lines.items()])


# ------------------------------------------------------------------ shared helpers


def _check_choice(value: str, choices: tuple[str, ...], what: str) -> None:
    if value not in choices:
        raise UserError(f"{what}“{value}”不对，应为：{'、'.join(choices)}。")


def _posted_span(s: Session, *where) -> tuple[date, date] | None:
    """Earliest and latest date of the posted entries of the funds matching `where`."""
    first, last = s.exec(select(func.min(LedgerEntry.entry_date), func.max(LedgerEntry.entry_date))
                         .join(Fund, Fund.id == LedgerEntry.fund_id)
                         .where(LedgerEntry.status == "posted", LedgerEntry.deleted == False, *where)).one()  # noqa: E712
    return (first, last) if first is not None else None


def project_input(session: Session, project: Project) -> ProjectInput:
    """A project as the form and the CLI edit it (status apart: it is passed on its own)."""
    return ProjectInput(
        name=project.name, start_date=project.start_date, end_date=project.end_date,
        budget=from_fen(project.budget_fen), goals=project.goals, completion=project.completion,
        leaders=[LeaderInput(x.name, x.role, x.phone) for x in project_leaders(session, project.id)],
        sites=[SiteInput(x.name, x.division_code) for x in project_sites(session, project.id)],
        budget_lines={x.category: from_fen(x.amount_fen) for x in budget_lines(session, project.id)})


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
    data = clean_fund(data)
    association = data.association_name or ws.local_office().association_name
    with ws.transaction("fund.add") as s:
        name = _check_fund(s, data)
        fund = Fund(**_fund_values(name, association, data))
        s.add(fund)
        s.flush()
        _write_committee(s, fund.id, data)
    return fund, check_fund_name(name, association)


def update_fund(ws, fund_id: str, data: FundInput, *, status: str | None = None) -> tuple[Fund, NameCheck]:
    """Replace a fund's name, project, agreement, purpose, status and committee in one transaction.
    A fund with posted entries may be renamed (entries refer to it by id); its hash chain is untouched."""
    if status is not None:
        _check_choice(status, FUND_STATUSES, "基金状态")
    data = clean_fund(data)
    with ws.transaction("fund.update") as s:
        fund = live(s, Fund, fund_id, "社区基金", "fund list")
        name = _check_fund(s, data, fund_id=fund.id)
        if data.project_id and data.project_id != fund.project_id:
            project = s.get(Project, data.project_id)
            span = _posted_span(s, LedgerEntry.fund_id == fund.id)
            if span and not (project.start_date <= span[0] and span[1] <= project.end_date):
                raise UserError(
                    f"社区基金“{fund.name}”已有记账分录在 {span[0]} 至 {span[1]} 之间，超出了项目“{project.name}”的周期"
                    f"（{project.start_date} 至 {project.end_date}）。请先在“项目”页调整项目周期，或选择其他项目。")
        association = data.association_name or fund.association_name
        assign(fund, _fund_values(name, association, data) | ({"status": status} if status is not None else {}))
        _write_committee(s, fund.id, data)
    return fund, check_fund_name(name, association)


def _fund_values(name: str, association: str, data: FundInput) -> dict:
    """The fund's own fields a user edits (never the hash-chain head)."""
    return {"name": name, "project_id": data.project_id or None, "association_name": association,
            "agreement_no": data.agreement_no, "agreement_date": data.agreement_date, "purpose": data.purpose}


def clean_fund(data: FundInput) -> FundInput:
    """Every text of a fund through the one text check (validation.check_text): cleaned, or refused."""
    return replace(
        data, name=check_text("社区基金名称", data.name, NAME_MAX),
        association_name=check_text("设立基金的慈善组织名称", data.association_name, ASSOCIATION_MAX),
        agreement_no=check_text("设立协议编号", data.agreement_no, AGREEMENT_MAX),
        purpose=check_text("基金用途", data.purpose, PURPOSE_MAX, multiline=True),
        committee=[(check_text(f"管委会第 {i} 位成员的姓名", member, PERSON_MAX),
                    check_text(f"管委会第 {i} 位成员的职务", role, ROLE_MAX), supervisor)
                   for i, (member, role, supervisor) in enumerate(data.committee, 1)])


def _check_fund(s: Session, data: FundInput, *, fund_id: str | None = None) -> str:
    """The rules every new or edited fund obeys; returns the cleaned name."""
    name = data.name  # cleaned (clean_fund)
    if not name:
        raise UserError("请填写社区基金名称，例如“万源市慈善会八台镇尚善社区基金”。")
    for i, (member, _role, _supervisor) in enumerate(data.committee, 1):
        if not (member or "").strip():
            raise UserError(f"管委会第 {i} 位成员缺少姓名。请补上姓名，或删去这一行。")
    if name_taken(s, Fund, name, other_than=fund_id):
        raise UserError(f"社区基金“{name}”已经存在。请换一个名称，或在“社区基金”页修改已有基金。")
    if data.project_id:
        project = s.get(Project, data.project_id)
        if project is None or project.deleted:
            raise UserError("所选项目不存在（可能已被删除）。请重新选择所属项目。")
    return name


def _write_committee(s: Session, fund_id: str, data: FundInput) -> None:
    sync_children(s, CommitteeMember, committee(s, fund_id), "name", [
        {"fund_id": fund_id, "name": member.strip(), "role": (role or "").strip(), "is_supervisor": bool(supervisor)}
        for member, role, supervisor in data.committee])


def fund_input(session: Session, fund: Fund) -> FundInput:
    """A fund as the form and the CLI edit it (status apart: it is passed on its own)."""
    return FundInput(name=fund.name, project_id=fund.project_id, association_name=fund.association_name,
                     agreement_no=fund.agreement_no, agreement_date=fund.agreement_date, purpose=fund.purpose,
                     committee=[(m.name, m.role, m.is_supervisor) for m in committee(session, fund.id)])



"""Projects and community funds as the pages, the CLI and the exports list them."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import (
    BudgetLine,
    ClosedMonth,
    CommitteeMember,
    Fund,
    LedgerEntry,
    Project,
    ProjectLeader,
    Site,
)
from desktop_app.core.months import month_key


def list_projects(session: Session) -> list[Project]:
    return list(session.exec(select(Project).where(Project.deleted == False).order_by(Project.start_date)))  # noqa: E712


def project_choices(session: Session) -> list[tuple[str, str]]:
    """Every project as (id, name), in the order of `list_projects`: for a project combo or a choice list."""
    return [(p.id, p.name) for p in list_projects(session)]


def project_leaders(session: Session, project_id: str) -> list[ProjectLeader]:
    return list(session.exec(select(ProjectLeader).where(ProjectLeader.project_id == project_id,
                                                         ProjectLeader.deleted == False)  # noqa: E712
                             .order_by(ProjectLeader.position)))


def project_sites(session: Session, project_id: str) -> list[Site]:
    return list(session.exec(select(Site).where(Site.project_id == project_id, Site.deleted == False)  # noqa: E712
                             .order_by(Site.position)))


def budget_lines(session: Session, project_id: str) -> list[BudgetLine]:
    return list(session.exec(select(BudgetLine).where(BudgetLine.project_id == project_id,
                                                      BudgetLine.deleted == False)  # noqa: E712
                             .order_by(BudgetLine.created_at)))


def resolve_project(session: Session, key: str) -> Project:
    project = session.get(Project, key)
    if project is None:
        project = session.exec(select(Project).where(Project.name == key, Project.deleted == False)).first()  # noqa: E712
    if project is None or project.deleted:
        raise UserError(f"找不到项目“{key}”。请用 project list 查看项目名称或编号。")
    return project


def list_funds(session: Session, office_id: str | None = None) -> list[Fund]:
    """Every live fund, oldest first; of one office only when `office_id` is given (a county's office filter)."""
    query = select(Fund).where(Fund.deleted == False)  # noqa: E712
    if office_id:
        query = query.where(Fund.office_id == office_id)
    return list(session.exec(query.order_by(Fund.created_at)))


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


@dataclass(frozen=True)
class FundBalance:
    income_fen: int
    expense_fen: int
    unrestricted_fen: int
    restricted_fen: dict[str, int]

    @property
    def balance_fen(self) -> int:
        return self.income_fen - self.expense_fen

    @property
    def restricted_total_fen(self) -> int:
        return sum(self.restricted_fen.values())


def fund_balance(session: Session, fund_id: str) -> FundBalance:
    """Balances over posted entries; reversals carry negative amounts so they net out."""
    rows = session.exec(
        select(LedgerEntry.flow, LedgerEntry.restriction, func.sum(LedgerEntry.amount_fen))
        .where(LedgerEntry.fund_id == fund_id, LedgerEntry.status == "posted", LedgerEntry.deleted == False)  # noqa: E712
        .group_by(LedgerEntry.flow, LedgerEntry.restriction)
    ).all()
    income = expense = 0
    buckets: dict[str, int] = defaultdict(int)
    for flow, restriction, total in rows:
        total = int(total or 0)
        sign = 1 if flow == "in" else -1
        if flow == "in":
            income += total
        else:
            expense += total
        buckets[restriction or ""] += sign * total
    unrestricted = buckets.pop("", 0)
    return FundBalance(income, expense, unrestricted, dict(buckets))


def closed_through(session: Session, fund_id: str) -> str | None:
    """The last closed month (YYYY-MM) of a fund: it and every month before it take no more postings."""
    return session.exec(select(func.max(ClosedMonth.month)).where(
        ClosedMonth.fund_id == fund_id, ClosedMonth.deleted == False)).one()  # noqa: E712


def closed_months(session: Session, fund_id: str) -> list[str]:
    return sorted(session.exec(select(ClosedMonth.month).where(ClosedMonth.fund_id == fund_id,
                                                               ClosedMonth.deleted == False)))  # noqa: E712


def month_closed(session: Session, fund_id: str, day: date) -> bool:
    last = closed_through(session, fund_id)
    return last is not None and month_key(day) <= last


def project_funds(session: Session, project_id: str) -> list[Fund]:
    """The project's live funds, oldest first (the order of the per-fund tables)."""
    return list(session.exec(select(Fund).where(Fund.project_id == project_id, Fund.deleted == False)  # noqa: E712
                             .order_by(Fund.created_at)))

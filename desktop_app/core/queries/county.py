"""County mode: the indicators of seeds 000 and 003 per office (the county's own and every enrolled
township's) for a period, with a total row — what the county 概览 shows and the June/November progress
report (`exports/county_report.py`) prints.

Each figure comes from the existing queries, narrowed to one office: the office's funds
(`reports.period_totals` per fund), its projects' activities (`activities.activity_stats` per project), its
charity spaces and their six haves (`spaces.haves_met`), its surveys and its published notices. The
disclosure clock lives with the notices, a layer above: the caller passes `disclosure`
(`notices.clock.office_disclosure`: which of the period's notices came late, which are overdue); without it
those columns stay 0 and empty. Money stays integer fen in the rows; the
`*_yuan` properties give exact Decimal yuan. Only counts of people appear, never a person.

The sync columns (last package, its date, missing numbers) come through `sync`: a mapping office id →
`SyncState`. By default it is read from the county's package register (`queries.sync.county_status`); a
caller may pass its own (or an empty mapping), and an office without an entry shows “—”.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import SIX_HAVES, Notice, Survey, SurveyResponse
from desktop_app.core.money import from_fen
from desktop_app.core.quantities import hours_from_minutes
from desktop_app.core.queries.activities import ActivityFilter, activity_stats
from desktop_app.core.queries.offices import OfficeRow, list_offices
from desktop_app.core.queries.projects import list_funds, list_projects
from desktop_app.core.queries.reports import period_totals
from desktop_app.core.queries.spaces import haves_met, list_spaces
from desktop_app.core.storage.identity import is_county, local_office

SPACES_TARGET = 5  # seed 003: 社区慈善阵地 per county (县、市、区) by the end of 2027
NONE = "—"
_EPOCH = date(1, 1, 1)  # balances at a period's end: everything posted up to it


@dataclass(frozen=True)
class SyncState:
    """One township's packages as the county holds them."""

    last_number: int  # the last package applied (0: none yet)
    last_date: str  # when it was made (YYYY-MM-DD), "" when none
    missing: tuple[int, ...] = ()  # numbers skipped: a later one arrived and is held

    @property
    def last_text(self) -> str:
        if not self.last_number:
            return NONE
        return f"第 {self.last_number} 号" + (f"（{self.last_date}）" if self.last_date else "")

    @property
    def missing_text(self) -> str:
        return "、".join(f"第 {n} 号" for n in self.missing) if self.missing else "无"


SyncStates = Mapping[str, SyncState]  # office id → its packages
# (session, office id, the office's notices published in the period, the day the clock is read on)
#   → (how many of them came late, the office's notices overdue that day: `notices.clock.DueNotice`s)
Disclosure = Callable[[Session, str, list[Notice], date], tuple[int, list]]


@dataclass(frozen=True)
class SpaceState:
    name: str
    haves: int  # how many of the six haves are met

    @property
    def complete(self) -> bool:
        return self.haves == len(SIX_HAVES)


@dataclass(frozen=True)
class FundMoney:
    """One community fund's money in the period."""

    office_id: str
    office: str
    name: str
    project: str
    income_fen: int  # posted in the period
    expense_fen: int
    balance_fen: int  # at the period's end


@dataclass
class OfficeIndicators:
    """The indicators of one office (or, with `total`, of all of them) for a period."""

    office_id: str
    name: str
    division_code: str = ""
    local: bool = False  # the county association's own records
    total: bool = False
    funds: int = 0
    income_fen: int = 0
    expense_fen: int = 0
    balance_fen: int = 0
    budget_fen: int = 0  # the office's projects' budgets
    spent_fen: int = 0  # posted expenses of the projects' funds up to the period's end
    activities: int = 0
    participants: int = 0
    volunteers: int = 0  # volunteer turns (人次)
    volunteer_minutes: int = 0
    beneficiaries: dict[str, int] = field(default_factory=dict)  # group → people reached (人次)
    spaces: list[SpaceState] = field(default_factory=list)
    surveys: int = 0
    responses: int = 0
    notices: int = 0  # published in the period
    notices_late: int = 0  # of them, published after a notice of their project was overdue
    overdue: list = field(default_factory=list)  # overdue at the period's end (or today)
    sync: SyncState | None = None
    published: list[Notice] = field(default_factory=list, repr=False)  # the notices published in the period

    @property
    def notices_on_time(self) -> int:
        return self.notices - self.notices_late

    @property
    def beneficiaries_total(self) -> int:
        return sum(self.beneficiaries.values())

    @property
    def volunteer_hours(self) -> Decimal:
        return hours_from_minutes(self.volunteer_minutes)

    @property
    def spaces_complete(self) -> int:
        return sum(1 for s in self.spaces if s.complete)

    @property
    def income_yuan(self) -> Decimal:
        return from_fen(self.income_fen)

    @property
    def expense_yuan(self) -> Decimal:
        return from_fen(self.expense_fen)

    @property
    def balance_yuan(self) -> Decimal:
        return from_fen(self.balance_fen)

    @property
    def budget_yuan(self) -> Decimal:
        return from_fen(self.budget_fen)

    @property
    def spent_yuan(self) -> Decimal:
        return from_fen(self.spent_fen)

    @property
    def spent_percent(self) -> Decimal | None:
        """Spending against budget as a percent with one decimal (a ratio, not money); None without a budget."""
        if not self.budget_fen:
            return None
        return (Decimal(self.spent_fen) * 100 / Decimal(self.budget_fen)).quantize(Decimal("0.1"))

    @property
    def last_package(self) -> str:
        return self.sync.last_text if self.sync else NONE

    @property
    def missing_packages(self) -> str:
        return self.sync.missing_text if self.sync else NONE


@dataclass(frozen=True)
class CountyIndicators:
    county: str  # the county association's name
    date_from: date
    date_to: date
    as_of: date  # the day the disclosure clock is read on: the period's end, or today if sooner
    offices: list[OfficeIndicators]
    total: OfficeIndicators
    funds: list[FundMoney]

    @property
    def groups(self) -> list[str]:
        """The beneficiary groups met, most people first."""
        return sorted(self.total.beneficiaries, key=lambda g: (-self.total.beneficiaries[g], g))

    @property
    def spaces_short(self) -> int:
        """How many spaces the county still lacks for seed 003's target (0: met)."""
        return max(0, SPACES_TARGET - len(self.total.spaces))


def check_period(date_from: date, date_to: date) -> None:
    if date_from > date_to:
        raise UserError(f"统计期间有误：起始日期 {date_from} 晚于截止日期 {date_to}。请把起始日期改到截止日期之前后重试。")


def require_county(session: Session) -> str:
    """The county association's name; refused outside county mode."""
    office = local_office(session)
    if office is None or not is_county(session):
        raise UserError("这个工作区不是县级慈善会的工作区，不能生成全县的社区慈善工作进展报告。"
                        "请打开县级慈善会的工作区（初始化时选“县级慈善会”）后再生成；乡镇（街道）的数据请导出同步包报送县级慈善会。")
    return office.name


def sync_states(session: Session) -> dict[str, SyncState]:
    """Every enrolled township's packages, from the county's package register."""
    from desktop_app.core.queries.sync import county_status

    return {o.office_id: SyncState(o.last_number, (o.last_made_at or "")[:10], tuple(o.missing))
            for o in county_status(session)}


def county_indicators(session: Session, date_from: date, date_to: date, *, today: date | None = None,
                      sync: SyncStates | None = None, disclosure: Disclosure | None = None) -> CountyIndicators:
    """The indicators per office for [date_from, date_to], the county's own office first, then the townships
    by division code, and the total. Refused outside county mode or for a period that ends before it starts."""
    county = require_county(session)
    check_period(date_from, date_to)
    today = today or date.today()
    as_of = min(date_to, today)
    if sync is None:
        sync = sync_states(session)
    offices = list_offices(session)
    projects = list_projects(session)
    project_names = {p.id: p.name for p in projects}
    funds: list[FundMoney] = []
    rows = []
    for office in offices:
        row, money = _office(session, office, projects, project_names, date_from, date_to)
        if disclosure is not None:
            row.notices_late, row.overdue = disclosure(session, office.id, row.published, as_of)
        row.sync = sync.get(office.id)
        rows.append(row)
        funds += money
    return CountyIndicators(county, date_from, date_to, as_of, rows, _total(rows), funds)


def county_overview(session: Session, today: date | None = None, *, sync: SyncStates | None = None,
                    disclosure: Disclosure | None = None) -> CountyIndicators:
    """The county 概览: this year to date (balances as of today)."""
    today = today or date.today()
    return county_indicators(session, date(today.year, 1, 1), today, today=today, sync=sync, disclosure=disclosure)


def _office(session: Session, office: OfficeRow, projects, project_names: dict[str, str], date_from: date,
            date_to: date) -> tuple[OfficeIndicators, list[FundMoney]]:
    row = OfficeIndicators(office.id, office.name, office.division_code, office.local)
    mine = [p for p in projects if p.office_id == office.id]
    money = []
    for fund in (f for f in list_funds(session) if f.office_id == office.id):
        income, expense = period_totals(session, date_from, date_to, fund.id)
        ever_in, ever_out = period_totals(session, _EPOCH, date_to, fund.id)
        money.append(FundMoney(office.id, office.name, fund.name, project_names.get(fund.project_id or "", ""),
                               income, expense, ever_in - ever_out))
        row.funds += 1
        row.income_fen += income
        row.expense_fen += expense
        row.balance_fen += ever_in - ever_out
        if fund.project_id:
            row.spent_fen += ever_out
    row.budget_fen = sum(p.budget_fen for p in mine)
    for project in mine:
        stats = activity_stats(session, ActivityFilter(project_id=project.id, date_from=date_from, date_to=date_to))
        row.activities += stats.activities
        row.participants += stats.participants
        row.volunteers += stats.volunteers
        row.volunteer_minutes += stats.volunteer_minutes
        _merge(row.beneficiaries, stats.beneficiaries)
    row.spaces = [SpaceState(s.name, len(haves_met(session, s.id))) for s in list_spaces(session)
                  if s.office_id == office.id]
    row.surveys = session.exec(select(func.count()).select_from(Survey).where(
        Survey.office_id == office.id, Survey.deleted == False)).one()  # noqa: E712
    row.responses = session.exec(select(func.count()).select_from(SurveyResponse).where(
        SurveyResponse.office_id == office.id, SurveyResponse.deleted == False)).one()  # noqa: E712
    row.published = list(session.exec(select(Notice).where(
        Notice.office_id == office.id, Notice.status == "published", Notice.deleted == False,  # noqa: E712
        Notice.published_on >= date_from, Notice.published_on <= date_to).order_by(Notice.published_on)))
    row.notices = len(row.published)
    return row, money


def _merge(into: dict[str, int], more: Mapping[str, int]) -> None:
    for key, value in more.items():
        into[key] = into.get(key, 0) + value


def _total(rows: list[OfficeIndicators]) -> OfficeIndicators:
    total = OfficeIndicators("", "合计", total=True)
    for row in rows:
        for name in ("funds", "income_fen", "expense_fen", "balance_fen", "budget_fen", "spent_fen", "activities",
                     "participants", "volunteers", "volunteer_minutes", "surveys", "responses", "notices",
                     "notices_late"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        _merge(total.beneficiaries, row.beneficiaries)
        total.spaces += row.spaces
        total.overdue += row.overdue
    return total

"""The activity register and its statistics: filtered lists, and totals by type, month, site,
beneficiary group and spending. Plain values out, for the 活动记录 page, the CLI and Excel.

A township keeps thousands of activities, not millions: one aggregated query returns a whole filtered
list in milliseconds, so the page shows it in a plain rows model.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import (
    Activity,
    ActivityExpense,
    BeneficiaryCount,
    Fund,
    LedgerEntry,
    NamedBeneficiary,
    Project,
    Site,
)
from desktop_app.core.quantities import hours_from_minutes

_LIVE = "a.deleted = 0"


@dataclass(frozen=True)
class ActivityFilter:
    project_id: str | None = None
    site_id: str | None = None  # "" = activities of the whole project (no site)
    activity_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    public_only: bool = False
    office_id: str | None = None  # one office's activities (a county's office filter); None = every office

    def where(self) -> tuple[str, dict]:
        parts, params = [_LIVE], {}
        if self.project_id:
            parts.append("a.project_id = :project")
            params["project"] = self.project_id
        if self.office_id:
            parts.append("a.office_id = :office")
            params["office"] = self.office_id
        if self.site_id is not None:
            parts.append("coalesce(a.site_id, '') = :site")
            params["site"] = self.site_id
        if self.activity_type:
            parts.append("a.activity_type = :type")
            params["type"] = self.activity_type
        if self.date_from:  # an activity counts when any of its days falls in the range
            parts.append("a.end_date >= :date_from")
            params["date_from"] = self.date_from.isoformat()
        if self.date_to:
            parts.append("a.start_date <= :date_to")
            params["date_to"] = self.date_to.isoformat()
        if self.text.strip():
            parts.append("(instr(a.title, :text) OR instr(a.summary, :text) OR instr(a.place, :text) "
                         "OR instr(a.organisers, :text) OR instr(a.partners, :text))")
            params["text"] = self.text.strip()
        if self.public_only:
            parts.append("a.public = 1")
        return " AND ".join(parts), params


ALL_ACTIVITIES = ActivityFilter()


@dataclass(frozen=True)
class ActivityRow:
    id: str
    project_id: str
    project_name: str
    site_id: str | None
    site_name: str
    activity_type: str
    title: str
    start_date: date
    end_date: date
    place: str
    organisers: str
    partners: str
    participants: int
    volunteers: int
    volunteer_minutes: int
    beneficiaries: int
    photos: int
    cost_fen: int
    public: bool
    public_order: int
    summary: str
    office_id: str = ""  # the owning office (a county's views show it)

    @property
    def volunteer_hours(self) -> Decimal:
        return hours_from_minutes(self.volunteer_minutes)

    @property
    def dates(self) -> str:
        if self.end_date == self.start_date:
            return self.start_date.isoformat()
        return f"{self.start_date.isoformat()} 至 {self.end_date.isoformat()}"


_ROW_SQL = """
SELECT a.id, a.project_id, p.name, a.site_id, coalesce(s.name, ''), a.activity_type, a.title, a.start_date,
       a.end_date, a.place, a.organisers, a.partners, a.participants, a.volunteers, a.volunteer_minutes,
       (SELECT coalesce(sum(b.count), 0) FROM beneficiary_count b WHERE b.activity_id = a.id AND b.deleted = 0),
       (SELECT count(*) FROM photo ph WHERE ph.activity_id = a.id AND ph.deleted = 0),
       (SELECT coalesce(sum(e.amount_fen), 0) FROM activity_expense x
          JOIN ledger_entry e ON e.id = x.entry_id WHERE x.activity_id = a.id AND x.deleted = 0),
       a.public, a.public_order, a.summary, a.office_id
FROM activity a JOIN project p ON p.id = a.project_id LEFT JOIN site s ON s.id = a.site_id
"""


def list_activities(session: Session, f: ActivityFilter = ALL_ACTIVITIES, *, order: str = "date") -> list[ActivityRow]:
    """Activities matching `f`, by date (newest first) or, with order="notice", in notice order per site."""
    where, params = f.where()
    order_by = ("coalesce(s.position, -1), a.public_order, a.start_date" if order == "notice"
                else "a.start_date DESC, a.created_at DESC")
    rows = session.execute(text(f"{_ROW_SQL} WHERE {where} ORDER BY {order_by}"), params).all()
    return [ActivityRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], date.fromisoformat(r[7]), date.fromisoformat(r[8]),
                        r[9], r[10], r[11], r[12], r[13], r[14], r[15], r[16], r[17], bool(r[18]), r[19], r[20], r[21])
            for r in rows]


@dataclass
class ActivityStats:
    activities: int = 0
    participants: int = 0
    volunteers: int = 0
    volunteer_minutes: int = 0
    cost_fen: int = 0
    by_type: dict[str, int] = field(default_factory=dict)  # activities per type
    by_month: dict[str, int] = field(default_factory=dict)  # YYYY-MM → activities
    participants_by_month: dict[str, int] = field(default_factory=dict)
    by_site: dict[str, int] = field(default_factory=dict)
    beneficiaries: dict[str, int] = field(default_factory=dict)  # group → people reached
    cost_by_type: dict[str, int] = field(default_factory=dict)  # type → fen of linked expenses
    hours_by_type: dict[str, int] = field(default_factory=dict)  # type → volunteer minutes

    @property
    def volunteer_hours(self) -> Decimal:
        return hours_from_minutes(self.volunteer_minutes)


def activity_stats(session: Session, f: ActivityFilter = ALL_ACTIVITIES) -> ActivityStats:
    """Totals for the statistics tab and sheet; one pass over the filtered list plus one query for the
    beneficiary groups. Month is the start month."""
    stats = ActivityStats()
    for row in sorted(list_activities(session, f), key=lambda r: r.start_date):
        stats.activities += 1
        stats.participants += row.participants
        stats.volunteers += row.volunteers
        stats.volunteer_minutes += row.volunteer_minutes
        stats.cost_fen += row.cost_fen
        month = row.start_date.strftime("%Y-%m")
        _add(stats.by_type, row.activity_type, 1)
        _add(stats.by_month, month, 1)
        _add(stats.participants_by_month, month, row.participants)
        _add(stats.by_site, row.site_name or "项目整体", 1)
        _add(stats.cost_by_type, row.activity_type, row.cost_fen)
        _add(stats.hours_by_type, row.activity_type, row.volunteer_minutes)
    where, params = f.where()
    for group, count in session.execute(text(
            f"SELECT b.group_name, sum(b.count) FROM beneficiary_count b JOIN activity a ON a.id = b.activity_id "
            f"WHERE b.deleted = 0 AND {where} GROUP BY b.group_name ORDER BY sum(b.count) DESC"), params).all():
        stats.beneficiaries[group] = int(count)
    return stats


def _add(bucket: dict, key: str, value: int) -> None:
    bucket[key] = bucket.get(key, 0) + value


def project_expenses(s: Session, project_id: str) -> list[LedgerEntry]:
    """The posted expenses an activity of this project may link to (newest first)."""
    return list(s.exec(select(LedgerEntry).join(Fund, Fund.id == LedgerEntry.fund_id).where(
        Fund.project_id == project_id, LedgerEntry.entry_type == "expense", LedgerEntry.status == "posted",
        LedgerEntry.deleted == False).order_by(LedgerEntry.entry_date.desc())))  # noqa: E712


def live_children(s: Session, model, activity_id: str) -> list:
    return list(s.exec(select(model).where(model.activity_id == activity_id, model.deleted == False)  # noqa: E712
                       .order_by(model.created_at)))


@dataclass(frozen=True)
class ActivityDetail:
    activity: Activity
    beneficiaries: dict[str, int]
    named: list[NamedBeneficiary]
    expenses: list[LedgerEntry]

    @property
    def cost_fen(self) -> int:
        return sum(e.amount_fen for e in self.expenses)


def activity_detail(s: Session, activity_id: str) -> ActivityDetail:
    activity = s.get(Activity, activity_id)
    if activity is None or activity.deleted:
        raise UserError("找不到这个活动，它可能已被删除。请刷新列表后重试。")
    counts = {c.group_name: c.count for c in live_children(s, BeneficiaryCount, activity_id)}
    named = live_children(s, NamedBeneficiary, activity_id)
    links = live_children(s, ActivityExpense, activity_id)
    expenses = [s.get(LedgerEntry, link.entry_id) for link in links]
    return ActivityDetail(activity, counts, named, [e for e in expenses if e is not None])


def resolve_activity(s: Session, key: str) -> Activity:
    """An activity by id or exact title (the newest of that title)."""
    activity = s.get(Activity, key)
    if activity is None:
        activity = s.exec(select(Activity).where(Activity.title == (key or "").strip(), Activity.deleted == False)  # noqa: E712
                          .order_by(Activity.start_date.desc())).first()
    if activity is None or activity.deleted:
        raise UserError(f"找不到活动“{key}”。请用 activity list 查看活动名称或编号。")
    return activity


def resolve_site(s: Session, project: Project, key: str | None) -> Site | None:
    if not key:
        return None
    for site in s.exec(select(Site).where(Site.project_id == project.id, Site.deleted == False)):  # noqa: E712
        if key in (site.id, site.name):
            return site
    names = "、".join(x.name for x in s.exec(select(Site).where(Site.project_id == project.id, Site.deleted == False)))  # noqa: E712
    raise UserError(f"项目“{project.name}”没有试点村（社区）“{key}”。可选：{names or '（还没有，请先在“项目”页添加）'}。")

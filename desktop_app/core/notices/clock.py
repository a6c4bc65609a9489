"""The disclosure clock shown on 概览: which notices are due, per project, and by when (慈善法 第79条 and
seed 003)."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from desktop_app.core.models import Notice, Project
from desktop_app.core.months import add_months, previous_month_end
from desktop_app.core.queries.projects import list_projects
from desktop_app.core.storage.identity import local_office_id


@dataclass(frozen=True)
class DueNotice:
    """A notice the law or the programme asks for, with the period it covers and when it is due."""

    project_id: str
    project_name: str
    rule: str  # quarterly | final | semiannual
    template: str  # the notice that fulfils it
    title: str
    period_from: date
    period_to: date
    due_date: date
    overdue: bool
    basis: str  # the rule, in words


QUARTERLY_BASIS = "慈善法第79条：实施期超过六个月的项目，至少每三个月公开一次项目实施情况。"
FINAL_BASIS = "慈善法第79条：项目结束后三个月内，全面公开项目实施情况和募得款物使用情况。"
SEMIANNUAL_BASIS = "云南省社区慈善实施方案：工作进展情况于每年6月底、11月底前报送。"


def due_notices(session: Session, today: date | None = None, *, horizon_days: int = 31,
                office_id: str | None = None) -> list[DueNotice]:
    """Notices due now or within `horizon_days`, per project, with their due date and whether overdue:

    - quarterly progress for projects longer than six months: due three months after the start, then
      three months after the end of the last published progress (or fund-usage) notice, while the
      project runs (after its end the final disclosure takes over);
    - fund usage within three months after the project ends, until a published fund-usage notice
      reaches the end date;
    - the progress reports of seed 003 by 30 June (for December–June) and 30 November (July–November),
      met by a progress or fund-usage notice published in that half-year.

    The projects are this office's own; in county mode `office_id` asks the clock of one township instead."""
    today = today or date.today()
    horizon = today + timedelta(days=horizon_days)
    published: dict[str, list[Notice]] = {}
    for n in session.exec(select(Notice).where(Notice.status == "published", Notice.deleted == False)):  # noqa: E712
        if n.template in ("progress", "fund-usage") and (n.published_on is None or n.published_on <= today):
            published.setdefault(n.project_id, []).append(n)
    found: list[DueNotice] = []
    office = office_id or local_office_id(session)  # the notices this office must publish, for its own projects
    for project in (p for p in list_projects(session) if p.office_id == office):
        mine = published.get(project.id, [])
        found += _quarterly(project, mine, today, horizon)
        found += _final(project, mine, today, horizon)
        found += _semiannual(project, mine, today, horizon)
    return sorted(found, key=lambda d: (d.due_date, d.project_name, d.rule))


def _due(project: Project, rule: str, template: str, title: str, start: date, end: date, due: date,
         today: date, basis: str) -> DueNotice:
    return DueNotice(project.id, project.name, rule, template, title, start, end, due, today > due, basis)


def _quarterly(project: Project, mine: list[Notice], today: date, horizon: date) -> list[DueNotice]:
    if add_months(project.start_date, 6) > project.end_date or project.status == "已终止" or today > project.end_date:
        return []  # after the end, the fund-usage disclosure within three months takes over
    anchor = project.start_date
    for n in mine:
        if n.date_to >= anchor:
            anchor = n.date_to + timedelta(days=1)
    due = add_months(anchor, 3)
    if due > project.end_date or due > horizon:
        return []
    period_to = previous_month_end(due)  # publishing closes the months: the period ends with a whole one
    title = f"项目进展公示（{anchor} 至 {period_to}）"
    return [_due(project, "quarterly", "progress", title, anchor, period_to, due, today, QUARTERLY_BASIS)]


def _final(project: Project, mine: list[Notice], today: date, horizon: date) -> list[DueNotice]:
    if any(n.template == "fund-usage" and n.date_to >= project.end_date for n in mine):
        return []
    if project.end_date > horizon:
        return []
    due = add_months(project.end_date, 3)
    return [_due(project, "final", "fund-usage", "项目结束后的经费使用情况公示", project.start_date,
                 project.end_date, due, today, FINAL_BASIS)]


def _semiannual(project: Project, mine: list[Notice], today: date, horizon: date) -> list[DueNotice]:
    """The last passed deadline (if missed) and the next one (when within the horizon)."""
    out = []
    for window_start, deadline, next_start in _half_years(today):
        if deadline > horizon:
            continue
        if project.start_date > deadline or project.end_date < window_start:
            continue
        met = any(n.published_on and window_start <= n.published_on < next_start for n in mine)
        if met:
            continue
        label = "6月底" if deadline.month == 6 else "11月底"
        # the report covers the whole months before the deadline's month (Nov–May, Jun–Oct), so it can be
        # published, which closes them, in time
        period_to = min(previous_month_end(deadline), project.end_date)
        period_from = max(add_months(window_start, -1), project.start_date) if deadline.month == 6 else \
            max(window_start.replace(month=6), project.start_date)
        if period_from > period_to:
            continue
        out.append(_due(project, "semiannual", "progress", f"工作进展报送（{deadline.year}年{label}前）",
                        period_from, period_to, deadline, today, SEMIANNUAL_BASIS))
    return out


def _half_years(today: date) -> list[tuple[date, date, date]]:
    """(window start, deadline, next window start) of the half-year in progress and the one before it."""
    halves = []
    for year in (today.year - 1, today.year, today.year + 1):
        halves.append((date(year - 1, 12, 1), date(year, 6, 30), date(year, 7, 1)))
        halves.append((date(year, 7, 1), date(year, 11, 30), date(year, 12, 1)))
    current = next(i for i, h in enumerate(halves) if h[0] <= today < h[2])
    return halves[current - 1:current + 1]


def office_disclosure(session: Session, office_id: str, published: list[Notice], as_of: date) -> tuple[int, list[DueNotice]]:
    """One office's disclosure as the county reports it (`queries.county.Disclosure`): how many of the
    `published` notices came late — a progress or fund-usage notice published when, the day before, the clock
    already had a notice of its project overdue — and the office's notices overdue on `as_of`."""
    late = 0
    for notice in published:
        if notice.template not in ("progress", "fund-usage") or notice.published_on is None:
            continue
        before = notice.published_on - timedelta(days=1)
        if any(d.overdue and d.project_id == notice.project_id
               for d in due_notices(session, before, horizon_days=0, office_id=office_id)):
            late += 1
    return late, [d for d in due_notices(session, as_of, office_id=office_id) if d.overdue]

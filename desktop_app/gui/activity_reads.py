"""What the activity editor reads, in the worker: the choices its fields offer (projects, their sites
and charity spaces, activity types, beneficiary groups), one activity to edit, and the posted expenses
of a project that an activity may be linked to."""

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import select

from desktop_app.core.models import Fund, LedgerEntry, Survey
from desktop_app.core.money import format_yuan
from desktop_app.core.queries import activities as activity_queries
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.queries import spaces as space_queries
from desktop_app.core.queries.categories import local_categories
from desktop_app.core.services import activities
from desktop_app.core.services.activities import ActivityInput
from desktop_app.core.storage.workspace import Workspace
from desktop_app.core.vouchers import fund_voucher, voucher_text


@dataclass(frozen=True)
class ExpenseChoice:
    id: str
    entry_date: date
    voucher: str
    summary: str
    amount_fen: int
    fund_name: str = ""  # a project's funds number their vouchers each from 0001: the fund tells them apart

    @property
    def label(self) -> str:
        return (f"{self.entry_date}　{fund_voucher(self.fund_name, self.voucher)}　{self.summary}　"
                f"{format_yuan(self.amount_fen)}")


@dataclass(frozen=True)
class ActivityLookups:
    projects: list[tuple[str, str]]  # (id, name)
    sites: dict[str, list[tuple[str, str]]]  # project id → (id, name)
    spaces: dict[str, list[tuple[str, str, str | None]]]  # project id → (id, name, site id)
    types: list[str]
    groups: list[str]
    surveys: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # project id → (id, name)


@dataclass(frozen=True)
class LoadedActivity:
    data: ActivityInput
    expenses: list[ExpenseChoice]  # the linked ones


def load_activity_lookups(ws: Workspace) -> ActivityLookups:
    with ws.reading() as s:
        projects = project_queries.project_choices(s)
        ids = [pid for pid, _name in projects]
        return ActivityLookups(
            projects,
            {pid: [(x.id, x.name) for x in project_queries.project_sites(s, pid)] for pid in ids},
            {pid: [(x.id, x.name, x.site_id) for x in space_queries.list_spaces(s, pid)] for pid in ids},
            [c.name for c in local_categories(s, "activity_type")],
            [c.name for c in local_categories(s, "beneficiary_group")],
            _surveys_by_project(s))


def _surveys_by_project(s) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for survey in s.exec(select(Survey).where(Survey.deleted == False).order_by(Survey.created_at)):  # noqa: E712
        found.setdefault(survey.project_id, []).append((survey.id, survey.name))
    return found


def _choice(entry, funds: dict[str, str]) -> ExpenseChoice:
    return ExpenseChoice(entry.id, entry.entry_date, voucher_text(entry), entry.summary, entry.amount_fen,
                         funds.get(entry.fund_id, ""))


def _fund_names(s) -> dict[str, str]:
    return {f.id: f.name for f in s.exec(select(Fund))}


def load_expenses(ws: Workspace, project_id: str) -> list[ExpenseChoice]:
    with ws.reading() as s:
        funds = _fund_names(s)
        return [_choice(e, funds) for e in activity_queries.project_expenses(s, project_id)]


def load_activity(ws: Workspace, activity_id: str) -> LoadedActivity:
    with ws.reading() as s:
        data = activities.activity_input(s, activity_id)  # reads the activity's detail, linked expenses too
        linked = {e.id: e for e in s.exec(select(LedgerEntry).where(LedgerEntry.id.in_(data.expense_ids)))}
        funds = _fund_names(s)
        return LoadedActivity(data, [_choice(linked[entry_id], funds) for entry_id in data.expense_ids])

"""活动记录: a project's meetings, trainings, services and events, with the people they reached, the
volunteers, the named beneficiaries (sensitive, optional) and the posted expenses that paid for them.

Adding and editing share one set of checks (`_check_activity`) and write the child rows the way
projects do (`sync_children`): an edit updates matching rows and tombstones the rest.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from sqlmodel import Session, func, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import (
    Activity,
    ActivityExpense,
    BeneficiaryCount,
    CharitySpace,
    Fund,
    LedgerEntry,
    NamedBeneficiary,
    Photo,
    Project,
    Site,
    Survey,
)
from desktop_app.core.money import format_yuan
from desktop_app.core.quantities import hours_from_minutes, parse_hours
from desktop_app.core.queries.activities import activity_detail, live_children
from desktop_app.core.queries.categories import local_categories
from desktop_app.core.storage.records import assign, live, sync_children
from desktop_app.core.validation import check_text, parse_count

TITLE_MAX, LINE_MAX, SUMMARY_MAX = 100, 200, 5000


@dataclass
class NamedInput:
    name: str
    group_name: str = ""
    sensitive_facts: str = ""
    phone: str = ""
    publish_consent: bool = False


@dataclass
class ActivityInput:
    project_id: str
    activity_type: str
    title: str
    start_date: date
    end_date: date | None = None  # None: a one-day activity
    site_id: str | None = None
    space_id: str | None = None
    place: str = ""
    organisers: str = ""
    partners: str = ""
    participants: int | str = 0
    volunteers: int | str = 0
    volunteer_hours: Decimal | str = Decimal(0)
    summary: str = ""
    public: bool = False
    public_order: int | None = None  # None: after the project's other public activities
    beneficiaries: dict[str, int | str] = field(default_factory=dict)  # group → count
    named: list[NamedInput] = field(default_factory=list)
    expense_ids: list[str] = field(default_factory=list)
    survey_id: str | None = None  # the needs survey it carried out: its notice item states the survey's result


def add_activity(ws, data: ActivityInput) -> Activity:
    data = _clean_named(data)
    with ws.transaction("activity.add") as s:
        values = _check_activity(s, data)
        activity = Activity(**values)
        s.add(activity)
        s.flush()
        _write_children(s, activity.id, data)
    return activity


def update_activity(ws, activity_id: str, data: ActivityInput) -> Activity:
    """Replace everything about an activity in one transaction (its photos apart: see services.photos)."""
    data = _clean_named(data)
    with ws.transaction("activity.update") as s:
        activity = live(s, Activity, activity_id, "活动", "activity list")
        values = _check_activity(s, data, activity=activity)
        if values["project_id"] != activity.project_id:  # its photos move to the new project's gallery
            for photo in s.exec(select(Photo).where(Photo.activity_id == activity.id)):
                photo.project_id = values["project_id"]
        assign(activity, values)
        _write_children(s, activity.id, data)
    return activity


def delete_activity(ws, activity_id: str) -> None:
    """Tombstone an activity. Its counts, names and expense links stay with it (every query reads
    them through a live activity), so `restore_activity` brings it back whole. Its photos stay in the
    project gallery; goods handed out at it keep their record."""
    _set_deleted(ws, activity_id, True, "activity.delete")


def restore_activity(ws, activity_id: str) -> None:
    """Undo of a delete."""
    _set_deleted(ws, activity_id, False, "activity.restore")


def _set_deleted(ws, activity_id: str, deleted: bool, op: str) -> None:
    with ws.transaction(op) as s:
        activity = s.get(Activity, activity_id)
        if activity is None:
            raise UserError("找不到这个活动。请刷新列表后重试。")
        activity.deleted = deleted


def _clean_named(data: ActivityInput) -> ActivityInput:
    """The named beneficiaries' texts as they are stored: through the one text check (check_text)."""
    return replace(data, named=[
        NamedInput(check_text(f"第 {i} 位受益人的姓名", p.name, 50), check_text(f"第 {i} 位受益人的群体", p.group_name, 50),
                   check_text(f"第 {i} 位受益人的情况说明", p.sensitive_facts, LINE_MAX),
                   check_text(f"第 {i} 位受益人的电话", p.phone, 30), p.publish_consent)
        for i, p in enumerate(data.named, 1)])


def _check_activity(s: Session, data: ActivityInput, *, activity: Activity | None = None) -> dict:
    """Every rule a new or edited activity obeys; returns the stored values."""
    project = s.get(Project, data.project_id or "")
    if project is None or project.deleted:
        raise UserError("请选择活动所属的项目。")
    if data.site_id:
        site = s.get(Site, data.site_id)
        if site is None or site.deleted or site.project_id != project.id:
            raise UserError(f"所选试点村（社区）不属于项目“{project.name}”。请重新选择，或先在“项目”页添加这个试点。")
    if data.space_id:
        space = s.get(CharitySpace, data.space_id)
        if space is None or space.deleted:
            raise UserError("所选慈善阵地不存在（可能已被删除）。请重新选择。")
    types = [c.name for c in local_categories(s, "activity_type", include_inactive=True)]
    if data.activity_type not in types:
        active = [c.name for c in local_categories(s, "activity_type")]
        raise UserError(f"活动类型“{data.activity_type}”不在类型表里。可选：{'、'.join(active)}。"
                        f"如需新类型，请到“设置 › 业务类别”添加“活动类型”。")
    title = check_text("活动名称", data.title, TITLE_MAX)
    if not title:
        raise UserError("请填写活动名称，例如“八台慈善音乐会”。")
    end = data.end_date or data.start_date
    if end < data.start_date:
        raise UserError(f"活动结束日期 {end} 早于开始日期 {data.start_date}。请检查日期；一天的活动只填开始日期即可。")
    groups = [c.name for c in local_categories(s, "beneficiary_group", include_inactive=True)]
    for group, count in data.beneficiaries.items():
        if group not in groups:
            active = [c.name for c in local_categories(s, "beneficiary_group")]
            raise UserError(f"受益群体“{group}”不在群体表里。可选：{'、'.join(active)}。如需新群体，请到“设置 › 业务类别”添加。")
        parse_count(count, f"受益群体“{group}”的人数")
    for i, person in enumerate(data.named, 1):
        if not check_text(f"第 {i} 位受益人的姓名", person.name, 50):
            raise UserError(f"第 {i} 位受益人缺少姓名。请补上姓名，或删去这一行。")
        check_text(f"受益人“{person.name}”的情况说明", person.sensitive_facts, LINE_MAX)
        check_text(f"受益人“{person.name}”的电话", person.phone, 30)
    _check_expenses(s, project, data.expense_ids)
    if data.survey_id:
        survey = s.get(Survey, data.survey_id)
        if survey is None or survey.deleted or survey.project_id != project.id:
            raise UserError(f"所选需求调查不属于项目“{project.name}”。请选本项目的调查，或不选。")
    public_order = data.public_order
    if data.public and public_order is None:
        public_order = (activity.public_order if activity is not None and activity.public else
                        _next_public_order(s, project.id))
    return {
        "project_id": project.id, "site_id": data.site_id or None, "space_id": data.space_id or None,
        "activity_type": data.activity_type, "title": title, "start_date": data.start_date, "end_date": end,
        "place": check_text("活动地点", data.place, LINE_MAX),
        "organisers": check_text("组织单位", data.organisers, LINE_MAX),
        "partners": check_text("合作单位", data.partners, LINE_MAX),
        "participants": parse_count(data.participants, "参与人数"),
        "volunteers": parse_count(data.volunteers, "志愿者人数"),
        "volunteer_minutes": int(parse_hours(data.volunteer_hours) * 60),
        "summary": check_text("活动简介", data.summary, SUMMARY_MAX, multiline=True),
        "public": bool(data.public), "public_order": int(public_order or 0) if data.public else 0,
        "survey_id": data.survey_id or None,
    }


def _check_expenses(s: Session, project: Project, expense_ids: list[str]) -> None:
    for entry_id in expense_ids:
        entry = s.get(LedgerEntry, entry_id)
        if entry is None or entry.deleted:
            raise UserError("要关联的支出分录不存在（可能已被删除）。请在台账中重新选择。")
        label = f"“{entry.summary}”（{entry.entry_date}，{format_yuan(entry.amount_fen)}）"
        if entry.entry_type != "expense" or entry.status != "posted":
            raise UserError(f"分录{label}不是已记账的支出，不能作为活动费用。请选择已记账的支出分录。")
        fund = s.get(Fund, entry.fund_id)
        if fund is None or fund.project_id != project.id:
            raise UserError(f"支出{label}属于其他项目的基金，不能计入项目“{project.name}”的活动。"
                            f"请选择本项目基金的支出。")
    if len(set(expense_ids)) != len(expense_ids):
        raise UserError("同一笔支出被关联了两次。请删去重复的一行。")


def _next_public_order(s: Session, project_id: str) -> int:
    top = s.exec(select(func.max(Activity.public_order)).where(
        Activity.project_id == project_id, Activity.public == True, Activity.deleted == False)).one()  # noqa: E712
    return int(top or 0) + 1


def _write_children(s: Session, activity_id: str, data: ActivityInput) -> None:
    sync_children(s, BeneficiaryCount, live_children(s, BeneficiaryCount, activity_id), "group_name", [
        {"activity_id": activity_id, "group_name": group, "count": parse_count(count, group)}
        for group, count in data.beneficiaries.items() if parse_count(count, group) > 0])
    sync_children(s, NamedBeneficiary, live_children(s, NamedBeneficiary, activity_id), "name", [
        {"activity_id": activity_id, "name": p.name.strip(), "group_name": (p.group_name or "").strip(),
         "sensitive_facts": (p.sensitive_facts or "").strip(), "phone": (p.phone or "").strip(),
         "publish_consent": bool(p.publish_consent)} for p in data.named])
    sync_children(s, ActivityExpense, live_children(s, ActivityExpense, activity_id), "entry_id", [
        {"activity_id": activity_id, "entry_id": entry_id} for entry_id in data.expense_ids])


# ------------------------------------------------------------------ reading


def activity_input(s: Session, activity_id: str) -> ActivityInput:
    """An activity as the editor and the CLI edit it."""
    d = activity_detail(s, activity_id)
    a = d.activity
    return ActivityInput(
        project_id=a.project_id, activity_type=a.activity_type, title=a.title, start_date=a.start_date,
        end_date=a.end_date, site_id=a.site_id, space_id=a.space_id, place=a.place, organisers=a.organisers,
        partners=a.partners, participants=a.participants, volunteers=a.volunteers, volunteer_hours=hours_from_minutes(a.volunteer_minutes),
        summary=a.summary, public=a.public, public_order=a.public_order if a.public else None,
        beneficiaries=dict(d.beneficiaries),
        named=[NamedInput(p.name, p.group_name, p.sensitive_facts, p.phone, p.publish_consent) for p in d.named],
        expense_ids=[e.id for e in d.expenses], survey_id=a.survey_id)



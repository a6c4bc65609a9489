"""Charity spaces read: milestones, the six haves and the evidence that shows them."""

from sqlmodel import Session, select

from desktop_app.core.models import (
    SIX_HAVES,
    Activity,
    CharitySpace,
    LedgerEntry,
    Photo,
    SpaceEvidence,
    SpaceHave,
    SpaceMilestone,
)
from desktop_app.core.queries.activities import ActivityFilter, list_activities, project_expenses


def milestones(s: Session, space_id: str) -> list[SpaceMilestone]:
    return list(s.exec(select(SpaceMilestone).where(SpaceMilestone.space_id == space_id,
                                                    SpaceMilestone.deleted == False)  # noqa: E712
                       .order_by(SpaceMilestone.milestone_date)))


def list_spaces(s: Session, project_id: str | None = None) -> list[CharitySpace]:
    query = select(CharitySpace).where(CharitySpace.deleted == False)  # noqa: E712
    if project_id:
        query = query.where(CharitySpace.project_id == project_id)
    return list(s.exec(query.order_by(CharitySpace.created_at)))


def haves_met(s: Session, space_id: str) -> list[str]:
    return [name for name in SIX_HAVES if any(h.have == name and h.met for h in space_haves(s, space_id))]


def describe_evidence(s: Session, kind: str, record_id: str) -> str:
    """A one-line label for an evidence item (the checklist shows these)."""
    model, label = EVIDENCE_KINDS[kind]
    record = s.get(model, record_id)
    if record is None or record.deleted:
        return f"{label}（已删除）"
    if kind == "activity":
        return f"活动：{record.start_date} {record.title}"
    if kind == "photo":
        return f"照片：{record.caption or record.original_name}"
    return f"支出：{record.entry_date} {record.summary}"


def evidence_options(s: Session, project_id: str, space_id: str | None) -> list[tuple[str, str, str]]:
    """What may prove a "have", as (kind, id, label): the project's activities and posted expenses, and
    the photos of this space and of the activities held at it (not the whole project's gallery, which
    may hold tens of thousands)."""
    options = [("activity", a.id, f"活动：{a.start_date} {a.title}")
               for a in list_activities(s, ActivityFilter(project_id=project_id))]
    options += [("entry", e.id, describe_evidence(s, "entry", e.id)) for e in project_expenses(s, project_id)]
    if space_id:
        at_space = select(Activity.id).where(Activity.space_id == space_id, Activity.deleted == False)  # noqa: E712
        photos = s.exec(select(Photo).where((Photo.space_id == space_id) | Photo.activity_id.in_(at_space),
                                            Photo.deleted == False).order_by(Photo.position))  # noqa: E712
        options += [("photo", p.id, describe_evidence(s, "photo", p.id)) for p in photos]
    return options


EVIDENCE_KINDS = {"activity": (Activity, "活动"), "photo": (Photo, "照片"), "entry": (LedgerEntry, "支出")}


def space_haves(s: Session, space_id: str) -> list[SpaceHave]:
    return list(s.exec(select(SpaceHave).where(SpaceHave.space_id == space_id, SpaceHave.deleted == False)))  # noqa: E712


def have_evidence(s: Session, have_id: str) -> list[SpaceEvidence]:
    return list(s.exec(select(SpaceEvidence).where(SpaceEvidence.have_id == have_id,
                                                   SpaceEvidence.deleted == False)))  # noqa: E712

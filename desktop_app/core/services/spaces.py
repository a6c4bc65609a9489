"""慈善阵地: the places where charity services happen, their construction progress (dated milestones)
and the six "haves" of seed 003 (有人员、有场所、有资金、有项目、有活动、有场景), each with evidence:
linked activities, photos and expenses.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import (
    SIX_HAVES,
    Activity,
    CharitySpace,
    Project,
    Site,
    SpaceEvidence,
    SpaceHave,
    SpaceMilestone,
)
from desktop_app.core.queries.spaces import EVIDENCE_KINDS, have_evidence, milestones, space_haves
from desktop_app.core.storage.records import assign, live, name_taken, sync_children
from desktop_app.core.validation import check_text


@dataclass
class MilestoneInput:
    milestone_date: date
    percent: int
    note: str = ""


@dataclass
class HaveInput:
    met: bool = False
    note: str = ""
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (kind, record id)


@dataclass
class SpaceInput:
    name: str
    project_id: str | None = None
    site_id: str | None = None
    kind: str = ""
    address: str = ""
    opened_on: date | None = None
    note: str = ""
    milestones: list[MilestoneInput] = field(default_factory=list)
    haves: dict[str, HaveInput] = field(default_factory=dict)  # key: one of SIX_HAVES


def add_space(ws, data: SpaceInput) -> CharitySpace:
    with ws.transaction("space.add") as s:
        space = CharitySpace(**_check_space(s, data))
        s.add(space)
        s.flush()
        _write_children(s, space.id, data)
    return space


def update_space(ws, space_id: str, data: SpaceInput) -> CharitySpace:
    with ws.transaction("space.update") as s:
        space = live(s, CharitySpace, space_id, "慈善阵地", "space list")
        assign(space, _check_space(s, data, space_id=space.id))
        _write_children(s, space.id, data)
    return space


def delete_space(ws, space_id: str) -> None:
    with ws.transaction("space.delete") as s:
        space = live(s, CharitySpace, space_id, "慈善阵地", "space list")
        if s.exec(select(Activity.id).where(Activity.space_id == space_id, Activity.deleted == False)).first():  # noqa: E712
            raise UserError(f"慈善阵地“{space.name}”还有活动记录在用。请先在这些活动里改选其他阵地，再删除。")
        space.deleted = True


def _check_space(s: Session, data: SpaceInput, *, space_id: str | None = None) -> dict:
    name = check_text("阵地名称", data.name, 100)
    if not name:
        raise UserError("请填写阵地名称，例如“Ai青花慈善服务阵地”。")
    if name_taken(s, CharitySpace, name, other_than=space_id):
        raise UserError(f"慈善阵地“{name}”已经登记过了。请换一个名称，或修改已有的阵地。")
    if data.project_id:
        project = s.get(Project, data.project_id)
        if project is None or project.deleted:
            raise UserError("所选项目不存在（可能已被删除）。请重新选择。")
    if data.site_id:
        site = s.get(Site, data.site_id)
        if site is None or site.deleted or (data.project_id and site.project_id != data.project_id):
            raise UserError("所选试点村（社区）不属于所选项目。请重新选择。")
    previous = None
    for m in sorted(data.milestones, key=lambda m: m.milestone_date):
        if not 0 <= int(m.percent) <= 100:
            raise UserError(f"{m.milestone_date} 的建设进度 {m.percent}% 不对。请填写 0 到 100 之间的整数。")
        if previous is not None and int(m.percent) < previous:
            raise UserError(f"{m.milestone_date} 的建设进度 {m.percent}% 比之前的 {previous}% 还低。"
                            f"进度只能增加，请检查日期或百分比。")
        previous = int(m.percent)
        check_text("进度说明", m.note, 200)
    unknown = [h for h in data.haves if h not in SIX_HAVES]
    if unknown:
        raise UserError(f"“{unknown[0]}”不是“六有”之一。应为：{'、'.join(SIX_HAVES)}。")
    for have, value in data.haves.items():
        for kind, record_id in value.evidence:
            if kind not in EVIDENCE_KINDS:
                raise UserError(f"证明材料的种类“{kind}”不对，应为活动、照片或支出。")
            model, label = EVIDENCE_KINDS[kind]
            record = s.get(model, record_id)
            if record is None or record.deleted:
                raise UserError(f"“{have}”的证明{label}不存在（可能已被删除）。请重新选择。")
    return {"name": name, "project_id": data.project_id or None, "site_id": data.site_id or None,
            "kind": check_text("阵地类型", data.kind, 50), "address": check_text("地址", data.address, 200),
            "opened_on": data.opened_on, "note": check_text("备注", data.note, 2000, multiline=True),
            "progress": max((int(m.percent) for m in data.milestones), default=0)}


def _write_children(s: Session, space_id: str, data: SpaceInput) -> None:
    sync_children(s, SpaceMilestone, milestones(s, space_id), "milestone_date", [
        {"space_id": space_id, "milestone_date": m.milestone_date, "percent": int(m.percent),
         "note": check_text("进度说明", m.note, 200)} for m in sorted(data.milestones, key=lambda m: m.milestone_date)])
    haves = {h.have: h for h in space_haves(s, space_id)}
    for name in SIX_HAVES:
        wanted = data.haves.get(name, HaveInput())
        row = haves.get(name)
        if row is None:
            row = SpaceHave(space_id=space_id, have=name)
            s.add(row)
            s.flush()
        assign(row, {"met": bool(wanted.met), "note": check_text(f"“{name}”说明", wanted.note, 200)})
        sync_children(s, SpaceEvidence, have_evidence(s, row.id), "record_id", [
            {"have_id": row.id, "kind": kind, "record_id": record_id} for kind, record_id in wanted.evidence])


def space_input(s: Session, space_id: str) -> SpaceInput:
    """A space as its editor and the CLI edit it."""
    space = live(s, CharitySpace, space_id, "慈善阵地", "space list")
    haves = {}
    for row in space_haves(s, space_id):
        haves[row.have] = HaveInput(row.met, row.note, [(e.kind, e.record_id) for e in have_evidence(s, row.id)])
    return SpaceInput(name=space.name, project_id=space.project_id, site_id=space.site_id, kind=space.kind,
                      address=space.address, opened_on=space.opened_on, note=space.note,
                      milestones=[MilestoneInput(m.milestone_date, m.percent, m.note) for m in milestones(s, space_id)],
                      haves=haves)



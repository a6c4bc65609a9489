"""The offices a workspace holds: its own and, in a county's workspace, every enrolled township's. Views
in county mode show all of them, with an office filter."""

from dataclasses import dataclass

from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import Office
from desktop_app.core.storage import identity

ALL_OFFICES = "全部乡镇"  # the county views' label for "every office" (the filter's first choice)


@dataclass(frozen=True)
class OfficeRow:
    id: str
    name: str
    level: str
    division_code: str
    local: bool  # this workspace's own office


def list_offices(session: Session) -> list[OfficeRow]:
    """Every office the workspace holds, its own first, then by division code and name."""
    own = identity.local_office_id(session)
    rows = session.exec(select(Office).where(Office.deleted == False)).all()  # noqa: E712
    found = [OfficeRow(o.id, o.name, o.level, o.division_code, o.id == own) for o in rows]
    return sorted(found, key=lambda r: (not r.local, r.division_code, r.name))


def office_names(session: Session) -> dict[str, str]:
    """Office id → name, for the office column of county views."""
    return {row.id: row.name for row in list_offices(session)}


def resolve_office(session: Session, key: str) -> OfficeRow:
    """An office by id, exact name or division code; refused with the list of the offices this workspace
    holds."""
    key = (key or "").strip()
    offices = list_offices(session)
    for row in offices:
        if key in (row.id, row.name, row.division_code):
            return row
    names = "、".join(row.name for row in offices) or "（还没有）"
    raise UserError(f"找不到单位“{key}”。本工作区里的单位有：{names}。请写其中一个单位的名称（或编号）后重试。")

"""The offices a workspace holds: its own and, in a county's workspace, every enrolled township's. Views
in county mode show all of them, with an office filter."""

from dataclasses import dataclass

from sqlmodel import Session, select

from desktop_app.core.models import Office
from desktop_app.core.storage import identity


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

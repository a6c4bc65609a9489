"""Which office this workspace belongs to. The one place that answers "this office"; reads that mean
"all offices" (the county's views) simply do not ask it."""

from sqlmodel import Session, select

from desktop_app.core.models import Office


def local_office(session: Session) -> Office | None:
    """This workspace's own office, or None before `init`."""
    return session.exec(select(Office).where(Office.is_local)).first()


def local_office_id(session: Session) -> str:
    """This workspace's office id, or "" before `init`."""
    office = local_office(session)
    return office.id if office else ""

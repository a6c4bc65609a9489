"""The lists kept as data: income and expense categories, activity types, beneficiary groups. Each office
keeps its own lists (a county database holds every township's), so the forms and checks read this office's."""

from sqlmodel import Session, select

from desktop_app.core.models import Category
from desktop_app.core.storage.identity import local_office_id


def local_categories(session: Session, kind: str | None = None, *, include_inactive: bool = False) -> list[Category]:
    """This office's categories of `kind` (all kinds when None), in their order."""
    query = select(Category).where(Category.deleted == False, Category.office_id == local_office_id(session))  # noqa: E712
    if kind:
        query = query.where(Category.kind == kind)
    if not include_inactive:
        query = query.where(Category.active == True)  # noqa: E712
    return list(session.exec(query.order_by(Category.kind, Category.position)))

"""The lists kept as data: income and expense categories, activity types, beneficiary groups."""

from sqlmodel import select

from desktop_app.core.models import (
    Category,
)


def list_categories(session, kind: str | None = None, *, include_inactive: bool = False) -> list[Category]:
    query = select(Category).where(Category.deleted == False)  # noqa: E712
    if kind:
        query = query.where(Category.kind == kind)
    if not include_inactive:
        query = query.where(Category.active == True)  # noqa: E712
    return list(session.exec(query.order_by(Category.kind, Category.position)))

"""This office's category lists (income and expense categories, activity types, beneficiary groups): adding one,
retiring or reviving one. They are data, editable in 设置 › 类别."""

from desktop_app.core.errors import UserError
from desktop_app.core.models import (
    CATEGORY_KINDS,
    Category,
)
from desktop_app.core.queries.categories import local_categories


def add_category(ws, name: str, kind: str = "expense") -> Category:
    name = (name or "").strip()
    if not name:
        raise UserError("请填写类别名称。")
    if kind not in CATEGORY_KINDS:
        choices = "、".join(f"{k}（{label}）" for k, label in CATEGORY_KINDS.items())
        raise UserError(f"类别种类“{kind}”不对，应为：{choices}。")
    with ws.transaction("category.add") as s:
        existing = [c for c in local_categories(s, kind, include_inactive=True)]
        if any(c.name == name for c in existing):
            raise UserError(f"类别“{name}”已经存在。")
        cat = Category(name=name, kind=kind, position=len(existing))
        s.add(cat)
    return cat


def set_category_active(ws, category_id: str, active: bool) -> None:
    """Categories are never removed (posted entries name them); retired ones just leave the list."""
    with ws.transaction("category.set_active") as s:
        cat = s.get(Category, category_id)
        if cat is None:
            raise UserError("找不到这个类别。")
        cat.active = active
        s.add(cat)

"""This office's category lists (income and expense categories, activity types, beneficiary groups): adding one,
retiring or reviving one. They are data, editable in 设置 › 类别."""

from desktop_app.core.errors import UserError
from desktop_app.core.models import (
    CATEGORY_KINDS,
    Category,
)
from desktop_app.core.queries.categories import local_categories
from desktop_app.core.validation import check_text, name_key

NAME_MAX = 30


def add_category(ws, name: str, kind: str = "expense") -> Category:
    name = check_text("类别名称", name, NAME_MAX)
    if not name:
        raise UserError("请填写类别名称。")
    if kind not in CATEGORY_KINDS:
        choices = "、".join(f"{k}（{label}）" for k, label in CATEGORY_KINDS.items())
        raise UserError(f"类别种类“{kind}”不对，应为：{choices}。")
    with ws.transaction("category.add") as s:
        existing = [c for c in local_categories(s, kind, include_inactive=True)]
        same = next((c for c in existing if name_key(c.name) == name_key(name)), None)
        if same is not None:
            retired = "" if same.active else "（已停用，可在列表里重新启用）"
            raise UserError(f"类别“{same.name}”已经存在{retired}。不用重复添加。")
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

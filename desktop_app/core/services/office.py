"""The office this workspace belongs to: init (which makes this workspace that office's, with its default
category lists and a first epoch) and changing its details."""


from desktop_app.core.errors import UserError
from desktop_app.core.models import (
    DEFAULT_ACTIVITY_TYPES,
    DEFAULT_BENEFICIARY_GROUPS,
    DEFAULT_EXPENSE_CATEGORIES,
    DEFAULT_INCOME_CATEGORIES,
    Category,
    LocalIdentity,
    Office,
    WorkspaceEpoch,
    utc_now,
)
from desktop_app.core.storage.identity import local_office
from desktop_app.core.sync import keys
from desktop_app.core.validation import check_division_code, check_text, division_level

LEVELS = ("乡镇/街道", "村/社区", "县级慈善会")
NAME_MAX = 60  # 本单位 and 慈善会 names: the longest real ones ("…人民政府社会事务办公室") are about 30
DEFAULT_LISTS = (("expense", DEFAULT_EXPENSE_CATEGORIES), ("income", DEFAULT_INCOME_CATEGORIES),
                 ("activity_type", DEFAULT_ACTIVITY_TYPES), ("beneficiary_group", DEFAULT_BENEFICIARY_GROUPS))


def check_office_input(name: str, division_code: str, association: str, level: str | None = None,
                       code_year: int = 2024) -> tuple[str, str, str, str]:
    """Validate what init asks for, before anything is written: (name, code, association, level)."""
    name = check_text("本单位名称", name, NAME_MAX)
    association = check_text("所属慈善会名称", association, NAME_MAX)
    if not name:
        raise UserError("请填写本单位名称，例如“八台镇社工站”。")
    if not association:
        raise UserError("请填写所属慈善会的名称，例如“万源市慈善会”。")
    code = check_division_code(division_code)
    level = level or division_level(code)
    if level not in LEVELS:
        raise UserError(f"单位层级“{level}”不对，应为：{'、'.join(LEVELS)}。")
    if not 2009 <= int(code_year) <= 2100:
        raise UserError(f"区划代码表年份“{code_year}”不对，请填写代码表的发布年份，例如 2024。")
    return name, code, association, level


def init_office(ws, *, name: str, division_code: str, association: str, level: str | None = None,
                code_year: int = 2024) -> Office:
    name, code, association, level = check_office_input(name, division_code, association, level, code_year)
    if ws.has_office():
        raise UserError("这个工作区已经初始化过了。要修改本单位信息，请到“设置 › 本单位”。")
    office = Office(name=name, level=level, division_code=code, code_year=int(code_year),
                    association_name=association)
    office.office_id = office.id  # an office owns its own record
    epoch = WorkspaceEpoch(office_id=office.id, reason="init", started_at=utc_now())
    identity = LocalIdentity(office_id=office.id, level=level, epoch_id=epoch.id)
    with ws.transaction("office.init", identity=identity) as s:
        s.add(office)
        s.add(epoch)
        s.add(keys.new_key(office.id))  # signs its sync packages and receipts (kept in the database: in every backup)
        for kind, names in DEFAULT_LISTS:
            for position, cat in enumerate(names):
                s.add(Category(name=cat, kind=kind, position=position, office_id=office.id))
    return office


def update_office(ws, *, name: str, division_code: str, association: str, code_year: int) -> Office:
    name, code, association, level = check_office_input(name, division_code, association, None, code_year)
    with ws.transaction("office.update") as s:
        office = local_office(s)
        office.name, office.association_name = name, association
        office.division_code, office.code_year = code, int(code_year)
        office.level = level
        s.add(office)
        s.get(LocalIdentity, 1).level = office.level
    return office



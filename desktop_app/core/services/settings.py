"""Workspace settings, stored as records (they travel with the data and are journalled)."""

import json

from sqlmodel import Session, select

from desktop_app.core.models import Setting

DEFAULTS = {
    "require_expense_attachment": True,  # an expense needs a voucher scan before posting
    "old_draft_days": 7,  # drafts older than this show up as an alert on 概览
    # public notices (信息公示): how long a notice stays posted, and who the public may call
    "notice.days": 7,  # no national rule; 7 days is the usual local minimum (domain-rules §5)
    "notice.association_phone": "",
    "notice.civil_affairs_name": "属地乡镇（街道）民政办",
    "notice.civil_affairs_phone": "",
}
LABELS = {
    "require_expense_attachment": "支出记账前必须附凭证",
    "old_draft_days": "草稿超过多少天提醒",
    "notice.days": "公示期天数",
    "notice.association_phone": "慈善会监督电话",
    "notice.civil_affairs_name": "民政办名称",
    "notice.civil_affairs_phone": "民政办监督电话",
}


def get_setting(session: Session, key: str):
    row = session.exec(select(Setting).where(Setting.key == key, Setting.deleted == False)).first()  # noqa: E712
    return json.loads(row.value) if row else DEFAULTS[key]


def set_setting(ws, key: str, value) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    with ws.transaction() as s:
        row = s.exec(select(Setting).where(Setting.key == key)).first()
        if row is None:
            s.add(Setting(key=key, value=json.dumps(value)))
        else:
            row.value = json.dumps(value)
            s.add(row)

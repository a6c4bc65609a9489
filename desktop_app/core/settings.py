"""The settings an office can change: each with its default, its label and the check of a typed value
(one registry, as Picard keeps its options in one place)."""

import re
import unicodedata

from desktop_app.core.errors import UserError
from desktop_app.core.validation import check_text, parse_count

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


PHONE_KEYS = ("notice.association_phone", "notice.civil_affairs_phone")


_PHONE = re.compile(r"[0-9()（）\- ]{3,30}")  # 12345, 0818-8621234, (0818) 862 1234, 13551281592

_TRUE, _FALSE = {"1", "true", "yes", "是", "开"}, {"0", "false", "no", "否", "关"}


def parse_setting(key: str, value) -> object:
    """`value` (as typed, or already typed) checked for `key`: what set_setting stores. Chinese UserError
    naming the setting and what to write otherwise."""
    if key not in DEFAULTS:
        names = "、".join(f"{k}（{LABELS[k]}）" for k in DEFAULTS)
        raise UserError(f"没有“{key}”这项设置。可以设置的有：{names}。")
    label, default = LABELS[key], DEFAULTS[key]
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word not in _TRUE | _FALSE:
            raise UserError(f"“{label}”应填写 是 或 否（也可写 true / false）。")
        return word in _TRUE
    if isinstance(default, int):
        number = parse_count(value, f"“{label}”", maximum=365)
        if number < 1:
            raise UserError(f"“{label}”至少为 1 天。请填写 1 到 365 之间的整数。")
        return number
    text = check_text(f"“{label}”", unicodedata.normalize("NFKC", str(value or "")) if key in PHONE_KEYS
                      else str(value or ""), 30 if key in PHONE_KEYS else 60)
    if key in PHONE_KEYS and text and not _PHONE.fullmatch(text):
        raise UserError(f"“{label}”“{text}”不是电话号码。请只写数字，区号后可加短横线，例如 0818-8621234；"
                        "不填则公示上留空白横线，张贴前手写。")
    if key == "notice.civil_affairs_name" and not text:
        raise UserError(f"“{label}”不能为空。请填写如“青花镇民政办”，不清楚时可写“属地乡镇（街道）民政办”。")
    return text

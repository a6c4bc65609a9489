"""What may appear in public output (个人信息保护法 第25、28、29条; 慈善法 第82条)."""

ANONYMOUS_DONOR = "爱心人士"


def mask_name(name: str) -> str:
    """张三 → 张*, 张小明 → 张*明, 欧阳小明 → 欧**明. Organisations are not masked by callers."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def public_counterparty(name: str | None, anonymous: bool, consent: bool) -> str:
    """The donor name a public list may show: the name only with recorded consent, else 爱心人士."""
    if anonymous or not name or not consent:
        return ANONYMOUS_DONOR
    return name

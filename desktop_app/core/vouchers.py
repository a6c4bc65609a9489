"""How a voucher number reads: 2024-0014, numbered without gaps per fund and year when an entry is posted."""

from desktop_app.core.models import ENTRY_TYPES


def voucher_number(year: int | None, seq: int | None) -> str:
    """"2024-0014"; "" for an entry not posted yet (drafts have no number)."""
    return "" if seq is None else f"{year}-{int(seq):04d}"


def voucher_text(entry) -> str:
    """The voucher number of a ledger entry (a record, or anything with voucher_year and voucher_seq)."""
    return voucher_number(entry.voucher_year, entry.voucher_seq)


def fund_voucher(fund: str, voucher: str) -> str:
    """“【阳光社区基金】凭证 2024-0014” — how every message names a voucher: numbers run per fund, so two funds
    both have a 2024-0014 and the number alone does not say which entry is meant. A draft is “【…】草稿”."""
    where = f"【{fund}】" if fund else ""
    return f"{where}凭证 {voucher}" if voucher else f"{where}草稿"


def entry_type_label(entry_type: str) -> str:
    """捐赠收入, 拨入, 支出, 红字冲销 — or the stored word when it is not one of those."""
    return ENTRY_TYPES.get(entry_type, entry_type)

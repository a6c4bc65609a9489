"""The fund sub-ledger: drafts, posting, reversal (红字冲销), closed months, paper-list batches.

Rules kept here and nowhere else:
- drafts are editable; posted entries are never edited or deleted — a reversal corrects them;
- posting assigns the next voucher number of the fund and year (gapless) and links the hash chain;
- an expense needs an attachment before posting (unless the setting relaxes it);
- nothing posts into a closed month;
- restricted money is spent only on its purpose, and no bucket goes below zero, unless an explicit
  override reason is given, which is recorded on the entry (and covered by its hash);
- nothing posts dated after the end of the current year unless the user confirmed the date (`FutureDate`);
- every free-text field passes `validation.check_text`; a voucher is a real, non-empty file.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, insert
from sqlmodel import Session, select

from desktop_app.core.errors import NeedsOverride, UserError
from desktop_app.core.models import (
    COUNTERPARTY_KINDS,
    EXPENSE_CLASSES,
    Attachment,
    ClosedMonth,
    EntryAttachment,
    EntryBatch,
    Fund,
    LedgerEntry,
    new_id,
    utc_now,
)
from desktop_app.core.money import format_yuan, from_fen, to_fen
from desktop_app.core.months import month_key
from desktop_app.core.queries.categories import local_categories
from desktop_app.core.queries.projects import closed_through, fund_balance, month_closed
from desktop_app.core.queries.settings import local_setting
from desktop_app.core.storage import chain
from desktop_app.core.storage.files import check_source_file
from desktop_app.core.validation import check_text
from desktop_app.core.vouchers import fund_voucher, voucher_text

INCOME_TYPES = ("donation", "allocation")
SUMMARY_MAX, NAME_MAX = 200, 100  # a ledger line and a name, as printed in a notice table
REASON_MAX = 200  # a reversal's reason, an override's explanation
# the short fields: 支付方式 (银行转账, 微信 …), a donation receipt's code (8 digits) and number (10 digits)
PAYMENT_MAX, RECEIPT_CODE_MAX, RECEIPT_NO_MAX, CONTACT_MAX = 20, 30, 30, 100

# what people call a counterparty's kind → the kind stored (models.COUNTERPARTY_KINDS)
KIND_SYNONYMS = {
    "个人": "个人", "自然人": "个人", "居民": "个人", "村民": "个人", "个体": "个人",
    "企业": "企业", "公司": "企业", "商户": "企业", "个体工商户": "企业",
    "社会组织": "社会组织", "组织": "社会组织", "慈善组织": "社会组织", "社会团体": "社会组织", "社团": "社会组织",
    "基金会": "社会组织", "协会": "社会组织", "民办非企业单位": "社会组织", "慈善会": "社会组织",
    "政府机关": "政府机关", "机关": "政府机关", "政府": "政府机关", "事业单位": "政府机关", "机关事业单位": "政府机关",
    "村(社区)": "村(社区)", "村（社区）": "村(社区)", "村": "村(社区)", "社区": "村(社区)", "村委会": "村(社区)",
    "居委会": "村(社区)",
}


class FutureDate(UserError):
    """A posting dated after the end of the current year: most likely a typo (2052 for 2025). Posts only when
    the user confirmed the date (`allow_future_date`)."""


def counterparty_kind_of(text: str | None) -> str:
    """The stored kind for what was typed (个人, 企业, 组织, 机关, 村 …); "" when nothing was."""
    typed = " ".join((text or "").split())
    if not typed:
        return ""
    kind = KIND_SYNONYMS.get(typed) or KIND_SYNONYMS.get(typed.lower())
    if kind:
        return kind
    what = "“单位”要写明是哪一类" if typed == "单位" else f"对方类型“{typed}”不认识"
    raise UserError(f"{what}：请写个人，或单位的类型——企业、社会组织、政府机关、村(社区)"
                    "（也可写 公司、组织、机关、村、社区）。")


def check_posting_date(day: date, *, allow_future_date: bool = False, today: date | None = None) -> None:
    """Refuse a posting dated after the end of the current year unless the date was confirmed."""
    today = today or date.today()
    if day.year > today.year and not allow_future_date:
        raise FutureDate(f"记账日期 {day:%Y-%m-%d} 在今年（{today.year} 年）年底之后，很可能是日期填错了，没有记账。"
                         "请检查日期；如确需按这个日期记账，请在录入窗口“保存并记账”后确认（命令行加 --allow-future-date）。")


@dataclass
class EntryInput:
    """What the entry dialog, the CLI and the batch mode hand to the ledger."""

    fund_id: str
    entry_date: date
    entry_type: str
    amount: Decimal
    summary: str
    category: str = ""
    expense_class: str = ""
    restriction: str = ""
    counterparty_name: str = ""
    counterparty_kind: str = ""
    anonymous: bool = False
    publish_consent: bool = False
    counterparty_contact: str = ""
    payment_method: str = ""
    receipt_code: str = ""
    receipt_no: str = ""
    attachments: list[Path] = field(default_factory=list)


# ------------------------------------------------------------------ validation


def _validate(session: Session, data: EntryInput) -> EntryInput:
    fund = session.get(Fund, data.fund_id)
    fund_ids = {fund.id} if fund is not None and not fund.deleted else set()
    return _check_input(data, fund_ids, _category_names(session))


def _category_names(session: Session) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {"expense": [], "income": []}
    for category in local_categories(session):
        if category.kind in names:
            names[category.kind].append(category.name)
    return names


def _check_input(data: EntryInput, fund_ids: set[str], categories: dict[str, list[str]]) -> EntryInput:
    """Every check on one entry that needs no further database look-up (shared by single and bulk adds).
    Returns the input with its texts as checked (trimmed, cleaned): what is stored."""
    if data.entry_type not in INCOME_TYPES + ("expense",):
        raise UserError(f"类型“{data.entry_type}”不对，应为 donation（捐赠）、allocation（拨入）或 expense（支出）。")
    if data.amount <= 0:
        raise UserError("金额必须大于 0。要更正已记账的分录，请用“红字冲销”。")
    if not (data.summary or "").strip():
        raise UserError("请填写摘要，说明这笔钱的来龙去脉，例如“购置慈善阵地桌椅”。")
    data = replace(data, **{name: check_text(label, getattr(data, name), limit, multiline=False) for name, label, limit in (
        ("summary", "摘要", SUMMARY_MAX), ("counterparty_name", "对方名称", NAME_MAX),
        ("restriction", "限定用途", NAME_MAX), ("counterparty_contact", "联系方式", CONTACT_MAX),
        ("payment_method", "支付方式", PAYMENT_MAX), ("receipt_code", "捐赠票据代码", RECEIPT_CODE_MAX),
        ("receipt_no", "捐赠票据号码", RECEIPT_NO_MAX))})
    if not data.summary:
        raise UserError("请填写摘要，说明这笔钱的来龙去脉，例如“购置慈善阵地桌椅”。")
    if data.fund_id not in fund_ids:
        raise UserError("请选择社区基金。")
    kind = "expense" if data.entry_type == "expense" else "income"
    names = categories[kind]
    if data.category and data.category not in names:
        raise UserError(f"业务类别“{data.category}”不在{'支出' if kind == 'expense' else '收入'}类别表里。"
                        f"可选：{'、'.join(names)}。如需新类别，请到“设置 › 类别”添加。")
    if data.entry_type == "expense" and data.expense_class and data.expense_class not in EXPENSE_CLASSES:
        raise UserError(f"支出性质“{data.expense_class}”不对，应为：{'、'.join(EXPENSE_CLASSES)}。")
    if data.counterparty_kind and data.counterparty_kind not in COUNTERPARTY_KINDS:
        raise UserError(f"对方类型“{data.counterparty_kind}”不对，应为：{'、'.join(COUNTERPARTY_KINDS)}。")
    for path in data.attachments:
        check_source_file(path)  # there, a regular file (not a folder or a pipe), readable, not empty
    return data


def _entry_values(data: EntryInput) -> dict:
    """The stored columns an input becomes (drafts and bulk imports alike)."""
    return {
        "fund_id": data.fund_id, "entry_date": data.entry_date, "entry_type": data.entry_type,
        "flow": "out" if data.entry_type == "expense" else "in", "amount_fen": to_fen(data.amount),
        "summary": data.summary, "category": data.category,
        "expense_class": (data.expense_class or "慈善活动支出") if data.entry_type == "expense" else "",
        "restriction": data.restriction, "counterparty_name": data.counterparty_name,
        "counterparty_kind": data.counterparty_kind, "anonymous": data.anonymous,
        "publish_consent": data.publish_consent and not data.anonymous,
        "counterparty_contact": data.counterparty_contact, "payment_method": data.payment_method,
        "receipt_code": data.receipt_code, "receipt_no": data.receipt_no,
    }


def _apply(entry: LedgerEntry, data: EntryInput) -> None:
    for name, value in _entry_values(data).items():
        setattr(entry, name, value)


def _attach(ws, session: Session, entry: LedgerEntry, paths: list[Path]) -> None:
    for path in paths:
        attachment = ws.store_attachment(session, path)
        session.flush()
        already = session.exec(select(EntryAttachment).where(
            EntryAttachment.entry_id == entry.id, EntryAttachment.attachment_id == attachment.id,
            EntryAttachment.deleted == False)).first()  # noqa: E712
        if not already:
            session.add(EntryAttachment(entry_id=entry.id, attachment_id=attachment.id))


def _named(session: Session, entry: LedgerEntry) -> str:
    """“【阳光社区基金】凭证 2024-0014”: a refusal names the fund too, as voucher numbers run per fund."""
    fund = session.get(Fund, entry.fund_id)
    return fund_voucher(fund.name if fund is not None else "", voucher_text(entry))


def _editable(session: Session, entry_id: str) -> LedgerEntry:
    entry = session.get(LedgerEntry, entry_id)
    if entry is None or entry.deleted:
        raise UserError("找不到这条分录，它可能已被删除。")
    if entry.status == "posted":
        raise UserError(f"{_named(session, entry)} 已记账，不能修改或删除。"
                        "请用“红字冲销”冲掉它，再录一笔正确的分录。")
    return entry


# ------------------------------------------------------------------ drafts


def add_draft(ws, data: EntryInput) -> LedgerEntry:
    with ws.transaction("entry.add") as s:
        return _new_draft(ws, s, data)


def add_entry(ws, data: EntryInput, *, post: bool = False, override_reason: str = "",
              allow_future_date: bool = False) -> LedgerEntry:
    """Add a draft and, when asked, post it — all in one transaction (a failed post leaves nothing)."""
    if not post:
        return add_draft(ws, data)
    with ws.transaction("entry.add_and_post") as s:
        entry = _new_draft(ws, s, data)
        s.flush()
        _post(s, entry, override_reason, allow_future_date)
    return entry


def _new_draft(ws, s: Session, data: EntryInput) -> LedgerEntry:
    data = _validate(s, data)
    entry = LedgerEntry(fund_id=data.fund_id, entry_date=data.entry_date, entry_type=data.entry_type,
                        flow="in", amount_fen=0)
    _apply(entry, data)
    s.add(entry)
    s.flush()
    _attach(ws, s, entry, data.attachments)
    return entry


def import_drafts(ws, inputs: Iterable[EntryInput], progress=None) -> int:
    """Add many drafts in one transaction (imports of paper lists and spreadsheets).

    Checks every row with the same rules as a single add, then inserts with executemany; the journal's
    bulk path stamps the rows and journals each one. Attachments are not taken here: add them to the drafts afterwards.
    A verified backup is taken first, as before every import — once the rows passed their checks, so that a
    refused import leaves nothing behind.
    """
    inputs = list(inputs)
    if not inputs:
        return 0
    with ws.reading() as s:
        fund_ids = {f for f in s.exec(select(Fund.id).where(Fund.deleted == False))}  # noqa: E712
        categories = _category_names(s)
    entries = []
    for data in inputs:
        if data.attachments:
            raise UserError("批量导入不带附件。请导入后在分录中添加附件。")
        row = _entry_values(_check_input(data, fund_ids, categories))
        row.update(id=new_id(), deleted=False, status="draft", reversal_reason="", override_reason="")
        entries.append(row)
        if progress and len(entries) % 5000 == 0:
            progress(len(entries), 0)
    ws.create_backup("import")
    with ws.transaction("entry.import_drafts") as s:
        live = {f for f in s.exec(select(Fund.id).where(Fund.deleted == False))}  # noqa: E712
        if not {row["fund_id"] for row in entries} <= live:  # a fund deleted since the checks
            raise UserError("请选择社区基金。")
        s.execute(insert(LedgerEntry), entries)  # stamped and journalled by the journal's bulk path
    return len(entries)


def update_draft(ws, entry_id: str, data: EntryInput, *, post: bool = False,
                 override_reason: str = "", allow_future_date: bool = False) -> LedgerEntry:
    """Save a draft's new fields and, when asked, post it — one transaction: a refused post keeps the
    draft exactly as it was."""
    with ws.transaction("entry.update") as s:
        entry = _editable(s, entry_id)
        data = _validate(s, data)
        _apply(entry, data)
        s.add(entry)
        _attach(ws, s, entry, data.attachments)
        if post:
            s.flush()
            _post(s, entry, override_reason, allow_future_date)
    return entry


def delete_draft(ws, entry_id: str) -> None:
    """Drafts leave a tombstone (sync needs to know they are gone)."""
    with ws.transaction("entry.delete") as s:
        entry = _editable(s, entry_id)
        entry.deleted = True
        s.add(entry)


def restore_draft(ws, entry_id: str) -> None:
    """Undo of a draft deletion."""
    with ws.transaction("entry.restore") as s:
        entry = s.get(LedgerEntry, entry_id)
        if entry is None or entry.status != "draft":
            raise UserError("只能恢复被删除的草稿。")
        entry.deleted = False
        s.add(entry)


def remove_draft_attachment(ws, entry_id: str, link_id: str) -> str:
    """Take one attachment off a draft (the stored file stays: other entries, backups and the journal may
    name it). A posted entry's attachments are part of its voucher and cannot be removed. Returns the file's
    name."""
    with ws.transaction("entry.remove_attachment") as s:
        entry = s.get(LedgerEntry, entry_id)
        if entry is None or entry.deleted:
            raise UserError("找不到这条分录，它可能已被删除。")
        if entry.status == "posted":
            raise UserError(f"{_named(s, entry)} 已记账，它的附件是凭证的一部分，不能移除。"
                            "如附件有误，请用“红字冲销”冲掉它，再录一笔附上正确附件的分录。")
        link = s.get(EntryAttachment, link_id)
        if link is None or link.deleted or link.entry_id != entry_id:
            raise UserError("这个附件已经不在这条草稿上了（可能刚被移除）。")
        attachment = s.get(Attachment, link.attachment_id)
        link.deleted = True
        s.add(link)
        return attachment.original_name if attachment is not None else ""


def load_draft(ws, entry_id: str) -> tuple[EntryInput, int]:
    """A draft's editable fields and how many attachments it has (for the entry dialog)."""
    with ws.reading() as s:
        entry = _editable(s, entry_id)
        count = s.exec(select(func.count()).select_from(EntryAttachment).where(
            EntryAttachment.entry_id == entry_id, EntryAttachment.deleted == False)).one()  # noqa: E712
        return _input_from_entry(entry), count


def load_copy(ws, entry_id: str, *, today: date | None = None) -> EntryInput:
    """An entry's fields as a new draft's (for “冲销并复制为新草稿”): dated today; the voucher number, the
    attachments and the posting come only when the copy is saved and posted."""
    with ws.reading() as s:
        entry = s.get(LedgerEntry, entry_id)
        if entry is None or entry.deleted:
            raise UserError("找不到这条分录，它可能已被删除。")
        if entry.entry_type == "reversal":
            raise UserError(f"{_named(s, entry)} 是红字冲销凭证，不能复制。请选择原凭证。")
        data = _input_from_entry(entry)
    data.entry_date = today or date.today()
    return data


def _input_from_entry(entry: LedgerEntry) -> EntryInput:
    """The editable fields of a draft (for the entry dialog)."""
    return EntryInput(
        fund_id=entry.fund_id, entry_date=entry.entry_date, entry_type=entry.entry_type,
        amount=from_fen(entry.amount_fen), summary=entry.summary, category=entry.category,
        expense_class=entry.expense_class, restriction=entry.restriction,
        counterparty_name=entry.counterparty_name, counterparty_kind=entry.counterparty_kind,
        anonymous=entry.anonymous, publish_consent=entry.publish_consent,
        counterparty_contact=entry.counterparty_contact, payment_method=entry.payment_method,
        receipt_code=entry.receipt_code, receipt_no=entry.receipt_no,
    )


# ------------------------------------------------------------------ balances


def _check_balance(session: Session, entry: LedgerEntry, effect_fen: int, override_reason: str) -> None:
    """effect_fen: how the entry changes its bucket (negative = takes money out)."""
    if effect_fen >= 0:
        return
    balance = fund_balance(session, entry.fund_id)
    purpose = entry.restriction
    available = balance.restricted_fen.get(purpose, 0) if purpose else balance.unrestricted_fen
    if available + effect_fen >= 0 or override_reason.strip():
        return
    if purpose:
        message = (f"限定用途“{purpose}”的资金余额只有 {format_yuan(available)}，"
                   f"这笔 {format_yuan(-effect_fen)} 会使它变成负数。")
    else:
        message = (f"非限定性资金余额只有 {format_yuan(available)}，这笔 {format_yuan(-effect_fen)} 会使它变成负数。")
        if balance.restricted_fen:
            listing = "、".join(f"“{k}”{format_yuan(v)}" for k, v in balance.restricted_fen.items())
            message += f"基金中的限定性资金（{listing}）只能用于捐赠人指定的用途：如属该用途，请在“限定用途”中选择它。"
    raise NeedsOverride(message + "如确需超额（例如款项已到账但尚未入账），请填写超额说明后再记账，说明会记录在凭证上。")


def _assign_voucher(session: Session, entry: LedgerEntry) -> None:
    year = entry.entry_date.year
    # `voucher_seq IS NOT NULL` lets SQLite use the partial unique index (fund, year, seq): constant
    # time however many entries other funds have.
    last = session.exec(select(func.max(LedgerEntry.voucher_seq)).where(
        LedgerEntry.fund_id == entry.fund_id, LedgerEntry.voucher_year == year,
        LedgerEntry.voucher_seq != None)).one()  # noqa: E711
    entry.voucher_year = year
    entry.voucher_seq = int(last or 0) + 1


def _post(session: Session, entry: LedgerEntry, override_reason: str, allow_future_date: bool = False) -> None:
    override_reason = check_text("超额说明", override_reason, REASON_MAX, multiline=False)
    check_posting_date(entry.entry_date, allow_future_date=allow_future_date)
    if month_closed(session, entry.fund_id, entry.entry_date):
        raise UserError(f"{entry.entry_date:%Y年%m月}已结账（本基金已结账至 {closed_through(session, entry.fund_id)}），"
                        "不能再记入。请把日期改到未结账的月份，或者（如是更正）用红字冲销记在本月。")
    if entry.entry_type == "expense" and local_setting(session, "require_expense_attachment"):
        has_attachment = session.exec(select(EntryAttachment.id).where(
            EntryAttachment.entry_id == entry.id, EntryAttachment.deleted == False)).first()  # noqa: E712
        if not has_attachment:
            raise UserError("支出记账前需要附上凭证（发票、收据或签收单的扫描件或照片）。"
                            "请在分录中添加附件后再记账；如单位规定可以后补，请在“设置”中放宽这条要求。")
    effect = entry.amount_fen if entry.flow == "in" else -entry.amount_fen
    _check_balance(session, entry, effect, override_reason)
    entry.override_reason = override_reason
    _assign_voucher(session, entry)
    entry.status = "posted"
    entry.posted_at = utc_now()
    session.add(entry)
    session.flush()
    fund = session.get(Fund, entry.fund_id)
    chain.append(session, fund, entry)


def post_entry(ws, entry_id: str, *, override_reason: str = "", allow_future_date: bool = False) -> LedgerEntry:
    with ws.transaction("entry.post") as s:
        entry = s.get(LedgerEntry, entry_id)
        if entry is None or entry.deleted:
            raise UserError(f"找不到分录“{entry_id}”。请用 entry list 查看分录编号。")
        ws.refuse_foreign(s, entry)  # another office's entry (a county's view): say so, not what its rules lack
        if entry.status == "posted":
            raise UserError(f"这条分录已经记账（{_named(s, entry)}），不需要再记账。")
        _post(s, entry, override_reason, allow_future_date)
    return entry


def reverse_entry(ws, entry_id: str, reason: str, *, on_date: date | None = None,
                  override_reason: str = "", allow_future_date: bool = False) -> LedgerEntry:
    """Cancel a posted entry with a linked red-ink entry of the opposite amount."""
    reason = check_text("冲销原因", reason, REASON_MAX, multiline=False)
    if not reason:
        raise UserError("请填写冲销原因，例如“金额录错，应为 1,200.00 元”。")
    with ws.transaction("entry.reverse") as s:
        original = s.get(LedgerEntry, entry_id)
        if original is None or original.deleted:
            raise UserError(f"找不到分录“{entry_id}”。请用 entry list 查看分录编号。")
        ws.refuse_foreign(s, original)  # its reversal would go into another office's fund
        if original.status != "posted":
            raise UserError("草稿还没有记账，直接修改或删除即可，不需要冲销。")
        if original.entry_type == "reversal":
            raise UserError("这是一条红字冲销分录，不能再冲销。如冲销有误，请重新录入原来的分录。")
        already = s.exec(select(LedgerEntry).where(LedgerEntry.reverses_id == original.id,
                                                   LedgerEntry.deleted == False)).first()  # noqa: E712
        if already:
            raise UserError(f"{_named(s, original)} 已经被凭证 {voucher_text(already)} 冲销过了，不能重复冲销。")
        day = on_date or date.today()
        if day < original.entry_date:
            raise UserError(f"冲销日期 {day} 早于原分录日期 {original.entry_date}。请选择原分录当天或之后的日期。")
        reversal = LedgerEntry(
            fund_id=original.fund_id, entry_date=day, entry_type="reversal", flow=original.flow,
            amount_fen=-original.amount_fen, summary=f"冲销凭证 {voucher_text(original)}：{original.summary}",
            category=original.category, expense_class=original.expense_class, restriction=original.restriction,
            counterparty_name=original.counterparty_name, counterparty_kind=original.counterparty_kind,
            anonymous=original.anonymous, publish_consent=original.publish_consent,
            reverses_id=original.id, reversal_reason=reason,
        )
        s.add(reversal)
        s.flush()
        _post(s, reversal, override_reason, allow_future_date)
    return reversal


# ------------------------------------------------------------------ months


def close_month(ws, fund_id: str, month: str, *, today: date | None = None) -> None:
    """Close a month, and with it every earlier one: nothing posts into them afterwards. Drafts dated in
    them must be posted, moved or deleted first. A month that has not ended cannot be closed."""
    with ws.transaction("fund.close_month") as s:
        close_month_in(s, fund_id, month, today=today)


def close_month_in(session: Session, fund_id: str, month: str, *, today: date | None = None) -> None:
    """`close_month` inside a transaction the caller owns (publishing a notice closes its months in the
    same transaction that records the publication)."""
    today = today or date.today()
    fund = session.get(Fund, fund_id)
    if fund is None:
        raise UserError("找不到这个社区基金。")
    if month >= month_key(today):
        raise UserError(f"{month} 还没有结束，不能结账。请在月末之后再结账。")
    last = closed_through(session, fund_id)
    if last is not None and month <= last:
        raise UserError(f"{month} 已经结账了（本基金已结账至 {last}）。")
    drafts = session.exec(select(func.count()).select_from(LedgerEntry).where(
        LedgerEntry.fund_id == fund_id, LedgerEntry.status == "draft", LedgerEntry.deleted == False,  # noqa: E712
        func.strftime("%Y-%m", LedgerEntry.entry_date) <= month)).one()
    if drafts:
        raise UserError(f"{month} 及以前还有 {drafts} 条草稿没有记账。请先记账或删除它们，再结账。")
    session.add(ClosedMonth(fund_id=fund_id, month=month))


# ------------------------------------------------------------------ batches (慈善一日捐)


@dataclass(frozen=True)
class BatchCheck:
    count: int
    total_fen: int
    declared_count: int
    declared_total_fen: int

    @property
    def agrees(self) -> bool:
        return self.count == self.declared_count and self.total_fen == self.declared_total_fen

    def describe(self) -> str:
        if self.agrees:
            return f"共 {self.count} 笔，合计 {format_yuan(self.total_fen)}，与纸质清单一致。"
        return (f"录入 {self.count} 笔、合计 {format_yuan(self.total_fen)}，"
                f"而纸质清单写的是 {self.declared_count} 笔、{format_yuan(self.declared_total_fen)}"
                f"（相差 {self.count - self.declared_count} 笔、{format_yuan(self.total_fen - self.declared_total_fen)}）。")


def check_batch(lines: list[EntryInput], declared_count: int, declared_total: Decimal) -> BatchCheck:
    return BatchCheck(len(lines), sum(to_fen(line.amount) for line in lines), declared_count, to_fen(declared_total))


def post_batch(ws, title: str, lines: list[EntryInput], declared_count: int, declared_total: Decimal, *,
               confirm_mismatch: bool = False, allow_future_date: bool = False) -> list[LedgerEntry]:
    """Post a typed-in paper list as one transaction; a list that disagrees with its declared count and
    total posts only when the user confirmed it."""
    title = check_text("清单名称", title, NAME_MAX, multiline=False)
    if not lines:
        raise UserError("批量录入里还没有任何一笔。请先录入清单上的每一笔。")
    if declared_count <= 0:
        raise UserError("请填写纸质清单上的总笔数（大于 0 的整数）。")
    result = check_batch(lines, declared_count, declared_total)
    if not result.agrees and not confirm_mismatch:
        raise NeedsOverride("批量录入与纸质清单不一致：" + result.describe() + "请核对后再记账，或确认按录入的数字记账。")
    posted = []
    with ws.transaction("entry.post_batch") as s:
        batch = EntryBatch(fund_id=lines[0].fund_id, title=title or "批量录入",
                           declared_count=declared_count, declared_total_fen=to_fen(declared_total))
        s.add(batch)
        s.flush()
        for line in lines:
            line = _validate(s, line)
            entry = LedgerEntry(fund_id=line.fund_id, entry_date=line.entry_date, entry_type=line.entry_type,
                                flow="in", amount_fen=0, batch_id=batch.id)
            _apply(entry, line)
            s.add(entry)
            s.flush()
            _attach(ws, s, entry, line.attachments)
            s.flush()
            _post(s, entry, "", allow_future_date)
            posted.append(entry)
    return posted

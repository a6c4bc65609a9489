"""One ledger entry as the detail view shows it: every field, its place in the fund's chain, the reversal
link either way, the activities it pays for and its attachments. Read-only."""

from dataclasses import dataclass, field

from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import (
    Activity,
    ActivityExpense,
    Attachment,
    EntryAttachment,
    EntryBatch,
    Fund,
    LedgerEntry,
)
from desktop_app.core.vouchers import voucher_text


@dataclass(frozen=True)
class AttachedFile:
    """One attachment of an entry: `link_id` is the entry↔file link (what a draft's removal takes away)."""

    link_id: str
    attachment_id: str
    sha256: str
    name: str
    size: int
    added_at: str  # UTC ISO time the file was attached


@dataclass(frozen=True)
class LinkedEntry:
    id: str
    voucher: str  # "" for a draft
    entry_date: str
    summary: str
    fund_name: str = ""  # voucher numbers run per fund: a link names the fund too


@dataclass(frozen=True)
class PaidActivity:
    id: str
    title: str
    start_date: str


@dataclass
class EntryDetail:
    entry: LedgerEntry
    fund_name: str
    voucher: str
    batch_title: str = ""
    reverses: LinkedEntry | None = None  # the entry this one reverses (冲销了)
    reversed_by: LinkedEntry | None = None  # the reversal that cancelled this one (被冲销于)
    activities: list[PaidActivity] = field(default_factory=list)
    attachments: list[AttachedFile] = field(default_factory=list)


def _linked(entry: LedgerEntry | None, fund_name: str) -> LinkedEntry | None:
    if entry is None:
        return None
    return LinkedEntry(entry.id, voucher_text(entry), f"{entry.entry_date:%Y-%m-%d}", entry.summary, fund_name)


def entry_attachments(session: Session, entry_id: str) -> list[AttachedFile]:
    """The live attachments of an entry, in the order they were attached."""
    rows = session.exec(
        select(EntryAttachment, Attachment)
        .join(Attachment, Attachment.id == EntryAttachment.attachment_id)
        .where(EntryAttachment.entry_id == entry_id, EntryAttachment.deleted == False)  # noqa: E712
        .order_by(EntryAttachment.created_at, EntryAttachment.id))
    return [AttachedFile(link.id, file.id, file.sha256, file.original_name, file.size, link.created_at)
            for link, file in rows]


def entry_detail(session: Session, entry_id: str) -> EntryDetail:
    entry = session.get(LedgerEntry, entry_id)
    if entry is None or entry.deleted:
        raise UserError("找不到这条分录，它可能已被删除。")
    fund = session.get(Fund, entry.fund_id)
    batch = session.get(EntryBatch, entry.batch_id) if entry.batch_id else None
    reverses = session.get(LedgerEntry, entry.reverses_id) if entry.reverses_id else None
    reversed_by = session.exec(select(LedgerEntry).where(
        LedgerEntry.reverses_id == entry.id, LedgerEntry.deleted == False)).first()  # noqa: E712
    activities = session.exec(
        select(Activity).join(ActivityExpense, ActivityExpense.activity_id == Activity.id)
        .where(ActivityExpense.entry_id == entry.id, ActivityExpense.deleted == False,  # noqa: E712
               Activity.deleted == False)  # noqa: E712
        .order_by(Activity.start_date))
    fund_name = fund.name if fund is not None else ""  # a reversal is always in its original's fund
    return EntryDetail(
        entry=entry, fund_name=fund_name, voucher=voucher_text(entry),
        batch_title=batch.title if batch is not None else "",
        reverses=_linked(reverses, fund_name), reversed_by=_linked(reversed_by, fund_name),
        activities=[PaidActivity(a.id, a.title, f"{a.start_date:%Y-%m-%d}") for a in activities],
        attachments=entry_attachments(session, entry.id),
    )

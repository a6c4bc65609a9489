"""Published notices as witnesses of the books: the chain heads of a project's funds sealed at publication
(`storage.heads`), and their comparison with the live chains.

A notice's heads are kept three times: on its record (`Notice.heads_json`), in its archived PDF's keywords
and in its QR code (a scanned QR code's text: the code and a word per fund, `heads.split_scanned`). The
printed notice on the notice board is the one copy nobody with the database file in hand can change: a
chain rewritten end to end since (an amount ×10, every later hash and the fund's head recomputed) no longer
has the hash the notice saw at that length.

`published_heads` gives the workspace-wide `verify` every published notice's heads in one query (the
archived PDF is read only for a notice whose record keeps none).
"""

from pathlib import Path

from sqlalchemy.orm import load_only
from sqlmodel import Session, select

from desktop_app.core.models import Fund, LedgerEntry, Notice
from desktop_app.core.notices.lookup import archived_pdf, notice_label
from desktop_app.core.queries.projects import project_funds
from desktop_app.core.storage import heads as chain_heads
from desktop_app.core.storage.heads import Head

SHOWN_HASH_CHARS = 16
REWRITTEN_ADVICE = ("请不要以现在的账目为准：从公示发布前的备份恢复（设置 › 备份，命令行 backup restore），"
                    "或带上张贴的公示联系县慈善会核对。")


def project_heads(session: Session, project_id: str) -> list[Head]:
    """Where the chains of the project's funds stand now (funds with no posted entry carry none)."""
    return chain_heads.fund_heads((f.id, f.chain_length, f.chain_head) for f in project_funds(session, project_id))


def recorded_heads(notice: Notice, root: Path | None = None) -> list[Head] | None:
    """The heads a published notice sealed: its record's, else (published before the record kept them)
    its archived PDF's; None when it sealed none."""
    kept = chain_heads.from_json(notice.heads_json)
    if kept is not None or root is None or notice.status != "published" or not notice.pdf_name:
        return kept
    return chain_heads.read_pdf_heads(archived_pdf(Path(root), notice))


def published_heads(session: Session, root: Path) -> list[tuple[str, Head]]:
    """Every published notice's heads as (the notice's label, e.g. 公示 2025-001《…》, a head), in number
    order; notices that sealed none are left out. One query; a PDF is read only for a notice whose record
    keeps no heads (published before they were recorded)."""
    light = load_only(Notice.status, Notice.number, Notice.title, Notice.heads_json, Notice.pdf_name)
    rows = session.exec(select(Notice).options(light)
                        .where(Notice.status == "published", Notice.deleted == False)  # noqa: E712
                        .order_by(Notice.number_year, Notice.number_seq)).all()
    out: list[tuple[str, Head]] = []
    for notice in rows:
        label = notice_label(notice)
        out += [(label, head) for head in recorded_heads(notice, root) or []]
    return out


def rewritten(session: Session, heads: list[Head]) -> list[str]:
    """What the live chains say of `heads` (from a scanned QR code: prefixes; or whole): a sentence per fund
    whose chain no longer has, at the head's length, the hash the notice saw. [] when every head holds."""
    if not heads:
        return []
    funds = session.exec(select(Fund)).all()
    problems = []
    for head in heads:
        candidates = [f for f in funds if head.names(f.id)]
        if not any(_holds(session, f, head) for f in candidates):
            problems.append(_describe(head, candidates[0] if candidates else None))
    return problems


def _holds(session: Session, fund: Fund, head: Head) -> bool:
    if fund.chain_length < head.length:
        return False
    stored = session.exec(select(LedgerEntry.chain_hash).where(LedgerEntry.fund_id == fund.id,
                                                               LedgerEntry.chain_seq == head.length)).all()
    return bool(stored) and all(head.matches(fund.id, h) for h in stored)


def _describe(head: Head, fund: Fund | None) -> str:
    shown = head.head[:SHOWN_HASH_CHARS].upper() + "…"
    if fund is None:
        return (f"公示发布时编号以 {head.fund_id[:8]} 开头的社区基金账目到第 {head.length} 条分录为止的哈希为 {shown}，"
                "现在的账目里已经没有这个基金：发布后账目在程序之外被改写。")
    where = f"【{fund.name}】公示发布时账目到第 {head.length} 条分录为止的哈希为 {shown}，"
    if fund.chain_length < head.length:
        return where + f"现在的账目只有 {fund.chain_length} 条已记账分录，与之不符：发布后账目在程序之外被改写。"
    return where + "现在的账目与之不符：发布后账目在程序之外被改写。"

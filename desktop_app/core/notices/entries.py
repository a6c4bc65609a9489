"""The ledger entries behind a notice: which it disclosed, which were changed behind the app's back since
(their place in the hash chain no longer matches), and how an entry is named in a message."""

import json

from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import Fund, LedgerEntry, Notice, NoticeEntry
from desktop_app.core.money import format_yuan
from desktop_app.core.storage import chain
from desktop_app.core.vouchers import fund_voucher

MAX_LISTED_CHANGES = 40


def entry_text(entry: LedgerEntry, funds: dict[str, str]) -> str:
    """An entry as messages name it: 【fund】凭证 2024-0001（date，summary，收入 ¥…）."""
    values = chain.entry_values(entry)
    return (f"{fund_voucher(funds.get(entry.fund_id, ''), chain.voucher_label(values))}（{entry.entry_date}，{entry.summary}，"
            f"{'收入' if entry.flow == 'in' else '支出'} {format_yuan(entry.amount_fen)}）")


def _attachment_map(session: Session, entry_ids: list[str]) -> dict[str, list[str]]:
    """entry id → the SHA-256 of its live attachments (part of what the hash chain seals)."""
    out: dict[str, list[str]] = {}
    conn = session.connection()
    for start in range(0, len(entry_ids), 500):
        chunk = entry_ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.exec_driver_sql(
            "SELECT ea.entry_id, a.sha256 FROM entry_attachment ea JOIN attachment a ON a.id = ea.attachment_id "
            f"WHERE ea.deleted = 0 AND ea.entry_id IN ({marks})", tuple(chunk))
        for entry_id, sha in rows:
            out.setdefault(entry_id, []).append(sha)
    return out


def tampered_entries(session: Session, entries: list[LedgerEntry]) -> dict[str, str]:
    """Covered entries whose content no longer matches their place in the hash chain (changed behind the
    app's back, e.g. by editing the database file): entry id → what changed."""
    known = {(e.fund_id, e.chain_seq): e.chain_hash for e in entries if e.chain_seq is not None}
    attachments = _attachment_map(session, [e.id for e in entries])
    conn = session.connection()
    out: dict[str, str] = {}
    for entry in entries:
        if entry.status != "posted":
            continue
        values = chain.entry_values(entry)
        if entry.chain_seq is None or not entry.chain_hash:
            out[entry.id] = "已记账状态却不在哈希链中"
            continue
        if entry.chain_seq == 1:
            previous = ""
        elif (entry.fund_id, entry.chain_seq - 1) in known:
            previous = known[(entry.fund_id, entry.chain_seq - 1)] or ""
        else:
            previous = conn.exec_driver_sql(
                "SELECT chain_hash FROM ledger_entry WHERE fund_id = ? AND chain_seq = ?",
                (entry.fund_id, entry.chain_seq - 1)).scalar() or ""
        expected = chain.link_hash(previous, chain.canonical(values, attachments.get(entry.id, [])))
        if expected != entry.chain_hash:
            out[entry.id] = chain.describe_change(chain.posted_snapshot(session, entry.id), values)
    return out


def refuse_tampered(session: Session, entries: list[LedgerEntry]) -> None:
    """UserError naming the covered entries changed behind the app's back: no notice is made from them."""
    bad = tampered_entries(session, entries)
    if bad:
        funds = fund_names(session)
        details = [f"{entry_text(e, funds)}：{bad[e.id]}" for e in entries if e.id in bad]
        raise UserError("公示期间有已记账分录在程序之外被改动过，不能据此出具公示。"
                        "请先用 verify 查明并从改动之前的备份恢复。", details=details[:MAX_LISTED_CHANGES])


def fund_names(session: Session) -> dict[str, str]:
    """fund id → name, deleted funds included (an entry may name one)."""
    return {f.id: f.name for f in session.exec(select(Fund))}


def disclosed_entries(s: Session, notice: Notice) -> dict[str, str]:
    """entry id → chain hash of what a notice disclosed: the rows recorded at publishing, or for a draft
    (and a notice published before those rows existed) the pairs sealed at export."""
    if notice.status == "published":
        rows = s.exec(select(NoticeEntry).where(NoticeEntry.notice_id == notice.id,
                                                NoticeEntry.deleted == False))  # noqa: E712
        found = {r.entry_id: r.chain_hash for r in rows}
        if found or notice.entry_count == 0:
            return found
    return {entry_id: chain_hash for entry_id, chain_hash in json.loads(notice.entries_json or "[]")}


def entry_changes(s: Session, notice: Notice, entries: list[LedgerEntry]) -> list[str]:
    """Each entry that differs from what `notice` disclosed, in words: gone, changed (in the app or behind
    its back), or new; `entries` are the ones a rebuild covers now."""
    disclosed = disclosed_entries(s, notice)
    now = {e.id: e for e in entries}
    funds = fund_names(s)
    tampered = tampered_entries(s, entries)
    changes: list[str] = []
    for entry_id, chain_hash in disclosed.items():
        entry = now.get(entry_id)
        if entry is None:
            changes.append(_gone_text(s, entry_id, funds))
        elif entry_id in tampered:
            changes.append(f"{entry_text(entry, funds)} 被改动：{tampered[entry_id]}")
        elif (entry.chain_hash or "") != chain_hash:
            changes.append(f"{entry_text(entry, funds)} 的哈希与公示时不同（哈希链被改动）")
    for entry in entries:
        if entry.id not in disclosed:
            label = "新增（在程序之外插入）" if entry.id in tampered else "新增"
            changes.append(f"{label}：{entry_text(entry, funds)}")
    return changes


def _gone_text(s: Session, entry_id: str, funds: dict[str, str]) -> str:
    """A disclosed entry no longer covered: deleted from the database, or moved out of the notice."""
    entry = s.get(LedgerEntry, entry_id)
    if entry is None:
        before = chain.posted_snapshot(s, entry_id) or {}
        named = fund_voucher(funds.get(before.get("fund_id", ""), ""), chain.voucher_label(before))
        return (f"{named}（{before.get('entry_date', '')}，{before.get('summary', '')}，"
                f"{format_yuan(int(before.get('amount_fen') or 0))}）已从数据库中删除")
    before = chain.posted_snapshot(s, entry_id)
    why = chain.describe_change(before, chain.entry_values(entry)) if before else "不再属于公示期间"
    return f"{entry_text(entry, funds)} 已不在公示范围内：{why}"

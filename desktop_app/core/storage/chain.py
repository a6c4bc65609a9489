"""Tamper evidence: posted entries form a hash chain per fund.

Each posted entry's hash covers its canonical content and the previous entry's hash; the fund keeps
the chain's length and head, so removing the newest entry is caught too. `verify_chains` recomputes
every chain and names each entry changed, removed or inserted behind the app's back (for instance by
editing the SQLite file directly), using the change journal to say what the entry looked like.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from desktop_app.core.models import Attachment, ChangeJournal, EntryAttachment, Fund, LedgerEntry
from desktop_app.core.money import format_yuan
from desktop_app.core.storage.files import sha256_of
from desktop_app.core.vouchers import voucher_number

# The fields a posted entry's hash covers. Never reorder or drop one: old hashes would stop matching.
HASHED_FIELDS = (
    "id", "fund_id", "voucher_year", "voucher_seq", "entry_date", "entry_type", "flow", "amount_fen",
    "summary", "category", "expense_class", "restriction", "counterparty_name", "counterparty_kind",
    "anonymous", "publish_consent", "payment_method", "receipt_code", "receipt_no", "reverses_id",
    "reversal_reason", "override_reason", "status", "deleted", "chain_seq",
)
FIELD_LABELS = {
    "voucher_year": "凭证年度", "voucher_seq": "凭证号", "entry_date": "日期", "entry_type": "类型",
    "flow": "收支方向", "amount_fen": "金额", "summary": "摘要", "category": "业务类别",
    "expense_class": "支出性质", "restriction": "限定用途", "counterparty_name": "对方名称",
    "counterparty_kind": "对方类型", "anonymous": "匿名", "publish_consent": "同意公开姓名",
    "payment_method": "支付方式", "receipt_code": "票据代码", "receipt_no": "票据号码",
    "reverses_id": "冲销对象", "reversal_reason": "冲销原因", "override_reason": "超额说明",
    "status": "状态", "deleted": "删除标记", "chain_seq": "链位置", "fund_id": "所属基金", "id": "编号",
    "attachments": "附件",
}


def canonical(values: dict, attachment_hashes: list[str]) -> str:
    data = {}
    for name in HASHED_FIELDS:
        value = values.get(name)
        if isinstance(value, date):
            value = value.isoformat()
        if isinstance(value, int) and not isinstance(value, bool) and name in ("anonymous", "publish_consent", "deleted"):
            value = bool(value)
        data[name] = value
    data["attachments"] = sorted(attachment_hashes)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def link_hash(previous: str, content: str) -> str:
    return hashlib.sha256((previous + "\n" + content).encode("utf-8")).hexdigest()


def attachment_hashes(session: Session, entry_id: str) -> list[str]:
    rows = session.exec(
        select(Attachment.sha256).join(EntryAttachment, EntryAttachment.attachment_id == Attachment.id)
        .where(EntryAttachment.entry_id == entry_id, EntryAttachment.deleted == False)  # noqa: E712
    )
    return list(rows)


def entry_values(entry: LedgerEntry) -> dict:
    return {name: getattr(entry, name) for name in HASHED_FIELDS}


def append(session: Session, fund: Fund, entry: LedgerEntry) -> None:
    """Link a just-posted entry to its fund's chain (inside the posting transaction)."""
    entry.chain_seq = fund.chain_length + 1
    entry.chain_hash = link_hash(fund.chain_head, canonical(entry_values(entry), attachment_hashes(session, entry.id)))
    fund.chain_length = entry.chain_seq
    fund.chain_head = entry.chain_hash
    session.add(entry)
    session.add(fund)


@dataclass(frozen=True)
class ChainProblem:
    fund: str
    kind: str  # changed | removed | inserted | head
    voucher: str
    detail: str

    def describe(self) -> str:
        label = {"changed": "被改动", "removed": "被删除", "inserted": "被插入", "head": "链尾不符"}[self.kind]
        return f"【{self.fund}】凭证 {self.voucher} {label}：{self.detail}"


@dataclass
class VerifyReport:
    funds: int = 0
    entries: int = 0
    problems: list[ChainProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def voucher_label(values: dict) -> str:
    if values.get("voucher_seq") is None:
        return "（无凭证号）"
    return voucher_number(values.get("voucher_year"), values["voucher_seq"])


def posted_snapshot(session: Session, entry_id: str) -> dict | None:
    """The entry as the app last wrote it, from the change journal."""
    row = session.exec(
        select(ChangeJournal).where(ChangeJournal.table_name == "ledger_entry", ChangeJournal.record_id == entry_id)
        .order_by(ChangeJournal.seq.desc())
    ).first()
    return json.loads(row.payload) if row else None


def describe_change(before: dict | None, now: dict) -> str:
    if before is None:
        return "内容与记账时不符（变更记录中没有这条分录的原始内容）"
    diffs = []
    for name in HASHED_FIELDS:
        old, new = before.get(name), now.get(name)
        if isinstance(new, date):
            new = new.isoformat()
        if name in ("anonymous", "publish_consent", "deleted"):
            old, new = bool(old), bool(new)
        if old != new:
            if name == "amount_fen":
                diffs.append(f"金额 由 {format_yuan(old)} 变为 {format_yuan(new)}")
            else:
                diffs.append(f"{FIELD_LABELS.get(name, name)} 由“{old}”变为“{new}”")
    return "；".join(diffs) if diffs else "附件被替换或删除"


def _journal_chain_entries(session: Session, fund_id: str) -> dict[int, dict]:
    """Posted entries of a fund as recorded in the journal, by chain position."""
    out = {}
    rows = session.exec(select(ChangeJournal.payload).where(ChangeJournal.table_name == "ledger_entry"))
    for payload in rows:
        if f'"fund_id": "{fund_id}"' not in payload or '"chain_seq": null' in payload:
            continue
        values = json.loads(payload)
        if values.get("chain_seq"):
            out[int(values["chain_seq"])] = values
    return out


def _fund_attachment_hashes(session: Session, fund_id: str) -> dict[str, list[str]]:
    rows = session.connection().exec_driver_sql(
        "SELECT ea.entry_id, a.sha256 FROM entry_attachment ea JOIN attachment a ON a.id = ea.attachment_id "
        "JOIN ledger_entry e ON e.id = ea.entry_id WHERE e.fund_id = ? AND ea.deleted = 0", (fund_id,))
    out: dict[str, list[str]] = {}
    for entry_id, sha in rows:
        out.setdefault(entry_id, []).append(sha)
    return out


def _journal_latest(session: Session, table: str) -> dict[str, dict]:
    """The last state the app wrote of every record of a table, from the change journal."""
    latest: dict[str, dict] = {}
    for payload in session.exec(select(ChangeJournal.payload).where(ChangeJournal.table_name == table)
                                .order_by(ChangeJournal.seq)):
        values = json.loads(payload)
        latest[values["id"]] = values
    return latest


def _check_funds_against_journal(session: Session, report: VerifyReport) -> None:
    """A fund row removed, or its chain cut back (newest entries deleted and the head rolled back)."""
    present = {f.id: f for f in session.exec(select(Fund))}
    for fund_id, known in _journal_latest(session, "fund").items():
        fund = present.get(fund_id)
        if fund is None:
            report.problems.append(ChainProblem(known.get("name", fund_id), "removed", "-",
                                                "整个社区基金（连同它的分录）在程序之外被删除"))
        elif int(known.get("chain_length") or 0) > fund.chain_length:
            entries = _journal_chain_entries(session, fund_id)
            for seq in range(fund.chain_length + 1, int(known["chain_length"]) + 1):
                gone = entries.get(seq, {})
                report.problems.append(ChainProblem(
                    fund.name, "removed", voucher_label(gone) if gone else f"链位置 {seq}",
                    f"{gone.get('entry_date', '')} “{gone.get('summary', '')}” — 链尾被截短后删除"))


def _check_attachment_files(session: Session, attachments_dir, report: VerifyReport, progress=None) -> None:
    """Voucher scans of posted entries: each file must still hash to the value the chain covers."""
    rows = session.connection().exec_driver_sql(
        "SELECT DISTINCT a.sha256, a.original_name, f.name, e.voucher_year, e.voucher_seq "
        "FROM attachment a JOIN entry_attachment ea ON ea.attachment_id = a.id AND ea.deleted = 0 "
        "JOIN ledger_entry e ON e.id = ea.entry_id AND e.status = 'posted' JOIN fund f ON f.id = e.fund_id").all()
    for sha, name, fund_name, year, seq in rows:
        path = attachments_dir / sha[:2] / sha
        voucher = voucher_label({"voucher_year": year, "voucher_seq": seq})
        try:
            digest = sha256_of(path)
        except OSError:
            report.problems.append(ChainProblem(fund_name, "removed", voucher, f"附件“{name}”的文件不见了"))
            continue
        if digest != sha:
            report.problems.append(ChainProblem(fund_name, "changed", voucher, f"附件“{name}”的文件内容被替换"))
        if progress:
            progress(0, 0)  # lets a cancel through between files


def verify_workspace(ws, progress=None) -> "VerifyReport":
    """Everything `verify` checks: the chains, the funds against the journal, the attachment files."""
    with ws.reading() as session:
        report = verify_chains(session, progress)
        _check_funds_against_journal(session, report)
        _check_attachment_files(session, ws.attachments_dir, report, progress)
    return report


def verify_chains(session: Session, progress=None) -> VerifyReport:
    """Recompute every fund's chain. Reads rows as plain tuples: a million entries take seconds."""
    report = VerifyReport()
    conn = session.connection()
    columns = ", ".join(HASHED_FIELDS)
    total_count = conn.exec_driver_sql(
        "SELECT count(*) FROM ledger_entry WHERE status = 'posted' OR chain_seq IS NOT NULL").scalar()
    done = 0
    for fund in session.exec(select(Fund)):
        report.funds += 1
        attachments = _fund_attachment_hashes(session, fund.id)
        cursor = conn.exec_driver_sql(
            f"SELECT {columns}, chain_hash FROM ledger_entry WHERE fund_id = ? "
            "AND (status = 'posted' OR chain_seq IS NOT NULL)", (fund.id,))
        by_seq: dict[int, tuple[dict, str]] = {}
        for row in cursor:
            values = dict(zip(HASHED_FIELDS, row[:-1], strict=True))
            stored = row[-1]
            seq = values["chain_seq"]
            if seq is None or stored is None:
                report.problems.append(ChainProblem(
                    fund.name, "inserted", voucher_label(values),
                    f"已记账状态却不在哈希链中（摘要“{values['summary']}”，金额 {format_yuan(values['amount_fen'])}）"))
            elif seq in by_seq or seq > fund.chain_length or seq < 1:
                report.problems.append(ChainProblem(fund.name, "inserted", voucher_label(values),
                                                    f"链位置 {seq} 不属于这条链（摘要“{values['summary']}”）"))
            else:
                by_seq[seq] = (values, stored)
        journal_entries = None
        previous = ""
        for seq in range(1, fund.chain_length + 1):
            found = by_seq.get(seq)
            if found is None:
                if journal_entries is None:
                    journal_entries = _journal_chain_entries(session, fund.id)
                known = journal_entries.get(seq)
                if known:
                    report.problems.append(ChainProblem(
                        fund.name, "removed", voucher_label(known),
                        f"{known.get('entry_date')} “{known.get('summary')}” "
                        f"{format_yuan(int(known.get('amount_fen') or 0))}"))
                    previous = known.get("chain_hash") or previous
                else:
                    report.problems.append(ChainProblem(fund.name, "removed", f"链位置 {seq}", "一条已记账分录不见了"))
                continue
            values, stored = found
            report.entries += 1
            done += 1
            expected = link_hash(previous, canonical(values, attachments.get(values["id"], [])))
            if expected != stored:
                before = posted_snapshot(session, values["id"])
                report.problems.append(ChainProblem(fund.name, "changed", voucher_label(before or values),
                                                    describe_change(before, values)))
            previous = stored
            if progress and done % 1000 == 0:
                progress(done, total_count)
        if fund.chain_length and previous != fund.chain_head and not any(p.fund == fund.name for p in report.problems):
            report.problems.append(ChainProblem(fund.name, "head", "-", "基金记录的链尾哈希与分录不一致，链尾可能被改动"))
    if progress:
        progress(total_count, total_count)
    return report

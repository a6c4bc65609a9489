"""Tamper evidence: posted entries form a hash chain per fund.

Each posted entry's hash covers its canonical content and the previous entry's hash; the fund keeps
the chain's length and head, so removing the newest entry is caught too. `verify_chains` recomputes
every chain and names each entry changed, removed or inserted behind the app's back (for instance by
editing the SQLite file directly), using the change journal to say what the entry looked like.

A chain recomputed end to end by someone with the file in hand is consistent again: it is caught by the
witnesses outside the chain (the change journal, backups, published notices: see `verify.py`), which
ask this pass for the stored hash at the positions they recorded (`checkpoints`).

Speed: the canonical JSON of every posted entry is built by SQLite (`canonical_sql`, byte for byte what
`canonical` writes, checked by a test), so Python only hashes; rows are streamed per fund with only the
positions not yet linked kept in memory.
"""

import hashlib
import json
import sqlite3
from datetime import date

from sqlmodel import Session, select

from desktop_app.core.models import Attachment, ChangeJournal, EntryAttachment, Fund, LedgerEntry
from desktop_app.core.money import format_yuan
from desktop_app.core.storage.findings import CHAIN, ChainProblem, VerifyReport  # noqa: F401 (re-exported)
from desktop_app.core.vouchers import voucher_number

# The fields a posted entry's hash covers. Never reorder or drop one: old hashes would stop matching.
HASHED_FIELDS = (
    "id", "fund_id", "voucher_year", "voucher_seq", "entry_date", "entry_type", "flow", "amount_fen",
    "summary", "category", "expense_class", "restriction", "counterparty_name", "counterparty_kind",
    "anonymous", "publish_consent", "payment_method", "receipt_code", "receipt_no", "reverses_id",
    "reversal_reason", "override_reason", "status", "deleted", "chain_seq",
)
BOOLEAN_FIELDS = ("anonymous", "publish_consent", "deleted")
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
IN_CHAIN = "(status = 'posted' OR chain_seq IS NOT NULL)"
NO_ATTACHMENTS = '"attachments":[]'


def canonical(values: dict, attachment_hashes: list[str]) -> str:
    data = {}
    for name in HASHED_FIELDS:
        value = values.get(name)
        if isinstance(value, date):
            value = value.isoformat()
        if isinstance(value, int) and not isinstance(value, bool) and name in BOOLEAN_FIELDS:
            value = bool(value)
        data[name] = value
    data["attachments"] = sorted(attachment_hashes)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_sql(alias: str = "e") -> str:
    """`canonical` of the row `alias` (without attachments: `with_attachments` adds them), built by SQLite:
    json_object writes compact JSON and escapes text as json.dumps does; keys in sorted order. A boolean
    field holding anything but 0 or 1 is written as it is, so it can never pass for the original."""
    args = []
    for name in sorted((*HASHED_FIELDS, "attachments")):
        if name == "attachments":
            args.append("'attachments', json_array()")
        elif name in BOOLEAN_FIELDS:
            args.append(f"'{name}', CASE {alias}.{name} WHEN 1 THEN json('true') WHEN 0 THEN json('false') "
                        f"ELSE {alias}.{name} END")
        else:
            args.append(f"'{name}', {alias}.{name}")
    return "json_object(" + ", ".join(args) + ")"


def with_attachments(content: str, hashes: list[str] | None) -> str:
    """Put an entry's attachment hashes into its canonical text from `canonical_sql` ("attachments" is the
    third key, after a number and a boolean, so its first occurrence is the key itself)."""
    if not hashes:
        return content
    listed = json.dumps(sorted(hashes), separators=(",", ":"))
    return content.replace(NO_ATTACHMENTS, f'"attachments":{listed}', 1)


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
        if name in BOOLEAN_FIELDS:
            old, new = bool(old), bool(new)
        if old != new:
            if name == "amount_fen" and isinstance(old, int) and isinstance(new, int):
                diffs.append(f"金额 由 {format_yuan(old)} 变为 {format_yuan(new)}")
            else:
                diffs.append(f"{FIELD_LABELS.get(name, name)} 由“{old}”变为“{new}”")
    return "；".join(diffs) if diffs else "附件被替换或删除"


def raw_connection(session: Session) -> sqlite3.Connection:
    """The session's own sqlite3 connection (inside its read transaction): rows as plain tuples."""
    return session.connection().connection.driver_connection


def entry_row(conn: sqlite3.Connection, entry_id: str) -> dict:
    row = conn.execute(f"SELECT {', '.join(HASHED_FIELDS)} FROM ledger_entry WHERE id = ?", (entry_id,)).fetchone()
    return dict(zip(HASHED_FIELDS, row, strict=True)) if row else {}


def journal_snapshot(conn: sqlite3.Connection, entry_id: str) -> dict | None:
    row = conn.execute("SELECT payload FROM change_journal WHERE record_id = ? AND table_name = 'ledger_entry' "
                       "ORDER BY seq DESC LIMIT 1", (entry_id,)).fetchone()
    try:
        values = json.loads(row[0]) if row else None
    except (TypeError, ValueError):
        return None  # the journal row itself was edited: say what the entry is now, without its past
    return values if isinstance(values, dict) else None


def journal_chain_entries(conn: sqlite3.Connection) -> dict[tuple[str, int], dict]:
    """Posted entries as the journal last recorded them, by (fund, chain position): to name entries that
    are gone. Reads the whole journal: only when something is missing."""
    out: dict[tuple[str, int], dict] = {}
    for (payload,) in conn.execute("SELECT payload FROM change_journal WHERE table_name = 'ledger_entry' "
                                   "AND payload NOT LIKE '%\"chain_seq\": null%' ORDER BY seq"):
        try:
            values = json.loads(payload)
        except (TypeError, ValueError):
            continue  # an edited journal row names nothing
        if isinstance(values, dict) and values.get("chain_seq"):
            out[(values.get("fund_id"), int(values["chain_seq"]))] = values
    return out


def fund_attachment_hashes(conn: sqlite3.Connection, fund_id: str) -> dict[str, list[str]]:
    rows = conn.execute(
        "SELECT ea.entry_id, a.sha256 FROM entry_attachment ea JOIN attachment a ON a.id = ea.attachment_id "
        "JOIN ledger_entry e ON e.id = ea.entry_id WHERE e.fund_id = ? AND ea.deleted = 0", (fund_id,))
    out: dict[str, list[str]] = {}
    for entry_id, sha in rows:
        out.setdefault(entry_id, []).append(sha)
    return out


def chain_cursor(conn: sqlite3.Connection, fund_id: str):
    """(canonical text without attachments, chain position, stored hash, id) of a fund's chained entries."""
    return conn.execute(f"SELECT {canonical_sql('e')}, e.chain_seq, e.chain_hash, e.id FROM ledger_entry e "
                        f"WHERE e.fund_id = ? AND {IN_CHAIN.replace('status', 'e.status')}", (fund_id,))


def hash_posted_rows(conn: sqlite3.Connection) -> int:
    """The reference `verify` is measured against (bench/benchmark.py): read every posted row once and hash
    its canonical form, nothing else. Returns how many."""
    count = 0
    for fund_id, in conn.execute("SELECT id FROM fund").fetchall():
        attachments = fund_attachment_hashes(conn, fund_id)
        previous = ""
        for content, _seq, _stored, entry_id in chain_cursor(conn, fund_id):
            previous = link_hash(previous, with_attachments(content, attachments.get(entry_id)))
            count += 1
    return count


class _FundPass:
    """One fund's chain, checked as its rows stream in (in any order): a row is checked once the stored hash
    of the position before it is known; only rows waiting for that, and hashes waiting for their successor,
    are kept."""

    def __init__(self, conn, fund_id: str, name: str, length: int, head: str, report: VerifyReport,
                 wanted: set[int]):
        self.conn, self.fund_id, self.name, self.length, self.head = conn, fund_id, name, length, head
        self.report, self.wanted = report, wanted
        self.seen = bytearray(length + 2)
        self.stored: dict[int, str] = {0: ""}  # position → stored hash, until the next position used it
        self.waiting: dict[int, tuple[str, str, str]] = {}  # position → (content, stored hash, id)
        self.changed: list[str] = []  # ids whose content no longer gives their stored hash

    def problem(self, kind: str, voucher: str, detail: str) -> None:
        self.report.add(ChainProblem(self.name, kind, voucher, detail, CHAIN))

    def row(self, content: str, seq, stored: str | None, entry_id: str) -> None:
        if seq is None or stored is None or not isinstance(seq, int):
            values = entry_row(self.conn, entry_id)
            self.problem("inserted", voucher_label(values),
                         f"已记账状态却不在哈希链中（摘要“{values.get('summary')}”，金额 {_yuan(values.get('amount_fen'))}）")
            return
        if seq < 1 or seq > self.length or self.seen[seq]:
            values = entry_row(self.conn, entry_id)
            self.problem("inserted", voucher_label(values), f"链位置 {seq} 不属于这条链（摘要“{values.get('summary')}”）")
            return
        self.seen[seq] = 1
        self.report.entries += 1
        if seq in self.wanted:
            self.report.stored_at[(self.fund_id, seq)] = stored
        previous = self.stored.pop(seq - 1, None)
        if previous is None:  # its predecessor has not come yet
            self.waiting[seq] = (content, stored, entry_id)
            return
        if link_hash(previous, content) != stored:
            self.changed.append(entry_id)
        self.stored[seq] = stored
        if self.waiting:
            self.link(seq + 1)

    def link(self, seq: int) -> None:
        """Check the rows from `seq` on whose predecessor's stored hash is known."""
        while seq in self.waiting and (seq - 1) in self.stored:
            content, stored, entry_id = self.waiting.pop(seq)
            if link_hash(self.stored.pop(seq - 1), content) != stored:
                self.changed.append(entry_id)
            self.stored[seq] = stored
            seq += 1

    def finish(self, journal: dict | None) -> None:
        """Positions never seen are removed entries (named from the journal when it has them); the entry
        after one is checked against the removed entry's hash as the journal recorded it."""
        for seq in range(1, self.length + 1):
            if self.seen[seq]:
                continue
            known = (journal or {}).get((self.fund_id, seq))
            if known:
                self.problem("removed", voucher_label(known), f"{known.get('entry_date')} “{known.get('summary')}” "
                             f"{_yuan(known.get('amount_fen'))}")
                if known.get("chain_hash"):
                    self.stored[seq] = known["chain_hash"]
                    self.link(seq + 1)
            else:
                self.problem("removed", f"链位置 {seq}", "一条已记账分录不见了")
        for entry_id in self.changed:
            before = journal_snapshot(self.conn, entry_id)
            self.problem("changed", voucher_label(before or entry_row(self.conn, entry_id)),
                         describe_change(before, entry_row(self.conn, entry_id)))
        last = self.stored.get(self.length) if self.length else ""
        if self.length and last is not None and last != self.head and not any(
                p.fund == self.name for p in self.report.problems):
            self.problem("head", "-", "基金记录的链尾哈希与分录不一致，链尾可能被改动")

    @property
    def missing(self) -> bool:
        return any(not self.seen[seq] for seq in range(1, self.length + 1))


def _yuan(fen) -> str:
    return format_yuan(fen) if isinstance(fen, int) else f"“{fen}”"


def verify_chains(session: Session, progress=None, checkpoints: dict[str, set[int]] | None = None) -> VerifyReport:
    """Recompute every fund's chain. `checkpoints`: fund id → chain positions whose stored hash a witness
    recorded; they come back in `report.stored_at`."""
    return verify_chains_on(raw_connection(session), progress, checkpoints)


def verify_chains_on(conn: sqlite3.Connection, progress=None,
                     checkpoints: dict[str, set[int]] | None = None, *, office_id: str | None = None) -> VerifyReport:
    """`office_id`: only that office's funds (the county checking one township's package)."""
    report = VerifyReport()
    funds = conn.execute("SELECT id, name, chain_length, chain_head FROM fund"
                         + (" WHERE office_id = ?" if office_id else ""), (office_id,) if office_id else ()).fetchall()
    total = sum(int(length or 0) for _id, _name, length, _head in funds)
    done = 0
    journal = None
    for fund_id, name, length, head in funds:
        report.funds += 1
        length = int(length or 0)
        attachments = fund_attachment_hashes(conn, fund_id)
        state = _FundPass(conn, fund_id, name, length, head or "", report, (checkpoints or {}).get(fund_id, set()))
        state.wanted.add(length)
        for content, seq, stored, entry_id in chain_cursor(conn, fund_id):
            state.row(with_attachments(content, attachments.get(entry_id)), seq, stored, entry_id)
            done += 1
            if progress and done % 4096 == 0:
                progress(done, total)
        if journal is None and state.missing:
            journal = journal_chain_entries(conn)
        state.finish(journal)
    if progress:
        progress(total, total)
    return report


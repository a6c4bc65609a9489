"""The witnesses `verify` compares the live records with, beside the hash chain (chain.py): a chain
recomputed end to end by someone with the SQLite file in hand is consistent again, but it no longer agrees
with what was recorded elsewhere when the app wrote it.

- The change journal: every live row of every journalled table against its last journalled state (built
  in SQL by `record_state`, so a million rows are compared without parsing a million payloads), every
  journalled record still present, and the journal's own sequence without gaps.
- Backups: each backup of this office holds its funds' chain heads and its journal's last row. On the live
  timeline (that row is still in the live journal, unchanged) its heads must still be in the live chains.
- Files: voucher scans of posted entries, photos used in notices and the archived notice PDFs hash to what
  the database recorded.

Each check adds `ChainProblem`s naming what changed, where and which witness found it. Published notices,
the third witness, are read above this layer (services/verify.py) and compared through `compare_heads`.
"""

import json
import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path

from desktop_app.core.money import format_yuan
from desktop_app.core.storage import backup as backups
from desktop_app.core.storage import db, record_state
from desktop_app.core.storage.chain import FIELD_LABELS, voucher_label
from desktop_app.core.storage.files import sha256_of
from desktop_app.core.storage.findings import FILES, JOURNAL, ChainProblem, VerifyReport
from desktop_app.core.storage.heads import Head, fund_heads
from desktop_app.core.storage.journal import LABEL_FIELDS, RECORD_NOUNS

LABELS = FIELD_LABELS | {
    "name": "名称", "title": "标题", "purpose": "用途", "month": "月份", "item": "物品", "unit": "单位",
    "quantity_milli": "数量", "caption": "说明", "sha256": "文件哈希", "attachment_id": "附件",
    "chain_head": "链尾哈希", "chain_length": "分录条数", "status": "状态", "office_id": "所属单位",
    "version": "版本", "updated_at": "修改时间", "created_at": "创建时间", "in_notice": "用于公示",
    "pdf_sha256": "存档文件哈希", "entries_json": "公示封存的分录", "movement_date": "日期",
    "direction": "方向", "project_id": "所属项目", "activity_id": "所属活动", "space_id": "所属阵地",
}
CHAIN_COLUMNS = {"chain_hash", "chain_head", "chain_length"}  # what a chain recomputed end to end rewrites
BOOKKEEPING = {"version", "updated_at"}


def label_of(table: str, values: dict) -> str:
    noun = RECORD_NOUNS.get(table, table)
    for name in LABEL_FIELDS:
        if values.get(name):
            return f"{noun}“{values[name]}”"
    if table == "closed_month":
        return f"{noun} {values.get('month', '')}"
    return f"{noun}（编号 {str(values.get('id', ''))[:8]}）"


def show(name: str, value) -> str:
    """A value in a message: text in quotes, anything else between spaces (as chain.describe_change writes)."""
    if name == "amount_fen" and isinstance(value, int):
        return f" {format_yuan(value)} "
    if name in CHAIN_COLUMNS | {"sha256", "pdf_sha256"} and isinstance(value, str) and len(value) > 16:
        return f" {value[:12]}… "
    return f"“{value}”" if isinstance(value, str) else f" {value} "


def describe(diffs: list[tuple[str, object, object]]) -> str:
    shown = [d for d in diffs if d[0] not in BOOKKEEPING] or diffs
    return "；".join(f"{LABELS.get(n, n)} 由{show(n, old)}变为{show(n, new)}".rstrip() for n, old, new in shown)


class JournalCheck:
    """Live rows against the change journal (one SQL pass per table), then what the journal holds that the
    tables lack, then the journal's own continuity."""

    def __init__(self, conn: sqlite3.Connection, report: VerifyReport, progress=None):
        self.conn, self.report, self.progress = conn, report, progress
        self.funds = dict(conn.execute("SELECT id, name FROM fund"))
        self.rewritten: dict[str, list[str]] = {}  # fund id → vouchers whose only change is their chain hash
        self.heads: list[ChainProblem] = []  # a fund's head unlike the journal's: said only if nothing else is
        self.suspect_funds: list[str] = []  # funds whose head is not as journalled: entries compared one by one

    def run(self) -> None:
        tables = record_state.record_tables()
        present = {row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        live_rows = 0
        for name in sorted(tables, key=lambda n: (n == "ledger_entry", n != "fund")):  # funds first, entries last
            if name not in present:
                self.add("", "missing", "", f"数据表 {name} 不见了：数据库文件在程序之外被改动",
                         f"{RECORD_NOUNS.get(name, name)}（整张表）")
                continue
            live_rows += self.conn.execute(f"SELECT count(*) FROM {record_state.quote_name(name)}").fetchone()[0]
            if name == "ledger_entry":
                self.compare_entries(tables[name])
            else:
                self.compare_table(name, tables[name])
            if self.progress:
                self.progress(0, 0)
        for fund_id, vouchers in self.rewritten.items():
            self.add(self.funds.get(fund_id, ""), "rewritten", vouchers[0],
                     f"{self.span(vouchers)}的链哈希与变更记录不符，而内容未变：哈希链在程序之外被重算"
                     "（重算是为了掩盖上面或别处的改动）")
        journalled = self.conn.execute("SELECT count(DISTINCT record_id) FROM change_journal").fetchone()[0]
        if journalled > live_rows:
            self.find_removed(tables, present)
        named = {p.fund for p in self.report.problems}
        self.report.problems.extend(p for p in self.heads if p.fund not in named)
        self.continuity()
        self.identity(present)
        self.entry_owners()

    def identity(self, present: set[str]) -> None:
        """The workspace's own record of which epoch it is in (not journalled) must name a journalled epoch."""
        if "local_identity" not in present or "workspace_epoch" not in present:
            return
        row = self.conn.execute("SELECT epoch_id FROM local_identity WHERE id = 1").fetchone()
        if row and row[0] and not self.conn.execute("SELECT 1 FROM workspace_epoch WHERE id = ?", row).fetchone():
            self.add("", "changed", "", "本工作区记录的时期编号在变更记录中不存在：本单位身份记录在程序之外被改动",
                     "本单位身份")

    def entry_owners(self) -> None:
        """A chained entry's office is outside its hash: it must be its fund's office (an entry never moves
        between offices), which one indexed pass per fund shows without the journal."""
        for fund_id, office_id in self.conn.execute("SELECT id, office_id FROM fund").fetchall():
            rows = self.conn.execute("SELECT voucher_year, voucher_seq FROM ledger_entry WHERE fund_id = ? "
                                     "AND office_id <> ? LIMIT 20", (fund_id, office_id)).fetchall()
            for year, seq in rows:
                self.add(self.funds.get(fund_id, ""), "changed", voucher_label({"voucher_year": year, "voucher_seq": seq}),
                         "所属单位与基金的不同：分录被改到别的单位名下（在程序之外）")

    @staticmethod
    def span(vouchers: list[str]) -> str:
        if len(vouchers) == 1:
            return f"凭证 {vouchers[0]} "
        return f"凭证 {vouchers[0]} 至 {vouchers[-1]} 共 {len(vouchers)} 条分录"

    def add(self, fund: str, kind: str, voucher: str, detail: str, what: str = "") -> None:
        self.report.add(ChainProblem(fund, kind, voucher, detail, JOURNAL, what))

    def compare_entries(self, table) -> None:
        """Entries outside the chain (drafts) row by row. Entries in the chain are bound to their fund's head
        by their hashes, and the head was compared with the journal (funds come first): a head as journalled,
        with every link verified, means every chained entry is as journalled. Only a fund whose head is not
        (a chain recomputed, cut back or lengthened) has its chained entries compared row by row, to name them:
        comparing a million rows when nothing changed would double the time `verify` takes."""
        self.compare_table("ledger_entry", table, "t.chain_seq IS NULL")
        for fund_id in self.suspect_funds:
            self.compare_table("ledger_entry", table, "t.fund_id = ? AND t.chain_seq IS NOT NULL", (fund_id,))

    def compare_table(self, name: str, table, where: str = "", params: tuple = ()) -> None:
        quoted = record_state.quote_name(name)
        columns = [row[1] for row in self.conn.execute(f"PRAGMA table_info({quoted})")]
        payload = record_state.payload_sql(table, "t", [c for c in columns if c in table.columns])
        rows = self.conn.execute(
            f"SELECT t.id, j.payload FROM {quoted} t LEFT JOIN change_journal j "
            f"ON j.seq = {record_state.latest_journal_sql('t')} WHERE (j.payload IS NULL OR j.payload <> {payload})"
            + (f" AND {where}" if where else ""), params)
        for record_id, journalled in rows.fetchall():
            live = record_state.fetch_row(self.conn, name, record_id) or {}
            if journalled is None:
                self.inserted(name, live)
                continue
            before = _json(journalled)
            if before is None:
                self.add("", "changed", "", "它在变更记录中的最后一条无法读取：变更记录在程序之外被改动",
                         label_of(name, live))
                continue
            diffs = record_state.differences(table, before, live)
            if diffs:
                self.changed(name, before, live, diffs)

    def inserted(self, name: str, live: dict) -> None:
        if name == "ledger_entry":
            amount = live.get("amount_fen")
            self.add(self.funds.get(live.get("fund_id"), ""), "inserted", voucher_label(live),
                     f"{live.get('entry_date')} “{live.get('summary')}” "
                     f"{format_yuan(amount) if isinstance(amount, int) else amount}：变更记录中没有这条分录，"
                     "它是在程序之外加入的")
        else:
            self.add("", "inserted", "", "变更记录中没有这条记录，它是在程序之外加入的", label_of(name, live))

    def changed(self, name: str, before: dict, live: dict, diffs: list) -> None:
        names = {d[0] for d in diffs}
        if name == "ledger_entry":
            fund = self.funds.get(live.get("fund_id"), "")
            if names - BOOKKEEPING <= {"chain_hash"} and "chain_hash" in names:
                self.rewritten.setdefault(live.get("fund_id"), []).append(voucher_label(live))
                return
            if self.already_named(fund, voucher_label(before)):
                return
            shown = [d for d in diffs if d[0] != "chain_hash"]
            self.add(fund, "changed", voucher_label(before), describe(shown or diffs))
            return
        if name == "fund" and names & CHAIN_COLUMNS:
            self.suspect_funds.append(live["id"])
        if name == "fund" and names - BOOKKEEPING <= CHAIN_COLUMNS:
            self.fund_head(before, live)
            return
        fund = self.funds.get(live.get("fund_id"), "") if "fund_id" in live else ""
        self.add(fund, "changed", "", describe(diffs), label_of(name, before))

    def already_named(self, fund: str, voucher: str) -> bool:
        return any(p.fund == fund and p.voucher == voucher and p.kind in ("changed", "removed")
                   for p in self.report.problems)

    def fund_head(self, before: dict, live: dict) -> None:
        old, new = int(before.get("chain_length") or 0), int(live.get("chain_length") or 0)
        if new < old:
            detail = f"分录条数由 {old} 变为 {new}：最后 {old - new} 条已记账分录在程序之外被删除，链尾被改回"
        elif new > old:
            detail = f"分录条数由 {old} 变为 {new}：有 {new - old} 条分录在程序之外接到链尾"
        else:
            detail = "链尾哈希与变更记录不符：哈希链在程序之外被重算"
        self.heads.append(ChainProblem(live.get("name", ""), "head", "-", detail, JOURNAL))

    def find_removed(self, tables: dict, present: set[str]) -> None:
        """Records the journal holds and no table does (rows deleted outside the app: the app never deletes,
        it marks a record deleted). Only when the counts say some are gone: this reads the whole journal.
        A removed fund is named once, with how many of its entries went with it."""
        gone_funds: dict[str, str] = {}
        gone_entries: dict[str, int] = {}
        for name in sorted(tables, key=lambda n: n != "fund"):
            if name not in present:
                continue  # a missing table is named once, above
            for values in self.journalled_only(name):
                fund_id = values.get("fund_id") or ""
                if name == "fund":
                    gone_funds[values["id"]] = values.get("name", "")
                elif fund_id in gone_funds:
                    if name == "ledger_entry":
                        gone_entries[fund_id] = gone_entries.get(fund_id, 0) + 1
                elif name == "ledger_entry":
                    fund = self.funds.get(fund_id, "")
                    if not self.already_named(fund, voucher_label(values)):
                        amount = values.get("amount_fen")
                        self.add(fund, "removed", voucher_label(values),
                                 f"{values.get('entry_date')} “{values.get('summary')}” "
                                 f"{format_yuan(amount) if isinstance(amount, int) else amount}：变更记录中有，数据库中没有")
                else:
                    self.add(self.funds.get(fund_id, ""), "removed", "", "变更记录中有，数据库中没有：在程序之外被删除",
                             label_of(name, values))
        for fund_id, fund_name in gone_funds.items():
            self.add(fund_name, "removed", "-", f"整个社区基金（连同它的 {gone_entries.get(fund_id, 0)} 条分录）"
                     "在程序之外被删除", "社区基金")

    def journalled_only(self, name: str) -> list[dict]:
        """The last journalled state of every record of table `name` that the table no longer holds."""
        rows = self.conn.execute(
            f"SELECT j.payload FROM change_journal j WHERE j.table_name = ? "
            f"AND j.seq = (SELECT max(seq) FROM change_journal WHERE record_id = j.record_id) "
            f"AND NOT EXISTS (SELECT 1 FROM {record_state.quote_name(name)} t WHERE t.id = j.record_id)", (name,))
        return [values for (payload,) in rows.fetchall() if (values := _json(payload)) is not None]

    def continuity(self) -> None:
        count, last = self.conn.execute("SELECT count(*), coalesce(max(seq), 0) FROM change_journal").fetchone()
        if count == last:
            return
        gaps = self.conn.execute(
            "SELECT seq + 1 FROM change_journal j WHERE seq < ? AND NOT EXISTS "
            "(SELECT 1 FROM change_journal k WHERE k.seq = j.seq + 1) LIMIT 5", (last,)).fetchall()
        where = "、".join(f"第 {g[0]} 条" for g in gaps)
        self.add("", "gap", "", f"变更记录的编号不连续（{where}起缺失，共缺 {last - count} 条）：变更记录被删改过",
                 "变更记录")


def _json(text) -> dict | None:
    """A journal payload, or None when it is no longer JSON of a record (edited outside the app)."""
    try:
        values = json.loads(text)
    except (TypeError, ValueError):
        return None
    return values if isinstance(values, dict) else None


def check_journal(conn: sqlite3.Connection, report: VerifyReport, progress=None) -> None:
    JournalCheck(conn, report, progress).run()


# ---------------------------------------------------------------- heads recorded elsewhere

def compare_heads(conn: sqlite3.Connection, report: VerifyReport, heads: list[Head], witness: str) -> None:
    """Each head (a fund's chain as `witness` recorded it) against the live chain: the chain must still be at
    least that long and hold the same hash at that position (`report.stored_at`, filled by the chain pass;
    looked up here for a head it did not ask about)."""
    funds = {row[0]: (row[1], int(row[2] or 0)) for row in conn.execute("SELECT id, name, chain_length FROM fund")}
    for head in heads:
        if head.fund_id not in funds:
            report.add(ChainProblem("", "removed", "-", f"{witness}记录的社区基金（编号 {head.fund_id[:8]}）在数据库中不见了",
                                    witness, "社区基金"))
            continue
        fund_id = head.fund_id
        name, length = funds[fund_id]
        if length < head.length:
            report.add(ChainProblem(name, "removed", "-", f"{witness}记录这个基金有 {head.length} 条已记账分录，现在只有 "
                                    f"{length} 条：其后的分录在程序之外被删除", witness))
            continue
        stored = report.stored_at.get((fund_id, head.length))
        if stored is None:
            row = conn.execute("SELECT chain_hash FROM ledger_entry WHERE fund_id = ? AND chain_seq = ?",
                               (fund_id, head.length)).fetchone()
            stored = row[0] if row else None
        if not head.matches(fund_id, stored):
            first = first_changed(conn, fund_id, head)
            report.add(ChainProblem(name, "rewritten", first or "-",
                                    f"{witness}记录的前 {head.length} 条已记账分录与现在的不一样：此前的已记账分录被改动，"
                                    "哈希链在程序之外被重算", witness,
                                    technical=f"第 {head.length} 条分录处的链哈希：{witness}记录的为 {head.head}，"
                                              f"现在为 {stored or '（无）'}"))


def first_changed(conn: sqlite3.Connection, fund_id: str, head: Head, other: sqlite3.Connection | None = None) -> str:
    """The voucher of the first entry whose chain hash differs from `other` (a backup), found by halving the
    range; "" without a second database to compare with."""
    if other is None:
        return ""

    def hash_at(c: sqlite3.Connection, seq: int):
        row = c.execute("SELECT chain_hash FROM ledger_entry WHERE fund_id = ? AND chain_seq = ?",
                        (fund_id, seq)).fetchone()
        return row[0] if row else None

    low, high = 1, head.length
    while low < high:
        mid = (low + high) // 2
        if hash_at(conn, mid) == hash_at(other, mid):
            low = mid + 1
        else:
            high = mid
    row = other.execute("SELECT voucher_year, voucher_seq FROM ledger_entry WHERE fund_id = ? AND chain_seq = ?",
                        (fund_id, low)).fetchone()
    return voucher_label({"voucher_year": row[0], "voucher_seq": row[1]}) if row else ""


@dataclass
class BackupWitness:
    name: str
    owner: tuple[str, str] | None  # (office id, name)
    heads: list[Head]
    tail: tuple[int, str, str] | None  # the backup journal's last row: (seq, payload, epoch id)
    path: Path


def read_backup(path: Path) -> BackupWitness | None:
    """What a backup witnesses (its owner, its funds' heads, its journal's last row); None when it cannot be
    read."""
    try:
        conn = db.connect_raw(path, readonly=True)
    except sqlite3.Error:
        return None
    try:
        owner = db.backup_owner(conn)
        rows = conn.execute("SELECT id, chain_length, chain_head FROM fund").fetchall()
        columns = {row[1] for row in conn.execute("PRAGMA table_info(change_journal)")}
        epoch = "epoch_id" if "epoch_id" in columns else "''"  # a backup from before schema 8 has none
        tail = conn.execute(f"SELECT seq, payload, {epoch} FROM change_journal ORDER BY seq DESC LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return BackupWitness(path.name, tuple(owner) if owner else None, fund_heads(rows), tuple(tail) if tail else None,
                         path)


def read_backups(backups_dir: Path, office_id: str, report: VerifyReport) -> list[BackupWitness]:
    """This office's readable backups (another office's file put in backups/ witnesses nothing of ours)."""
    found = []
    for info in backups.list_backups(backups_dir):
        witness = read_backup(info.path)
        if witness is None:
            report.notes.append(f"备份 {info.path.name} 无法读取，未用于比对。")
        elif witness.owner is not None and witness.owner[0] == office_id:
            found.append(witness)
        else:
            who = f"（{witness.owner[1]}）" if witness.owner else ""
            report.notes.append(f"备份 {info.path.name} 属于另一个单位{who}或没有登记单位，未用于比对。")
    return found


def check_backups(conn: sqlite3.Connection, report: VerifyReport, found: list[BackupWitness]) -> None:
    """Every backup on the live timeline (its journal's last row still in the live journal, unchanged)
    witnesses the chain heads it holds. A backup whose last row is another epoch's than the live row at that
    place belongs to another timeline (taken before a restore, or a restore undone): noted, not compared.
    Only a difference within one epoch — the same place rewritten, or the journal cut short — is a problem."""
    last_epoch = conn.execute("SELECT epoch_id FROM change_journal ORDER BY seq DESC LIMIT 1").fetchone()
    for backup in found:
        witness = f"备份 {backup.name}"
        if backup.tail is not None:
            seq, payload, epoch = backup.tail
            live = conn.execute("SELECT payload, coalesce(epoch_id, '') FROM change_journal WHERE seq = ?",
                                (seq,)).fetchone()
            if live is None and last_epoch is not None and last_epoch[0] == epoch:
                report.add(ChainProblem("", "rewritten", "", f"备份中的第 {seq} 条变更记录在现在的变更记录中不见了："
                                        "变更记录在程序之外被截短", witness, "变更记录"))
            elif live is not None and live[1] == epoch and live[0] != payload:
                report.add(ChainProblem("", "rewritten", "", f"备份中的第 {seq} 条变更记录与现在的不同："
                                        "变更记录在程序之外被改写", witness, "变更记录"))
            elif live is None or live[1] != epoch:
                report.notes.append(f"{witness} 属于另一段记录（恢复备份之前或被撤销的恢复），未用于比对。")
                continue
        before = len(report.problems)
        compare_heads(conn, report, backup.heads, witness)
        if len(report.problems) > before:
            _name_first_changes(conn, report, before, backup)
        report.witnesses.append(witness)


def _name_first_changes(conn, report: VerifyReport, start: int, found: BackupWitness) -> None:
    """For heads a backup disagrees with, name the first entry that differs by comparing with the backup."""
    try:
        other = db.connect_raw(found.path, readonly=True)
    except sqlite3.Error:
        return
    try:
        names = {row[1]: row[0] for row in conn.execute("SELECT id, name FROM fund")}
        for index in range(start, len(report.problems)):
            problem = report.problems[index]
            fund_id = names.get(problem.fund)
            head = next((h for h in found.heads if h.fund_id == fund_id), None)
            if problem.kind == "rewritten" and fund_id and head:
                first = first_changed(conn, fund_id, head, other)
                if first:
                    report.problems[index] = replace(problem, voucher=first,
                                                     detail=f"从凭证 {first} 起与备份不同。" + problem.detail)
    finally:
        other.close()


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


# ---------------------------------------------------------------- files

def check_files(conn: sqlite3.Connection, report: VerifyReport, attachments_dir: Path, progress=None) -> None:
    """Voucher scans of posted entries and photos used in notices must still hash to their recorded value."""
    rows = conn.execute(  # from the links outwards (CROSS JOIN keeps that order): not every posted entry
        "SELECT DISTINCT a.sha256, a.original_name, f.name, e.voucher_year, e.voucher_seq "
        "FROM entry_attachment ea CROSS JOIN attachment a ON a.id = ea.attachment_id "
        "CROSS JOIN ledger_entry e ON e.id = ea.entry_id AND e.status = 'posted' JOIN fund f ON f.id = e.fund_id "
        "WHERE ea.deleted = 0").fetchall()
    for sha, name, fund_name, year, seq in rows:
        voucher = voucher_label({"voucher_year": year, "voucher_seq": seq})
        _check_file(report, attachments_dir / sha[:2] / sha, sha, fund_name, voucher, f"附件“{name}”")
        if progress:
            progress(0, 0)  # lets a cancel through between files
    photos = conn.execute("SELECT DISTINCT sha256, original_name, caption FROM photo "
                          "WHERE in_notice = 1 AND deleted = 0").fetchall()
    for sha, name, caption in photos:
        _check_file(report, attachments_dir / sha[:2] / sha, sha, "", "", f"公示照片“{caption or name}”")
        if progress:
            progress(0, 0)


def _check_file(report: VerifyReport, path: Path, sha: str, fund: str, voucher: str, what: str) -> None:
    # the sentence in plain words; where the file is and its hashes only under 详细信息
    technical = f"文件位置：{path}\n记录的 SHA-256：{sha}"
    try:
        digest = sha256_of(path)
    except OSError:
        report.add(ChainProblem(fund, "missing", voucher, f"{what}的文件不见了（可能被误删或移动）", FILES,
                                "" if voucher else what, technical))
        return
    if digest != sha:
        when = "记账时" if voucher else "添加时"
        report.add(ChainProblem(fund, "changed", voucher, f"{what}的文件和{when}不一样（文件内容被替换或损坏）", FILES,
                                "" if voucher else what, f"{technical}\n现在的 SHA-256：{digest}"))

"""`verify` (设置 › 数据安全 › 核验数据): the live records against every witness the workspace has.

1. The hash chain of every fund (storage/chain.py): an entry changed, removed or inserted behind the app's
   back without recomputing the chain.
2. The change journal (storage/witnesses.py): every live row against its last journalled state — fund
   renames, deleted closed-month rows, goods movements, photos, and a chain recomputed end to end all
   disagree with it — and the journal's own continuity.
3. Backups: the chain heads each one holds.
4. Published notices: the entries each sealed (their chain hashes, which its printed code covers), the heads
   of the funds at publication, and the archived PDF's hash.
5. Files: voucher scans of posted entries and photos used in notices.

Someone with full control of the PC can still rewrite every witness kept on it (README: "核验能发现什么");
what was printed and posted on a notice board, and what the county's copy received, stay out of reach.
"""

import json
import sqlite3

from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from desktop_app.core.errors import Cancelled
from desktop_app.core.models import Notice
from desktop_app.core.notices.lookup import NOTICES_DIR, archived_pdf, notice_label
from desktop_app.core.notices.witness import recorded_heads
from desktop_app.core.services.sync import receipt_heads
from desktop_app.core.storage import chain, witnesses
from desktop_app.core.storage.files import sha256_of
from desktop_app.core.storage.findings import CHAIN, FILES, JOURNAL, ChainProblem, VerifyReport
from desktop_app.core.storage.heads import Head
from desktop_app.core.storage.identity import local_office_id
from desktop_app.core.vouchers import voucher_number


def verify_workspace(ws, progress=None) -> VerifyReport:
    """Everything `verify` checks; `progress(done, total)` as the chains are read (and (0, 0) between
    other steps, so a cancel gets through). A step that cannot finish on a damaged file (a table dropped,
    text that is no longer UTF-8, a number where text belongs) is itself reported, and the others still run."""
    with ws.reading() as session:
        conn = chain.raw_connection(session)
        factory = conn.text_factory
        conn.text_factory = _lenient_text  # text edited into invalid UTF-8 is compared, not a crash
        try:
            return _verify(ws, session, conn, progress)
        finally:
            conn.text_factory = factory


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


RECEIPT = "县级回执"


def _verify(ws, session, conn: sqlite3.Connection, progress) -> VerifyReport:
    report = VerifyReport()
    backups = _guarded(report, "备份", lambda: witnesses.read_backups(ws.backups_dir, local_office_id(session),
                                                                       report)) or []
    notices = _guarded(report, "已发布的公示", lambda: list(session.exec(select(Notice).where(
        Notice.status == "published", Notice.deleted == False)))) or []  # noqa: E712
    sealed = {notice.id: notice_heads(ws, notice) for notice in notices}
    received = _guarded(report, RECEIPT, lambda: receipt_heads(session)) or []
    checkpoints: dict[str, set[int]] = {}
    for head in [h for b in backups for h in b.heads] + [h for hs in sealed.values() for h in hs] + received:
        checkpoints.setdefault(head.fund_id, set()).add(head.length)
    chains = _guarded(report, CHAIN, lambda: chain.verify_chains_on(conn, progress, checkpoints))
    if chains is not None:
        chains.problems[:0], chains.notes[:0] = report.problems, report.notes
        report = chains
    report.witnesses.append(CHAIN)
    _guarded(report, JOURNAL, lambda: witnesses.check_journal(conn, report, progress))
    report.witnesses.append(JOURNAL)
    _guarded(report, "备份", lambda: witnesses.check_backups(conn, report, backups))
    if received:  # the chain heads the county holds: what it received cannot be rewritten here
        _guarded(report, RECEIPT, lambda: witnesses.compare_heads(conn, report, received, RECEIPT))
        report.witnesses.append(RECEIPT)
    for notice in notices:
        _guarded(report, notice_label(notice), lambda n=notice: check_notice(ws, conn, report, n, sealed[n.id]))
    _guarded(report, FILES, lambda: witnesses.check_files(conn, report, ws.attachments_dir, progress))
    report.witnesses.append(FILES)
    return report


def _guarded(report: VerifyReport, step: str, run):
    """Run one step of `verify`; a database too damaged for it becomes a problem, not a traceback."""
    try:
        return run()
    except Cancelled:
        raise
    except (sqlite3.DatabaseError, DBAPIError, ValueError, TypeError, KeyError, UnicodeError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0][:120]
        report.add(ChainProblem("", "damaged", "", f"无法完成与“{step}”的比对（{reason}）：数据库文件在程序之外被改动或已损坏",
                                step, "数据库"))
        return None


def notice_heads(ws, notice: Notice) -> list[Head]:
    """The chain heads a published notice sealed (its record, else its archived PDF); [] for one published
    before heads were sealed."""
    return recorded_heads(notice, ws.root) or []


def check_notice(ws, conn: sqlite3.Connection, report: VerifyReport, notice: Notice, heads: list[Head]) -> None:
    """A published notice witnesses the entries it disclosed (their chain hashes, sealed by its printed
    code), the heads of its funds at publication, and its own archived file."""
    witness = f"已发布的{notice_label(notice)}"
    report.witnesses.append(witness)
    if notice.pdf_name:
        path = archived_pdf(ws.root, notice)
        try:
            digest = sha256_of(path)
        except OSError:
            digest = None
        elsewhere = None if digest == notice.pdf_sha256 else archived_elsewhere(ws, notice.pdf_sha256)
        if elsewhere is not None:  # a restore put another timeline's notice of the same number in its place
            report.notes.append(f"{notice_label(notice)} 的存档文件现名为 {NOTICES_DIR}/{elsewhere.name}"
                                f"（恢复备份时同号的另一份公示占用了 {notice.pdf_name}），内容完好。")
        elif digest != notice.pdf_sha256:
            state = "不见了" if digest is None else "和发布时不一样（内容被替换）"
            technical = f"文件位置：{path}\n发布时的 SHA-256：{notice.pdf_sha256}" + (
                f"\n现在的 SHA-256：{digest}" if digest else "")
            report.add(ChainProblem("", "changed" if digest else "missing", "",
                                    f"存档文件 {NOTICES_DIR}/{notice.pdf_name} {state}", FILES, notice_label(notice),
                                    technical))
    check_sealed_entries(conn, report, notice, witness)
    witnesses.compare_heads(conn, report, heads, witness)


def archived_elsewhere(ws, sha256: str):
    """The archived notice PDF with this hash under another name (a restore renames what it displaces)."""
    for path in sorted((ws.root / NOTICES_DIR).glob("*.pdf")):
        try:
            if sha256_of(path) == sha256:
                return path
        except OSError:
            continue
    return None


def check_sealed_entries(conn: sqlite3.Connection, report: VerifyReport, notice: Notice, witness: str) -> None:
    try:
        pairs = {entry_id: sealed for entry_id, sealed in json.loads(notice.entries_json or "[]")}
    except (ValueError, TypeError):
        report.add(ChainProblem("", "changed", "", "记录的公示分录无法读取：公示记录在程序之外被改动", JOURNAL,
                                notice_label(notice)))
        return
    ids = list(pairs)
    live: dict[str, tuple] = {}
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        rows = conn.execute("SELECT e.id, e.chain_hash, f.name, e.voucher_year, e.voucher_seq FROM ledger_entry e "
                            f"JOIN fund f ON f.id = e.fund_id WHERE e.id IN ({','.join('?' * len(batch))})", batch)
        live.update((row[0], row[1:]) for row in rows)
    differing: dict[str, list[str]] = {}
    for entry_id, sealed in pairs.items():
        found = live.get(entry_id)
        if found is None:
            report.add(ChainProblem("", "removed", "", f"公示时依据的一条分录（编号 {entry_id[:8]}）在数据库中不见了",
                                    witness, "公示分录"))
        elif (found[0] or "") != (sealed or ""):
            differing.setdefault(found[1], []).append(voucher_number(found[2], found[3]))
    for fund, vouchers in differing.items():
        vouchers.sort()
        span = vouchers[0] if len(vouchers) == 1 else f"{vouchers[0]} 等 {len(vouchers)} 条分录"
        report.add(ChainProblem(fund, "rewritten", vouchers[0],
                                f"凭证 {span}的链哈希与公示时封存的不同：公示后这些分录或它们之前的分录被改动",
                                witness))

"""信息公示: export, publish, correct and verify notices, and the disclosure clock.

One operation per user command, one transaction each:
- `export_notice` builds the notice from the data, gives it its verification code, writes the PDF and
  records (or refreshes) a draft row: drafts are freely re-exported. The request's wording edits
  (NoticeRequest.edits) are recorded with it, so verification rebuilds the edited notice; editing again
  means exporting again (a new code). A published notice is never changed: edits reach it only through
  a new export (a reprint when nothing differs, else a draft that cannot be published over it) or a
  correction.
- `publish_notice` gives a draft its number and date, archives its PDF under `notices/<number>.pdf`
  with the SHA-256, closes the covered months of the project's funds and records the entries as
  disclosed. A published notice is never changed again.
- `publish_correction` publishes a 更正说明 referring to a published notice.
- `verify_notice` takes a code or a PDF, rebuilds the notice from what it was built from, and names
  every entry and text that changed since; a PDF must itself be the archived file or print exactly what
  the notice printed, else it is reported as not that notice (possibly altered).
- `due_notices` is the disclosure clock shown on 概览 (慈善法 第79条 and seed 003).
"""

import dataclasses
import difflib
import hashlib
import json
import os
import types
import typing
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from desktop_app.core import chain
from desktop_app.core.documents.model import (
    Heading,
    Item,
    MaskedName,
    NoticeDocument,
    Paragraph,
    SignOff,
    chinese_date,
)
from desktop_app.core.errors import UserError
from desktop_app.core.models import Fund, LedgerEntry, Notice, NoticeEntry, Office, Project, utc_now
from desktop_app.core.money import format_yuan
from desktop_app.core.notices.verification import (
    UnknownCode,
    content_hash,
    derive_code,
    entries_hash,
    looks_like_code,
    normalize_code,
)
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.services import ledger
from desktop_app.core.validation import check_text

TEMPLATE_LABELS = {"fund-usage": "经费使用情况公示", "progress": "项目进展公示", "donations": "捐赠公示",
                   "correction": "更正说明"}  # the builder's TEMPLATES and the correction notice
STATUS_LABELS = {"draft": "草稿", "published": "已发布"}
NOTICES_DIR = "notices"
CORRECTION_MAX = 2000
MAX_LISTED_CHANGES = 40
MAX_TEXT_CHANGES = 8  # printed texts listed besides the entries that changed them
CLIP_CONTEXT = 20  # characters shown before the first difference of a changed text


class NotOurPdf(UserError):
    """A file that carries no verification code of ours."""


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class ExportResult:
    notice: Notice
    info: object  # pdf.RenderInfo(pages, size, fonts)
    reprint: bool = False  # the data is exactly that of a published notice: the file is a reprint of it
    masked: list = field(default_factory=list)  # the document's MaskedName list: what privacy changed
    notes: list = field(default_factory=list)  # the document's advice and notes (drafts left out, stale edits …)
    doc: NoticeDocument | None = None  # the document as sealed (its editable texts, for the wording editor)


@dataclass
class VerifyResult:
    ok: bool
    notice: Notice
    changes: list[str]
    notes: list[str] = field(default_factory=list)
    # Verifying a file: why the file is not the notice with its code (it prints something else, or its
    # text cannot be read back); "" when it is, or when verifying by code. Not ok whatever the data says.
    file_problem: str = ""

    @property
    def summary(self) -> str:
        what = notice_label(self.notice)
        verb = "发布" if self.notice.status == "published" else "导出"
        if self.file_problem:
            data = ("核验码对应的数据本身未变。" if not self.changes else
                    f"另外，核验码对应的数据在{verb}之后也有 {len(self.changes)} 处变化（见下）。")
            made = "导出或发布" if self.notice.status == "published" else "导出"
            return (f"文件不符：{self.file_problem}，它不是{what}{made}时的文件，可能被改动过，请不要以它为准——"
                    f"请以出具单位存档的公示为准，或直接输入公示上的核验码 {self.notice.verification_code} 核验。"
                    + data)
        if self.ok:
            return (f"数据未变：{what}所依据的 {self.notice.entry_count} 条已记账分录和公示内容，"
                    "与" + ("发布时" if self.notice.status == "published" else "导出时") + "完全一致。")
        return f"数据已变：{what}" + ("发布" if self.notice.status == "published" else "导出") + \
            f"之后有 {len(self.changes)} 处变化。"


@dataclass(frozen=True)
class DueNotice:
    project_id: str
    project_name: str
    rule: str  # quarterly | final | semiannual
    template: str  # the notice that fulfils it
    title: str
    period_from: date
    period_to: date
    due_date: date
    overdue: bool
    basis: str  # the rule, in words


# ------------------------------------------------------------------ lookups


def template_label(template: str) -> str:
    return TEMPLATE_LABELS.get(template, template)


def notice_label(notice: Notice) -> str:
    if notice.status == "published":
        return f"公示 {notice.number}《{notice.title}》"
    return f"草稿公示《{notice.title}》（{notice.date_from} 至 {notice.date_to}）"


def list_notices(session: Session, project_id: str | None = None) -> list[Notice]:
    """Drafts first, then the published notices, newest first."""
    query = select(Notice).where(Notice.deleted == False)  # noqa: E712
    if project_id:
        query = query.where(Notice.project_id == project_id)
    rows = list(session.exec(query))
    drafts = sorted((n for n in rows if n.status == "draft"), key=lambda n: n.updated_at, reverse=True)
    published = sorted((n for n in rows if n.status != "draft"),
                       key=lambda n: (n.number_year or 0, n.number_seq or 0), reverse=True)
    return drafts + published


def corrections_of(session: Session, notice_id: str) -> list[Notice]:
    return list(session.exec(select(Notice).where(Notice.corrects_id == notice_id, Notice.deleted == False)  # noqa: E712
                             .order_by(Notice.number_year, Notice.number_seq)))


def find_by_code(session: Session, code: str) -> Notice | None:
    rows = list(session.exec(select(Notice).where(Notice.verification_code == code,
                                                  Notice.deleted == False)))  # noqa: E712
    rows.sort(key=lambda n: n.status != "published")
    return rows[0] if rows else None


def resolve_notice(session: Session, key: str) -> Notice:
    """A notice by id, by number ("2025-001") or by verification code."""
    key = (key or "").strip()
    notice = session.get(Notice, key) if key else None
    if notice is None and key:
        notice = session.exec(select(Notice).where(Notice.number == key, Notice.deleted == False)).first()  # noqa: E712
    if notice is None and looks_like_code(key):
        try:
            notice = find_by_code(session, normalize_code(key))
        except UserError:
            notice = None
    if notice is None or notice.deleted:
        raise UserError(f"找不到公示“{key}”。请用 notice list 查看公示的编号（已发布）或草稿编号。")
    return notice


def _project_funds(session: Session, project_id: str) -> list[Fund]:
    return list(session.exec(select(Fund).where(Fund.project_id == project_id, Fund.deleted == False)  # noqa: E712
                             .order_by(Fund.created_at)))


def _local_office(session: Session) -> Office | None:
    return session.exec(select(Office).where(Office.is_local)).first()


def _check_owner(session: Session, notice: Notice) -> None:
    office = _local_office(session)
    if office and notice.office_id and notice.office_id != office.id:
        raise UserError("这份公示由其他单位导出，只有导出它的单位可以发布或更正。请联系该单位办理。")


# ------------------------------------------------------------------ requests as JSON


def _json_default(value):
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, Path):
        return str(value)
    return str(value)


def request_to_json(request) -> str:
    data = {f.name: getattr(request, f.name) for f in dataclasses.fields(request)}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=_json_default)


def _revive(value, hint):
    """A JSON value back into the type a dataclass field declares (dates, tuples, nested dataclasses)."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(hint):
            if arg is type(None):
                continue
            try:
                return _revive(value, arg)
            except (TypeError, ValueError):
                continue
        return value
    if hint is date and isinstance(value, str):
        return date.fromisoformat(value)
    if dataclasses.is_dataclass(hint) and isinstance(value, dict):
        hints = typing.get_type_hints(hint)
        return hint(**{k: _revive(v, hints.get(k, typing.Any)) for k, v in value.items()})
    if origin is tuple and isinstance(value, list):
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_revive(v, args[0]) for v in value)
        if args and len(args) == len(value):
            return tuple(_revive(v, a) for v, a in zip(value, args, strict=True))
        return tuple(value)
    if origin is list and isinstance(value, list):
        args = typing.get_args(hint)
        return [_revive(v, args[0] if args else typing.Any) for v in value]
    if hint is tuple and isinstance(value, list):
        return tuple(value)
    return value


def request_from_json(text: str):
    from desktop_app.core.notices.builder import NoticeRequest

    data = json.loads(text)
    hints = typing.get_type_hints(NoticeRequest)
    known = {f.name for f in dataclasses.fields(NoticeRequest)}
    return NoticeRequest(**{k: _revive(v, hints.get(k, typing.Any)) for k, v in data.items() if k in known})


# ------------------------------------------------------------------ entries and their hashes


def _voucher(values: dict) -> str:
    return chain.voucher_label(values)


def _entry_text(entry: LedgerEntry, funds: dict[str, str]) -> str:
    values = chain.entry_values(entry)
    fund = funds.get(entry.fund_id, "")
    where = f"【{fund}】" if fund else ""
    return (f"{where}凭证 {_voucher(values)}（{entry.entry_date}，{entry.summary}，"
            f"{'收入' if entry.flow == 'in' else '支出'} {format_yuan(entry.amount_fen)}）")


def _attachment_map(session: Session, entry_ids: list[str]) -> dict[str, list[str]]:
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
            out[entry.id] = chain._describe_change(chain._posted_snapshot(session, entry.id), values)
    return out


def _refuse_tampered(session: Session, entries: list[LedgerEntry]) -> None:
    bad = tampered_entries(session, entries)
    if bad:
        funds = _fund_names(session)
        details = [f"{_entry_text(e, funds)}：{bad[e.id]}" for e in entries if e.id in bad]
        raise UserError("公示期间有已记账分录在程序之外被改动过，不能据此出具公示。"
                        "请先用 verify 查明并从改动之前的备份恢复。", details=details[:MAX_LISTED_CHANGES])


def _fund_names(session: Session) -> dict[str, str]:
    return {f.id: f.name for f in session.exec(select(Fund))}


# ------------------------------------------------------------------ building and sealing


@dataclass
class _Sealed:
    doc: NoticeDocument
    entries: list[LedgerEntry]
    texts: list[str]
    content_hash: str
    entries_hash: str
    code: str

    @property
    def pairs(self) -> list[list[str]]:
        return sorted([e.id, e.chain_hash or ""] for e in self.entries)

    @property
    def title(self) -> str:
        return "".join(line.strip() for line in self.doc.title_lines)


def _seal(doc: NoticeDocument, entries: list[LedgerEntry]) -> _Sealed:
    doc.verification_code = ""
    texts = doc.texts()
    c_hash = content_hash(texts)
    e_hash = entries_hash((e.id, e.chain_hash or "") for e in entries)
    code = derive_code(c_hash, e_hash)
    doc.verification_code = code
    return _Sealed(doc, entries, texts, c_hash, e_hash, code)


def _build(session: Session, root: Path, request) -> tuple[NoticeDocument, list[LedgerEntry]]:
    from desktop_app.core.notices.builder import build_notice, covered_entries

    doc = build_notice(session, root, request)
    return doc, list(covered_entries(session, request))


def _check_out_path(out_path: Path) -> None:
    if out_path.suffix.lower() != ".pdf":
        raise UserError(f"导出文件“{out_path}”应以 .pdf 结尾。")
    if not out_path.parent.is_dir():
        raise UserError(f"文件夹“{out_path.parent}”不存在。请先创建它，或换一个保存位置。")
    if out_path.is_dir():
        raise UserError(f"“{out_path}”是一个文件夹。请写出要保存的文件名，例如 公示.pdf。")


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ------------------------------------------------------------------ export


def export_notice(ws, request, out_path: Path | str, *, progress=None) -> ExportResult:
    """Build, seal and write a notice to `out_path`; record it as a draft (or refresh its draft).

    The data is read and the draft row written in one write transaction, so the code in the file is
    exactly that of the recorded draft. The file appears only when all went well."""
    from desktop_app.core.documents.pdf import render_pdf

    out_path = Path(out_path)
    _check_out_path(out_path)
    partial = out_path.with_name(f".{out_path.stem}.partial.pdf")
    try:
        with ws.transaction() as s:
            from desktop_app.core.notices.builder import resolve_request

            request = resolve_request(s, request)  # recorded with every default filled in: rebuilt exactly
            doc, entries = _build(s, ws.root, request)
            _refuse_tampered(s, entries)
            sealed = _seal(doc, entries)
            info = render_pdf(sealed.doc, partial, progress=progress)
            notice, reprint = _record_draft(s, request, sealed)
        _fsync(partial)
        os.replace(partial, out_path)
    finally:
        partial.unlink(missing_ok=True)
    return ExportResult(notice, info, reprint, list(sealed.doc.masked),
                        sealed.doc.advice + sealed.doc.notes, sealed.doc)


def _record_draft(s: Session, request, sealed: _Sealed) -> tuple[Notice, bool]:
    published = s.exec(select(Notice).where(Notice.verification_code == sealed.code, Notice.status == "published",
                                            Notice.deleted == False)).first()  # noqa: E712
    if published is not None:
        return published, True
    draft = s.exec(select(Notice).where(
        Notice.project_id == request.project_id, Notice.template == request.template,
        Notice.date_from == request.date_from, Notice.date_to == request.date_to, Notice.status == "draft",
        Notice.corrects_id == None, Notice.deleted == False)).first()  # noqa: E711, E712
    values = {
        "project_id": request.project_id, "template": request.template, "date_from": request.date_from,
        "date_to": request.date_to, "title": sealed.title, "written_on": request.written_on,
        "notice_start": request.notice_start, "notice_end": request.notice_end,
        "verification_code": sealed.code, "content_hash": sealed.content_hash, "entries_hash": sealed.entries_hash,
        "entry_count": len(sealed.entries), "entries_json": json.dumps(sealed.pairs),
        "request_json": request_to_json(request), "document_json": json.dumps(sealed.texts, ensure_ascii=False),
    }
    if draft is None:
        draft = Notice(**values)
    else:
        for key, value in values.items():
            if getattr(draft, key) != value:
                setattr(draft, key, value)
    s.add(draft)
    s.flush()
    return draft, False


# ------------------------------------------------------------------ publish


def _code_from_pdf(path: Path, doing: str = "核验") -> str:
    """The verification code in a PDF this program wrote; NotOurPdf (saying what `doing` needs) otherwise."""
    from desktop_app.core.documents.pdf import read_verification_code

    if not path.is_file():
        raise UserError(f"找不到文件“{path}”。请检查路径是否写对。")
    try:
        code = read_verification_code(path)
    except Exception:  # noqa: BLE001 — a damaged or foreign file is simply not ours
        code = None
    what = "或直接输入公示上的核验码" if doing == "核验" else "或给出草稿编号（notice list 可查）"
    if not code:
        raise NotOurPdf(f"“{path.name}”不是本程序生成的公示文件（没有核验码），无法{doing}。"
                        f"请选择从“信息公示”导出的 PDF，{what}。")
    try:
        return normalize_code(code)
    except UserError:
        raise NotOurPdf(f"“{path.name}”不是本程序生成的公示文件（没有有效的核验码），无法{doing}。"
                        f"请选择从“信息公示”导出的 PDF，{what}。") from None


def _is_file_argument(target) -> bool:
    if isinstance(target, Path):
        return True
    text = str(target)
    return text.lower().endswith(".pdf") or Path(text).is_file() or os.sep in text or "/" in text


def _numbered(doc: NoticeDocument, number: str, published_on: date) -> NoticeDocument:
    """The published document: the sealed one with its number and date under the title (not part of the
    content hash, which was fixed at export)."""
    stamp = Paragraph(f"公示编号：{number}　发布日期：{chinese_date(published_on)}")
    return dataclasses.replace(doc, blocks=[stamp, *doc.blocks])


def _next_number(s: Session, office_id: str, year: int) -> tuple[int, str]:
    from sqlalchemy import func

    last = s.exec(select(func.max(Notice.number_seq)).where(Notice.office_id == office_id,
                                                            Notice.number_year == year)).one()
    seq = int(last or 0) + 1
    return seq, f"{year}-{seq:03d}"


def _archive(ws, doc: NoticeDocument, number: str) -> tuple[Path, str]:
    """Write the published PDF to notices/<number>.pdf (whole or not at all); returns (path, sha256).
    A file already there is one the database does not know (a failed publish before a power cut, or a
    backup restored since): it is moved aside, never overwritten."""
    from desktop_app.core.documents.pdf import render_pdf

    folder = ws.root / NOTICES_DIR
    folder.mkdir(exist_ok=True)
    final = folder / f"{number}.pdf"
    partial = folder / f".{number}.partial.pdf"
    try:
        render_pdf(doc, partial)
        _fsync(partial)
        sha = _sha256(partial)
        if final.exists():
            os.replace(final, folder / f"{number}.unrecorded-{datetime.now(UTC):%Y%m%dT%H%M%S}.pdf")
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    return final, sha


def _refuse_overlap(s: Session, notice: Notice) -> None:
    others = s.exec(select(Notice).where(
        Notice.project_id == notice.project_id, Notice.template == notice.template, Notice.status == "published",
        Notice.id != notice.id, Notice.deleted == False, Notice.date_from <= notice.date_to,  # noqa: E712
        Notice.date_to >= notice.date_from)).all()
    if others:
        other = min(others, key=lambda n: n.date_from)
        raise UserError(
            f"这个项目的{template_label(notice.template)}在 {other.date_from} 至 {other.date_to} 已经发布过"
            f"（编号 {other.number}《{other.title}》），与这份公示的期间 {notice.date_from} 至 {notice.date_to} 重叠。"
            f"已发布的公示不能被覆盖；如需更正，请发布更正说明（命令行：notice correct {other.number} --text \"更正内容\"）。")


def _close_covered_months(s: Session, project_id: str, date_to: date, today: date) -> None:
    """Close every fund of the project through the month the notice ends in (same transaction)."""
    month = date_to.strftime("%Y-%m")
    if month >= today.strftime("%Y-%m"):
        raise UserError(f"公示期间截至 {date_to}，{month} 还没有结束，发布时无法把它结账。"
                        f"请在 {month} 结束后再发布，或重新导出截止到上月底的公示。")
    funds = _project_funds(s, project_id)
    month_end = add_months(date_to.replace(day=1), 1) - timedelta(days=1)
    drafts = s.exec(select(LedgerEntry).where(
        LedgerEntry.fund_id.in_([f.id for f in funds]), LedgerEntry.status == "draft",
        LedgerEntry.deleted == False, LedgerEntry.entry_date <= month_end)  # noqa: E712
        .order_by(LedgerEntry.entry_date)).all()
    if drafts:  # left out of the notice (不计入草稿), but a closed month can hold no draft
        names = {f.id: f.name for f in funds}
        raise UserError(
            f"发布公示要把本项目的社区基金结账至 {month}，但 {month_end} 及以前还有 {len(drafts)} 条草稿没有记账"
            f"（公示生成时未计入）。请先把它们记账、删除，或把日期改到 {month_end} 之后，然后重新导出公示再发布"
            "（记账会改变公示的数字）。",
            details=[f"{d.entry_date} {d.summary or '（无摘要）'} {format_yuan(d.amount_fen)}（{names[d.fund_id]}）"
                     for d in drafts])
    for fund in funds:
        last = project_queries.closed_through(s, fund.id)
        if last is not None and last >= month:
            continue
        try:
            ledger.close_month_in(s, fund.id, month, today=today)
        except UserError as exc:
            raise UserError(f"发布公示要把“{fund.name}”结账至 {month}，但没有成功：{exc.message}",
                            details=exc.details) from None


def _disclose(s: Session, notice: Notice, entries: list[LedgerEntry]) -> None:
    for entry in entries:
        s.add(NoticeEntry(notice_id=notice.id, entry_id=entry.id, chain_hash=entry.chain_hash or ""))


def publish_notice(ws, target, *, published_on: date | None = None) -> Notice:
    """Publish a draft given by its id, number or code, or by the PDF file exported for it."""
    today = date.today()
    published_on = published_on or today
    if published_on > today:
        raise UserError(f"发布日期 {published_on} 晚于今天。请填写实际发布（张贴）的日期。")
    code = _code_from_pdf(Path(target), "发布") if _is_file_argument(target) else None
    placed: Path | None = None
    try:
        with ws.transaction() as s:
            if code is not None:
                notice = find_by_code(s, code)
                if notice is None:
                    raise UnknownCode(f"文件“{Path(target).name}”的核验码 {code} 不在本工作区的公示记录里"
                                      "（可能已重新导出过，或来自另一台电脑）。请发布最近一次导出的文件。")
            else:
                notice = resolve_notice(s, str(target))
            if notice.status == "published":
                raise UserError(f"{notice_label(notice)}已于 {notice.published_on} 发布，已发布的公示不能再改动。"
                                f"如需更正，请发布更正说明（命令行：notice correct {notice.number} --text \"更正内容\"）。")
            _check_owner(s, notice)
            request = request_from_json(notice.request_json)
            if request.written_on and published_on < request.written_on:
                raise UserError(f"发布日期 {published_on} 早于公示落款日期 {request.written_on}。请填写落款当天或之后的日期。")
            _refuse_overlap(s, notice)
            doc, entries = _build(s, ws.root, request)
            _refuse_tampered(s, entries)
            sealed = _seal(doc, entries)
            if sealed.code != notice.verification_code:
                changes = _differences(s, notice, sealed)
                raise UserError("这份公示导出之后，它所依据的数据有了变化，不能按原样发布。"
                                "请重新导出，核对新的公示后再发布。", details=changes or ["公示内容有变化"])
            _close_covered_months(s, notice.project_id, notice.date_to, today)
            office = _local_office(s)
            seq, number = _next_number(s, notice.office_id or (office.id if office else ""), published_on.year)
            placed, sha = _archive(ws, _numbered(sealed.doc, number, published_on), number)
            notice.status = "published"
            notice.number, notice.number_year, notice.number_seq = number, published_on.year, seq
            notice.published_on, notice.published_at = published_on, utc_now()
            notice.pdf_name, notice.pdf_sha256 = placed.name, sha
            s.add(notice)
            _disclose(s, notice, entries)
    except BaseException:
        if placed is not None:
            placed.unlink(missing_ok=True)
        raise
    return notice


# ------------------------------------------------------------------ corrections


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def correction_document(spec: dict) -> NoticeDocument:
    """The 更正说明, from what `publish_correction` recorded (so it can be rebuilt exactly). The recorded text,
    change lines and names are already through the privacy pass (`_printable`), and "masked" lists what it
    replaced (corrections published before it have none)."""
    title = spec["original_title"]
    published = chinese_date(date.fromisoformat(spec["original_published_on"]))
    blocks = [Paragraph(f"我们于{published}发布的《{title}》（公示编号 {spec['original_number']}，"
                        f"核验码 {spec['original_code']}）需要更正，现说明如下：")]
    blocks += [Paragraph(line.strip()) for line in spec["text"].splitlines() if line.strip()]
    if spec["changes"]:
        blocks.append(Heading("核验发现的数据变化", level=2))
        # the change as body text (a lead would set it all in the heading face); the hash is the same
        blocks += [Item(number=f"（{_chinese_number(i)}）", lead="", body=change)
                   for i, change in enumerate(spec["changes"], 1)]
    blocks.append(Paragraph("原公示的其余内容不变。特此更正。"))
    blocks.append(SignOff(names=tuple(spec["names"]), written_on=date.fromisoformat(spec["written_on"])))
    return NoticeDocument(template="correction", title_lines=[f"关于《{title}》的更正说明"], blocks=blocks,
                          masked=[MaskedName(*m) for m in spec.get("masked", [])])


def _printable(s: Session, original: Notice, request, spec: dict) -> dict:
    """The spec with its free text, change lines and names through the privacy pass of the original's
    notice (watched names, private phones and ID numbers; the leaders' and supervision phones kept), and
    what was replaced. The journal's earlier values of the disclosed entries are watched too: a change
    line names the counterparty an entry had when it was published."""
    from desktop_app.core.notices.builder import privacy_for

    earlier = [types.SimpleNamespace(**{k: before.get(k) for k in (
        "entry_type", "counterparty_name", "counterparty_kind", "anonymous", "publish_consent")})
        for before in (chain._posted_snapshot(s, entry_id) for entry_id in _disclosed(s, original)) if before]
    privacy = privacy_for(s, request, also=earlier)
    clean = privacy.clean
    printed = dict(spec, text="\n".join(clean(line) for line in spec["text"].splitlines()),
                   changes=[clean(c) for c in spec["changes"]], names=[clean(n) for n in spec["names"]])
    printed["masked"] = [[m.original, m.shown, m.reason] for m in privacy.masked.values()]
    return printed


def _sign_off_names(s: Session) -> list[str]:
    office = _local_office(s)
    if office is None:
        return []
    names = [office.association_name, office.name]
    return list(dict.fromkeys(n for n in names if n))


def _corrected_number(s: Session, notice: Notice) -> str:
    original = s.get(Notice, notice.corrects_id) if notice.corrects_id else None
    return original.number if original else "?"


def _original_request(s: Session, notice: Notice):
    """What a notice's data is built from: its own request, or for a correction the corrected one's."""
    if notice.template == "correction":
        return request_from_json(json.loads(notice.request_json)["request"])
    return request_from_json(notice.request_json)


def publish_correction(ws, notice_key: str, text: str, request=None, *, published_on: date | None = None) -> Notice:
    """Publish a 更正说明 of a published notice: its own number, code and archived PDF. The body is the
    text given plus, when the data changed since the original was published, the list of changes."""
    text = check_text("更正内容", text, CORRECTION_MAX, multiline=True)
    if not text:
        raise UserError("请写明更正的内容，例如“第三部分支出明细中凭证 2024-0021 的金额应为 1,850.00 元”。")
    today = date.today()
    published_on = published_on or today
    if published_on > today:
        raise UserError(f"发布日期 {published_on} 晚于今天。请填写实际发布（张贴）的日期。")
    placed: Path | None = None
    try:
        with ws.transaction() as s:
            original = resolve_notice(s, notice_key)
            if original.status != "published":
                raise UserError(f"{notice_label(original)}还没有发布。草稿不需要更正说明：改好数据后重新导出即可。")
            if original.template == "correction":
                raise UserError(f"{notice_label(original)}本身是更正说明。如需再次更正，请针对原公示"
                                f"（编号 {_corrected_number(s, original)}）再发布一份更正说明。")
            _check_owner(s, original)
            if request is not None:
                from desktop_app.core.notices.builder import resolve_request

                base_request = resolve_request(s, request)
            else:
                base_request = _original_request(s, original)
            rebuilt = _build_for_compare(s, ws.root, original, base_request)
            entries = rebuilt.entries
            changes = _differences(s, original, _seal(rebuilt.doc, entries), drafts_pending=bool(rebuilt.drafts))
            spec = {
                "corrects_id": original.id, "original_title": original.title, "original_number": original.number,
                "original_code": original.verification_code,
                "original_published_on": original.published_on.isoformat(), "text": text, "changes": changes,
                "names": _sign_off_names(s), "written_on": published_on.isoformat(),
                "request": request_to_json(base_request),
            }
            spec = _printable(s, original, base_request, spec)  # nothing private reaches the document
            sealed = _seal(correction_document(spec), entries)
            office = _local_office(s)
            seq, number = _next_number(s, original.office_id or (office.id if office else ""), published_on.year)
            placed, sha = _archive(ws, _numbered(sealed.doc, number, published_on), number)
            notice = Notice(
                project_id=original.project_id, template="correction", date_from=original.date_from,
                date_to=original.date_to, status="published", number=number, number_year=published_on.year,
                number_seq=seq, title=sealed.title, written_on=published_on, verification_code=sealed.code,
                content_hash=sealed.content_hash, entries_hash=sealed.entries_hash, entry_count=len(entries),
                entries_json=json.dumps(sealed.pairs), pdf_sha256=sha, pdf_name=placed.name,
                published_on=published_on, published_at=utc_now(), corrects_id=original.id, correction_text=text,
                request_json=json.dumps(spec, ensure_ascii=False, sort_keys=True),
                document_json=json.dumps(sealed.texts, ensure_ascii=False))
            s.add(notice)
            s.flush()
            _disclose(s, notice, entries)
    except BaseException:
        if placed is not None:
            placed.unlink(missing_ok=True)
        raise
    return notice


# ------------------------------------------------------------------ verify


@dataclass
class _Rebuilt:
    doc: NoticeDocument
    entries: list[LedgerEntry]
    drafts: list = field(default_factory=list)  # unposted entries now in the period (not disclosed data)


def _build_for_compare(s: Session, root: Path, notice: Notice, request=None) -> _Rebuilt:
    """Rebuild what a notice was built from. Drafts typed in since are not disclosed data: a period that
    now holds drafts is rebuilt without them (and their note in the notice is not counted as a change)."""
    from desktop_app.core.notices.builder import DraftsInPeriod, covered_entries

    if notice.template == "correction" and request is None:
        spec = json.loads(notice.request_json)
        return _Rebuilt(correction_document(spec), list(covered_entries(s, request_from_json(spec["request"]))))
    request = request if request is not None else request_from_json(notice.request_json)
    try:
        return _Rebuilt(*_build(s, root, request))
    except DraftsInPeriod as exc:
        return _Rebuilt(*_build(s, root, dataclasses.replace(request, exclude_drafts=True)), drafts=exc.drafts)


def _disclosed(s: Session, notice: Notice) -> dict[str, str]:
    if notice.status == "published":
        rows = s.exec(select(NoticeEntry).where(NoticeEntry.notice_id == notice.id,
                                                NoticeEntry.deleted == False))  # noqa: E712
        found = {r.entry_id: r.chain_hash for r in rows}
        if found or notice.entry_count == 0:
            return found
    return {entry_id: chain_hash for entry_id, chain_hash in json.loads(notice.entries_json or "[]")}


def _entry_changes(s: Session, notice: Notice, entries: list[LedgerEntry]) -> list[str]:
    disclosed = _disclosed(s, notice)
    now = {e.id: e for e in entries}
    funds = _fund_names(s)
    tampered = tampered_entries(s, entries)
    changes: list[str] = []
    for entry_id, chain_hash in disclosed.items():
        entry = now.get(entry_id)
        if entry is None:
            changes.append(_gone_text(s, entry_id, funds))
        elif entry_id in tampered:
            changes.append(f"{_entry_text(entry, funds)} 被改动：{tampered[entry_id]}")
        elif (entry.chain_hash or "") != chain_hash:
            changes.append(f"{_entry_text(entry, funds)} 的哈希与公示时不同（哈希链被改动）")
    for entry in entries:
        if entry.id not in disclosed:
            label = "新增（在程序之外插入）" if entry.id in tampered else "新增"
            changes.append(f"{label}：{_entry_text(entry, funds)}")
    return changes


def _gone_text(s: Session, entry_id: str, funds: dict[str, str]) -> str:
    entry = s.get(LedgerEntry, entry_id)
    if entry is None:
        before = chain._posted_snapshot(s, entry_id) or {}
        where = f"【{funds.get(before.get('fund_id', ''), '')}】" if before.get("fund_id") in funds else ""
        return (f"{where}凭证 {_voucher(before)}（{before.get('entry_date', '')}，{before.get('summary', '')}，"
                f"{format_yuan(int(before.get('amount_fen') or 0))}）已从数据库中删除")
    before = chain._posted_snapshot(s, entry_id)
    why = chain._describe_change(before, chain.entry_values(entry)) if before else "不再属于公示期间"
    return f"{_entry_text(entry, funds)} 已不在公示范围内：{why}"


def _text_changes(old: list[str], new: list[str], tables: "_Tables | None" = None) -> list[str]:
    """The printed texts that differ. With `tables` (the new document's tables, from `_tables`), a table
    row is one unit, its cells joined: a row added, removed or changed is one line, not one per cell."""
    tables = tables if tables is not None and len(tables.rows) == len(new) else _Tables([None] * len(new), {})
    old_units, old_tables = _old_units(old, new, tables)
    new_units, new_tables = _new_units(new, tables)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_units, b=new_units, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = _pairs(old_units, old_tables, range(a1, a2), new_units, new_tables, range(b1, b2))
        paired_old, paired_new = {a for a, _ in pairs}, {b for _, b in pairs}
        for a, b in pairs:
            at = _first_difference(old_units[a], new_units[b])
            out.append(f"公示内容：“{_clip(old_units[a], at=at)}”变为“{_clip(new_units[b], at=at)}”")
        for a in range(a1, a2):
            if a not in paired_old:
                out.append(f"公示内容删去一行（{old_tables[a][0]}）：“{_clip(old_units[a], 120)}”" if old_tables[a]
                           else f"公示内容删去：“{_clip(old_units[a])}”")
        for b in range(b1, b2):
            if b not in paired_new:
                out.append(f"公示内容新增一行（{new_tables[b][0]}）：“{_clip(new_units[b], 120)}”" if new_tables[b]
                           else f"公示内容新增：“{_clip(new_units[b])}”")
    return out


@dataclass
class _Tables:
    rows: list  # per text: (table name, block number, row number) in a table (row -1: caption, header), or None
    starts: dict  # (table name, block number) → {shape of a row's first cell (digits as 9): most cells}


def _shape(text: str) -> str:
    return "".join("9" if ch.isdigit() else ch for ch in text)


def _tables(doc: NoticeDocument, texts: list[str]) -> "_Tables | None":
    """Where the tables are among `texts` (the document's texts as sealed); None when the texts do not
    line up with the document."""
    from desktop_app.core.documents.model import Table

    rows: list = [None] * len([t for t in doc.title_lines if t])
    starts: dict = {}
    for n, block in enumerate(doc.blocks):
        if isinstance(block, Table):
            name = block.caption.split("（")[0].strip() or "表格"
            rows += [(name, n, -1)] * len([t for t in (block.caption, *(c.title for c in block.columns)) if t])
            for r, row in enumerate((*block.rows, *block.totals)):
                cells = [cell for cell in row if cell]
                rows += [(name, n, r)] * len(cells)
                if cells:
                    shapes = starts.setdefault((name, n), {})
                    shapes[_shape(cells[0])] = max(shapes.get(_shape(cells[0]), 0), len(cells))
        else:
            rows += [None] * len(NoticeDocument(doc.template, [], [block]).texts())
    return _Tables(rows, starts) if len(rows) == len(texts) else None


def _new_units(new: list[str], tables: _Tables) -> tuple[list[str], list]:
    units: list[str] = []
    labels: list = []
    i = 0
    while i < len(new):
        row = tables.rows[i]
        if row is None or row[2] < 0:  # not in a table, or its caption or header: each text alone
            units.append(new[i])
            labels.append(None)
            i += 1
            continue
        j = i
        while j < len(new) and tables.rows[j] == row:
            j += 1
        units.append("｜".join(new[i:j]))
        labels.append(row[:2])
        i = j
    return units, labels


def _old_units(old: list[str], new: list[str], tables: _Tables) -> tuple[list[str], list]:
    """The old texts cut into the same kind of units. Their rows were not recorded: the texts that begin
    something in the new document (a text outside tables, a table's caption or header, a row's first
    cell) are matched first, each row found again takes its unchanged cells with it, and the texts left
    over in a table start a row when they look like the first cell of that table's rows (a date, a
    voucher number, 合计), else continue the row before them up to its width."""
    anchors = [i for i, row in enumerate(tables.rows)
               if row is None or row[2] < 0 or i == 0 or tables.rows[i - 1] != row]
    known = {new[i] for i in anchors}
    candidates = [k for k, text in enumerate(old) if text in known]
    at: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(a=[old[k] for k in candidates], b=[new[i] for i in anchors], autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        at.update((candidates[a + d], anchors[b + d]) for d in range(size))
    for k, b in sorted(at.items()):  # a row found again: its cells that follow unchanged
        row = tables.rows[b]
        d = 1
        while (row is not None and row[2] >= 0 and k + d < len(old) and b + d < len(new) and k + d not in at
               and tables.rows[b + d] == row and old[k + d] == new[b + d]):
            at[k + d] = b + d
            d += 1
    units: list[str] = []
    labels: list = []
    current: list[str] = []
    width = 0
    table = None  # the table of the row being collected, or of the last text found again
    for k, text in enumerate(old):
        row = tables.rows[at[k]] if k in at else None
        if k in at and (row is None or row[2] < 0):  # outside tables, or a caption or header
            units.extend(["｜".join(current)] if current else [])
            current = []
            units.append(text)
            labels.append(None)
            table = row[:2] if row is not None else None
            continue
        if row is not None:
            table = row[:2]
            if current and tables.rows[at[k] - 1] == row:  # the next cell of the row being collected
                current.append(text)
                continue
        shapes = tables.starts.get(table, {}) if table is not None else {}
        if row is not None or _shape(text) in shapes:  # a row begins
            units.extend(["｜".join(current)] if current else [])
            current, width = [text], shapes.get(_shape(text), 0)
            labels.append(table)
        elif current and len(current) < width:
            current.append(text)
        else:
            units.extend(["｜".join(current)] if current else [])
            current = []
            units.append(text)
            labels.append(None)
    units.extend(["｜".join(current)] if current else [])
    return units, labels


def _pairs(old_units, old_tables, olds: range, new_units, new_tables, news: range) -> list[tuple[int, int]]:
    """Which of the units replaced are the same thing changed: a table row with the same first cell in
    the same table (e.g. 合计), then in order the rows of a table left over on both sides in equal
    numbers, and the other texts when equally many; the rest were removed or added."""
    pairs: list[tuple[int, int]] = []
    taken: set[int] = set()
    for a in olds:
        if old_tables[a] is None:
            continue
        first = old_units[a].split("｜")[0]
        for b in news:
            if b not in taken and new_tables[b] == old_tables[a] and new_units[b].split("｜")[0] == first:
                pairs.append((a, b))
                taken.add(b)
                break
    paired = {a for a, _ in pairs}
    groups = {t for t in (*(old_tables[a] for a in olds), *(new_tables[b] for b in news))}
    for group in groups:
        left = [a for a in olds if a not in paired and old_tables[a] == group]
        right = [b for b in news if b not in taken and new_tables[b] == group]
        if len(left) == len(right):
            pairs += zip(left, right, strict=True)
    return sorted(pairs)


def _first_difference(a: str, b: str) -> int:
    """Where two texts (as `_clip` shows them) first differ."""
    a, b = " ".join(a.split()), " ".join(b.split())
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _clip(text: str, limit: int = 60, *, at: int = 0) -> str:
    """At most `limit` characters of `text`, showing position `at` (the first difference) with some of
    what precedes it."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    start = max(0, min(at, len(text)) - CLIP_CONTEXT)  # the same for both sides of a change
    head = "…" if start else ""
    room = limit - len(head)
    body = text[start:start + room]
    return head + (body if start + room >= len(text) else body[:-1] + "…")


def _differences(s: Session, notice: Notice, sealed: _Sealed, *, drafts_pending: bool = False) -> list[str]:
    """Entries first (each named), then the printed texts that changed with them (the same change
    counted once, the list kept short when entries already explain it)."""
    changes = _entry_changes(s, notice, sealed.entries)
    old = json.loads(notice.document_json or "[]")
    new = sealed.texts
    tables = _tables(sealed.doc, new)
    if drafts_pending:  # the note "另有 N 笔草稿未列入" of a rebuild without the new drafts
        known = set(old)
        kept = [i for i, t in enumerate(new) if t in known or "草稿" not in t]
        new = [new[i] for i in kept]
        tables = _Tables([tables.rows[i] for i in kept], tables.starts) if tables else None
    counted: dict[str, int] = {}
    for line in _text_changes(old, new, tables):
        counted[line] = counted.get(line, 0) + 1
    texts = [f"{line}（{n} 处）" if n > 1 else line for line, n in counted.items()]
    limit = MAX_TEXT_CHANGES if changes else MAX_LISTED_CHANGES
    if len(texts) > limit:
        texts = texts[:limit] + [f"……公示内容另有 {len(texts) - limit} 处随之变化"]
    changes += texts
    if len(changes) > MAX_LISTED_CHANGES:
        changes = changes[:MAX_LISTED_CHANGES] + [f"……另有 {len(changes) - MAX_LISTED_CHANGES} 处变化未列出"]
    return changes


def _archive_changes(ws, notice: Notice) -> list[str]:
    if notice.status != "published" or not notice.pdf_name:
        return []
    path = ws.root / NOTICES_DIR / notice.pdf_name
    try:
        sha = _sha256(path)
    except OSError:
        return [f"存档的公示文件 {NOTICES_DIR}/{notice.pdf_name} 不见了（发布时的 SHA-256：{notice.pdf_sha256[:16]}…）"]
    if sha != notice.pdf_sha256:
        return [f"存档的公示文件 {NOTICES_DIR}/{notice.pdf_name} 被改动过（SHA-256 与发布时不符）"]
    return []


def _printed_tail(notice: Notice) -> str:
    """What the PDF writer prints after the document's texts: the verification block with the code."""
    import tempfile

    from desktop_app.core.documents import pdf_text
    from desktop_app.core.documents.pdf import render_pdf

    bare = NoticeDocument(template=notice.template, title_lines=[], verification_code=notice.verification_code)
    with tempfile.TemporaryDirectory(prefix="notice-verify-") as folder:
        out = Path(folder) / "tail.pdf"
        render_pdf(bare, out)
        pages = pdf_text.page_texts(out)
    if pages is None:
        raise UserError("无法读回核验用的参照文件。请用核验码核验，并把这个问题告诉软件维护人员。")
    return pdf_text.flatten(pages)


def _file_problem(notice: Notice, path: Path) -> str:
    """"" when the file is the notice's archived PDF (same SHA-256) or prints exactly the notice's texts
    (a draft as exported, a reprint of a published notice); else what is wrong with it."""
    from desktop_app.core.documents import pdf_text

    if notice.pdf_sha256 and _sha256(path) == notice.pdf_sha256:
        return ""
    pages = pdf_text.page_texts(path)
    if pages is None:
        return f"无法读出“{path.name}”上的文字（文件可能被其他程序另存或改动过）"
    inserts: tuple[str, ...] = ()
    if notice.status == "published" and notice.number and notice.published_on:
        stamped = _numbered(NoticeDocument(template=notice.template, title_lines=[]), notice.number,
                            notice.published_on)
        inserts = tuple(block.text for block in stamped.blocks if isinstance(block, Paragraph))
    texts = json.loads(notice.document_json or "[]")
    if pdf_text.says(pages, texts, inserts=inserts, tail=_printed_tail(notice)):
        return ""
    return f"“{path.name}”上印的文字与核验码 {notice.verification_code} 对应的公示不一致"


def verify_notice(ws, target) -> VerifyResult:
    """Take a verification code (as typed) or a PDF file, and say whether the data behind the notice is
    unchanged; otherwise name every change. Unknown or mistyped codes and foreign PDFs are UserErrors.
    A file is also checked itself: it must be the archived PDF (same SHA-256) or print exactly the
    notice's texts (an exported draft, a reprint); otherwise `file_problem` says so and the result is not
    ok, whatever the data behind the code says."""
    given_pdf: Path | None = None
    if _is_file_argument(target):
        given_pdf = Path(target)
        code = _code_from_pdf(given_pdf)
    else:
        code = normalize_code(str(target))
    with ws.reading() as s:
        notice = find_by_code(s, code)
        if notice is None:
            raise UnknownCode(f"没有找到核验码 {code}。它不属于本工作区的任何公示：可能来自另一个单位的工作区，"
                              "或是一份后来又重新导出过的草稿。请核对核验码，或到出具公示的单位核验。")
        notes: list[str] = []
        try:
            rebuilt = _build_for_compare(s, ws.root, notice)
        except UserError as exc:
            changes = [f"无法按原条件重新生成这份公示：{exc.message}"]
        else:
            changes = _differences(s, notice, _seal(rebuilt.doc, rebuilt.entries), drafts_pending=bool(rebuilt.drafts))
            if rebuilt.drafts:
                notes.append(f"公示期间现有 {len(rebuilt.drafts)} 笔尚未记账的草稿，它们不属于公示的数据，未计入核验。")
        changes += _archive_changes(ws, notice)
        for correction in corrections_of(s, notice.id):
            notes.append(f"这份公示已于 {correction.published_on} 发布更正说明（编号 {correction.number}）。")
        if notice.corrects_id:
            original = s.get(Notice, notice.corrects_id)
            if original is not None:
                notes.append(f"这是对公示 {original.number}《{original.title}》的更正说明。")
        if notice.status == "draft":
            notes.append("这份公示还是草稿，尚未发布。")
        file_problem = _file_problem(notice, given_pdf) if given_pdf is not None else ""
        if given_pdf is not None and not file_problem and notice.pdf_sha256 and \
                _sha256(given_pdf) != notice.pdf_sha256:
            notes.append("这份文件不是存档的发布版本（是发布前导出的文件或重新导出的打印件），上面的文字与公示一致；"
                         "核验按核验码对应的公示进行。")
    return VerifyResult(ok=not changes and not file_problem, notice=notice, changes=changes, notes=notes,
                        file_problem=file_problem)


# ------------------------------------------------------------------ disclosure clock


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


QUARTERLY_BASIS = "慈善法第79条：实施期超过六个月的项目，至少每三个月公开一次项目实施情况。"
FINAL_BASIS = "慈善法第79条：项目结束后三个月内，全面公开项目实施情况和募得款物使用情况。"
SEMIANNUAL_BASIS = "云南省社区慈善实施方案：工作进展情况于每年6月底、11月底前报送。"


def due_notices(session: Session, today: date | None = None, *, horizon_days: int = 31) -> list[DueNotice]:
    """Notices due now or within `horizon_days`, per project, with their due date and whether overdue:

    - quarterly progress for projects longer than six months: due three months after the start, then
      three months after the end of the last published progress (or fund-usage) notice, while the
      project runs (after its end the final disclosure takes over);
    - fund usage within three months after the project ends, until a published fund-usage notice
      reaches the end date;
    - the progress reports of seed 003 by 30 June (for December–June) and 30 November (July–November),
      met by a progress or fund-usage notice published in that half-year."""
    today = today or date.today()
    horizon = today + timedelta(days=horizon_days)
    published: dict[str, list[Notice]] = {}
    for n in session.exec(select(Notice).where(Notice.status == "published", Notice.deleted == False)):  # noqa: E712
        if n.template in ("progress", "fund-usage") and (n.published_on is None or n.published_on <= today):
            published.setdefault(n.project_id, []).append(n)
    found: list[DueNotice] = []
    for project in session.exec(select(Project).where(Project.deleted == False)):  # noqa: E712
        mine = published.get(project.id, [])
        found += _quarterly(project, mine, today, horizon)
        found += _final(project, mine, today, horizon)
        found += _semiannual(project, mine, today, horizon)
    return sorted(found, key=lambda d: (d.due_date, d.project_name, d.rule))


def _due(project: Project, rule: str, template: str, title: str, start: date, end: date, due: date,
         today: date, basis: str) -> DueNotice:
    return DueNotice(project.id, project.name, rule, template, title, start, end, due, today > due, basis)


def _quarterly(project: Project, mine: list[Notice], today: date, horizon: date) -> list[DueNotice]:
    if add_months(project.start_date, 6) > project.end_date or project.status == "已终止" or today > project.end_date:
        return []  # after the end, the fund-usage disclosure within three months takes over
    anchor = project.start_date
    for n in mine:
        if n.date_to >= anchor:
            anchor = n.date_to + timedelta(days=1)
    due = add_months(anchor, 3)
    if due > project.end_date or due > horizon:
        return []
    period_to = _whole_months_before(due)  # publishing closes the months: the period ends with a whole one
    title = f"项目进展公示（{anchor} 至 {period_to}）"
    return [_due(project, "quarterly", "progress", title, anchor, period_to, due, today, QUARTERLY_BASIS)]


def _whole_months_before(day: date) -> date:
    """The last day of the last whole month before `day` (the day before it when it is the 1st)."""
    return day.replace(day=1) - timedelta(days=1)


def _final(project: Project, mine: list[Notice], today: date, horizon: date) -> list[DueNotice]:
    if any(n.template == "fund-usage" and n.date_to >= project.end_date for n in mine):
        return []
    if project.end_date > horizon:
        return []
    due = add_months(project.end_date, 3)
    return [_due(project, "final", "fund-usage", "项目结束后的经费使用情况公示", project.start_date,
                 project.end_date, due, today, FINAL_BASIS)]


def _semiannual(project: Project, mine: list[Notice], today: date, horizon: date) -> list[DueNotice]:
    """The last passed deadline (if missed) and the next one (when within the horizon)."""
    out = []
    for window_start, deadline, next_start in _half_years(today):
        if deadline > horizon:
            continue
        if project.start_date > deadline or project.end_date < window_start:
            continue
        met = any(n.published_on and window_start <= n.published_on < next_start for n in mine)
        if met:
            continue
        label = "6月底" if deadline.month == 6 else "11月底"
        # the report covers the whole months before the deadline's month (Nov–May, Jun–Oct), so it can be
        # published, which closes them, in time
        period_to = min(_whole_months_before(deadline), project.end_date)
        period_from = max(add_months(window_start, -1), project.start_date) if deadline.month == 6 else \
            max(window_start.replace(month=6), project.start_date)
        if period_from > period_to:
            continue
        out.append(_due(project, "semiannual", "progress", f"工作进展报送（{deadline.year}年{label}前）",
                        period_from, period_to, deadline, today, SEMIANNUAL_BASIS))
    return out


def _half_years(today: date) -> list[tuple[date, date, date]]:
    """(window start, deadline, next window start) of the half-year in progress and the one before it."""
    halves = []
    for year in (today.year - 1, today.year, today.year + 1):
        halves.append((date(year - 1, 12, 1), date(year, 6, 30), date(year, 7, 1)))
        halves.append((date(year, 7, 1), date(year, 11, 30), date(year, 12, 1)))
    current = next(i for i, h in enumerate(halves) if h[0] <= today < h[2])
    return halves[current - 1:current + 1]

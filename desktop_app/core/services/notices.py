"""信息公示: the commands that change notices, one transaction each.

- `export_notice` builds the notice from the data, gives it its verification code, writes the PDF and
  records (or refreshes) a draft row: drafts are freely re-exported. The request's wording edits
  (NoticeRequest.edits) are recorded with it, so verification rebuilds the edited notice; editing again
  means exporting again (a new code). A published notice is never changed: edits reach it only through
  a new export (a reprint when nothing differs, else a draft that cannot be published over it) or a
  correction.
- `publish_notice` gives a draft its number and date, archives its PDF under `notices/<number>.pdf`
  with the SHA-256, closes the covered months of the project's funds and records the entries as
  disclosed. It also seals where the chains of the project's funds stand (`notices.witness`): the heads
  are kept on the record, in the archived PDF's keywords and in its QR code, so the printed notice
  witnesses the books as they were. A reprint (an export identical to a published notice) carries the
  heads of the notice it reprints; a draft carries none. A published notice is never changed again.
- `publish_correction` publishes a 更正说明 referring to a published notice.
Reading notices lives in core/notices: `lookup` (lists, labels), `verify` (a code or a file), `clock`
(the disclosure clock shown on 概览).
"""

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import LedgerEntry, Notice, NoticeEntry, utc_now
from desktop_app.core.money import format_yuan
from desktop_app.core.months import month_end, month_key
from desktop_app.core.notices import document as notice_document  # printed through here: tests stub it
from desktop_app.core.notices.codes import UnknownCode
from desktop_app.core.notices.correction import correction_document, printable_spec
from desktop_app.core.notices.diff import differences
from desktop_app.core.notices.document import NoticeDocument
from desktop_app.core.notices.entries import refuse_tampered
from desktop_app.core.notices.lookup import (
    NOTICES_DIR,
    find_by_code,
    notice_label,
    resolve_notice,
    template_label,
)
from desktop_app.core.notices.printed import check_file
from desktop_app.core.notices.request import (
    NoticeRequest,
    request_from_json,
    request_to_json,
    resolve_request,
)
from desktop_app.core.notices.sealing import Sealed, build_with_entries, numbered, rebuild, seal
from desktop_app.core.notices.verify import code_from_pdf, is_file_argument, shown
from desktop_app.core.notices.witness import project_heads, recorded_heads
from desktop_app.core.queries.projects import closed_through, project_funds
from desktop_app.core.services import ledger
from desktop_app.core.storage import heads as chain_heads
from desktop_app.core.storage.files import atomic_write, sha256_of
from desktop_app.core.storage.identity import local_office, local_office_id
from desktop_app.core.validation import check_text

CORRECTION_MAX = 2000


@dataclass(frozen=True)
class ExportResult:
    """An exported notice: its draft row (or the published notice it reprints) and what the file holds."""

    notice: Notice
    info: object  # pdf.RenderInfo(pages, size, fonts)
    reprint: bool = False  # the data is exactly that of a published notice: the file is a reprint of it
    masked: list = field(default_factory=list)  # the document's MaskedName list: what privacy changed
    notes: list = field(default_factory=list)  # the document's advice and notes (drafts left out, stale edits …)
    doc: NoticeDocument | None = None  # the document as sealed (its editable texts, for the wording editor)


def _check_out_path(out_path: Path) -> None:
    """Refuse, before anything is built, a file name the PDF cannot be saved under."""
    if out_path.suffix.lower() != ".pdf":
        raise UserError(f"导出文件“{out_path}”应以 .pdf 结尾。")
    if not out_path.parent.is_dir():
        raise UserError(f"文件夹“{out_path.parent}”不存在。请先创建它，或换一个保存位置。")
    if out_path.is_dir():
        raise UserError(f"“{out_path}”是一个文件夹。请写出要保存的文件名，例如 公示.pdf。")


def export_notice(ws, request: NoticeRequest, out_path: Path | str, *, progress=None) -> ExportResult:
    """Build, seal and write a notice to `out_path`; record it as a draft (or refresh its draft).

    The data is read and the draft row written in one write transaction, so the code in the file is
    exactly that of the recorded draft. The file appears only when all went well."""
    out_path = Path(out_path)
    _check_out_path(out_path)
    with atomic_write(out_path, partial=out_path.with_name(f".{out_path.stem}.partial.pdf")) as partial:
        with ws.transaction("notice.export") as s:
            request = resolve_request(s, request)  # recorded with every default filled in: rebuilt exactly
            doc, entries = build_with_entries(s, ws.root, request)
            refuse_tampered(s, entries)
            sealed = seal(doc, entries)
            reprinted = _published_with_code(s, sealed.code)
            if reprinted is not None:  # a reprint: the published notice as it was printed, heads and all
                sealed.doc.heads = recorded_heads(reprinted, ws.root) or []
            info = notice_document.render_pdf(sealed.doc, partial, progress=progress)
            notice, reprint = _record_draft(s, request, sealed)
    return ExportResult(notice, info, reprint, list(sealed.doc.masked),
                        sealed.doc.advice + sealed.doc.notes, sealed.doc)


def _published_with_code(s: Session, code: str) -> Notice | None:
    return s.exec(select(Notice).where(Notice.verification_code == code, Notice.status == "published",
                                       Notice.deleted == False)).first()  # noqa: E712


def _record_draft(s: Session, request: NoticeRequest, sealed: Sealed) -> tuple[Notice, bool]:
    published = _published_with_code(s, sealed.code)
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


def _next_number(s: Session, office_id: str, year: int) -> tuple[int, str]:
    last = s.exec(select(func.max(Notice.number_seq)).where(Notice.office_id == office_id,
                                                            Notice.number_year == year)).one()
    seq = int(last or 0) + 1
    return seq, f"{year}-{seq:03d}"


def _archive(ws, doc: NoticeDocument, number: str) -> tuple[Path, str]:
    """Write the published PDF to notices/<number>.pdf (whole or not at all); returns (path, sha256).
    A file already there is one the database does not know (a failed publish before a power cut, or a
    backup restored since): it is moved aside, never overwritten."""
    folder = ws.root / NOTICES_DIR
    folder.mkdir(exist_ok=True)
    final = folder / f"{number}.pdf"
    with atomic_write(final, partial=folder / f".{number}.partial.pdf") as partial:
        notice_document.render_pdf(doc, partial)
        sha = sha256_of(partial)
        if final.exists():
            os.replace(final, folder / f"{number}.unrecorded-{datetime.now(UTC):%Y%m%dT%H%M%S}.pdf")
    return final, sha


def _refuse_overlap(s: Session, notice: Notice) -> None:
    """A published notice of the same kind over an overlapping period is never published over."""
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
    month = month_key(date_to)
    if month >= month_key(today):
        raise UserError(f"公示期间截至 {date_to}，{month} 还没有结束，发布时无法把它结账。"
                        f"请在 {month} 结束后再发布，或重新导出截止到上月底的公示。")
    funds = project_funds(s, project_id)
    last_day = month_end(date_to)
    drafts = s.exec(select(LedgerEntry).where(
        LedgerEntry.fund_id.in_([f.id for f in funds]), LedgerEntry.status == "draft",
        LedgerEntry.deleted == False, LedgerEntry.entry_date <= last_day)  # noqa: E712
        .order_by(LedgerEntry.entry_date)).all()
    if drafts:  # left out of the notice (不计入草稿), but a closed month can hold no draft
        names = {f.id: f.name for f in funds}
        raise UserError(
            f"发布公示要把本项目的社区基金结账至 {month}，但 {last_day} 及以前还有 {len(drafts)} 条草稿没有记账"
            f"（公示生成时未计入）。请先把它们记账、删除，或把日期改到 {last_day} 之后，然后重新导出公示再发布"
            "（记账会改变公示的数字）。",
            details=[f"{d.entry_date} {d.summary or '（无摘要）'} {format_yuan(d.amount_fen)}（{names[d.fund_id]}）"
                     for d in drafts])
    for fund in funds:
        last = closed_through(s, fund.id)
        if last is not None and last >= month:
            continue
        try:
            ledger.close_month_in(s, fund.id, month, today=today)
        except UserError as exc:
            raise UserError(f"发布公示要把“{fund.name}”结账至 {month}，但没有成功：{exc.message}",
                            details=exc.details) from None


def _disclose(s: Session, notice: Notice, entries: list[LedgerEntry]) -> None:
    """Record the entries a published notice disclosed, with their chain hashes."""
    for entry in entries:
        s.add(NoticeEntry(notice_id=notice.id, entry_id=entry.id, chain_hash=entry.chain_hash or ""))


def _publication_date(published_on: date | None) -> tuple[date, date]:
    """(today, the date of publication): today unless given, and never a day still to come."""
    today = date.today()
    published_on = published_on or today
    if published_on > today:
        raise UserError(f"发布日期 {published_on} 晚于今天。请填写实际发布（张贴）的日期。")
    return today, published_on


@contextmanager
def _archived_only_if_recorded() -> Iterator[list[Path]]:
    """The PDFs archived inside the block are removed again when it fails (the publishing transaction
    included), so notices/ holds no file the database does not record."""
    archived: list[Path] = []
    try:
        yield archived
    except BaseException:
        for path in archived:
            path.unlink(missing_ok=True)
        raise


def _number_and_archive(ws, s: Session, doc: NoticeDocument, office_id: str, published_on: date,
                        archived: list[Path]) -> tuple[int, str, Path, str]:
    """The next number in the office's year and the published document archived under it:
    (seq, number, archived path, its SHA-256)."""
    seq, number = _next_number(s, office_id or local_office_id(s), published_on.year)
    path, sha = _archive(ws, numbered(doc, number, published_on), number)
    archived.append(path)
    return seq, number, path, sha


def publish_notice(ws, target, *, published_on: date | None = None) -> Notice:
    """Publish a draft given by its id, number or code, or by the PDF file exported for it."""
    today, published_on = _publication_date(published_on)
    code = code_from_pdf(Path(target), "发布") if is_file_argument(target) else None
    with _archived_only_if_recorded() as archived, ws.transaction("notice.publish") as s:
        if code is not None:
            notice = find_by_code(s, code)
            if notice is None:
                raise UnknownCode(f"文件“{shown(Path(target).name)}”的核验码 {code} 不在本工作区的公示记录里"
                                  "（可能已重新导出过，或来自另一台电脑）。请发布最近一次导出的文件。")
        else:
            notice = resolve_notice(s, str(target))
        if notice.status == "published":
            raise UserError(f"{notice_label(notice)}已于 {notice.published_on} 发布，已发布的公示不能再改动。"
                            f"如需更正，请发布更正说明（命令行：notice correct {notice.number} --text \"更正内容\"）。")
        ws.refuse_foreign(s, notice)  # before the PDF is written (the journal would refuse at commit)
        request = request_from_json(notice.request_json)
        if request.written_on and published_on < request.written_on:
            raise UserError(f"发布日期 {published_on} 早于公示落款日期 {request.written_on}。请填写落款当天或之后的日期。")
        _refuse_overlap(s, notice)
        doc, entries = build_with_entries(s, ws.root, request)
        refuse_tampered(s, entries)
        sealed = seal(doc, entries)
        if sealed.code != notice.verification_code:
            changes = differences(s, notice, sealed)
            raise UserError("这份公示导出之后，它所依据的数据有了变化，不能按原样发布。"
                            "请重新导出，核对新的公示后再发布。", details=changes or ["公示内容有变化"])
        if code is not None:
            _refuse_altered_file(ws, notice, Path(target), sealed)
        _close_covered_months(s, notice.project_id, notice.date_to, today)
        sealed.doc.heads = project_heads(s, notice.project_id)  # the books as they stand, witnessed
        seq, number, placed, sha = _number_and_archive(ws, s, sealed.doc, notice.office_id, published_on, archived)
        notice.heads_json = chain_heads.to_json(sealed.doc.heads)
        notice.status = "published"
        notice.number, notice.number_year, notice.number_seq = number, published_on.year, seq
        notice.published_on, notice.published_at = published_on, utc_now()
        notice.pdf_name, notice.pdf_sha256 = placed.name, sha
        s.add(notice)
        _disclose(s, notice, entries)
    return notice


def _refuse_altered_file(ws, notice: Notice, path: Path, sealed: Sealed) -> None:
    """Publishing by the file exported for the draft: the file must show, page by page, what the draft
    prints (`printed.check_file`), else the person would publish something other than what they read."""
    check = check_file(ws, notice, path, sealed)
    if check.problem:
        raise UserError(f"不能发布：{check.problem}。它不是这份草稿导出时的文件，可能被改动过，发布的将是按数据重新生成的公示，"
                        f"而不是这份文件上的内容。请重新导出这份公示（草稿编号 {notice.id}），核对新导出的文件无误后，"
                        "发布那一份。")


def _sign_off_names(s: Session) -> list[str]:
    office = local_office(s)
    if office is None:
        return []
    names = [office.association_name, office.name]
    return list(dict.fromkeys(n for n in names if n))


def _corrected_number(s: Session, notice: Notice) -> str:
    original = s.get(Notice, notice.corrects_id) if notice.corrects_id else None
    return original.number if original else "?"


def _original_request(s: Session, notice: Notice) -> NoticeRequest:
    """What a notice's data is built from: its own request, or for a correction the corrected one's."""
    if notice.template == "correction":
        return request_from_json(json.loads(notice.request_json)["request"])
    return request_from_json(notice.request_json)


def publish_correction(ws, notice_key: str, text: str, request: NoticeRequest | None = None, *,
                       published_on: date | None = None) -> Notice:
    """Publish a 更正说明 of a published notice: its own number, code and archived PDF. The body is the
    text given plus, when the data changed since the original was published, the list of changes."""
    text = check_text("更正内容", text, CORRECTION_MAX, multiline=True)
    if not text:
        raise UserError("请写明更正的内容，例如“第三部分支出明细中凭证 2024-0021 的金额应为 1,850.00 元”。")
    _today, published_on = _publication_date(published_on)
    with _archived_only_if_recorded() as archived, ws.transaction("notice.correct") as s:
        original = resolve_notice(s, notice_key)
        if original.status != "published":
            raise UserError(f"{notice_label(original)}还没有发布。草稿不需要更正说明：改好数据后重新导出即可。")
        if original.template == "correction":
            raise UserError(f"{notice_label(original)}本身是更正说明。如需再次更正，请针对原公示"
                            f"（编号 {_corrected_number(s, original)}）再发布一份更正说明。")
        ws.refuse_foreign(s, original)
        base_request = resolve_request(s, request) if request is not None else _original_request(s, original)
        rebuilt = rebuild(s, ws.root, original, base_request)
        entries = rebuilt.entries
        changes = differences(s, original, seal(rebuilt.doc, entries), drafts_pending=bool(rebuilt.drafts))
        spec = {
            "corrects_id": original.id, "original_title": original.title, "original_number": original.number,
            "original_code": original.verification_code,
            "original_published_on": original.published_on.isoformat(), "text": text, "changes": changes,
            "names": _sign_off_names(s), "written_on": published_on.isoformat(),
            "request": request_to_json(base_request),
        }
        spec = printable_spec(s, original, base_request, spec)  # nothing private reaches the document
        sealed = seal(correction_document(spec), entries)
        sealed.doc.heads = project_heads(s, original.project_id)
        seq, number, placed, sha = _number_and_archive(ws, s, sealed.doc, original.office_id, published_on,
                                                       archived)
        notice = Notice(
            project_id=original.project_id, template="correction", date_from=original.date_from,
            date_to=original.date_to, status="published", number=number, number_year=published_on.year,
            number_seq=seq, title=sealed.title, written_on=published_on, verification_code=sealed.code,
            content_hash=sealed.content_hash, entries_hash=sealed.entries_hash, entry_count=len(entries),
            entries_json=json.dumps(sealed.pairs), pdf_sha256=sha, pdf_name=placed.name,
            published_on=published_on, published_at=utc_now(), corrects_id=original.id, correction_text=text,
            request_json=json.dumps(spec, ensure_ascii=False, sort_keys=True),
            document_json=json.dumps(sealed.texts, ensure_ascii=False), heads_json=chain_heads.to_json(sealed.doc.heads))
        s.add(notice)
        s.flush()
        _disclose(s, notice, entries)
    return notice

"""What the notice builder and the 信息公示 page run in the database worker, and what comes back.

Each function is one worker job. For the builder: read the defaults of a request, build a preview
(nothing recorded, no verification code), export for real (sealed and recorded as a draft), read a
draft's stored request, post the drafts that stand in the way of a notice. For the page: list the
notices, export a draft again as it was asked for, copy a published notice's archived PDF. None of them
touches a widget.
"""

import shutil
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.errors import UserError
from desktop_app.core.models import Notice
from desktop_app.core.notices import lookup as notice_lookup
from desktop_app.core.notices.document import NoticeDocument
from desktop_app.core.notices.request import DraftLine, NoticeRequest, request_from_json, resolve_request
from desktop_app.core.queries.projects import project_choices
from desktop_app.core.services import ledger, notices
from desktop_app.core.storage.files import copy_atomically, os_error_text, where
from desktop_app.core.storage.workspace import Workspace


@dataclass(frozen=True)
class BuilderDefaults:
    request: NoticeRequest  # resolved: every date and the supervision phones filled in


@dataclass(frozen=True)
class PreviewResult:
    path: Path
    pages: int
    masked: list
    code: str = ""
    reprint_of: str = ""  # the number of the published notice this export reprints
    notice_id: str = ""  # the draft (or reprinted notice) an export recorded
    doc: NoticeDocument | None = None  # what was built: its editable texts, notes and (key, part) edits applied


@dataclass(frozen=True)
class PostResult:
    posted: int
    failures: list[str]


def load_defaults(ws: Workspace, request: NoticeRequest) -> BuilderDefaults:
    with ws.reading() as s:
        return BuilderDefaults(resolve_request(s, request))


def preview_notice(ws: Workspace, request: NoticeRequest, out: Path, progress=None) -> PreviewResult:
    """Build and render without recording anything (no verification code)."""
    from desktop_app.core.notices.document import render_pdf
    from desktop_app.core.notices.templates import build_notice

    with ws.reading() as s:
        doc = build_notice(s, ws.root, resolve_request(s, request))
    info = render_pdf(doc, out, progress=progress)
    return PreviewResult(out, info.pages, list(doc.masked), doc=doc)


def load_request(ws: Workspace, notice_id: str) -> NoticeRequest:
    """The request a draft was exported with (every default filled in, its wording edits included)."""
    with ws.reading() as s:
        notice = notice_lookup.resolve_notice(s, notice_id)
        if notice.status != "draft":
            raise UserError(f"公示 {notice.number} 已经发布，不能再修改。如有错误，请选中它点“更正说明…”。")
        return request_from_json(notice.request_json)


def export_notice(ws: Workspace, request: NoticeRequest, out: Path, shown: Path, progress=None) -> PreviewResult:
    """Export for real (sealed, recorded as a draft) to `out`; a copy at `shown` for the preview, so the
    user's file is never held open by the app."""
    result = notices.export_notice(ws, request, out, progress=progress)
    shutil.copyfile(out, shown)
    notice = result.notice
    return PreviewResult(shown, result.info.pages, list(result.masked), notice.verification_code,
                         notice.number if result.reprint else "", notice.id, result.doc)


def post_drafts(ws: Workspace, drafts: list[DraftLine]) -> PostResult:
    """记账 each draft in turn; one that is refused stays a draft and says why."""
    posted, failures = 0, []
    for draft in drafts:
        try:
            ledger.post_entry(ws, draft.entry_id)
        except UserError as exc:
            failures.append(f"{draft.describe()}：{exc}")
        else:
            posted += 1
    return PostResult(posted, failures)


@dataclass(frozen=True)
class NoticeRow:
    notice: Notice
    project_name: str
    corrects: str = ""  # the number of the notice this correction refers to
    corrected_by: tuple[str, ...] = ()  # the numbers of its corrections

    @property
    def id(self) -> str:
        return self.notice.id

    @property
    def published(self) -> bool:
        return self.notice.status == "published"

    def values(self) -> tuple:
        n = self.notice
        if self.corrects:
            correction = f"更正 {self.corrects}"
        elif self.corrected_by:
            correction = "已更正：" + "、".join(self.corrected_by)
        else:
            correction = ""
        return (n.number or "—", notice_lookup.template_label(n.template), self.project_name,
                f"{n.date_from}～{n.date_to}", notice_lookup.STATUS_LABELS.get(n.status, n.status), n.verification_code,
                n.published_on or "", correction)


@dataclass(frozen=True)
class DraftPdf:
    notice_id: str
    code: str
    path: Path
    pages: int


def load_notices(ws: Workspace, office_id: str | None = None) -> list[NoticeRow]:
    with ws.reading() as s:
        rows = notice_lookup.list_notices(s, office_id=office_id)
        names = dict(project_choices(s))
        numbers = {n.id: n.number for n in rows}
        corrected: dict[str, list[str]] = {}
        for n in rows:
            if n.corrects_id:
                corrected.setdefault(n.corrects_id, []).append(n.number)
        return [NoticeRow(n, names.get(n.project_id, ""), numbers.get(n.corrects_id, "") if n.corrects_id else "",
                          tuple(sorted(corrected.get(n.id, [])))) for n in rows]


def export_draft(ws: Workspace, notice_id: str, out: Path, progress=None) -> DraftPdf:
    """Export a draft again, as it was asked for, to `out` (sealed with the code of today's data)."""
    with ws.reading() as s:
        notice = notice_lookup.resolve_notice(s, notice_id)
        request = request_from_json(notice.request_json)
    result = notices.export_notice(ws, request, out, progress=progress)
    return DraftPdf(notice_id, result.notice.verification_code, out, result.info.pages)


def archived_pdf(ws: Workspace, notice: Notice) -> Path:
    return notice_lookup.archived_pdf(ws.root, notice)


def copy_archived(source: Path, out: Path) -> None:
    """The published PDF, byte for byte (its SHA-256 stays that of the archive)."""
    if not source.is_file():
        raise UserError(f"存档的公示文件 {source.name} 不见了。请用“核验…”检查这份公示，或从备份恢复 notices 文件夹。")
    try:
        copy_atomically(source, out)
    except OSError as exc:
        raise UserError(f"无法保存到“{out.name}”：{os_error_text(exc)}。请换一个保存位置，或关闭正打开这个文件的程序。",
                        technical=where(out)) from None

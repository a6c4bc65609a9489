"""Notices as recorded: what they are called (templates, states), the list, and finding one by id, number or
verification code; where the published PDFs are archived."""

from pathlib import Path

from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import Notice
from desktop_app.core.notices.codes import looks_like_code, normalize_code
from desktop_app.core.notices.request import TEMPLATES

TEMPLATE_LABELS = {**TEMPLATES, "correction": "更正说明"}  # what can be built, and the correction notice
STATUS_LABELS = {"draft": "草稿", "published": "已发布"}
NOTICES_DIR = "notices"  # in the workspace: the published PDFs, notices/<number>.pdf


def archived_pdf(root: Path, notice: Notice) -> Path:
    """Where a published notice's PDF is archived: notices/<number>.pdf in the office that published it; in a
    county's workspace a township's notice arrives by sync into the content-addressed store (townships number
    their notices alike), found there by its hash."""
    sha = notice.pdf_sha256 or ""
    stored = Path(root) / "attachments" / sha[:2] / sha
    if len(sha) == 64 and stored.is_file():
        return stored
    return Path(root) / NOTICES_DIR / (notice.pdf_name or "")


def template_label(template: str) -> str:
    """"fund-usage" → 经费使用情况公示."""
    return TEMPLATE_LABELS.get(template, template)


def notice_label(notice: Notice) -> str:
    """How messages name a notice: 公示 2025-001《…》, or a draft by its title and period."""
    if notice.status == "published":
        return f"公示 {notice.number}《{notice.title}》"
    return f"草稿公示《{notice.title}》（{notice.date_from} 至 {notice.date_to}）"


def list_notices(session: Session, project_id: str | None = None, office_id: str | None = None) -> list[Notice]:
    """Drafts first, then the published notices, newest first (of one office when `office_id` is given: a
    county's office filter)."""
    query = select(Notice).where(Notice.deleted == False)  # noqa: E712
    if project_id:
        query = query.where(Notice.project_id == project_id)
    if office_id:
        query = query.where(Notice.office_id == office_id)
    rows = list(session.exec(query))
    drafts = sorted((n for n in rows if n.status == "draft"), key=lambda n: n.updated_at, reverse=True)
    published = sorted((n for n in rows if n.status != "draft"),
                       key=lambda n: (n.number_year or 0, n.number_seq or 0), reverse=True)
    return drafts + published


def corrections_of(session: Session, notice_id: str) -> list[Notice]:
    """The 更正说明 published for a notice, in number order."""
    return list(session.exec(select(Notice).where(Notice.corrects_id == notice_id, Notice.deleted == False)  # noqa: E712
                             .order_by(Notice.number_year, Notice.number_seq)))


def find_by_code(session: Session, code: str) -> Notice | None:
    """The notice carrying `code` (normalized), a published one before a draft; None when none does."""
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

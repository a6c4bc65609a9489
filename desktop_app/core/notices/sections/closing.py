"""What every notice ends with: the photos marked 用于公示 (by site, in gallery order), 公示期与监督 (the
period, the supervision phones, where to object) and the sign-off."""

from pathlib import Path

from sqlmodel import select

from desktop_app.core.documents.model import Field, PhotoGrid, SignOff
from desktop_app.core.documents.model import Photo as NoticePhoto
from desktop_app.core.errors import UserError
from desktop_app.core.models import Activity, CharitySpace, Photo
from desktop_app.core.notices.context import BuildContext
from desktop_app.core.notices.formats import Sections, period_text
from desktop_app.core.notices.request import association_name, signing_office
from desktop_app.core.storage import photo_files

BLANK = "______"  # a phone not set: printed as a line to fill in by hand
OBJECTIONS_KEY = "field:意见反馈"


def _photos(ctx: BuildContext) -> list[NoticePhoto]:
    """The photos marked 用于公示 of the project's (live) activities in the period, by site, in gallery order."""
    req = ctx.req
    found = ctx.session.exec(select(Photo, Activity).join(Activity, Activity.id == Photo.activity_id).where(
        Activity.project_id == ctx.project.id, Activity.deleted == False, Photo.deleted == False,  # noqa: E712
        Photo.in_notice == True, Activity.end_date >= req.date_from, Activity.start_date <= req.date_to)  # noqa: E712
        .order_by(Photo.position, Photo.created_at)).all()
    spaces = ctx.session.exec(select(Photo, CharitySpace).join(CharitySpace, CharitySpace.id == Photo.space_id).where(
        CharitySpace.project_id == ctx.project.id, CharitySpace.deleted == False, Photo.deleted == False,  # noqa: E712
        Photo.activity_id.is_(None), Photo.in_notice == True)  # noqa: E712
        .order_by(Photo.position, Photo.created_at)).all()
    pairs = [(p, a.site_id, a.title) for p, a in found] + [(p, c.site_id, c.name) for p, c in spaces]
    out = []
    for _site, group, _key in ctx.by_site(pairs, lambda r: r[1]):
        for photo, _site_id, owner in group:
            out.append(NoticePhoto(_display_copy(ctx, photo, owner), photo.caption.strip() or owner))
    return out


def _display_copy(ctx: BuildContext, photo: Photo, owner: str) -> Path:
    """The photo's display-sized copy, made from the original when missing; UserError when that is gone too."""
    display = photo_files.display_path(ctx.root, photo.sha256)
    if display.is_file() and display.stat().st_size > 0:
        return display
    original = ctx.root / "attachments" / photo.sha256[:2] / photo.sha256  # Workspace.attachment_path
    name = photo.caption.strip() or photo.original_name or "（无说明）"
    if not original.is_file():
        raise UserError(f"公示要用的照片“{name}”（{owner}）的原图在工作区里找不到了，无法放进公示。"
                        f"请到“活动记录”打开“{owner}”，删除这张照片后重新添加，或取消它的“用于公示”。")
    photo_files.ensure_derived(ctx.root, photo.sha256, original)
    return display


def _notice_part(ctx: BuildContext, blocks: list) -> None:
    """公示期, the supervision phones (a line to write on where none is set) and where to object."""
    req = ctx.req
    association = association_name(ctx.session, ctx.project)
    phones = "；".join(f"{label}：{phone.strip() or BLANK}" for label, phone in req.supervision or [])
    objections = req.objections_text or (
        f"对公示内容有异议的，请在公示期内以书面形式或拨打上述监督电话向{association}反映，"
        "我们将及时核实并答复。")
    blocks += [Field("公示期", period_text(req.notice_start, req.notice_end)), Field("监督电话", phones),
               Field("意见反馈", objections, key=OBJECTIONS_KEY)]


def closing_part(ctx: BuildContext, blocks: list, sections: Sections, *, photos: bool) -> None:
    """What every notice ends with: the captioned photos (when wanted and any), 公示期与监督, the sign-off."""
    grid = _photos(ctx) if photos else []
    if grid:
        sections.add("活动照片")
        blocks.append(PhotoGrid(tuple(grid)))
    sections.add("公示期与监督")
    _notice_part(ctx, blocks)
    blocks.append(_sign_off(ctx))


def _sign_off(ctx: BuildContext) -> SignOff:
    """Signed by this office and its 慈善会 (once when they are the same), on the written date."""
    office = signing_office(ctx.session, ctx.project)
    names = [office.name if office else "", association_name(ctx.session, ctx.project)]
    unique = tuple(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    return SignOff(unique, ctx.req.written_on)

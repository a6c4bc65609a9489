"""The photos of an activity, a charity space or a whole project, read a page at a time for the gallery."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlmodel import Session, select

from desktop_app.core.models import Photo


@dataclass(frozen=True)
class PhotoRow:
    """One cell of the gallery: enough to draw the thumbnail and its label without loading the Photo."""

    id: str
    sha256: str
    caption: str
    activity_id: str | None
    activity_title: str  # "" for a space's photo
    date: str  # the activity's start date (YYYY-MM-DD), "" for a space's photo
    space_id: str | None
    space_name: str
    in_notice: bool
    width: int
    height: int
    taken_at: str
    original_name: str


def owner_photos(session: Session, *, activity_id: str | None = None, space_id: str | None = None) -> list[Photo]:
    """The live photos of one activity or one space, in their order."""
    query = select(Photo).where(Photo.deleted == False)  # noqa: E712
    query = query.where(Photo.activity_id == activity_id) if activity_id else query.where(Photo.space_id == space_id)
    return list(session.exec(query.order_by(Photo.position, Photo.created_at, text("photo.rowid"))))


def gallery_where(project_id: str | None, activity_id: str | None, space_id: str | None) -> tuple[str, dict]:
    if sum(x is not None for x in (project_id, activity_id, space_id)) > 1:
        raise ValueError("give one of project_id, activity_id, space_id")
    if project_id is not None:
        return "p.project_id = :key AND p.deleted = 0", {"key": project_id}
    if activity_id is not None:
        return "p.activity_id = :key AND p.deleted = 0", {"key": activity_id}
    if space_id is not None:
        return "p.space_id = :key AND p.deleted = 0", {"key": space_id}
    # all photos: not "deleted = 0", which SQLite would drop from the ORDER BY (it is fixed), leaving
    # (project_id, position, created_at) — not the index order, so a sort of every photo per page
    return "p.deleted < 1", {}


def count_photos(session: Session, *, project_id: str | None = None, activity_id: str | None = None,
                 space_id: str | None = None) -> int:
    """How many live photos a project, an activity or a space has (all photos when none is given)."""
    where, params = gallery_where(project_id, activity_id, space_id)
    return session.connection().execute(text(f"SELECT count(*) FROM photo p WHERE {where}"), params).scalar_one()


def photo_page(session: Session, *, project_id: str | None = None, activity_id: str | None = None,
               space_id: str | None = None, offset: int = 0, limit: int = 200) -> list[PhotoRow]:
    """One page of the gallery, ordered by (position, created_at): for a project that is the order of
    ix_photo_gallery, so a page is read from the index without sorting the project's photos; for an
    activity or a space it is their own order (a few dozen rows to sort). Photos of a deleted activity
    stay in the project gallery (see activities.delete_activity)."""
    sql, params = page_query(project_id, activity_id, space_id)
    rows = session.connection().execute(sql, params | {"limit": int(limit), "offset": int(offset)})
    return [PhotoRow(id=r[0], sha256=r[1], caption=r[2], activity_id=r[3], activity_title=r[4] or "",
                     date=_iso(r[5]), space_id=r[6], space_name=r[7] or "", in_notice=bool(r[8]), width=r[9],
                     height=r[10], taken_at=r[11], original_name=r[12]) for r in rows]


def page_query(project_id: str | None, activity_id: str | None, space_id: str | None):
    """The page's rows are picked by rowid in a subquery that reads only the index (skipping OFFSET rows
    costs an index step each, not a table row and two joins), then joined for their columns."""
    where, params = gallery_where(project_id, activity_id, space_id)
    # with no owner given: all photos in index order, project by project (deleted is fixed at 0)
    # rowid last: ties broken as the index breaks them, so windows never overlap or skip
    order = ("{p}position, {p}created_at, {p}rowid" if params
             else "{p}project_id, {p}deleted, {p}position, {p}created_at, {p}rowid")
    return text(f"""
        SELECT p.id, p.sha256, p.caption, p.activity_id, a.title, a.start_date, p.space_id, c.name,
               p.in_notice, p.width, p.height, p.taken_at, p.original_name
        FROM (SELECT p.rowid AS rid FROM photo p WHERE {where} ORDER BY {order.format(p="p.")}
              LIMIT :limit OFFSET :offset) AS page
        JOIN photo p ON p.rowid = page.rid
        LEFT JOIN activity a ON a.id = p.activity_id
        LEFT JOIN charity_space c ON c.id = p.space_id
        ORDER BY {order.format(p="p.")}"""), params


def _iso(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)
